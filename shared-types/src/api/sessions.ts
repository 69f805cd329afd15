// The session API (C6, C7, S4): doors, codes, extensions, the end of a session, reminders, and
// what the hub answers about each.
import { z } from 'zod';
import type { ActorKind, BookingStatus } from '../booking/booking-status';

export const ExtendSchema = z.object({
  minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
});

export const DoorCodeSchema = z
  .object({
    /** Six digits typed at the room's keypad. */
    code: z
      .string()
      .regex(/^\d{6}$/, 'must be the 6-digit door code')
      .optional(),
    /** The text the room's door scanner read from the customer's QR code. */
    qr: z.string().min(1).max(200).optional(),
  })
  .refine((v) => (v.code === undefined) !== (v.qr === undefined), {
    message: 'give either code or qr',
    path: ['code'],
  });

/**
 * A booking proved at the kiosk: its QR, or its code typed with its booking number (both on the
 * receipt and in the SMS). The number narrows a typed code to one booking, so nobody can try a
 * code against every booking of the week at once.
 */
export const KioskProveSchema = z
  .object({
    code: z
      .string()
      .regex(/^\d{6}$/, 'must be the 6-digit door code')
      .optional(),
    number: z
      .string()
      .regex(/^\d{8,16}$/, 'must be the booking number on the receipt')
      .optional(),
    qr: z.string().min(1).max(200).optional(),
  })
  .refine((v) => (v.code === undefined) !== (v.qr === undefined), {
    message: 'give either code or qr',
    path: ['code'],
  })
  .refine((v) => v.code === undefined || v.number !== undefined, {
    message: 'give the booking number with the code',
    path: ['number'],
  });

export const StaffDoorSchema = z.object({
  reason: z.string().trim().min(1, 'say why the door is opened by hand').max(200),
});

export type DoorMethod = 'app' | 'code' | 'qr' | 'staff';

export interface DoorOpened {
  opened: true;
  roomId: string;
  /** When the board confirmed the lock's relay. */
  confirmedAt: string;
}

/** The code and QR a paid booking's customer shows at the door, and when they work. */
export interface DoorCodeView {
  code: string;
  /** What the door scanner reads: RH1:<booking number>:<code>. */
  qrPayload: string;
  validUntil: string;
  /** The booking's fixed code for the receipt and the SMS: opens as often as needed in the window. */
  entryCode: string;
  window: { from: string; until: string };
}

export interface DoorLogEntry {
  id: number;
  roomId: string;
  bookingId: string | null;
  method: DoorMethod;
  outcome: 'opened' | 'refused' | 'failed';
  reason: string | null;
  actor: { kind: ActorKind; id: string };
  at: string;
}

/** An extension waiting for its payment: the added time is held until `payBy`. */
export interface ExtensionView {
  extensionId: string;
  end: string;
  amount: number;
  payBy: string;
}

/** A reminder sent to the room before a booking ends. */
export interface NotificationView {
  kind: string;
  minutesLeft: number;
  message: string;
  at: string;
}

export interface SessionView {
  bookingId: string;
  number: string;
  room: { id: string; name: string };
  status: BookingStatus;
  /** The booking's time. */
  start: string;
  end: string;
  /** The first door open. */
  startedAt: string | null;
  minutesLeft: number;
  overtime: { minutes: number; amount: number };
  due: number;
}
