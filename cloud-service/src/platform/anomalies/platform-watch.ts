// The platform's anomalies (P4, B8), found from the stores' change feeds as the follower reads
// them, never by scanning a store: a payment with no booking (none arrived within the grace, or
// the booking was cancelled and the money kept), one customer's bookings that overlap, many of one
// customer's bookings refunded within a window, a burst of voucher redemptions at a store, a store
// whose hub has gone silent; and a copy of each anomaly a store's hub raised itself. What it needs
// to decide is kept in `anomalies` beside what it raised: each customer's recent bookings and
// refunds, each store's recent redemptions, payments waiting for their booking, each hub's last
// sign of life. Every effect is keyed by what caused it, so a change read twice (by a retry or a
// second instance) raises nothing twice. Reads the stores' databases only by id; never writes one.
import {
  AnomalyDocSchema,
  BookingDocSchema,
  type BookingDoc,
  CLOUD_DBS,
  DomainError,
  HUB_ALIVE_ID,
  HubAliveDocSchema,
  LedgerDocSchema,
  bookingDocId,
  storeDbName,
  type AnomalyCounts,
  type AnomalyFacts,
  type AnomalyKind,
  type AnomalyQuery,
  type AnomalyView,
  type Clock,
  type PlatformSettings,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../../couch';

export const ANOMALIES_DB = CLOUD_DBS.anomalies;
const DAY = 24 * 3_600_000;
const HOUR = 3_600_000;
/** Bookings ending longer ago than this leave a customer's recent list. */
const KEEP_BOOKINGS_MS = DAY;
const ACTIVE = new Set(['pending_payment', 'paid', 'in_use']);

/** What an anomaly says, before it is stored. */
interface AnomalyFields {
  _id: string;
  kind: AnomalyKind;
  raisedBy: 'store' | 'platform';
  storeId: string | null;
  at: string;
  roomId: string | null;
  bookingId: string | null;
  customerId: string | null;
  facts: AnomalyFacts;
}
export interface AnomalyDocument extends CouchDoc, AnomalyFields {
  type: 'anomaly';
  handled: { at: string; by: string; reason: string } | null;
}

interface CustomerBookings extends CouchDoc {
  bookings: Record<
    string,
    {
      storeId: string;
      bookingId: string;
      roomId: string;
      start: string;
      end: string;
      status: string;
    }
  >;
}
interface CustomerRefunds extends CouchDoc {
  /** `<storeId>:<bookingId>` -> when its first refund was made (ms). */
  refunds: Record<string, number>;
}
interface StoreRedemptions extends CouchDoc {
  /** `<bookingId>:<entryId>` -> when (ms). */
  redemptions: Record<string, number>;
}
interface WaitingPayment extends CouchDoc {
  storeId: string;
  bookingId: string;
  entryId: string;
  amount: number;
  method: string;
  at: string;
}
interface AliveDoc extends CouchDoc {
  storeId: string;
  at: string;
  /** The offline anomaly raised for this silence, if any. */
  offlineId?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** Ids sort by time: `anomaly:<UTC instant>:<kind>:<cause>`. */
const anomalyId = (atMs: number, kind: AnomalyKind, cause: string) =>
  `anomaly:${iso(atMs)}:${kind}:${cause}`;

export interface PlatformWatchDeps {
  couch: CouchClient;
  clock: Clock;
  /** The thresholds in force (the platform owner's settings). */
  rules: () => Promise<PlatformSettings['anomalies']>;
  /** Store names for the list, by store id. */
  storeNames: () => Promise<Map<string, string>>;
}

/** A store's booking as its hub published it, when the document is one of that store's. */
function bookingOf(storeId: string, doc: CouchDoc): BookingDoc | undefined {
  if (!doc._id.startsWith('booking:')) return undefined;
  const parsed = BookingDocSchema.safeParse(doc);
  return parsed.success && parsed.data.storeId === storeId ? parsed.data : undefined;
}

/**
 * Puts `b` into the customer's bookings (those ended a day before it dropped); whether it was
 * not there as it is (the ones dropped alone are not worth a write).
 */
function keepBooking(d: CustomerBookings, storeId: string, b: BookingDoc): boolean {
  const key = `${storeId}:${b.bookingId}`;
  const end = iso(Date.parse(b.end));
  const before = d.bookings[key];
  const oldest = Date.parse(end) - KEEP_BOOKINGS_MS;
  for (const [k, v] of Object.entries(d.bookings)) {
    if (Date.parse(v.end) < oldest) delete d.bookings[k];
  }
  const next = {
    storeId,
    bookingId: b.bookingId,
    roomId: b.roomId,
    start: iso(Date.parse(b.start)),
    end,
    status: b.status,
  };
  if (before && JSON.stringify(before) === JSON.stringify(next)) return false;
  d.bookings[key] = next;
  return true;
}

export class PlatformWatch {
  constructor(private readonly d: PlatformWatchDeps) {}

  /** One change of a store's database, as the follower reads it. */
  async fromChange(storeId: string, doc: CouchDoc): Promise<void> {
    const id = doc._id;
    if (id.startsWith('anomaly:')) return this.storeRaised(storeId, doc);
    if (id === HUB_ALIVE_ID) return this.alive(storeId, doc);
    if (id.startsWith('booking:')) return this.booking(storeId, doc);
    if (id.startsWith('ledger:')) return this.ledger(storeId, doc);
  }

  // ---- raising ---------------------------------------------------------------------------------

  /** Put-if-absent: the same cause is the same anomaly. True when it is new. */
  private async raise(a: AnomalyFields): Promise<boolean> {
    try {
      await this.d.couch.put(ANOMALIES_DB, { ...a, type: 'anomaly', handled: null });
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  /** Reads, changes and writes one working document, again if another writer came first. */
  private async update<T extends CouchDoc>(
    id: string,
    empty: () => T,
    change: (doc: T) => boolean,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const doc = (await this.d.couch.get<T>(ANOMALIES_DB, id)) ?? empty();
      if (!change(doc)) return doc;
      try {
        doc._rev = await this.d.couch.put(ANOMALIES_DB, doc);
        return doc;
      } catch (error) {
        if (!isConflict(error) || attempt >= 8) throw error;
      }
    }
  }

  private async storeRaised(storeId: string, doc: CouchDoc): Promise<void> {
    const a = AnomalyDocSchema.safeParse(doc);
    if (!a.success || a.data.storeId !== storeId) return;
    const atMs = Date.parse(a.data.at);
    await this.raise({
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
    await this.update<AliveDoc>(
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
        await this.raise({
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
      await this.update<AliveDoc>(
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

  // ---- bookings: duplicates, money kept for a cancelled booking --------------------------------

  /**
   * A page of a store's changes: each customer's bookings kept in one read and one write for the
   * page (a customer booked several times in a burst), the anomalies raised as for one change. A
   * customer's document another writer changed meanwhile is kept booking by booking instead.
   */
  async bookings(storeId: string, docs: readonly CouchDoc[]): Promise<void> {
    const byCustomer = new Map<string, BookingDoc[]>();
    for (const doc of docs) {
      const b = bookingOf(storeId, doc);
      if (!b) continue;
      if (!b.customerId) {
        await this.keptMoney(storeId, b);
        continue;
      }
      byCustomer.set(b.customerId, [...(byCustomer.get(b.customerId) ?? []), b]);
    }
    if (byCustomer.size === 0) return;
    const ids = [...byCustomer.keys()].map((c) => `cb:${c}`);
    const found = new Map(
      (await this.d.couch.byIds<CustomerBookings>(ANOMALIES_DB, ids)).map((d) => [d._id, d]),
    );
    const kept = new Map<string, CustomerBookings>();
    for (const [customerId, list] of byCustomer) {
      const id = `cb:${customerId}`;
      const mine = found.get(id) ?? { _id: id, bookings: {} };
      const changed = list.map((b) => keepBooking(mine, storeId, b)).some(Boolean);
      kept.set(id, mine);
      if (!changed) found.delete(id);
      else found.set(id, mine);
    }
    const written = await this.d.couch.bulkDocs(ANOMALIES_DB, [...found.values()]);
    const lost = new Set<string>();
    for (const result of written) {
      if (!('error' in result)) continue;
      if (!isConflict(result.error)) throw result.error;
      lost.add(result.id);
    }
    for (const [customerId, list] of byCustomer) {
      const id = `cb:${customerId}`;
      for (const b of list) {
        if (lost.has(id)) await this.booking(storeId, b);
        else await this.afterKept(storeId, b, kept.get(id)!);
      }
    }
  }

  private async booking(storeId: string, doc: CouchDoc | BookingDoc): Promise<void> {
    const b = 'bookingId' in doc ? (doc as BookingDoc) : bookingOf(storeId, doc);
    if (!b) return;
    const customerId = b.customerId;
    if (!customerId) return this.keptMoney(storeId, b);
    const mine = await this.update<CustomerBookings>(
      `cb:${customerId}`,
      () => ({ _id: `cb:${customerId}`, bookings: {} }),
      (d) => keepBooking(d, storeId, b),
    );
    await this.afterKept(storeId, b, mine);
  }

  /** A cancelled booking whose money the store kept. */
  private async keptMoney(storeId: string, b: BookingDoc): Promise<void> {
    if (b.status === 'cancelled' && b.totals.paid - b.totals.refunded > 0) {
      await this.raise({
        _id: anomalyId(
          Date.parse(b.updatedAt),
          'payment_without_booking',
          `${storeId}.${b.bookingId}`,
        ),
        kind: 'payment_without_booking',
        raisedBy: 'platform',
        storeId,
        at: iso(Date.parse(b.updatedAt)),
        roomId: b.roomId,
        bookingId: b.bookingId,
        customerId: b.customerId ?? null,
        facts: { reason: 'cancelled_kept', kept: b.totals.paid - b.totals.refunded },
      });
    }
  }

  /** Once the customer's bookings hold `b`: money kept, and another booking at the same time. */
  private async afterKept(storeId: string, b: BookingDoc, mine: CustomerBookings): Promise<void> {
    await this.keptMoney(storeId, b);
    const customerId = b.customerId;
    if (!customerId || !ACTIVE.has(b.status)) return;
    const key = `${storeId}:${b.bookingId}`;
    const start = iso(Date.parse(b.start));
    const end = iso(Date.parse(b.end));
    for (const [k, other] of Object.entries(mine.bookings)) {
      if (k === key || !ACTIVE.has(other.status)) continue;
      if (!(
        Date.parse(other.start) < Date.parse(end) && Date.parse(start) < Date.parse(other.end)
      )) {
        continue;
      }
      const [first, second] = [key, k].sort();
      const firstOf = first === key ? { storeId, bookingId: b.bookingId, start } : other;
      const secondOf = first === key ? other : { storeId, bookingId: b.bookingId, start };
      await this.raise({
        _id: anomalyId(
          Math.max(Date.parse(start), Date.parse(other.start)),
          'duplicate_booking',
          `${first}.${second}`.replaceAll(':', '.'),
        ),
        kind: 'duplicate_booking',
        raisedBy: 'platform',
        storeId: firstOf.storeId,
        at: iso(Math.max(Date.parse(start), Date.parse(other.start))),
        roomId: null,
        bookingId: firstOf.bookingId,
        customerId,
        facts: {
          otherStoreId: secondOf.storeId,
          otherBookingId: secondOf.bookingId,
          start: firstOf.start,
          otherStart: secondOf.start,
        },
      });
    }
  }

  // ---- the ledger: payments without a booking, refund abuse, redemption spikes -----------------

  private async ledger(storeId: string, doc: CouchDoc): Promise<void> {
    const parsed = LedgerDocSchema.safeParse(doc);
    if (!parsed.success || parsed.data.storeId !== storeId) return;
    const e = parsed.data;
    const atMs = Date.parse(e.at);
    if (e.kind === 'payment' && e.amount > 0) {
      const booking = await this.d.couch.get(storeDbName(storeId), bookingDocId(e.bookingId));
      if (!booking) {
        await this.update<WaitingPayment>(
          `pay:${storeId}:${e.bookingId}`,
          () => ({
            _id: `pay:${storeId}:${e.bookingId}`,
            storeId,
            bookingId: e.bookingId,
            entryId: e.entryId,
            amount: e.amount,
            method: e.method,
            at: iso(atMs),
          }),
          (d) => !d._rev,
        );
      }
      if (e.method === 'voucher')
        await this.redemption(storeId, `${e.bookingId}:${e.entryId}`, atMs);
    }
    if (e.kind === 'refund') await this.refund(storeId, e.bookingId, atMs);
  }

  /** Payments still without their booking after the grace: each is flagged once, then let go. */
  async paymentsWithoutBooking(): Promise<number> {
    const { paymentGraceMinutes } = await this.d.rules();
    const now = this.d.clock.now();
    let raised = 0;
    for (const p of await this.d.couch.byPrefix<WaitingPayment>(ANOMALIES_DB, 'pay:')) {
      const atMs = Date.parse(p.at);
      if (now - atMs < paymentGraceMinutes * 60_000) continue;
      const booking = await this.d.couch.get(storeDbName(p.storeId), bookingDocId(p.bookingId));
      if (
        !booking &&
        (await this.raise({
          _id: anomalyId(atMs, 'payment_without_booking', `${p.storeId}.${p.bookingId}`),
          kind: 'payment_without_booking',
          raisedBy: 'platform',
          storeId: p.storeId,
          at: iso(atMs),
          roomId: null,
          bookingId: p.bookingId,
          customerId: null,
          facts: {
            reason: 'no_booking',
            amount: p.amount,
            method: p.method,
            graceMinutes: paymentGraceMinutes,
          },
        }))
      ) {
        raised += 1;
      }
      await this.d.couch.put(ANOMALIES_DB, { ...p, _deleted: true }).catch((e: unknown) => {
        if (!isConflict(e)) throw e;
      });
    }
    return raised;
  }

  private async refund(storeId: string, bookingId: string, atMs: number): Promise<void> {
    const booking = BookingDocSchema.safeParse(
      await this.d.couch.get(storeDbName(storeId), bookingDocId(bookingId)),
    );
    const customerId = booking.success ? booking.data.customerId : undefined;
    if (!customerId) return;
    const { refundsInWindow, refundWindowDays } = await this.d.rules();
    const windowMs = refundWindowDays * DAY;
    const key = `${storeId}:${bookingId}`;
    const mine = await this.update<CustomerRefunds>(
      `cr:${customerId}`,
      () => ({ _id: `cr:${customerId}`, refunds: {} }),
      (d) => {
        for (const [k, at] of Object.entries(d.refunds))
          if (at < atMs - 2 * windowMs) delete d.refunds[k];
        if (d.refunds[key] !== undefined && d.refunds[key]! <= atMs) return false;
        d.refunds[key] = atMs;
        return true;
      },
    );
    // Refunds may arrive in any order: the window ends at the newest one known.
    const newest = Math.max(...Object.values(mine.refunds));
    const inWindow = Object.entries(mine.refunds)
      .filter(([, at]) => at > newest - windowMs)
      .sort((a, b) => a[1] - b[1]);
    if (inWindow.length < refundsInWindow) return;
    const [firstKey, firstAt] = inWindow[0]!;
    await this.raise({
      _id: anomalyId(newest, 'refund_abuse', `${customerId}.${firstKey.replaceAll(':', '.')}`),
      kind: 'refund_abuse',
      raisedBy: 'platform',
      storeId,
      at: iso(newest),
      roomId: null,
      bookingId,
      customerId,
      facts: {
        refunds: inWindow.length,
        stores: new Set(inWindow.map(([k]) => k.split(':')[0])).size,
        windowDays: refundWindowDays,
        threshold: refundsInWindow,
        firstAt: iso(firstAt),
      },
    });
  }

  private async redemption(storeId: string, key: string, atMs: number): Promise<void> {
    const { spikeMinPerHour, spikeTimesAverage } = await this.d.rules();
    const mine = await this.update<StoreRedemptions>(
      `vr:${storeId}`,
      () => ({ _id: `vr:${storeId}`, redemptions: {} }),
      (d) => {
        for (const [k, at] of Object.entries(d.redemptions)) {
          if (at < atMs - 8 * DAY) delete d.redemptions[k];
        }
        if (d.redemptions[key] !== undefined) return false;
        d.redemptions[key] = atMs;
        return true;
      },
    );
    const times = Object.values(mine.redemptions);
    const lastHour = times.filter((t) => t > atMs - HOUR && t <= atMs).length;
    const weekBefore = times.filter((t) => t > atMs - HOUR - 7 * DAY && t <= atMs - HOUR).length;
    const averagePerHour = weekBefore / (7 * 24);
    if (lastHour < spikeMinPerHour || lastHour <= spikeTimesAverage * averagePerHour) return;
    const hour = Math.floor(atMs / HOUR) * HOUR;
    await this.raise({
      _id: anomalyId(hour, 'voucher_spike', storeId),
      kind: 'voucher_spike',
      raisedBy: 'platform',
      storeId,
      at: iso(atMs),
      roomId: null,
      bookingId: null,
      customerId: null,
      facts: {
        lastHour,
        averagePerHour: Math.round(averagePerHour * 100) / 100,
        threshold: spikeMinPerHour,
        timesAverage: spikeTimesAverage,
      },
    });
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
