// The change follower: reads each store database's change feed from a durable checkpoint and
// turns what the hubs wrote into the cloud's work: a customer-index pair for every booking with
// a customer id, a payout for every cloud refund in the ledger (or on the order of tea ordered
// from the phone) that the cloud's own records bear out (refunds.ts: a payment it took, for that
// store and booking, within what it took), a settle
// for every answer (and a room-page copy of an accepted review), a catalogue re-derive for a
// store whose profile changed, and for our own deals online the copy of each deal on sale and what
// a store's ledger and answers say of the vouchers the cloud sold (deals/). Checkpoints live in
// the cloud-private `follower` database (`checkpoint:<db>`), so a restart resumes where the last
// pass stopped.
//
// Two lanes read every feed, each from its own checkpoint: the customers' (all of the above:
// what customers and owners read and the money) and the platform's (its orders, figures and
// anomalies, and the messages made from the changes; `platform-checkpoint:<db>`). A burst's
// pages reach "my orders" without waiting for the platform's bookkeeping of them, which follows
// as CouchDB allows; each lane's passes run one at a time, the two side by side.
//
// Which databases to read: where the server offers `_db_updates` to the cloud (Apache CouchDB, to
// an admin), only those that changed since its own checkpoint; otherwise (the cloud's own user,
// the embedded server) every provisioned store's database (the registry) on each pass, or, while
// `follow()` long-polls every store's feed, the stores whose feed woke and every store once a
// minute. Several cloud instances may run passes at once: there is no leader
// election, so two may read the same changes, and every effect is idempotent for that reason
// (pairs are put-if-absent, refunds are keyed and marked, settles are guarded by revisions).
// A failed effect leaves the store's checkpoint where it was, so the batch is read again. A page
// is applied as a whole, not a change at a time: its customer pairs in one bulk write, the other
// effects of its changes a few at once. It reads the stores' databases only; it never writes a
// hub document.
//
// When to pass: `followNow()` runs one pass (the service's sweep calls it); `follow()` also
// long-polls every provisioned store's change feed and runs a pass as soon as one changes, so a
// kiosk booking reaches the customer index, and "my orders", within a second, not a sweep later
// (live-feeds.ts, which also tells the store cache what each feed read).
import {
  CLOUD_DBS,
  AnswerDocSchema,
  IdPartSchema,
  LedgerDocSchema,
  OrderDocSchema,
  storeDbName,
  storeIdOfDbName,
  type Clock,
} from '@roomhub/shared-types';
import { provisionedStores } from './stores/registry';
import { followLiveFeeds } from './live-feeds';
import type { Catalogue } from './stores/catalogue';
import { isConflict, type Change, type CouchClient, type CouchDoc, type Seq } from './couch';
import type { CustomerIndex } from './orders/customers';
import type { DealParts } from './deals/deals-setup';
import type { ReviewIndex } from './stores/reviews';
import type { DesignDocs } from './design-docs';
import type { StoreCache } from './stores/store-cache';
import { PaymentChannelError } from './payments/payment-channel';
import type { CloudRefunds } from './payments/refunds';
import type { IntentService } from './intents/intents';
import type { Messages } from './messages/messages';
import {
  LANES,
  Wakeups,
  checkpointId,
  splitCheckpoints,
  type Checkpoint,
  type Lane,
} from './follower-lanes';

const DB_UPDATES = 'db-updates';
/** A page's changes whose effects run at the same time. */
const PAGE_AT_ONCE = 8;
/**
 * Documents no effect reads: a room's availability of a day (a hub writes one with nearly every
 * booking; customers read it from the store's database directly).
 */
const QUIET = ['availability:'];
/** Documents no message is made from: the quiet ones, a store's profile and its deals. */
const NO_MESSAGES = [...QUIET, 'profile:', 'deal:'];

export interface FollowPass {
  /** Store databases read in this pass. */
  stores: number;
  /** Changes the hubs made that were read (each at most once per pass). */
  changes: number;
  /** New customer-store pairs in the index. */
  customers: number;
  refunded: number;
  settled: number;
  /** Stores whose catalogue entries were re-derived because a profile changed. */
  catalogued: string[];
}

export interface FollowerDeps {
  couch: CouchClient;
  customers: CustomerIndex;
  reviews: ReviewIndex;
  refunds: CloudRefunds;
  intents: IntentService;
  catalogue: Catalogue;
  /** Our own deals online: the deals on sale, the vouchers' use and refunds the stores answered. */
  deals?: DealParts;
  /** Messages made from what the stores write (a booking paid, a coupon given, a device down). */
  messages?: Messages;
  /** The platform's anomalies and figures, kept from every change (P4, P5). */
  platformWatch?: {
    fromChange(storeId: string, doc: CouchDoc): Promise<void>;
    /** What it keeps of a whole page at once (every order's row). */
    fromChanges(storeId: string, docs: readonly CouchDoc[]): Promise<void>;
  };
  views: DesignDocs;
  /** What the stores' databases hold, kept while their feeds are followed: told what they read. */
  storeCache?: Pick<StoreCache, 'watching' | 'changed' | 'unwatched' | 'indexed'>;
  clock: Clock;
  /** Changes read per request. */
  batch?: number;
  /** Store databases read at the same time. */
  parallel?: number;
  log?: (error: unknown) => void;
}

/**
 * Without `_db_updates`, while every store's feed is followed live, a pass reads the stores whose
 * feed woke, and every store this often.
 */
const WALK_EVERY_MS = 60_000;

export class Follower {
  private readonly batch: number;
  private readonly parallel: number;
  private readonly log: (error: unknown) => void;
  /** Each lane's pass under way, and whether another is asked for after it. */
  private readonly lanes: Record<Lane, { running?: Promise<FollowPass>; queued: boolean }> = {
    customers: { queued: false },
    platform: { queued: false },
  };
  /** Whether the server offers `_db_updates`; found out on the first pass. */
  private mode: 'unknown' | 'updates' | 'walk' = 'unknown';
  private readonly stopping = new AbortController();
  private watching: Promise<void> | undefined;
  /** Which stores have news, while `follow()` runs and the server offers no `_db_updates`. */
  private wakeups: Wakeups | undefined;
  /** Stores whose views are to be brought up to date, and the warming under way. */
  private readonly toWarm = new Set<string>();
  private warming: Promise<void> | undefined;

  constructor(private readonly d: FollowerDeps) {
    this.batch = d.batch ?? 200;
    this.parallel = d.parallel ?? 4;
    this.log = d.log ?? (() => {});
  }

  async init(): Promise<void> {
    await this.d.couch.requireDb(CLOUD_DBS.follower);
    await splitCheckpoints(this.d.couch, this.d.clock);
  }

  /**
   * One pass of each lane over the store databases that may have changed (one pass of a lane at
   * a time); what the customers' lane did, once both lanes are through.
   */
  async followNow(): Promise<FollowPass> {
    if (this.stopping.signal.aborted) return emptyPass();
    const [customers] = await Promise.all(LANES.map((lane) => this.laneNow(lane)));
    return customers!;
  }

  private laneNow(lane: Lane): Promise<FollowPass> {
    const state = this.lanes[lane];
    state.running ??= this.pass(lane).finally(() => (state.running = undefined));
    return state.running;
  }

  /**
   * Follows every provisioned store's change feed until `stop()`, and runs a pass as soon as a
   * store's database changes (one more after a pass under way). Stores provisioned later are
   * picked up within `storesEveryMs`. One long-poll per store database.
   */
  follow(
    options: { storesEveryMs?: number; longPollMs?: number; walkEveryMs?: number } = {},
  ): void {
    if (this.watching || this.stopping.signal.aborted) return;
    const { walkEveryMs = WALK_EVERY_MS, ...feeds } = options;
    const wakeups = new Wakeups(walkEveryMs);
    this.wakeups = wakeups;
    this.watching = followLiveFeeds(
      {
        couch: this.d.couch,
        ...(this.d.storeCache ? { storeCache: this.d.storeCache } : {}),
        log: this.log,
        signal: this.stopping.signal,
        woke: (db) => {
          wakeups.woke(db);
          this.passSoon();
        },
      },
      feeds,
    );
  }

  /** A pass of each lane now, or right after its pass under way, which may have read past the news. */
  private passSoon(): void {
    for (const lane of LANES) {
      const state = this.lanes[lane];
      if (state.queued) continue;
      state.queued = true;
      void (state.running ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => {
          state.queued = false;
          return this.stopping.signal.aborted ? undefined : this.laneNow(lane);
        })
        .catch((error: unknown) => this.log(error));
    }
  }

  /**
   * Ends a pass under way at the next change (what it did not finish is read again by the next
   * pass, here or on another instance), the live feeds with it, and starts no more.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(LANES.map((lane) => this.lanes[lane].running?.catch(() => undefined)));
    await this.watching;
    await this.warming;
  }

  private async saveCheckpoint(current: Checkpoint, since: Seq): Promise<Checkpoint> {
    const next = {
      ...current,
      type: 'checkpoint',
      since,
      updatedAt: new Date(this.d.clock.now()).toISOString(),
    };
    try {
      return { ...next, _rev: await this.d.couch.put(CLOUD_DBS.follower, next) };
    } catch (error) {
      if (!isConflict(error)) throw error;
      // Another instance moved it: write ours over theirs. If ours is behind, the next pass
      // reads a few changes twice, which every effect allows.
      const theirs = await this.d.couch.get<Checkpoint>(CLOUD_DBS.follower, current._id);
      const retry = { ...next, ...(theirs?._rev ? { _rev: theirs._rev } : {}) };
      return { ...retry, _rev: await this.d.couch.put(CLOUD_DBS.follower, retry) };
    }
  }

  /** The store databases to read in this pass, and the updates position to save after it. */
  private async databasesToRead(
    lane: Lane,
  ): Promise<{ dbs: string[]; updates?: Checkpoint & { to: Seq }; walkAt?: number }> {
    // Stores' facts databases only: an inbox holds what the cloud itself wrote.
    const every = async () =>
      (await provisionedStores(this.d.couch)).map((storeId) => storeDbName(storeId));
    // While the feeds are followed live, the stores whose feed woke (and all of them now and then).
    const walk = async () =>
      this.wakeups ? await this.wakeups.take(lane, every) : { dbs: await every() };
    if (this.mode === 'walk') return walk();
    const saved = (await this.d.couch.get<Checkpoint>(
      CLOUD_DBS.follower,
      checkpointId(lane, DB_UPDATES),
    )) ?? {
      _id: checkpointId(lane, DB_UPDATES),
    };
    if (saved.since === undefined) {
      // No position yet: take one now, then read every store once from its own checkpoint.
      const head = await this.d.couch.dbUpdates('now');
      if (!head) {
        this.mode = 'walk';
        return walk();
      }
      this.mode = 'updates';
      return { dbs: await every(), updates: { ...saved, to: head.lastSeq } };
    }
    const changed = new Set<string>();
    let since = saved.since;
    for (;;) {
      const page = await this.d.couch.dbUpdates(since, 1_000);
      if (!page) {
        this.mode = 'walk';
        return walk();
      }
      this.mode = 'updates';
      for (const u of page.results) {
        if (storeIdOfDbName(u.dbName) && u.type !== 'deleted') changed.add(u.dbName);
      }
      since = page.lastSeq;
      if (page.results.length < 1_000) break;
    }
    return { dbs: [...changed], updates: { ...saved, to: since } };
  }

  /**
   * A change's effects besides the customer index (the page writes its pairs at once) and the
   * platform's (its lane's). Changes of
   * one page run a few at a time: each names another document, and every effect already allows
   * another instance to apply a neighbouring change at the same moment.
   */
  private async apply(storeId: string, change: Change, pass: FollowPass): Promise<boolean> {
    const { id, doc } = change;
    if (id.startsWith('profile:')) return true;
    // A deal off sale or removed leaves the deals on sale too.
    if (id.startsWith('deal:')) {
      await this.d.deals?.index.published(storeId, change);
      return false;
    }
    if (change.deleted || !doc) return false;
    if (id.startsWith('ledger:')) {
      const entry = LedgerDocSchema.safeParse(doc);
      if (
        entry.success &&
        entry.data.storeId === storeId &&
        (await this.d.refunds.pay(entry.data))
      ) {
        pass.refunded += 1;
      }
      // One of our vouchers paid for a booking (or was given back): used, or usable again.
      if (entry.success) await this.d.deals?.sales.ledgerEntry(storeId, entry.data);
    } else if (id.startsWith('order:')) {
      // Tea ordered from the phone and given back at the store: the cloud pays its money back.
      const order = OrderDocSchema.safeParse(doc);
      if (order.success && order.data.storeId === storeId) {
        const refunded = await this.d.refunds.payOrder(order.data);
        pass.refunded += refunded;
      }
    } else if (id.startsWith('answer:')) {
      const answer = AnswerDocSchema.safeParse(doc);
      if (!answer.success) return false;
      await this.d.reviews.accepted(storeId, answer.data);
      try {
        if (await this.d.intents.settleAnswered(storeId, answer.data.intentId)) pass.settled += 1;
        // A voucher refund the store answered: its money goes back after `done`.
        await this.d.deals?.sales.answered(storeId, answer.data.intentId);
      } catch (error) {
        // The intent's record now holds the payment move still to make; the sweeper finishes it.
        if (!(error instanceof PaymentChannelError)) throw error;
        this.log(error);
      }
    }
    return false;
  }

  /**
   * The customers' lane of one page of a store's changes: the customer index's pairs in one bulk
   * write first (what "my orders" waits for), then each change's effects (payments given back,
   * requests settled, deals, reviews), PAGE_AT_ONCE at a time. Whether a profile changed;
   * undefined when stopped halfway (the page is then read again). A failed effect throws once the
   * others under way have ended, so the checkpoint stays before the page.
   */
  private async customersPage(
    storeId: string,
    changes: Change[],
    pass: FollowPass,
  ): Promise<boolean | undefined> {
    const pairs = changes.flatMap((change) => {
      const customerId = customerOf(change);
      return customerId ? [{ customerId, storeId }] : [];
    });
    if (pairs.length > 0) {
      // Counted after the write: `+= await` would add to the count read before it.
      const added = await this.d.customers.addMany(pairs, this.d.clock.now());
      pass.customers += added;
    }
    let profileChanged = false;
    const done = await this.eachAtOnce(
      changes.filter((c) => !QUIET.some((prefix) => c.id.startsWith(prefix))),
      async (change) => {
        if (await this.apply(storeId, change, pass)) profileChanged = true;
      },
    );
    return done ? profileChanged : undefined;
  }

  /**
   * The platform's lane of one page: what the platform keeps of it (its orders, figures and
   * anomalies), then the messages made from it, then what it keeps of each change; false when
   * stopped halfway.
   */
  private async platformPage(storeId: string, changes: Change[]): Promise<boolean> {
    const docs = changes.flatMap((c) => (!c.deleted && c.doc ? [c.doc] : []));
    await this.d.platformWatch?.fromChanges(storeId, docs);
    // The page's messages and reminders, a write of each for the whole page. Read again after a
    // failure, the same event is the same message: never a second one.
    await this.d.messages?.fromChanges(
      storeId,
      docs.filter((d) => !NO_MESSAGES.some((prefix) => d._id.startsWith(prefix))),
    );
    const watch = this.d.platformWatch;
    if (!watch) return true;
    return this.eachAtOnce(
      docs.filter((d) => !QUIET.some((prefix) => d._id.startsWith(prefix))),
      (doc) => watch.fromChange(storeId, doc),
    );
  }

  /**
   * Runs `effect` on each item, PAGE_AT_ONCE at a time; false when stopped halfway. A failure
   * throws once the effects under way have ended.
   */
  private async eachAtOnce<T>(items: T[], effect: (item: T) => Promise<void>): Promise<boolean> {
    const queue = [...items];
    let stopped = false;
    const failures: unknown[] = [];
    await Promise.all(
      Array.from({ length: Math.min(PAGE_AT_ONCE, queue.length) }, async () => {
        for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
          if (this.stopping.signal.aborted || failures.length > 0) {
            stopped = true;
            return;
          }
          try {
            await effect(item);
          } catch (error) {
            failures.push(error);
          }
        }
      }),
    );
    if (failures.length > 0) throw failures[0];
    return !stopped;
  }

  private async followStore(
    lane: Lane,
    db: string,
    saved: Checkpoint,
    pass: FollowPass,
  ): Promise<void> {
    const storeId = storeIdOfDbName(db);
    if (!storeId) return;
    let checkpoint = saved;
    let changed = false;
    pass.stores += 1;
    for (;;) {
      if (this.stopping.signal.aborted) return;
      const page = await this.d.couch.changes(db, {
        since: checkpoint.since ?? 0,
        limit: this.batch,
        includeDocs: true,
      });
      if (!page) return;
      // The cloud's own design document is not news from the hub.
      const news = page.results.filter((c) => !c.id.startsWith('_design/'));
      pass.changes += news.length;
      if (news.length > 0) changed = true;
      // Stopped halfway through a page: its checkpoint is not moved, so it is read again.
      if (lane === 'platform') {
        if (!(await this.platformPage(storeId, news))) return;
      } else {
        const profileChanged = await this.customersPage(storeId, news, pass);
        if (profileChanged === undefined) return;
        if (profileChanged && (await this.d.catalogue.refreshStore(storeId))) {
          pass.catalogued.push(storeId);
        }
      }
      if (page.results.length > 0) checkpoint = await this.saveCheckpoint(checkpoint, page.lastSeq);
      if (page.results.length < this.batch) break;
    }
    // Index what just arrived, so an owner's or customer's read does not wait for it; after the
    // reads, so a burst's other stores are not held up by it.
    if (lane === 'customers' && changed && !this.stopping.signal.aborted) this.warmSoon(storeId);
  }

  /** Brings a store's views up to date once the reads under way allow; one store at a time. */
  private warmSoon(storeId: string): void {
    this.toWarm.add(storeId);
    if (this.warming) return;
    this.warming = this.warmAll().finally(() => {
      this.warming = undefined;
      // News of a store after the last one was taken: warmed in turn.
      const [next] = this.toWarm;
      if (next !== undefined && !this.stopping.signal.aborted) this.warmSoon(next);
    });
  }

  private async warmAll(): Promise<void> {
    // A store with news again while it waits is warmed once, for all of it.
    for (const storeId of this.toWarm) {
      this.toWarm.delete(storeId);
      if (this.stopping.signal.aborted) return;
      try {
        await this.d.views.warmStore(storeId, this.stopping.signal);
        // The view is up to date: when the hub last synced is read from it again.
        this.d.storeCache?.indexed(storeId);
      } catch (error) {
        if (!this.stopping.signal.aborted) this.log(error);
      }
    }
  }

  private async pass(lane: Lane): Promise<FollowPass> {
    const result = emptyPass();
    const { dbs, updates, walkAt } = await this.databasesToRead(lane);
    let saved: Map<string, Checkpoint>;
    try {
      const ids = dbs.map((db) => checkpointId(lane, db));
      const found = await this.d.couch.byIds<Checkpoint>(CLOUD_DBS.follower, ids);
      saved = new Map(found.map((c) => [c._id, c]));
    } catch (error) {
      // Nothing of the list was read: all of it is the next pass's.
      this.wakeups?.giveBack(lane, dbs);
      throw error;
    }
    let failed = false;
    const queue = [...dbs];
    await Promise.all(
      Array.from({ length: Math.min(this.parallel, queue.length) }, async () => {
        for (let db = queue.shift(); db !== undefined; db = queue.shift()) {
          if (this.stopping.signal.aborted) {
            failed = true;
            break;
          }
          const id = checkpointId(lane, db);
          try {
            await this.followStore(lane, db, saved.get(id) ?? { _id: id }, result);
          } catch (error) {
            // This store is read again from its checkpoint next pass; the others go on.
            failed = true;
            this.wakeups?.giveBack(lane, [db]);
            this.log(error);
          }
        }
      }),
    );
    // A walk counts once its pass is through; a store it failed was given back above.
    if (walkAt !== undefined && !this.stopping.signal.aborted) this.wakeups?.walked(lane, walkAt);
    // A pass stopped halfway left some store unread: its updates must be read again.
    if (updates && !failed && !this.stopping.signal.aborted) {
      const { to, ...checkpoint } = updates;
      await this.saveCheckpoint(checkpoint, to);
    }
    return result;
  }
}

/** The customer a booking, a membership or a coupon is of: a store to look in for them. */
function customerOf(change: Change): string | undefined {
  const { id, doc } = change;
  if (change.deleted || !doc) return undefined;
  // A member or a coupon of the customer's is a store to look in too ("my memberships", "my
  // coupons"), booked there or not.
  if (!(id.startsWith('booking:') || id.startsWith('member:') || id.startsWith('coupon:'))) {
    return undefined;
  }
  const customerId = IdPartSchema.safeParse(doc.customerId);
  return customerId.success ? customerId.data : undefined;
}

function emptyPass(): FollowPass {
  return { stores: 0, changes: 0, customers: 0, refunded: 0, settled: 0, catalogued: [] };
}
