// The platform console's sign-in and its staff, as the console and the cloud agree: a phone and
// the code texted to it, then a 6-digit code from an authenticator app (TOTP, RFC 6238) enrolled
// at the first sign-in by scanning a QR code. Pure.
import { z } from 'zod';
import { CustomerSchema } from '../api/bookings';
import { SmsVerifyBodySchema } from '../api/customer';
import { PlatformRoleSchema, type PlatformRole } from './platform-roles';

export const PlatformPhoneSchema = CustomerSchema.shape.phone;

/** First step: the phone and the code texted to it (`/api/auth/sms/send`). */
export const PlatformSignInBodySchema = SmsVerifyBodySchema;

/** What the first step answers: a short-lived ticket for the second factor. */
export type PlatformSignInStep =
  | {
      step: 'enrol';
      ticket: string;
      /** The `otpauth://` URI to show as a QR code for an authenticator app. */
      otpauthUri: string;
      /** The same secret in base32, for typing in by hand. */
      secret: string;
    }
  | { step: 'totp'; ticket: string };

export const PlatformTotpBodySchema = z.object({
  ticket: z.string().min(1).max(2000),
  code: z.string().regex(/^\d{6}$/, 'must be the 6 digits the authenticator app shows'),
});

export interface PlatformStaffView {
  phone: string;
  name: string;
  roles: PlatformRole[];
  /** Whether the authenticator app is enrolled (the second factor works). */
  enrolled: boolean;
  addedAt: string;
  addedBy: string;
}

export interface PlatformSignIn {
  token: string;
  staff: PlatformStaffView;
}

/** Why a platform action was taken: every change the console makes asks for one. */
export const PlatformReasonSchema = z.string().trim().min(2).max(500);

export const PlatformStaffBodySchema = z.object({
  phone: PlatformPhoneSchema,
  name: z.string().trim().min(1).max(40),
  roles: z.array(PlatformRoleSchema).min(1).max(5),
  reason: PlatformReasonSchema,
});
export const PlatformStaffRemoveBodySchema = z.object({ reason: PlatformReasonSchema });
export const PlatformStaffParamsSchema = z.object({ phone: PlatformPhoneSchema });

/** One line of the audit trail: who did what, to what, and why. */
export interface PlatformAuditEntry {
  id: string;
  at: string;
  /** The staff member's phone, or `cli` for the admin's command line. */
  actor: string;
  action: string;
  /** What it was done to: `staff:<phone>`, `application:<id>`, `customer:<id>`... */
  target: string;
  reason: string;
  /** What changed, in a few fields. */
  detail?: Record<string, unknown>;
}

export const PlatformAuditQuerySchema = z.object({
  target: z.string().max(200).optional(),
  actor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
