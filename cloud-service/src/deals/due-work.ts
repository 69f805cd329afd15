// What the deals must do at a given time, kept as documents in the cloud's `deals` database: a
// group's deadline, a voucher's expiry, a purchase to carry on after an interruption. Each item is
// `due:<UTC day>:<UTC instant>:<key>`, so a sweep reads only the days from `due-cursor` (the
// earliest day that may still hold an item) to today, never every voucher ever sold. Running an
// item is the caller's and must be safe to repeat: several instances may run the same one. An item
// whose work is done is removed; one that must wait is moved a little later, so the cursor moves
// on. Owns the `due:` documents and the cursor only.
import { z } from 'zod';
import { CLOUD_DBS, type Clock } from '@roomhub/shared-types';
import { isConflict, type CouchClient } from '../couch';

const CURSOR_ID = 'due-cursor';
const DAY_MS = 24 * 3_600_000;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const iso = (ms: number) => new Date(ms).toISOString();

const DueItemSchema = z.object({
  _id: z.string().startsWith('due:'),
  _rev: z.string().optional(),
  key: z.string(),
  at: z.string(),
});
export type DueItem = z.infer<typeof DueItemSchema>;

const CursorSchema = z.object({ _id: z.string(), _rev: z.string().optional(), day: z.string() });

/** What running an item came to: done (removed) or to be tried again after `retryMs`. */
export type DueOutcome = 'done' | 'later';

export class DueWork {
  constructor(
    private readonly couch: CouchClient,
    private readonly clock: Clock,
    /** How long an item that must wait waits before it is run again. */
    private readonly retryMs = 60_000,
  ) {}

  /** Asks for `key`'s work to run at `atMs` (or at the first sweep after it). */
  async at(atMs: number, key: string): Promise<void> {
    const day = dayOf(atMs);
    try {
      await this.couch.put(CLOUD_DBS.deals, {
        _id: `due:${day}:${iso(atMs)}:${key}`,
        type: 'due',
        key,
        at: iso(atMs),
      });
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
    await this.cursorNoLaterThan(day);
  }

  /**
   * Runs every item due by now, oldest day first; returns how many were done. An item whose run
   * throws stays for the next sweep, and the others still run.
   */
  async run(
    work: (key: string) => Promise<DueOutcome>,
    log: (error: unknown) => void,
  ): Promise<number> {
    const now = this.clock.now();
    const today = dayOf(now);
    const cursor = CursorSchema.safeParse(await this.couch.get(CLOUD_DBS.deals, CURSOR_ID));
    if (!cursor.success) return 0;
    let done = 0;
    let clearUpTo: string | undefined;
    let blocked = false;
    for (let day = cursor.data.day; day <= today; day = dayOf(Date.parse(day) + DAY_MS)) {
      let left = false;
      const items = (await this.couch.byPrefix(CLOUD_DBS.deals, `due:${day}:`)).flatMap((d) => {
        const item = DueItemSchema.safeParse(d);
        return item.success ? [item.data] : [];
      });
      for (const item of items) {
        if (Date.parse(item.at) > now) {
          left = true;
          continue;
        }
        let outcome: DueOutcome;
        try {
          outcome = await work(item.key);
        } catch (error) {
          log(error);
          left = true;
          continue;
        }
        if (outcome === 'later') await this.at(now + this.retryMs, item.key);
        else done += 1;
        await this.remove(item);
      }
      // A day with an item left keeps the cursor; later days are still run.
      if (left) blocked = true;
      if (!blocked && day < today) clearUpTo = day;
    }
    if (clearUpTo !== undefined) await this.moveCursorPast(clearUpTo);
    return done;
  }

  private async remove(item: DueItem): Promise<void> {
    try {
      await this.couch.put(CLOUD_DBS.deals, { _id: item._id, _rev: item._rev, _deleted: true });
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }

  /** The cursor is at `day` or earlier, so the item just written is read. */
  private async cursorNoLaterThan(day: string): Promise<void> {
    for (let race = 0; race < 8; race += 1) {
      const raw = await this.couch.get(CLOUD_DBS.deals, CURSOR_ID);
      const cursor = CursorSchema.safeParse(raw);
      if (cursor.success && cursor.data.day <= day) return;
      try {
        await this.couch.put(CLOUD_DBS.deals, {
          _id: CURSOR_ID,
          ...(raw?._rev ? { _rev: raw._rev } : {}),
          type: 'due_cursor',
          day,
        });
        return;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  /** Every day up to `day` is empty: the cursor moves to the day after, unless moved back since. */
  private async moveCursorPast(day: string): Promise<void> {
    const next = dayOf(Date.parse(day) + DAY_MS);
    const raw = await this.couch.get(CLOUD_DBS.deals, CURSOR_ID);
    const cursor = CursorSchema.safeParse(raw);
    if (!cursor.success || cursor.data.day > day) return;
    try {
      await this.couch.put(CLOUD_DBS.deals, { ...cursor.data, type: 'due_cursor', day: next });
    } catch (error) {
      // Moved by someone else (maybe back, for a new item): theirs stands.
      if (!isConflict(error)) throw error;
    }
  }
}
