// What the platform's penalties (platform-penalties.ts) change for customers, read from
// `penalty:<id>` in `registry`: a store under 限制曝光 is left out of "stores near" and the
// recommendations built on it (its page, its rooms and its customers' bookings still work), and a
// store under 暂停线上接单 is refused new booking requests online. A penalty counts from its
// `from` until its `until` (or until lifted), against the cloud's clock at each read, so one
// that runs out needs nothing written. The penalties are read at most every few seconds per
// process (a search stays a read of memory); the instance that sets or lifts one forgets its copy
// at once. Owns reading penalties; never writes them.
import {
  DomainError,
  PenaltyKindSchema,
  REGISTRY_DB,
  penaltyInForce,
  type Clock,
  type PenaltyKind,
} from '@roomhub/shared-types';
import { z } from 'zod';
import type { CouchClient } from '../couch';

export const penaltyDocId = (id: string) => `penalty:${id}`;

export const PenaltyDocSchema = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('platform_penalty'),
  penaltyId: z.string(),
  merchantPhone: z.string(),
  kind: PenaltyKindSchema,
  storeIds: z.array(z.string()),
  storeId: z.string().nullable(),
  reason: z.string(),
  from: z.string(),
  until: z.string().nullable(),
  by: z.string(),
  at: z.string(),
  lifted: z.object({ at: z.string(), by: z.string(), reason: z.string() }).nullable(),
});
export type PenaltyDoc = z.infer<typeof PenaltyDocSchema>;

/** Every penalty the platform set, of every merchant. */
export async function readPenalties(couch: CouchClient): Promise<PenaltyDoc[]> {
  const docs = await couch.byPrefix(REGISTRY_DB, 'penalty:');
  return docs.flatMap((raw) => {
    const d = PenaltyDocSchema.safeParse(raw);
    return d.success ? [d.data] : [];
  });
}

/** How long a process keeps the penalties it read before reading them again. */
const KEEP_MS = 5_000;

export class PenaltyGate {
  private kept: { at: number; docs: Promise<PenaltyDoc[]> } | undefined;

  constructor(private readonly d: { couch: CouchClient; clock: Clock; keepMs?: number }) {}

  /** Reads the penalties again at the next call (after this instance set or lifted one). */
  forget(): void {
    this.kept = undefined;
  }

  private penalties(): Promise<PenaltyDoc[]> {
    const age = this.kept ? performance.now() - this.kept.at : Infinity;
    if (!this.kept || age > (this.d.keepMs ?? KEEP_MS)) {
      const docs = readPenalties(this.d.couch);
      this.kept = { at: performance.now(), docs };
      // A failed read is not kept: the next call reads again.
      docs.catch(() => {
        this.kept = undefined;
      });
    }
    return this.kept.docs;
  }

  /** The stores under a penalty of this kind now. */
  async storesUnder(kind: PenaltyKind): Promise<Set<string>> {
    const now = this.d.clock.now();
    const out = new Set<string>();
    for (const p of await this.penalties()) {
      if (p.kind === kind && penaltyInForce(p, now)) p.storeIds.forEach((s) => out.add(s));
    }
    return out;
  }

  /** Refuses a new booking request online for a store under 暂停线上接单, saying until when. */
  async mustTakeOnlineBookings(storeId: string): Promise<void> {
    const now = this.d.clock.now();
    const paused = (await this.penalties()).filter(
      (p) =>
        p.kind === 'no_online_booking' && p.storeIds.includes(storeId) && penaltyInForce(p, now),
    );
    if (paused.length === 0) return;
    const open = paused.some((p) => p.until === null);
    const until = open
      ? null
      : paused
          .map((p) => p.until!)
          .sort()
          .at(-1)!;
    throw new DomainError(
      'conflict',
      'online_booking_paused',
      `storeId: this store takes no new bookings online ${until ? `until ${until}` : 'for now'}; book at the store or another store`,
      'storeId',
    );
  }
}
