// The change follower's two lanes (follower.ts) and where each stands in a store's feed: the
// customers' lane at `checkpoint:<db>`, the platform's at `platform-checkpoint:<db>`, in the
// cloud-private `follower` database.
import { CLOUD_DBS, type Clock } from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc, type Seq } from './couch';

export type Lane = 'customers' | 'platform';
export const LANES: readonly Lane[] = ['customers', 'platform'];

export interface Checkpoint extends CouchDoc {
  since?: Seq;
}

export const checkpointId = (lane: Lane, name: string) =>
  lane === 'customers' ? `checkpoint:${name}` : `platform-checkpoint:${name}`;

/** Written once the platform's lane was given the checkpoints the one lane before it had. */
const LANES_SPLIT = 'lanes:split';

/**
 * Before the lanes one checkpoint per store stood for everything done, the platform's work
 * included: the platform's lane starts where it stood, once (every instance starting together
 * writes the same). Later a store with no platform checkpoint is read from its beginning. Only
 * checkpoints saved before this start are copied: another instance that split first may already
 * have moved the customers' lane of a store new to it, whose platform work is still to do.
 */
export async function splitCheckpoints(couch: CouchClient, clock: Clock): Promise<void> {
  const start = clock.now();
  if (await couch.get(CLOUD_DBS.follower, LANES_SPLIT)) return;
  const [before, platform] = await Promise.all([
    couch.byPrefix<Checkpoint>(CLOUD_DBS.follower, 'checkpoint:'),
    couch.byPrefix<Checkpoint>(CLOUD_DBS.follower, 'platform-checkpoint:'),
  ]);
  const have = new Set(platform.map((c) => c._id));
  const at = new Date(start).toISOString();
  const savedBefore = (c: Checkpoint) =>
    typeof c.updatedAt !== 'string' || Date.parse(c.updatedAt) <= start;
  const copies = before.flatMap((c) =>
    have.has(`platform-${c._id}`) || c.since === undefined || !savedBefore(c)
      ? []
      : [{ _id: `platform-${c._id}`, type: 'checkpoint', since: c.since, updatedAt: at }],
  );
  // A conflict is another instance's copy of the same position; anything else stops the start.
  const results = copies.length > 0 ? await couch.bulkDocs(CLOUD_DBS.follower, copies) : [];
  for (const r of results) {
    if ('error' in r && !isConflict(r.error)) throw r.error;
  }
  try {
    await couch.put(CLOUD_DBS.follower, { _id: LANES_SPLIT, type: 'lanes_split', at });
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
}

/**
 * Which store databases each lane has yet to read while every store's feed is followed live: those
 * whose feed woke (or opened) since the lane last took them, and every store once a whole walk is
 * due (`walkEveryMs`, the first pass included), in case a feed missed something. A pass takes its
 * list and gives back a store it failed to read.
 */
export class Wakeups {
  private readonly woken = new Map<Lane, Set<string>>(LANES.map((lane) => [lane, new Set()]));
  private readonly walkedAt = new Map<Lane, number>();

  constructor(
    private readonly walkEveryMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The store's feed has news (or just opened: what came before it is news too). */
  woke(db: string): void {
    for (const dbs of this.woken.values()) dbs.add(db);
  }

  /**
   * The lane's list for a pass: every store (`every()`) when a walk is due, with those that woke
   * meanwhile (`walkAt` then says when: `walked` records it once the pass is through); else only
   * those that woke. A wake-up after this call is the next pass's.
   */
  async take(
    lane: Lane,
    every: () => Promise<string[]>,
  ): Promise<{ dbs: string[]; walkAt?: number }> {
    const news = this.woken.get(lane)!;
    const taken = [...news];
    news.clear();
    const last = this.walkedAt.get(lane);
    const now = this.now();
    if (last !== undefined && now - last < this.walkEveryMs) return { dbs: taken };
    try {
      return { dbs: [...new Set([...(await every()), ...taken])], walkAt: now };
    } catch (error) {
      this.giveBack(lane, taken);
      throw error;
    }
  }

  /** The lane's walk taken at `at` was read through. */
  walked(lane: Lane, at: number): void {
    this.walkedAt.set(lane, at);
  }

  /** Stores a lane's pass did not read through: its next pass reads them again. */
  giveBack(lane: Lane, dbs: readonly string[]): void {
    for (const db of dbs) this.woken.get(lane)!.add(db);
  }
}
