// The hub's live events (`GET /api/events`, server-sent): what the board, the kiosk and the
// cashier's screen follow. Emitted only after the change they announce is committed.
import type { BookingStatus } from '../booking/booking-status';
import type { DeviceHealth, DeviceState, ScanEvent, ScannerStatus } from './devices';
import type { OrderStatus } from '../menu/order-status';
import type { DoorMethod } from './sessions';
import type { CleaningAction, CleaningTaskStatus } from '../cleaning/cleaning-status';
import type { SyncStatus } from './sync';

export type HubEvent =
  | {
      type: 'booking.status';
      bookingId: string;
      number: string;
      roomId: string;
      status: BookingStatus;
      at: number;
    }
  | { type: 'board.changed'; roomId: string; from: number; to: number; at: number }
  | { type: 'room.changed'; roomId: string; at: number }
  | { type: 'calendar.changed'; date: string; at: number }
  | {
      type: 'session.reminder';
      bookingId: string;
      roomId: string;
      minutesLeft: number;
      message: string;
      at: number;
    }
  | {
      type: 'door.opened';
      roomId: string;
      bookingId: string | null;
      method: DoorMethod;
      at: number;
    }
  | { type: 'device.state'; state: DeviceState; at: number }
  | { type: 'device.health'; device: DeviceHealth; at: number }
  | {
      type: 'scan';
      scan: ScanEvent;
      /**
       * The kiosk screen (its name or id) whose scanner read it: sent to that kiosk alone, never
       * to the counter or another screen (a payment code is money). Absent: the counter's.
       */
      kiosk?: string;
      at: number;
    }
  | { type: 'voucher.redeemed'; redemptionId: string; bookingId: string; at: number }
  /** The morning check found the platform's list and the store's redemptions apart. */
  | {
      type: 'voucher.reconciled';
      platform: 'meituan' | 'douyin';
      date: string;
      differences: number;
      at: number;
    }
  /** A platform voucher taken offline that the platform then refused: staff settle it. */
  | {
      type: 'voucher.failed';
      redemptionId: string;
      bookingId: string;
      reason: string;
      at: number;
    }
  /** An order of tea and snacks placed, prepared, delivered, refunded or cancelled: the counter's screen follows it. */
  | {
      type: 'order.status';
      orderId: string;
      number: string;
      roomId: string | null;
      status: OrderStatus;
      at: number;
    }
  /** The menu changed (an item, a price, a spec, sold out or back): screens holding it read it again. */
  | { type: 'menu.changed'; at: number }
  /** An item's stock fell to the owner's threshold (once each time it crosses it). */
  | {
      type: 'stock.low';
      itemId: string;
      name: string;
      balance: number;
      lowStockAt: number;
      at: number;
    }
  /** A cleaning task appeared when a session ended, was taken, given back, done, handed over or called off. */
  | {
      type: 'cleaning.task';
      taskId: string;
      roomId: string;
      action: CleaningAction | 'create';
      status: CleaningTaskStatus;
      holderId: string | null;
      at: number;
    }
  /** The owner switched a way to pay on or off at the kiosk or the counter: the screens list it again. */
  | {
      type: 'payment.channels';
      surface: 'kiosk' | 'counter';
      choice: string;
      on: boolean;
      at: number;
    }
  | { type: 'scanner.status'; status: ScannerStatus; at: number }
  | { type: 'sync.status'; status: SyncStatus; at: number };

export type HubEventType = HubEvent['type'];
