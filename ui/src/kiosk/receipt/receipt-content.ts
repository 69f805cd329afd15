// What a paid booking's receipt says, worded in the screen's language from the hub's booking, its
// door code and the store: pure, so the words test reads it without a page. Money in yuan with two
// decimals from the hub's fen, dates and times in the store's zone.
import type { TFunction } from 'i18next';
import type { BookingDetail, DoorCodeView, StoreView } from '@roomhub/shared-types';
import { clockTime, localDate } from '../../components/store-time';
import { yuan } from '../../components/yuan';
import { lineText } from '../booking/quote-lines';

export interface ReceiptRow {
  text: string;
  /** `¥12.00`, `-¥3.00`. */
  amount: string;
}

export interface ReceiptContent {
  store: string;
  number: string;
  room: string;
  date: string;
  span: string;
  party: string;
  fees: ReceiptRow[];
  total: string;
  payments: ReceiptRow[];
  paid: string;
  code: string;
  /** The same text the code screen's QR carries. */
  qr: string;
  valid: string;
  /** Null when the store has none on file. */
  phone: string | null;
  printedAt: string;
}

const money = (fen: number) => (fen < 0 ? `-¥${yuan(-fen)}` : `¥${yuan(fen)}`);

/** `14:00`, or `11-24 02:00` when the instant falls on another day than `day`. */
function timeOn(instant: string | number, day: string, zone: string): string {
  const date = localDate(instant, zone);
  return date === day ? clockTime(instant, zone) : `${date.slice(5)} ${clockTime(instant, zone)}`;
}

export function receiptContent(
  t: TFunction,
  booking: BookingDetail,
  code: DoorCodeView,
  store: StoreView,
  printedAt: number,
): ReceiptContent {
  const zone = store.timeZone;
  const day = localDate(booking.start, zone);
  const method = (m: string) => t(`receipt:method.${m}`);
  return {
    store: store.name,
    number: booking.number,
    room: booking.room.name,
    date: day,
    span: `${clockTime(booking.start, zone)}–${timeOn(booking.end, day, zone)}`,
    party: t('receipt:partyCount', { count: booking.partySize }),
    fees: booking.lines.map((line) => ({
      text: lineText(t, line, null),
      amount: money(line.amount),
    })),
    total: money(booking.total),
    payments: booking.ledger.map((entry) => ({
      text:
        entry.kind === 'refund'
          ? t('receipt:refund', { method: method(entry.method) })
          : method(entry.method),
      amount: money(entry.amount),
    })),
    paid: money(booking.paid),
    code: code.entryCode,
    qr: code.qrPayload,
    valid: `${timeOn(code.window.from, day, zone)} – ${timeOn(code.window.until, day, zone)}`,
    phone: store.phone.trim() || null,
    printedAt: `${localDate(printedAt, zone)} ${clockTime(printedAt, zone)}`,
  };
}
