// Messages (C13): every event a customer or an owner should hear about becomes one message in
// their inbox, and is sent once on a channel (message-delivery.ts: a WeChat subscribe message
// while the customer has an authorisation left for that template, else an SMS to a phone the cloud
// knows; promotional messages by SMS only, to customers who opted in and have not replied R).
// Outside urgent kinds nothing is sent in the store's quiet hours: it waits for their end (the
// inbox has it at once). This file makes messages and reads the inbox; the notices made from the
// cloud's own records (a request waiting or called off, a payment received) are cloud-notices.ts.
//
// Everything lives in the cloud-private `messages` database:
//   msg:<recipient>:<event key>   the message (the id makes a replayed event the same message)
//   due:<recipient>:<event key>   a send still to make, claimed by one instance at a time
//   contact:<customerId>          phone / openid, authorisations left, promotions opt-in
//   settings:<storeId>            the owner's switches, quiet hours and win-back
//   templates:<storeId>           the store's own words for some kinds (the owner's)
//   remind:<storeId>:<bookingId>  a booking to remind before its end
// Recipients are `c:<customerId>`, `o:<owner username>` and `s:<storeId>`: the store's own inbox,
// one per store, read and marked read by its owner and managers at the hub (a manager's read is
// the store's, never the owner's own inbox); it holds the owner kinds about that store alone (not
// the platform's notices to the merchant) and is never sent. Several cloud instances may run
// this at once: messages are put-if-absent, sends are claimed through revisions. A send is at
// least once: an instance that dies between the gateway's OK and its own note of it leaves the
// send to be made again after the claim runs out (a minute).
import {
  ANSWER_PREFIX,
  bookingDocId,
  PLATFORM_NOTICE_KINDS,
  URGENT_KINDS,
  instantAt,
  localDateOf,
  localMinuteOfDay,
  messageAudience,
  messageWords,
  storeDbName,
  HUB_ALIVE_ID,
  HubAliveDocSchema,
  type CustomerMessageKind,
  type InboxView,
  type MessageKind,
  type MessageSettings,
  type MessageTemplatesView,
  type StoreMessageTemplates,
  type MessageView,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';
import { DesignDocs } from '../design-docs';
import { MESSAGES_DB, MessageContacts } from './message-contacts';
import { MessageStores } from './message-stores';
import {
  eventsOf,
  answerEvents,
  reminderEvents,
  voucherEvents,
  type AnsweredIntent,
  type MessageEvent,
  type StoreWords,
} from './message-events';
import { CloudNotices, requestedBooking } from './cloud-notices';
import {
  MessageDelivery,
  customerKey,
  ownerKey,
  storeKey,
  type DeliveryPass,
  type DueDoc,
  type MessageChannels,
  type MessageDoc,
} from './message-delivery';

export { MESSAGES_DB };
export type { DeliveryPass, MessageChannels };

export interface MessagesDeps {
  couch: CouchClient;
  clock: { now(): number };
  customerIdKey: string;
  channels: MessageChannels;
  log: (error: unknown) => void;
  /** A send claimed by an instance is its own for this long. */
  claimMs?: number;
  /**
   * A customer's booking request unanswered this long is waiting for a store offline (a connected
   * hub answers within seconds): the customer is told so. Well under the request's expiry.
   */
  waitingNoticeMs?: number;
}

interface RemindDoc extends CouchDoc {
  type: 'remind';
  storeId: string;
  bookingId: string;
  end: string;
}

export class Messages {
  private readonly winBackRun = new Map<string, number>();
  /** Whether the platform lets marketing texts (win-back offers) go at all; yes until told. */
  marketingOn: () => Promise<boolean> = async () => true;
  private readonly offlineRun = new Map<string, number>();
  private readonly views: DesignDocs;

  /** Whom the cloud may message and how. */
  readonly contacts: MessageContacts;
  /** Stores' settings, words and owners. */
  readonly stores: MessageStores;
  private readonly delivery: MessageDelivery;
  private readonly notices: CloudNotices;

  constructor(private readonly d: MessagesDeps) {
    this.contacts = new MessageContacts(d);
    this.stores = new MessageStores(d);
    this.views = new DesignDocs({ couch: d.couch });
    // Asked at each promotional send: the switch may change while a message waits.
    this.delivery = new MessageDelivery(d, this.contacts, this.stores, () => this.marketingOn());
    this.notices = new CloudNotices({
      ...d,
      views: this.views,
      stores: this.stores,
      record: (events) => this.record(events),
    });
  }

  /** A signed-in customer's phone or openid (the sign-in tells it). */
  seen(c: { customerId: string; phone?: string; openid?: string }): Promise<void> {
    return this.contacts.seen(c);
  }

  /** The WeChat subscribe templates of these kinds; none when WeChat messages are not set up. */
  subscribeTemplates(kinds: readonly CustomerMessageKind[]): MessageTemplatesView {
    const ids = this.d.channels.wechat?.templateIds;
    if (!ids) return { channel: 'sms', templates: [] };
    return { channel: 'wechat', templates: kinds.map((kind) => ({ kind, templateId: ids[kind] })) };
  }

  settings(storeId: string): Promise<MessageSettings> {
    return this.stores.settings(storeId);
  }

  async init(): Promise<void> {
    await this.d.couch.requireDb(MESSAGES_DB);
  }

  // ---- from the stores' documents ------------------------------------------------------------

  /**
   * A page of a store's changed documents (the follower's): the reminders of its bookings kept
   * and its messages made, each kind of write in one request for the whole page.
   */
  async fromChanges(storeId: string, docs: readonly CouchDoc[]): Promise<number> {
    const words = await this.stores.storeWords(storeId);
    if (!words) return 0;
    await this.keepReminders(
      storeId,
      docs.filter((d) => d._id.startsWith('booking:')),
    );
    const events: MessageEvent[] = [];
    for (const doc of docs) events.push(...(await this.eventsFrom(storeId, doc, words)));
    return this.record(events);
  }

  /** What one changed document of a store tells, as messages to make. */
  private async eventsFrom(
    storeId: string,
    doc: CouchDoc,
    words: StoreWords,
  ): Promise<MessageEvent[]> {
    if (doc._id.startsWith(ANSWER_PREFIX)) {
      // A refusal, or a confirmation naming no booking or order (a top-up's): worth the lookup.
      const refusal = doc.outcome === 'rejected' || doc.outcome === 'refused';
      const topUp = doc.outcome === 'confirmed' && !doc.bookingId && !doc.orderId;
      const intentId = typeof doc.intentId === 'string' ? doc.intentId : undefined;
      if (!(refusal || topUp) || !intentId) return [];
      const intent = await this.answeredIntent(storeId, intentId);
      return answerEvents(storeId, doc, intent, words);
    }
    if (doc._id.startsWith('ledger:')) {
      if (doc.method !== 'voucher' || doc.kind !== 'payment') return [];
      const booking =
        typeof doc.bookingId === 'string'
          ? await this.d.couch.get(storeDbName(storeId), bookingDocId(doc.bookingId))
          : undefined;
      return voucherEvents(storeId, doc, booking, words);
    }
    return eventsOf(storeId, doc, words);
  }

  /**
   * The intent a store's answer is about, as the cloud recorded it (the answer does not name the
   * customer), with the booking a booking request asked for from the request in the store's inbox.
   */
  private async answeredIntent(
    storeId: string,
    intentId: string,
  ): Promise<AnsweredIntent | undefined> {
    const rows = await this.views.intents('by-intent', { key: intentId, includeDocs: true });
    const record = rows
      .map((r) => r.doc as (CouchDoc & Record<string, unknown>) | undefined)
      .find((d) => d?.storeId === storeId && typeof d.kind === 'string');
    if (!record) return undefined;
    const payment = record.payment as { amount?: unknown } | undefined;
    const out: AnsweredIntent = {
      kind: record.kind as string,
      ...(typeof record.customerId === 'string' ? { customerId: record.customerId } : {}),
      ...(typeof payment?.amount === 'number' && payment.amount > 0
        ? { held: payment.amount }
        : {}),
    };
    if (out.kind !== 'booking_request') return out;
    const booking = await requestedBooking(this.d.couch, storeId, intentId);
    return booking ? { ...out, booking } : out;
  }

  // ---- from the cloud's own records ------------------------------------------------------------

  /**
   * Customers' booking requests unanswered for a while (their store offline) and online payments
   * the channel found paid: each customer told once (cloud-notices.ts).
   */
  waitingRequests(): Promise<number> {
    return this.notices.waitingRequests();
  }

  paymentsReceived(): Promise<number> {
    return this.notices.paymentsReceived();
  }

  /** Booking requests the cloud called off unanswered at their expiry: each customer told once. */
  expiredRequests(): Promise<number> {
    return this.notices.expiredRequests();
  }

  /** Makes each event's messages (once per recipient however often it comes); new ones counted. */
  async record(events: readonly MessageEvent[]): Promise<number> {
    // Each message once: to each recipient its audience names, and the store's copy for its staff
    // at the hub (whether or not the store has an owner account), inbox only.
    const wanted = new Map<string, { recipient: string; e: MessageEvent; inboxOnly: boolean }>();
    for (const e of events) {
      const recipients =
        messageAudience(e.kind) === 'owner'
          ? (await this.stores.ownersOf(e.storeId)).map((o) => ownerKey(o.username))
          : e.customerId
            ? [customerKey(e.customerId)]
            : [];
      const add = (recipient: string, inboxOnly: boolean) => {
        const id = `msg:${recipient}:${e.key}`;
        if (!wanted.has(id)) wanted.set(id, { recipient, e, inboxOnly });
      };
      for (const r of recipients) add(r, false);
      if (storeHears(e.kind)) add(storeKey(e.storeId), true);
    }
    if (wanted.size === 0) return 0;
    const made = new Set(
      (await this.d.couch.byIds(MESSAGES_DB, [...wanted.keys()])).map((d) => d._id),
    );
    const nowMs = this.d.clock.now();
    const perStore = new Map<
      string,
      Promise<{ settings: MessageSettings; own: StoreMessageTemplates }>
    >();
    const storeOf = (storeId: string) => {
      let found = perStore.get(storeId);
      if (!found) {
        found = Promise.all([this.settings(storeId), this.stores.templates(storeId)]).then(
          ([settings, own]) => ({ settings, own }),
        );
        perStore.set(storeId, found);
      }
      return found;
    };
    const docs: MessageDoc[] = [];
    const dues: { id: string; sent: boolean; e: MessageEvent; settings: MessageSettings }[] = [];
    for (const [id, { recipient, e, inboxOnly }] of wanted) {
      if (made.has(id)) continue;
      const { settings, own } = await storeOf(e.storeId);
      // The store's own words when the owner wrote some for this kind; a message once made keeps
      // its.
      const words = messageWords(e.kind, e.params, own[e.kind]);
      const switchedOff = settings.off.includes(e.kind) && !PLATFORM_NOTICE_KINDS.includes(e.kind);
      const sent = !inboxOnly && !switchedOff;
      docs.push({
        _id: id,
        type: 'message',
        recipient,
        kind: e.kind,
        storeId: e.storeId,
        ...(e.bookingId ? { bookingId: e.bookingId } : {}),
        ...words,
        params: e.params,
        at: e.at,
        read: false,
        delivery: inboxOnly
          ? { state: 'inbox_only', note: "the store's inbox" }
          : switchedOff
            ? { state: 'inbox_only', note: 'switched off for this store' }
            : { state: 'waiting' },
      });
      dues.push({ id, sent, e, settings });
    }
    if (docs.length === 0) return 0;
    const results = await this.d.couch.bulkDocs(MESSAGES_DB, docs);
    const dueDocs: DueDoc[] = [];
    let count = 0;
    for (const [i, r] of results.entries()) {
      if ('error' in r) {
        if (isConflict(r.error)) continue; // another instance made it first
        throw r.error;
      }
      const { id, sent, e, settings } = dues[i]!;
      if (!id.startsWith(`msg:${storeKey(e.storeId)}:`)) count += 1;
      if (!sent) continue;
      dueDocs.push({
        _id: `due:${id.slice('msg:'.length)}`,
        type: 'due',
        messageId: id,
        deliverAtMs: await this.afterQuietHours(e, settings, nowMs),
        attempts: 0,
      });
    }
    if (dueDocs.length > 0) {
      for (const r of await this.d.couch.bulkDocs(MESSAGES_DB, dueDocs)) {
        if ('error' in r && !isConflict(r.error)) throw r.error;
      }
    }
    return count;
  }

  /** When a message may go out: now, or at the end of the store's quiet hours. */
  private async afterQuietHours(
    e: MessageEvent,
    settings: MessageSettings,
    nowMs: number,
  ): Promise<number> {
    const q = settings.quietHours;
    if (!q || URGENT_KINDS.includes(e.kind)) return nowMs;
    const words = await this.stores.storeWords(e.storeId);
    if (!words) return nowMs;
    const tz = words.timeZone;
    const minute = localMinuteOfDay(nowMs, tz);
    const from = toMinutes(q.from);
    const to = toMinutes(q.to);
    const quiet = from <= to ? minute >= from && minute < to : minute >= from || minute < to;
    if (!quiet) return nowMs;
    const today = localDateOf(nowMs, tz);
    const endToday = instantAt(today, to, tz);
    return endToday > nowMs ? endToday : instantAt(localDateOf(nowMs + 86_400_000, tz), to, tz);
  }

  // ---- reminders and win-back ------------------------------------------------------------------

  /**
   * The reminders of a page's bookings: one to keep for each paid or running booking of a
   * signed-in customer (moved with its end), none for the others. One read and one write.
   */
  private async keepReminders(storeId: string, docs: readonly CouchDoc[]): Promise<void> {
    const bookings = new Map<string, { end: string; wanted: boolean }>();
    for (const doc of docs) {
      const b = doc as CouchDoc & {
        bookingId?: string;
        status?: string;
        end?: string;
        customerId?: string;
      };
      if (!b.bookingId || !b.end) continue;
      bookings.set(`remind:${storeId}:${b.bookingId}`, {
        end: b.end,
        wanted: Boolean(b.customerId) && (b.status === 'paid' || b.status === 'in_use'),
      });
    }
    if (bookings.size === 0) return;
    const existing = new Map(
      (await this.d.couch.byIds<RemindDoc>(MESSAGES_DB, [...bookings.keys()])).map((r) => [
        r._id,
        r,
      ]),
    );
    const writes: CouchDoc[] = [];
    for (const [id, { end, wanted }] of bookings) {
      const had = existing.get(id);
      if (wanted && had?.end !== end) {
        writes.push({
          _id: id,
          ...(had?._rev ? { _rev: had._rev } : {}),
          type: 'remind',
          storeId,
          bookingId: id.slice(`remind:${storeId}:`.length),
          end,
        });
      } else if (!wanted && had) {
        writes.push({ ...had, _deleted: true });
      }
    }
    if (writes.length === 0) return;
    // Another instance kept the same reminder meanwhile: theirs stands.
    for (const r of await this.d.couch.bulkDocs(MESSAGES_DB, writes)) {
      if ('error' in r && !isConflict(r.error)) throw r.error;
    }
  }

  /** The 15- and 5-minute reminders now due, made from each booking as its store published it. */
  async remindDue(): Promise<number> {
    const nowMs = this.d.clock.now();
    let made = 0;
    for (const r of await this.d.couch.byPrefix<RemindDoc>(MESSAGES_DB, 'remind:')) {
      const endMs = Date.parse(r.end);
      if (nowMs < endMs - 15 * 60_000) continue;
      if (nowMs < endMs) {
        const words = await this.stores.storeWords(r.storeId);
        const booking = await this.d.couch.get(storeDbName(r.storeId), `booking:${r.bookingId}`);
        if (words && booking)
          made += await this.record(reminderEvents(r.storeId, booking, words, nowMs));
      } else {
        await this.d.couch.put(MESSAGES_DB, { ...r, _deleted: true }).catch((error: unknown) => {
          if (!isConflict(error)) throw error;
        });
      }
    }
    return made;
  }

  /**
   * Members who have not come for the store's win-back period get one recall message per absence
   * (keyed by their last visit), promotional, so by SMS only to those who opted in. Each store is
   * looked at once an hour.
   */
  async winBack(storeIds: readonly string[]): Promise<number> {
    // The platform may stop marketing texts altogether (its system settings).
    if (!(await this.marketingOn())) return 0;
    const nowMs = this.d.clock.now();
    let made = 0;
    for (const storeId of storeIds) {
      if ((this.winBackRun.get(storeId) ?? 0) > nowMs - 3_600_000) continue;
      this.winBackRun.set(storeId, nowMs);
      const settings = await this.settings(storeId);
      const words = await this.stores.storeWords(storeId);
      if (settings.winBackDays === null || !words) continue;
      const cutoff = nowMs - settings.winBackDays * 86_400_000;
      const members = await this.d.couch.byPrefix(storeDbName(storeId), 'member:');
      const events: MessageEvent[] = [];
      for (const m of members as (CouchDoc & {
        customerId?: string;
        lastVisitAt?: string | null;
      })[]) {
        if (!m.customerId || !m.lastVisitAt || Date.parse(m.lastVisitAt) > cutoff) continue;
        events.push({
          key: `winback:${storeId}:${m.lastVisitAt}`,
          kind: 'win_back',
          storeId,
          customerId: m.customerId,
          at: new Date(nowMs).toISOString(),
          params: { store: words.name, offer: settings.winBackOffer },
        });
      }
      made += await this.record(events);
    }
    return made;
  }

  /**
   * Owners of stores not heard from for longer than their threshold get one message per silence
   * (keyed by when the hub last said it was alive). Each store is looked at once a minute.
   */
  async offlineAlerts(storeIds: readonly string[]): Promise<number> {
    const nowMs = this.d.clock.now();
    let made = 0;
    for (const storeId of storeIds) {
      if ((this.offlineRun.get(storeId) ?? 0) > nowMs - 60_000) continue;
      this.offlineRun.set(storeId, nowMs);
      const { offlineAlertMinutes } = await this.settings(storeId);
      const alive = HubAliveDocSchema.safeParse(
        await this.d.couch.get(storeDbName(storeId), HUB_ALIVE_ID),
      );
      const words = await this.stores.storeWords(storeId);
      if (offlineAlertMinutes === null || !alive.success || !words) continue;
      const silentMs = nowMs - Date.parse(alive.data.at);
      if (silentMs < offlineAlertMinutes * 60_000) continue;
      made += await this.record([
        {
          key: `offline:${alive.data.at}`,
          kind: 'store_offline',
          storeId,
          at: new Date(nowMs).toISOString(),
          params: { store: words.name, minutes: String(Math.floor(silentMs / 60_000)) },
        },
      ]);
    }
    return made;
  }

  // ---- sending ---------------------------------------------------------------------------------

  /** Sends every message that is due, each claimed so that one instance sends it. */
  deliverDue(): Promise<DeliveryPass> {
    return this.delivery.deliverDue();
  }

  // ---- inbox ---------------------------------------------------------------------------------------

  async inbox(recipient: string, limit = 50): Promise<InboxView> {
    const docs = await this.d.couch.byPrefix<MessageDoc>(MESSAGES_DB, `msg:${recipient}:`);
    const sorted = docs.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    const prefix = `msg:${recipient}:`.length;
    return {
      unread: docs.filter((d) => !d.read).length,
      messages: sorted.slice(0, limit).map((d): MessageView => ({
        id: d._id.slice(prefix),
        kind: d.kind,
        storeId: d.storeId,
        title: d.title,
        body: d.body,
        at: d.at,
        read: d.read,
        ...(d.bookingId ? { bookingId: d.bookingId } : {}),
      })),
    };
  }

  /** Marks one message read (or every one, without an id); the unread count after. */
  async markRead(recipient: string, messageId?: string): Promise<{ unread: number }> {
    const docs = messageId
      ? [await this.d.couch.get<MessageDoc>(MESSAGES_DB, `msg:${recipient}:${messageId}`)]
      : await this.d.couch.byPrefix<MessageDoc>(MESSAGES_DB, `msg:${recipient}:`);
    if (messageId && !docs[0]) throw new MessageNotFound();
    for (let doc of docs) {
      while (doc && !doc.read) {
        try {
          await this.d.couch.put(MESSAGES_DB, { ...doc, read: true });
          break;
        } catch (error) {
          if (!isConflict(error)) throw error;
          doc = await this.d.couch.get<MessageDoc>(MESSAGES_DB, doc._id);
        }
      }
    }
    return { unread: (await this.inbox(recipient, 0)).unread };
  }

  static customer = customerKey;
  static owner = ownerKey;
  static store = storeKey;
}

/**
 * What the store's staff hear: the owner's kinds about the store, but not the platform's notices
 * to the merchant (a complaint, a penalty), which are the owner's and may name their other stores.
 */
const storeHears = (kind: MessageKind) =>
  messageAudience(kind) === 'owner' && !PLATFORM_NOTICE_KINDS.includes(kind);

export class MessageNotFound extends Error {
  constructor() {
    super('no such message in this inbox');
  }
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
