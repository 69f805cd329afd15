// Staff, sign-in, paired screens and the audit log over the hub's API (O9).
import { z } from 'zod';
import { ScreenKindSchema, StaffRoleSchema, type ScreenKind, type StaffRole } from '../staff/roles';

/** A PIN names its staff member alone, so it is long enough not to be guessed by trying. */
export const PinSchema = z.string().regex(/^\d{6,12}$/, 'a PIN is 6 to 12 digits');

const name = z.string().trim().min(1, 'give a name').max(30);

export const SignInSchema = z.object({ pin: PinSchema });

export const StaffCreateSchema = z.object({ name, role: StaffRoleSchema, pin: PinSchema });

export const StaffPatchSchema = z
  .object({
    name: name.optional(),
    role: StaffRoleSchema.optional(),
    /** `disabled` ends every sign-in of the staff member at once. */
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'send at least one field to change' });

export type StaffPatch = z.input<typeof StaffPatchSchema>;

/**
 * What the owner changes of a staff member from afar: enabled or disabled (every sign-in of theirs
 * ends at once). Renames and roles are changed at the store, where the owner sees who is who.
 */
export const RemoteStaffPatchSchema = z.object({ status: z.enum(['active', 'disabled']) }).strict();

export const PinResetSchema = z.object({ pin: PinSchema });

export const PairingCodeCreateSchema = z
  .object({
    name: name,
    kind: ScreenKindSchema,
    /** The room a door scanner serves; only for `door`. */
    roomId: z.string().trim().min(1).max(64).optional(),
  })
  .refine((v) => (v.kind === 'door') === (v.roomId !== undefined), {
    message: 'a door scanner names its room, other screens do not',
    path: ['roomId'],
  });

export const PairSchema = z.object({
  code: z.string().regex(/^\d{8}$/, 'the pairing code is the 8 digits the owner was shown'),
});

export const WaitClearSchema = z.object({
  /** The screen id or address whose wait ends; all when absent. */
  source: z.string().trim().min(1).max(100).optional(),
});

export const AuditQuerySchema = z.object({
  actorId: z.string().trim().min(1).max(64).optional(),
  action: z.string().trim().min(1).max(60).optional(),
  target: z.string().trim().min(1).max(64).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export interface StaffView {
  id: string;
  name: string;
  role: StaffRole;
  status: 'active' | 'disabled';
  createdAt: string;
  updatedAt: string;
}

export interface SignedIn {
  /** Goes in `Authorization: Bearer <token>`. */
  token: string;
  expiresAt: string;
  staff: { id: string; name: string; role: StaffRole };
}

export interface PairingCodeView {
  /** Shown once to the owner, typed once on the new screen. */
  code: string;
  name: string;
  kind: ScreenKind;
  expiresAt: string;
}

export interface ScreenView {
  id: string;
  name: string;
  kind: ScreenKind;
  roomId: string | null;
  pairedBy: string;
  pairedAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

export interface Paired {
  /** Goes in `X-Screen-Token` on every call the screen makes. */
  token: string;
  screen: ScreenView;
}

/** What the kiosk gets for a booking its customer proved with the door code or QR. */
export interface BookingPassView {
  /** Goes in `X-Booking-Pass` on the kiosk's calls about that booking, until `expiresAt`. */
  pass: string;
  expiresAt: string;
  booking: {
    id: string;
    number: string;
    room: { id: string; name: string };
    start: string;
    end: string;
  };
}
