// The platform's anomalies (P4, B8), found from the stores' change feeds as the follower reads
// them, never by scanning a store: a payment with no booking (none arrived within the grace, or
// the booking was cancelled and the money kept), one customer's bookings that overlap, many of one
// customer's bookings refunded within a window, a burst of voucher redemptions at a store, a store
// whose hub has gone silent; and a copy of each anomaly a store's hub raised itself. What it needs
// to decide is kept in `anomalies` beside what it raised: each customer's recent bookings and
// refunds, each store's recent redemptions, payments waiting for their booking, each hub's last
// sign of life. Every effect is keyed by what caused it, so a change read twice (by a retry or a
// second instance) raises nothing twice. Reads the stores' databases only by id; never writes one.
// The booking and ledger anomalies are found in `booking-anomalies.ts` and `ledger-anomalies.ts`;
// how an anomaly is stored is `anomaly-store.ts`'s. This file takes the changes in, watches the
// hubs' signs of life, copies what a store raised, and lists and handles the anomalies.
import {
  AnomalyDocSchema,
  DomainError,
  HUB_ALIVE_ID,
  HubAliveDocSchema,
  type AnomalyCounts,
  type AnomalyQuery,
  type AnomalyView,
  type Clock,
  type PlatformSettings,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../../couch';
import {
  ANOMALIES_DB,
  DAY,
  anomalyId,
  iso,
  raiseAnomaly,
  updateWorking,
  type AnomalyDocument,
} from './anomaly-store';
import { BookingAnomalies } from './booking-anomalies';
import { LedgerAnomalies } from './ledger-anomalies';

export { ANOMALIES_DB, type AnomalyDocument };

interface AliveDoc extends CouchDoc {
  storeId: string;
  at: string;
  /** The offline anomaly raised for this silence, if any. */
  offlineId?: string;
}

export interface PlatformWatchDeps {
  couch: CouchClient;
  clock: Clock;
  /** The thresholds in force (the platform owner's settings). */
  rules: () => Promise<PlatformSettings['anomalies']>;
  /** Store names for the list, by store id. */
  storeNames: () => Promise<Map<string, string>>;
}

export class PlatformWatch {
  private readonly bookingWatch: BookingAnomalies;
  private readonly ledgerWatch: LedgerAnomalies;

  constructor(private readonly d: PlatformWatchDeps) {
    this.bookingWatch = new BookingAnomalies(d.couch);
    this.ledgerWatch = new LedgerAnomalies(d);
  }

  /** One change of a store's database, as the follower reads it. */
  async fromChange(storeId: string, doc: CouchDoc): Promise<void> {
    const id = doc._id;
    if (id.startsWith('anomaly:')) return this.storeRaised(storeId, doc);
    if (id === HUB_ALIVE_ID) return this.alive(storeId, doc);
    if (id.startsWith('booking:')) return this.bookingWatch.booking(storeId, doc);
  }

  // ---- raised by a store -----------------------------------------------------------------------

  private async storeRaised(storeId: string, doc: CouchDoc): Promise<void> {
    const a = AnomalyDocSchema.safeParse(doc);
    if (!a.success || a.data.storeId !== storeId) return;
    const atMs = Date.parse(a.data.at);
    await raiseAnomaly(this.d.couch, {
      _id: anomalyId(atMs, a.data.kind, `${storeId}.${a.data.anomalyId}`),
      kind: a.data.kind,
      raisedBy: 'store',
      storeId,
      at: iso(atMs),
      roomId: a.data.roomId,
      bookingId: a.data.bookingId,
      customerId: null,
      facts: a.data.facts,
    });
  }

  // ---- a store gone silent --------------------------------------------------------------------

  private async alive(storeId: string, doc: CouchDoc): Promise<void> {
    const alive = HubAliveDocSchema.safeParse(doc);
    if (!alive.success || alive.data.storeId !== storeId) return;
    const at = iso(Date.parse(alive.data.at));
    let endedSilence: string | undefined;
    await updateWorking<AliveDoc>(
      this.d.couch,
      `alive:${storeId}`,
      () => ({ _id: `alive:${storeId}`, storeId, at }),
      (d) => {
        if (d._rev && Date.parse(d.at) >= Date.parse(at)) return false;
        endedSilence = d.offlineId;
        d.at = at;
        delete d.offlineId;
        return true;
      },
    );
    // Back again: the silence it flagged gets its end.
    if (endedSilence) {
      const a = await this.d.couch.get<AnomalyDocument>(ANOMALIES_DB, endedSilence);
      if (a && a.facts.backAt === undefined) {
        a.facts = { ...a.facts, backAt: at };
        await this.d.couch.put(ANOMALIES_DB, a).catch((e: unknown) => {
          if (!isConflict(e)) throw e;
        });
      }
    }
  }

  /** Stores silent longer than the threshold: one anomaly per silence. */
  async offline(): Promise<number> {
    const { offlineMinutes } = await this.d.rules();
    const now = this.d.clock.now();
    let raised = 0;
    for (const alive of await this.d.couch.byPrefix<AliveDoc>(ANOMALIES_DB, 'alive:')) {
      const lastMs = Date.parse(alive.at);
      if (alive.offlineId || now - lastMs < offlineMinutes * 60_000) continue;
      const id = anomalyId(lastMs + offlineMinutes * 60_000, 'store_offline', alive.storeId);
      if (
        await raiseAnomaly(this.d.couch, {
          _id: id,
          kind: 'store_offline',
          raisedBy: 'platform',
          storeId: alive.storeId,
          at: iso(lastMs + offlineMinutes * 60_000),
          roomId: null,
          bookingId: null,
          customerId: null,
          facts: { lastAliveAt: alive.at, thresholdMinutes: offlineMinutes },
        })
      ) {
        raised += 1;
      }
      await updateWorking<AliveDoc>(
        this.d.couch,
        alive._id,
        () => alive,
        (d) => {
          if (d.at !== alive.at || d.offlineId) return false;
          d.offlineId = id;
          return true;
        },
      );
    }
    return raised;
  }

  // ---- bookings: booking-anomalies.ts ----------------------------------------------------------

  /**
   * A page of a store's changes: each customer's bookings kept in one read and one write for the
   * page (a customer booked several times in a burst), the anomalies raised as for one change. A
   * customer's document another writer changed meanwhile is kept booking by booking instead.
   */
  bookings(storeId: string, docs: readonly CouchDoc[]): Promise<void> {
    return this.bookingWatch.bookings(storeId, docs);
  }

  /** A page's ledger entries, their bookings read at once (ledger-anomalies.ts). */
  ledgers(storeId: string, docs: readonly CouchDoc[]): Promise<void> {
    return this.ledgerWatch.ledgers(storeId, docs);
  }

  // ---- the ledger: ledger-anomalies.ts ---------------------------------------------------------

  /** Payments still without their booking after the grace: each is flagged once, then let go. */
  paymentsWithoutBooking(): Promise<number> {
    return this.ledgerWatch.paymentsWithoutBooking();
  }

  // ---- reading and handling --------------------------------------------------------------------

  /** The newest first, from `days` back: read by month, never the whole database. */
  async list(query: AnomalyQuery): Promise<AnomalyView[]> {
    const now = this.d.clock.now();
    const from = now - query.days * DAY;
    const months: string[] = [];
    for (let m = new Date(from); m.getTime() <= now;) {
      months.push(m.toISOString().slice(0, 7));
      m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1));
    }
    const docs = (
      await Promise.all(
        months.map((month) =>
          this.d.couch.byPrefix<AnomalyDocument>(ANOMALIES_DB, `anomaly:${month}`),
        ),
      )
    ).flat();
    const names = await this.d.storeNames();
    return docs
      .filter(
        (a) =>
          Date.parse(a.at) >= from &&
          (!query.kind || a.kind === query.kind) &&
          (!query.storeId || a.storeId === query.storeId) &&
          (query.open === undefined || query.open === (a.handled === null)),
      )
      .sort((a, b) => (a._id < b._id ? 1 : -1))
      .slice(0, query.limit)
      .map((a) => viewOf(a, names));
  }

  async counts(
    days: number,
  ): Promise<{ open: number; byKind: AnomalyCounts; latest: AnomalyView[] }> {
    const all = await this.list({ days, limit: 500 });
    const open = all.filter((a) => !a.handled);
    const byKind = Object.fromEntries(
      (
        [
          'payment_without_booking',
          'duplicate_booking',
          'refund_abuse',
          'voucher_spike',
          'door_without_session',
          'power_without_session',
          'store_offline',
          'room_held_unused',
        ] as const
      ).map((k) => [k, open.filter((a) => a.kind === k).length]),
    ) as AnomalyCounts;
    return { open: open.length, byKind, latest: all.slice(0, 8) };
  }

  /** Marks one handled, with who and why; handled already, it says so. */
  async handle(id: string, reason: string, by: string): Promise<AnomalyView> {
    const docId = `anomaly:${id}`;
    const a = await this.d.couch.get<AnomalyDocument>(ANOMALIES_DB, docId);
    if (!a) throw new DomainError('not_found', 'anomaly_not_found', `id: no anomaly ${id}`, 'id');
    if (a.handled) {
      throw new DomainError(
        'conflict',
        'anomaly_handled',
        `this anomaly was marked handled by ${a.handled.by} at ${a.handled.at}`,
      );
    }
    a.handled = { at: iso(this.d.clock.now()), by, reason };
    try {
      await this.d.couch.put(ANOMALIES_DB, a);
    } catch (error) {
      if (!isConflict(error)) throw error;
      throw new DomainError('conflict', 'anomaly_handled', 'someone marked it at the same moment');
    }
    return viewOf(a, await this.d.storeNames());
  }
}

function viewOf(a: AnomalyDocument, names: Map<string, string>): AnomalyView {
  return {
    id: a._id.slice('anomaly:'.length),
    kind: a.kind,
    raisedBy: a.raisedBy,
    storeId: a.storeId,
    storeName: a.storeId ? (names.get(a.storeId) ?? null) : null,
    at: a.at,
    roomId: a.roomId,
    bookingId: a.bookingId,
    customerId: a.customerId,
    facts: a.facts,
    handled: a.handled,
  };
}
