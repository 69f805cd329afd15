// The platform's customers page (P3), as the console and the cloud agree: search, what a customer
// did (sign-ins, stores), freezing with a reason, and a customer's appeal. Pure.
import { z } from 'zod';
import { CustomerSchema } from '../api/bookings';
import { PlatformReasonSchema } from './platform-staff';

export const PlatformUserQuerySchema = z
  .object({
    phone: CustomerSchema.shape.phone.optional(),
    customerId: z.string().min(6).max(80).optional(),
  })
  .refine((q) => q.phone !== undefined || q.customerId !== undefined, {
    message: 'give a phone or a customerId',
    path: ['phone'],
  });

export interface PlatformUserView {
  customerId: string;
  phone: string | null;
  frozen: { reason: string; at: string; by: string } | null;
  /** Stores that hold a booking of this customer. */
  stores: string[];
  /** The newest first. */
  signIns: { at: string; via: 'sms' | 'wechat' }[];
  /** The customer's profile edits, the newest first. */
  profileEdits: PlatformProfileEdit[];
  appeals: PlatformAppealView[];
}

/**
 * One save of the customer's profile that changed something: each field it changed (name,
 * gender, birthday, avatarUrl, signature, preferences) before and after, a phone in it masked.
 */
export interface PlatformProfileEdit {
  at: string;
  changes: { field: string; before: string | null; after: string | null }[];
}

export interface PlatformAppealView {
  appealId: string;
  customerId: string;
  phone: string;
  text: string;
  at: string;
  status: 'open' | 'upheld' | 'rejected';
  answer: string | null;
}

export const PlatformFreezeParamsSchema = z.object({ customerId: z.string().min(6).max(80) });
export const PlatformFreezeBodySchema = z.object({
  frozen: z.boolean(),
  reason: PlatformReasonSchema,
  /** The phone the customer was found by, kept with the freeze for the appeal. */
  phone: CustomerSchema.shape.phone.optional(),
});

/** A frozen customer cannot sign in: the appeal proves the phone with a texted code instead. */
export const AppealBodySchema = z.object({
  phone: CustomerSchema.shape.phone,
  code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code'),
  text: z.string().trim().min(5).max(1000),
});

/** A frozen customer reads their own appeals the same way: the phone and a texted code. */
export const AppealLookupBodySchema = AppealBodySchema.pick({ phone: true, code: true });

/** An appeal as its customer reads it: what they wrote, its state and the platform's answer. */
export type CustomerAppealView = Pick<
  PlatformAppealView,
  'appealId' | 'text' | 'at' | 'status' | 'answer'
>;

export const AppealAnswerParamsSchema = z.object({ appealId: z.string().min(6).max(200) });
export const AppealAnswerBodySchema = z.object({
  decision: z.enum(['uphold', 'reject']),
  answer: PlatformReasonSchema,
});
