// The cloud's CouchDB views: `_design/cloud` in every store database (one lookup index of bookings
// by start, status, customer and intent, of tables still open and by player, of the ledger by time
// and of the hub's writes by time, and of each kind's writes by time) and `_design/cloud-tally`
// beside it (members and coupons counted for the owner's members page), in the intents database
// (intents that are due, a customer's waiting booking requests, intents about a booking and intents
// by kind, records by intent id and by payment, payments by when they were paid, booking requests
// called off by when) and in the catalogue (rooms by store). The admin installs them when
// provisioning (provision/), as only admins write design documents; the running cloud checks their
// version and reads them, and never writes one; the hub never pulls them (it pulls intents only).
// Map functions are plain ES5 strings so Apache CouchDB's JavaScript engine and the embedded server
// run the same code. Times in keys are normalised to UTC ISO strings, so key order is time order
// whatever offset a hub wrote.
// The store views are few on purpose: the embedded server builds each view on its own, at about a
// millisecond and a half per document the first time, so the follower keeps them warm.
import { CLOUD_DBS, storeDbName } from '@roomhub/shared-types';
import {
  CouchError,
  isConflict,
  type CouchClient,
  type CouchDoc,
  type ViewQuery,
  type ViewRow,
} from './couch';

export const DESIGN = 'cloud';

const isoOf = `function isoOf(value) {
    var t = typeof value === 'string' ? Date.parse(value) : NaN;
    return isNaN(t) ? null : new Date(t).toISOString();
  }`;

const map = (body: string) => `function (doc) {
  ${isoOf}
  ${body}
}`;

/** The time each kind of hub document carries, by id prefix (an ES5 object literal). */
const LATEST_FIELDS = `{
    'booking:': 'updatedAt', 'ledger:': 'at', 'session:': 'updatedAt',
    'availability:': 'updatedAt', 'devices:': 'updatedAt', 'answer:': 'at',
    'profile:': 'updatedAt'
  }`;

/** Bump when a map changes: each database then gets the new design document once. */
const STORE_VIEWS_VERSION = 9;

const storeViews = {
  // Key families: ['booking-start', start, bookingId], ['booking-status', status, start,
  // bookingId] (the id makes every key unique, so pages can resume exactly),
  // ['booking-customer-at', customerId, start, bookingId] (a customer's bookings by time, so "my
  // orders" reads a page), ['booking-customer', customerId] (what instances before version 8
  // read: kept while a rolling update runs old and new side by side; no reader of this version),
  // ['booking-intent', intentId] (value [start, customerId or null]; what instances before the
  // intents views' version 9 read, as the one tie of a booking without the customer's id: kept
  // for a rolling update, no reader of this version),
  // ['table-open', deadline, tableId] (a table still taking players, by its deadline, so the
  // store's open tables are read without its past ones) and ['table-player', customerId, start,
  // tableId] (each player's tables, so "my tables" reads only theirs; both since version 9),
  // ['ledger-at', at] (value [kind, method, amount]), ['member-customer', customerId],
  // ['coupon-customer', customerId], ['written', at] and ['written-kind', prefix, at] (value
  // null): each kind of hub document by the time it carries, so the newest write, of the store or
  // of one kind, is one row read from the end (a reduce over the whole store is computed from
  // every row by the embedded server, so there is none).
  lookup: {
    map: map(`var prefix = doc._id.slice(0, doc._id.indexOf(':') + 1);
  var field = ${LATEST_FIELDS}[prefix];
  var written = field ? isoOf(doc[field]) : null;
  if (written) {
    emit(['written', written], null);
    emit(['written-kind', prefix, written], null);
  }
  if (doc.type === 'booking' && doc._id.indexOf('booking:') === 0) {
    var start = isoOf(doc.start);
    if (start) {
      emit(['booking-start', start, doc.bookingId], null);
      emit(['booking-status', doc.status, start, doc.bookingId], null);
    }
    var customer = typeof doc.customerId === 'string' ? doc.customerId : null;
    if (customer) {
      emit(['booking-customer', customer], null);
      emit(['booking-customer-at', customer, start || '', doc.bookingId], null);
    }
    if (typeof doc.intentId === 'string') {
      emit(['booking-intent', doc.intentId], [start || '', customer]);
    }
  } else if (doc.type === 'table' && doc._id.indexOf('table:') === 0) {
    var tableStart = isoOf(doc.start) || '';
    var deadline = isoOf(doc.deadline);
    if (doc.status === 'open' && deadline) emit(['table-open', deadline, doc.tableId], null);
    var players = Array.isArray(doc.players) ? doc.players : [];
    for (var i = 0; i < players.length; i++) {
      if (players[i] && typeof players[i].customerId === 'string') {
        emit(['table-player', players[i].customerId, tableStart, doc.tableId], null);
      }
    }
  } else if (doc.type === 'member' && doc._id.indexOf('member:') === 0) {
    if (typeof doc.customerId === 'string') emit(['member-customer', doc.customerId], null);
  } else if (doc.type === 'coupon' && doc._id.indexOf('coupon:') === 0) {
    if (typeof doc.customerId === 'string') emit(['coupon-customer', doc.customerId], null);
  } else if (doc.type === 'ledger' && doc._id.indexOf('ledger:') === 0) {
    var at = isoOf(doc.at);
    if (at && typeof doc.amount === 'number') {
      emit(['ledger-at', at], [doc.kind, doc.method, doc.amount]);
    }
  }`),
  },
};
export type StoreViewName = keyof typeof storeViews;

/**
 * Bump when the tally map changes. A design document of its own (`_design/cloud-tally`), so adding
 * it neither rebuilds a store's lookup index nor holds the store's other reads until it is there.
 */
const STORE_TALLY_VERSION = 1;

const storeTallyViews = {
  // Counts and sums for the owner's members page, each row's value [count, points or used]
  // summed by `_sum`, so the page reads totals, not every member and coupon the store has:
  // ['member-level', storeId, level name or null] (value [1, points]), ['member-joined', storeId,
  // joinedAt] and ['member-visited', storeId, lastVisitAt] (value [1, 0]; counted over a range of
  // time), ['member-updated', storeId, updatedAt] (value [1, 0]; the newest is one row read from
  // the end, without reducing) and ['coupon-campaign', storeId, campaignId] (value [1, 1 when used
  // on a booking]). The store's id is in the key: a document that names another store is never
  // counted as this one's. CouchDB keeps the sums in its index; the embedded server sums the rows
  // of the range on each read, still reading no document.
  tally: {
    map: map(`if (typeof doc.storeId !== 'string') return;
  if (doc.type === 'member' && doc._id.indexOf('member:') === 0) {
    if (typeof doc.points !== 'number') return;
    var level = doc.level && typeof doc.level.name === 'string' ? doc.level.name.trim() : null;
    emit(['member-level', doc.storeId, level], [1, doc.points]);
    var joined = isoOf(doc.joinedAt);
    if (joined) emit(['member-joined', doc.storeId, joined], [1, 0]);
    var visited = isoOf(doc.lastVisitAt);
    if (visited) emit(['member-visited', doc.storeId, visited], [1, 0]);
    var updated = isoOf(doc.updatedAt);
    if (updated) emit(['member-updated', doc.storeId, updated], [1, 0]);
  } else if (doc.type === 'coupon' && doc._id.indexOf('coupon:') === 0) {
    if (typeof doc.campaignId !== 'string') return;
    var used = typeof doc.bookingId === 'string' ? 1 : 0;
    emit(['coupon-campaign', doc.storeId, doc.campaignId], [1, used]);
  }`),
    reduce: '_sum',
  },
};
export type StoreTallyViewName = keyof typeof storeTallyViews;

const INTENT_VIEWS_VERSION = 10;

const intentViews = {
  // What the sweeper must look at: a payment move still to make (key '' sorts first, so it is
  // always due) or a waiting intent by the time it expires.
  due: {
    map: map(`if (doc.type !== 'intent_record') return;
  if (doc.payment && doc.payment.pending) emit('', null);
  else if (doc.state === 'waiting' && doc.expiresAt) emit(isoOf(doc.expiresAt) || '', null);`),
  },
  // Intents still waiting for their store's answer, oldest first, counted per store (the
  // owner's sync view), so no one reads every intent and answer a store ever had.
  'waiting-by-store': {
    map: map(`if (doc.type === 'intent_record' && doc.state === 'waiting' && typeof doc.storeId === 'string')
    emit([doc.storeId, isoOf(doc.createdAt) || ''], null);`),
    reduce: '_count',
  },
  // A customer's booking requests still waiting for their store, by when they were asked: the
  // first page of "my orders" shows them, without reading every intent the customer ever made.
  'customer-waiting-requests': {
    map: map(`if (doc.type === 'intent_record' && doc.state === 'waiting' && doc.kind === 'booking_request' && typeof doc.customerId === 'string')
    emit([doc.customerId, isoOf(doc.createdAt) || ''], null);`),
  },
  // A customer's intents about one booking (a door, a refund, a review, an invoice, its payment)
  // and the request it answered: its order page and what may be asked of it next, without reading
  // every intent the customer made.
  'customer-booking': {
    map: map(`if (doc.type !== 'intent_record' || typeof doc.customerId !== 'string') return;
  if (typeof doc.bookingId === 'string') emit([doc.customerId, doc.bookingId], null);
  else if (doc.answer && typeof doc.answer.bookingId === 'string') emit([doc.customerId, doc.answer.bookingId], null);`),
  },
  // A customer's tables, started or joined, by when: "my tables" looks in those stores only.
  'customer-tables': {
    map: map(`if (doc.type === 'intent_record' && typeof doc.customerId === 'string' && (doc.kind === 'table_start' || doc.kind === 'table_join'))
    emit([doc.customerId, isoOf(doc.createdAt) || ''], doc.storeId);`),
  },
  // A customer's intents of one kind, by when (since version 10): "my tea orders" reads its
  // newest page, not every intent the customer made.
  'customer-kind': {
    map: map(`if (doc.type === 'intent_record' && typeof doc.customerId === 'string' && typeof doc.kind === 'string')
    emit([doc.customerId, doc.kind, isoOf(doc.createdAt) || ''], null);`),
  },
  // Owners' changes still waiting for their store, oldest first: one is under way at a time.
  'owner-waiting-by-store': {
    map: map(`if (doc.type === 'intent_record' && doc.state === 'waiting' && typeof doc.ownerId === 'string')
    emit([doc.storeId, isoOf(doc.createdAt) || '', doc.intentId], null);`),
  },
  // The cloud's record of an intent, found from the hub's answer (which names the intent only).
  'by-intent': {
    map: map(
      `if (doc.type === 'intent_record' && typeof doc.intentId === 'string') emit(doc.intentId, null);`,
    ),
  },
  // The record of the intent a payment was held for: a refund is paid only against one.
  'by-payment': {
    map: map(
      `if (doc.type === 'intent_record' && doc.payment && typeof doc.payment.paymentId === 'string') emit(doc.payment.paymentId, null);`,
    ),
  },
  // The cloud's payments by when the payer paid (payment-facts.ts), for the customer's notice.
  paid: {
    map: map(`if (doc.type !== 'payment' || typeof doc.paymentId !== 'string') return;
  var at = isoOf(doc.paidAt);
  if (at) emit(at, null);`),
  },
  // Customers' booking requests the cloud called off unanswered, by when (the customer's notice).
  'expired-requests': {
    map: map(`if (doc.type !== 'intent_record' || doc.state !== 'expired' || doc.kind !== 'booking_request') return;
  if (typeof doc.customerId !== 'string') return;
  var at = isoOf(doc.updatedAt);
  if (at) emit(at, null);`),
  },
  // What was paid back of each payment before its running total was kept (refunds.ts).
  'refunds-by-payment': {
    map: map(
      `if (doc.type === 'refund_paid' && doc.settledBy === 'refund' && typeof doc.paymentId === 'string') emit(doc.paymentId, doc.amount);`,
    ),
  },
};
export type IntentViewName = keyof typeof intentViews;

const CATALOGUE_VIEWS_VERSION = 1;

const catalogueViews = {
  'rooms-by-store': {
    map: map(
      `if (doc.type === 'room' && typeof doc.storeId === 'string') emit(doc.storeId, null);`,
    ),
  },
};
export type CatalogueViewName = keyof typeof catalogueViews;

const REVIEW_VIEWS_VERSION = 1;

const reviewViews = {
  // Each review's score (the mean of the ratings it gives) by store, summed and counted by the
  // reduce: a merchant's rating reads one row per store, not every review its stores ever had.
  'score-by-store': {
    map: map(`if (doc.type !== 'review' || typeof doc.storeId !== 'string' || !doc.ratings) return;
  var sum = 0;
  var n = 0;
  for (var k in doc.ratings) {
    if (typeof doc.ratings[k] === 'number') {
      sum += doc.ratings[k];
      n += 1;
    }
  }
  if (n > 0) emit(doc.storeId, sum / n);`),
    reduce: '_stats',
  },
};
export type ReviewViewName = keyof typeof reviewViews;

const PLATFORM_VIEWS_VERSION = 1;

const platformViews = {
  // The platform's audit trail by what an entry is about, by that and who made it, and by who made
  // it, newest last (value: the action): the console's audit filtered by either or both, and the
  // suspensions of a merchant's stores, read without the whole trail.
  'audit-by-target': {
    map: map(`if (doc.type !== 'platform_audit' || typeof doc.target !== 'string') return;
  emit([doc.target, isoOf(doc.at) || '', doc._id], doc.action);`),
  },
  'audit-by-target-actor': {
    map: map(`if (doc.type !== 'platform_audit' || typeof doc.target !== 'string' || typeof doc.actor !== 'string') return;
  emit([doc.target, doc.actor, isoOf(doc.at) || '', doc._id], doc.action);`),
  },
  'audit-by-actor': {
    map: map(`if (doc.type !== 'platform_audit' || typeof doc.actor !== 'string') return;
  emit([doc.actor, isoOf(doc.at) || '', doc._id], doc.action);`),
  },
};
export type PlatformViewName = keyof typeof platformViews;

function designDoc(
  version: number,
  views: Record<string, { map: string; reduce?: string }>,
  name = DESIGN,
) {
  return { _id: `_design/${name}`, language: 'javascript', version, views };
}

/** A design document's name, as a view read names it (`cloud` for `_design/cloud`). */
const nameOf = (design: DesignDoc) => design._id.slice('_design/'.length);

export type DesignDoc = ReturnType<typeof designDoc>;

/**
 * The cloud's design documents: each store's database, intents, reviews and catalogue (installed by
 * provisioning), and the platform's (installed by the instance holding the platform credential).
 */
export const CLOUD_DESIGNS = {
  store: designDoc(STORE_VIEWS_VERSION, storeViews),
  storeTally: designDoc(STORE_TALLY_VERSION, storeTallyViews, `${DESIGN}-tally`),
  intents: designDoc(INTENT_VIEWS_VERSION, intentViews),
  reviews: designDoc(REVIEW_VIEWS_VERSION, reviewViews),
  catalogue: designDoc(CATALOGUE_VIEWS_VERSION, catalogueViews),
  platform: designDoc(PLATFORM_VIEWS_VERSION, platformViews),
};

/**
 * Puts a versioned design document in place unless one as new is there; true when it wrote.
 * Never downgrades: during a rolling deploy an older provisioning must not put back the views a
 * newer one installed (each flip would rebuild every view of the store).
 */
export async function installDesign(
  couch: CouchClient,
  db: string,
  wanted: CouchDoc & { version: number },
): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const existing = await couch.get(db, wanted._id);
    if (existing && typeof existing.version === 'number' && existing.version >= wanted.version) {
      return false;
    }
    try {
      await couch.put(db, { ...wanted, ...(existing?._rev ? { _rev: existing._rev } : {}) });
      return true;
    } catch (error) {
      // Another provisioning installed it at the same moment: look again.
      if (!isConflict(error)) throw error;
    }
  }
  return false;
}

export class DesignDocs {
  // Design documents (by database and id) this process has checked; a restart checks once again.
  private readonly ready = new Map<string, Promise<void>>();
  private readonly storeDesign = CLOUD_DESIGNS.store;
  private readonly tallyDesign = CLOUD_DESIGNS.storeTally;
  private readonly intentDesign = CLOUD_DESIGNS.intents;
  private readonly catalogueDesign = CLOUD_DESIGNS.catalogue;
  private readonly reviewDesign = CLOUD_DESIGNS.reviews;

  constructor(private readonly d: { couch: CouchClient }) {}

  /** Rows of one of the store views; [] when the store has no database. */
  store<T extends CouchDoc = CouchDoc>(
    storeId: string,
    name: StoreViewName,
    q: ViewQuery,
  ): Promise<ViewRow<T>[]> {
    return this.ofStore<T>(storeId, this.storeDesign, name, q);
  }

  /** Rows of one of the store's tally views (sums); [] when the store has no database. */
  tally<T extends CouchDoc = CouchDoc>(
    storeId: string,
    name: StoreTallyViewName,
    q: ViewQuery,
  ): Promise<ViewRow<T>[]> {
    return this.ofStore<T>(storeId, this.tallyDesign, name, q);
  }

  /**
   * Brings the store's views up to date (a query that matches nothing), so the next read only
   * indexes what came after; false when the store has no database.
   */
  async warmStore(storeId: string, signal?: AbortSignal): Promise<boolean> {
    if (!(await this.hasStore(storeId, this.storeDesign))) return false;
    await this.query(storeDbName(storeId), this.storeDesign, 'lookup', {
      key: ['~'],
      ...(signal ? { signal } : {}),
    });
    return true;
  }

  /** Rows of one of the intents-database views. */
  async intents<T extends CouchDoc = CouchDoc>(
    name: IntentViewName,
    q: ViewQuery,
  ): Promise<ViewRow<T>[]> {
    return (await this.query<T>(CLOUD_DBS.intents, this.intentDesign, name, q)) ?? [];
  }

  /** Rows of one of the reviews-database views. */
  async reviews<T extends CouchDoc = CouchDoc>(
    name: ReviewViewName,
    q: ViewQuery,
  ): Promise<ViewRow<T>[]> {
    return (await this.query<T>(CLOUD_DBS.reviews, this.reviewDesign, name, q)) ?? [];
  }

  /** Rows of one of the catalogue views. */
  async catalogue<T extends CouchDoc = CouchDoc>(
    name: CatalogueViewName,
    q: ViewQuery,
  ): Promise<ViewRow<T>[]> {
    return (await this.query<T>(CLOUD_DBS.catalogue, this.catalogueDesign, name, q)) ?? [];
  }

  private async ofStore<T extends CouchDoc>(
    storeId: string,
    design: DesignDoc,
    name: string,
    q: ViewQuery,
  ): Promise<ViewRow<T>[]> {
    if (!(await this.hasStore(storeId, design))) return [];
    return (await this.query<T>(storeDbName(storeId), design, name, q)) ?? [];
  }

  /** A store that has never replicated has no database; the cloud must not create one. */
  private async hasStore(storeId: string, design: DesignDoc): Promise<boolean> {
    const db = storeDbName(storeId);
    return this.ready.has(key(db, design)) || this.d.couch.exists(db);
  }

  /** Checks once that the database has these views, as new as this code needs. */
  private async check(db: string, wanted: DesignDoc): Promise<void> {
    const existing = await this.d.couch.get(db, wanted._id);
    if (existing && typeof existing.version === 'number' && existing.version >= wanted.version) {
      return;
    }
    throw new CouchError(
      503,
      `${db} lacks the cloud's views (version ${wanted.version}): provision it again ` +
        '(npm run provision -w @roomhub/cloud-service)',
    );
  }

  private ensure(db: string, wanted: DesignDoc): Promise<void> {
    const checked = key(db, wanted);
    let run = this.ready.get(checked);
    if (!run) {
      run = this.check(db, wanted);
      run.catch(() => this.ready.delete(checked));
      this.ready.set(checked, run);
    }
    return run;
  }

  private async query<T extends CouchDoc>(
    db: string,
    wanted: DesignDoc,
    name: string,
    q: ViewQuery,
  ): Promise<ViewRow<T>[] | undefined> {
    await this.ensure(db, wanted);
    const rows = await this.d.couch.view<T>(db, nameOf(wanted), name, q);
    if (rows) return rows;
    // The design document went missing since it was checked: say so.
    this.ready.delete(key(db, wanted));
    await this.ensure(db, wanted);
    return this.d.couch.view<T>(db, nameOf(wanted), name, q);
  }
}

/** What `DesignDocs` remembers a check by: the database and the design document. */
const key = (db: string, design: DesignDoc) => `${db}/${design._id}`;
