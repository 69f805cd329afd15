// Request bodies and queries of the booking API. The hub validates with these; the cloud sends them.
import { z } from 'zod';
import { DayTypeSchema } from '../calendar/day-type';
import { PaymentMethodSchema } from '../payments/payment-method';
import { BookingStatusSchema } from '../booking/booking-status';
import { IsoInstantSchema, LocalDateSchema } from '../time/instant';

const id = z.string().trim().min(1).max(64);
const packageId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a package id');

/** A span is either an explicit end or a session package starting at `start`. */
const spanShape = {
  roomId: id,
  start: IsoInstantSchema,
  end: IsoInstantSchema.optional(),
  packageId: packageId.optional(),
};
function oneOfEndOrPackage(
  v: { end?: string | undefined; packageId?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (v.end === undefined && v.packageId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['end'], message: 'give either end or packageId' });
  } else if (v.end !== undefined && v.packageId !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['packageId'],
      message: 'give end or packageId, not both',
    });
  }
}

export const QuoteRequestSchema = z.object(spanShape).superRefine(oneOfEndOrPackage);
export type QuoteRequest = z.infer<typeof QuoteRequestSchema>;

export const CustomerSchema = z.object({
  phone: z.string().regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number'),
  name: z.string().trim().min(1).max(20).optional(),
});

export const BookingCreateSchema = z
  .object({
    ...spanShape,
    partySize: z.number().int().min(1).max(50),
    customer: CustomerSchema,
  })
  .superRefine(oneOfEndOrPackage);
export type BookingCreate = z.infer<typeof BookingCreateSchema>;

export const PaymentCreateSchema = z.object({
  method: PaymentMethodSchema.extract(['cash', 'wechat']),
});

export const CancelSchema = z.object({ reason: z.string().trim().max(200).optional() });

export const ChangeSchema = z
  .object({
    roomId: id.optional(),
    start: IsoInstantSchema,
    end: IsoInstantSchema.optional(),
    packageId: packageId.optional(),
    reason: z.string().trim().max(200).optional(),
    /** Staff taking a dearer change's difference over the counter in the same step. */
    collect: z.literal('cash').optional(),
  })
  .superRefine(oneOfEndOrPackage);
export type BookingChange = z.infer<typeof ChangeSchema>;

export const RefundRequestSchema = z.object({
  reason: z.string().trim().min(1, 'say why the refund is asked for').max(200),
  /** Fen; defaults to everything paid and not yet refunded. */
  amount: z.number().int().positive().optional(),
});

export const RefundApproveSchema = z.object({
  amount: z.number().int().positive().optional(),
  note: z.string().trim().max(200).optional(),
});

export const RefundRejectSchema = z.object({
  reason: z.string().trim().min(1, 'say why the refund is refused').max(200),
});

export const BookingListQuerySchema = z.object({
  status: BookingStatusSchema.optional(),
  date: LocalDateSchema.optional(),
  roomId: id.optional(),
  phone: z
    .string()
    .regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const DateQuerySchema = z.object({ date: LocalDateSchema });

export const CalendarRangeQuerySchema = z
  .object({ from: LocalDateSchema, to: LocalDateSchema })
  .refine((q) => q.from <= q.to, { message: 'to must not be before from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 400 * 86_400_000, {
    message: 'ask for at most 400 days at once',
    path: ['to'],
  });

export const CalendarPutSchema = z.object({
  type: DayTypeSchema,
  note: z.string().trim().max(100).optional(),
});

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

export const StaffDoorSchema = z.object({
  reason: z.string().trim().min(1, 'say why the door is opened by hand').max(200),
});

export const DeviceOverrideSchema = z.object({
  /** true / false switches the device by hand; null gives it back to the sessions. */
  on: z.boolean().nullable(),
  reason: z.string().trim().min(1, 'say why the device is switched by hand').max(200),
});
