// The store's own anomalies (B8): the one writer of `anomalies`. Raises one by the key of what
// caused it (raised again, the same key is the same anomaly, never a second one), marks its sync
// document in the same transaction, and lists them for the owner. Decides nothing: the watch
// (store-watch.ts) says what is an anomaly.
import {
  anomalyDocId,
  formatInstant,
  type AnomalyFacts,
  type AnomalyView,
  type Clock,
  type StoreAnomalyKind,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { Outbox } from '../sync/outbox';

export interface AnomalyRow {
  id: string;
  key: string;
  kind: StoreAnomalyKind;
  at: number;
  room_id: string | null;
  booking_id: string | null;
  facts: string;
  created_at: number;
}

export interface RaiseInput {
  /** What caused it, so a second sight of the same cause raises nothing. */
  key: string;
  kind: StoreAnomalyKind;
  at: number;
  roomId: string | null;
  bookingId: string | null;
  facts: AnomalyFacts;
}

export class AnomalyRecords {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly newId: () => string,
    private readonly outbox: Outbox,
    private readonly timeZone: () => string,
  ) {}

  /** Records it unless its key is known; call inside a write. The new row, or null. */
  raise(input: RaiseInput): AnomalyRow | null {
    const id = this.newId();
    const done = this.db
      .prepare(
        `INSERT INTO anomalies (id, key, kind, at, room_id, booking_id, facts, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
      )
      .run(
        id,
        input.key,
        input.kind,
        input.at,
        input.roomId,
        input.bookingId,
        JSON.stringify(input.facts),
        this.clock.now(),
      );
    if (done.changes === 0) return null;
    this.outbox.mark(anomalyDocId(id));
    return this.find(id) ?? null;
  }

  find(id: string): AnomalyRow | undefined {
    return this.db.prepare('SELECT * FROM anomalies WHERE id = ?').get(id) as
      AnomalyRow | undefined;
  }

  /** Whether an anomaly of this kind for this room was raised since `since`. */
  raisedSince(kind: StoreAnomalyKind, roomId: string, since: number): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM anomalies WHERE kind = ? AND room_id = ? AND at >= ? LIMIT 1')
        .get(kind, roomId, since) !== undefined
    );
  }

  /** The newest first, from `days` back. */
  list(options: { days: number; limit: number }): AnomalyView[] {
    const since = this.clock.now() - options.days * 24 * 3_600_000;
    const rows = this.db
      .prepare('SELECT * FROM anomalies WHERE at >= ? ORDER BY at DESC, id LIMIT ?')
      .all(since, options.limit) as AnomalyRow[];
    return rows.map((r) => this.view(r));
  }

  view(r: AnomalyRow): AnomalyView {
    return {
      id: r.id,
      kind: r.kind,
      raisedBy: 'store',
      storeId: null,
      storeName: null,
      at: formatInstant(r.at, this.timeZone()),
      roomId: r.room_id,
      bookingId: r.booking_id,
      customerId: null,
      facts: JSON.parse(r.facts) as AnomalyFacts,
      handled: null,
    };
  }
}
