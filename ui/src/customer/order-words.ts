// How one of my bookings reads on a phone: its status in words, its day and hours in the store's
// zone. Store and room names come from the store's page (a booking carries their ids only).
import type { BookingStatus } from '@roomhub/shared-types';
import { clockTime, localDate } from '../components/store-time';

export const STATUS_TONE: Record<BookingStatus, 'good' | 'wait' | 'done' | 'off'> = {
  pending_payment: 'wait',
  paid: 'good',
  in_use: 'good',
  completed: 'done',
  cancelled: 'off',
  refunding: 'wait',
  refunded: 'off',
};

export function spanText(start: string, end: string, timeZone: string): string {
  return `${localDate(start, timeZone)} ${clockTime(start, timeZone)}–${clockTime(end, timeZone)}`;
}
