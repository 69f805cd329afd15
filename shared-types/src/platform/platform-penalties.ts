// Penalties and limits on a merchant (P1), other than suspending a store: a warning (警告), hidden
// from search and recommendations (限制曝光) and no new bookings online (暂停线上接单), each on all
// of a merchant's stores or one of them, with a reason and a period (from, until; or until lifted),
// and lifted early with a reason. The console, the cloud and the rating agree on them here. A fine
// (罚款) is an entry of the merchant's deposit ledger instead (platform-deposits.ts). Pure.
import { z } from 'zod';
import { StoreIdSchema } from '../sync/databases';
import { PlatformPhoneSchema, PlatformReasonSchema } from './platform-staff';

export const PENALTY_KINDS = ['warning', 'hidden', 'no_online_booking'] as const;
export const PenaltyKindSchema = z.enum(PENALTY_KINDS);
export type PenaltyKind = z.infer<typeof PenaltyKindSchema>;

const Instant = z.string().datetime({ offset: true });

export const PenaltyBodySchema = z
  .object({
    kind: PenaltyKindSchema,
    /** One of the merchant's stores; every one of them when absent. */
    storeId: StoreIdSchema.optional(),
    reason: PlatformReasonSchema,
    /** When it starts; now when absent. */
    from: Instant.optional(),
    /** When it ends by itself; absent or null, it lasts until lifted. */
    until: Instant.nullable().optional(),
  })
  .refine((b) => !b.until || Date.parse(b.until) > Date.parse(b.from ?? '1970-01-01T00:00:00Z'), {
    message: 'must be after from',
    path: ['until'],
  });
export type PenaltyBody = z.infer<typeof PenaltyBodySchema>;

export const PenaltyLiftBodySchema = z.object({ reason: PlatformReasonSchema });

export const MerchantParamsSchema = z.object({ phone: PlatformPhoneSchema });
export const PenaltyParamsSchema = z.object({
  phone: PlatformPhoneSchema,
  penaltyId: z.string().regex(/^[a-z0-9]{8,40}$/, 'must be a penalty id'),
});

/** Where a penalty stands now: not started yet, in force, over by itself, or lifted early. */
export type PenaltyState = 'scheduled' | 'active' | 'ended' | 'lifted';

export interface PenaltyView {
  penaltyId: string;
  merchantPhone: string;
  kind: PenaltyKind;
  /** The stores it applies to: the one named, or all the merchant's stores when it was set. */
  storeIds: string[];
  /** The one store named, or null when it is on the whole merchant. */
  storeId: string | null;
  reason: string;
  from: string;
  until: string | null;
  by: string;
  at: string;
  lifted: { at: string; by: string; reason: string } | null;
  state: PenaltyState;
}

/** Whether a penalty is in force at `now` (ms). */
export function penaltyInForce(
  p: { from: string; until: string | null; lifted: unknown },
  now: number,
): boolean {
  return !p.lifted && Date.parse(p.from) <= now && (p.until === null || now < Date.parse(p.until));
}

export function penaltyState(
  p: { from: string; until: string | null; lifted: unknown },
  now: number,
): PenaltyState {
  if (p.lifted) return 'lifted';
  if (now < Date.parse(p.from)) return 'scheduled';
  return p.until !== null && now >= Date.parse(p.until) ? 'ended' : 'active';
}
