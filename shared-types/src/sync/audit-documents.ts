// One hour of a store's audit log as its hub publishes it (`audit:<local date>T<hour>`), so the
// owner reads from afar who did what at the store. The hub is its only writer; an hour's document
// is written again while that hour's entries come in, and the cloud shows it to the store's owner
// alone. What an action changed (its before and after) stays in the store: the entry says who,
// what, to what, and whether the hub let them.
import { z } from 'zod';
import { StoreIdSchema } from './databases';
import { IsoInstantSchema, LocalDateSchema } from '../time/instant';

export const AUDIT_PREFIX = 'audit:';
/** The most entries one hour's document carries; the rest are counted in `more`. */
export const AUDIT_HOUR_MAX = 500;

const AUDIT_ID = /^audit:(\d{4}-\d{2}-\d{2})T(\d{2})$/;

export const auditDocId = (date: string, hour: number): string =>
  `${AUDIT_PREFIX}${LocalDateSchema.parse(date)}T${String(hour).padStart(2, '0')}`;

/** The local date and hour an hour's document id names, or undefined for another id. */
export function auditHourOf(docId: string): { date: string; hour: number } | undefined {
  const m = AUDIT_ID.exec(docId);
  if (!m) return undefined;
  const hour = Number(m[2]);
  const date = LocalDateSchema.safeParse(m[1]);
  return date.success && hour <= 23 ? { date: date.data, hour } : undefined;
}

export const AuditEntryDocSchema = z.object({
  id: z.number().int().positive(),
  actor: z.object({
    kind: z.string().max(20),
    id: z.string().max(64),
    /** The staff member's name when the hour was published; null for a screen or the system. */
    name: z.string().max(40).nullable(),
    role: z.string().max(30).nullable(),
    screenId: z.string().max(64).nullable(),
  }),
  action: z.string().max(60),
  target: z.string().max(120).nullable(),
  outcome: z.enum(['done', 'refused']),
  at: IsoInstantSchema,
});
export type AuditEntryDoc = z.infer<typeof AuditEntryDocSchema>;

export const AuditHourDocSchema = z.object({
  _id: z.string().regex(AUDIT_ID),
  type: z.literal('audit_hour'),
  storeId: StoreIdSchema,
  date: LocalDateSchema,
  hour: z.number().int().min(0).max(23),
  /** Oldest first. */
  entries: z.array(AuditEntryDocSchema).max(AUDIT_HOUR_MAX),
  /** Entries of the hour beyond those carried (a burst over `AUDIT_HOUR_MAX`). */
  more: z.number().int().nonnegative(),
  updatedAt: IsoInstantSchema,
});
export type AuditHourDoc = z.infer<typeof AuditHourDocSchema>;
