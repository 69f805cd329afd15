// Messages (C13): every event a customer or an owner should hear about becomes one message in
// their inbox, and is sent once on a channel: a WeChat subscribe message while the customer has an
// authorisation left for that template, else an SMS to a phone the cloud knows; promotional
// messages by SMS only, to customers who opted in and have not replied R. Outside urgent kinds
// nothing is sent in the store's quiet hours: it waits for their end (the inbox has it at once).
//
// Everything lives in the cloud-private `messages` database:
//   msg:<recipient>:<event key>   the message (the id makes a replayed event the same message)
//   due:<recipient>:<event key>   a send still to make, claimed by one instance at a time
//   contact:<customerId>          phone / openid, authorisations left, promotions opt-in
//   settings:<storeId>            the owner's switches, quiet hours and win-back
//   remind:<storeId>:<bookingId>  a booking to remind before its end
// Recipients are `c:<customerId>` and `o:<owner username>`. Several cloud instances may run
// this at once: messages are put-if-absent, sends are claimed through revisions. A send is at
// least once: an instance that dies between the gateway's OK and its own note of it leaves the
// send to be made again after the claim runs out (a minute).
import {
  ANSWER_PREFIX,
  BookingRequestIntentSchema,
  bookingDocId,
  PLATFORM_NOTICE_KINDS,
  PROMOTIONAL_KINDS,
  URGENT_KINDS,
  instantAt,
  localDateOf,
  localMinuteOfDay,
  messageAudience,
  messageWords,
  storeDbName,
  storeInboxDbName,
  intentDocId,
  HUB_ALIVE_ID,
  HubAliveDocSchema,
  type CustomerMessageKind,
  type InboxView,
  type MessageKind,
  type MessageSettings,
  type MessageTemplatesView,
  type MessageView,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';
import { DesignDocs } from '../design-docs';
import { MESSAGES_DB, MessageContacts } from './message-contacts';
import { MessageStores } from './message-stores';
import { sendTemplateSms, SmsSendError, type AliyunSmsConfig } from './aliyun-sms';
import {
  eventsOf,
  answerEvents,
  reminderEvents,
  voucherEvents,
  type AnsweredIntent,
  type MessageEvent,
} from './message-events';
import { WechatSendError, type WechatSubscribeClient } from './wechat-subscribe';

export { MESSAGES_DB };

export interface MessageChannels {
  sms?: {
    config: AliyunSmsConfig;
    /** The approved template of each kind. */
    templateCodes: Readonly<Record<MessageKind, string>>;
  };
  wechat?: {
    client: WechatSubscribeClient;
    /** The subscribe template of each customer kind (fields thing1 title, thing2 store, thing3 detail). */
    templateIds: Readonly<Record<CustomerMessageKind, string>>;
  };
}

export interface MessagesDeps {
  couch: CouchClient;
  clock: { now(): number };
  customerIdKey: string;
  channels: MessageChannels;
  log: (error: unknown) => void;
  /** A send claimed by an instance is its own for this long. */
  claimMs?: number;
}

interface MessageDoc extends CouchDoc {
  type: 'message';
  recipient: string;
  kind: MessageKind;
  storeId: string;
  bookingId?: string;
  title: string;
  body: string;
  params: Record<string, string>;
  at: string;
  read: boolean;
  delivery: {
    state: 'waiting' | 'sent' | 'inbox_only' | 'failed';
    channel?: 'wechat' | 'sms';
    at?: string;
    note?: string;
  };
}

interface DueDoc extends CouchDoc {
  type: 'due';
  messageId: string;
  deliverAtMs: number;
  attempts: number;
  claimedUntilMs?: number;
}

interface RemindDoc extends CouchDoc {
  type: 'remind';
  storeId: string;
  bookingId: string;
  end: string;
}

const customerKey = (customerId: string) => `c:${customerId}`;
const ownerKey = (username: string) => `o:${username}`;
const RETRY_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];

export interface DeliveryPass {
  sent: number;
  inboxOnly: number;
  failed: number;
  later: number;
}

export class Messages {
  private readonly claimMs: number;
  private ownersCache:
    { at: number; byStore: Map<string, { username: string; phone?: string }[]> } | undefined;
  private readonly winBackRun = new Map<string, number>();
  private readonly offlineRun = new Map<string, number>();
  private readonly views: DesignDocs;

  /** Whom the cloud may message and how. */
  readonly contacts: MessageContacts;
  /** Stores' settings, words and owners. */
  readonly stores: MessageStores;

  constructor(private readonly d: MessagesDeps) {
    this.claimMs = d.claimMs ?? 60_000;
    this.contacts = new MessageContacts(d);
    this.stores = new MessageStores(d);
    this.views = new DesignDocs({ couch: d.couch });
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

  /** A changed document of a store (the follower's): its messages made, reminders kept. */
  async fromChange(storeId: string, doc: CouchDoc): Promise<number> {
    const words = await this.stores.storeWords(storeId);
    if (!words) return 0;
    if (doc._id.startsWith('booking:')) await this.keepReminder(storeId, doc);
    if (doc._id.startsWith(ANSWER_PREFIX)) {
      // A refusal, or a confirmation naming no booking or order (a top-up's): worth the lookup.
      const refusal = doc.outcome === 'rejected' || doc.outcome === 'refused';
      const topUp = doc.outcome === 'confirmed' && !doc.bookingId && !doc.orderId;
      const intentId = typeof doc.intentId === 'string' ? doc.intentId : undefined;
      if (!(refusal || topUp) || !intentId) return 0;
      const intent = await this.answeredIntent(storeId, intentId);
      return this.record(answerEvents(storeId, doc, intent, words));
    }
    if (doc._id.startsWith('ledger:')) {
      if (doc.method !== 'voucher' || doc.kind !== 'payment') return 0;
      const booking =
        typeof doc.bookingId === 'string'
          ? await this.d.couch.get(storeDbName(storeId), bookingDocId(doc.bookingId))
          : undefined;
      return this.record(voucherEvents(storeId, doc, booking, words));
    }
    return this.record(eventsOf(storeId, doc, words));
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
    const request = BookingRequestIntentSchema.safeParse(
      await this.d.couch.get(storeInboxDbName(storeId), intentDocId(intentId)),
    );
    if (request.success) {
      const { roomId, start } = request.data.body.booking;
      out.booking = { roomId, start };
    }
    return out;
  }

  /** Makes each event's messages (once per recipient however often it comes); new ones counted. */
  async record(events: readonly MessageEvent[]): Promise<number> {
    let made = 0;
    for (const e of events) {
      const recipients =
        messageAudience(e.kind) === 'owner'
          ? (await this.stores.ownersOf(e.storeId)).map((o) => ownerKey(o.username))
          : e.customerId
            ? [customerKey(e.customerId)]
            : [];
      for (const r of recipients) if (await this.make(r, e)) made += 1;
    }
    return made;
  }

  private async make(recipient: string, e: MessageEvent): Promise<boolean> {
    const id = `msg:${recipient}:${e.key}`;
    if (await this.d.couch.get(MESSAGES_DB, id)) return false;
    const settings = await this.settings(e.storeId);
    const words = messageWords(e.kind, e.params);
    const nowMs = this.d.clock.now();
    const switchedOff = settings.off.includes(e.kind) && !PLATFORM_NOTICE_KINDS.includes(e.kind);
    const doc: MessageDoc = {
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
      delivery: switchedOff
        ? { state: 'inbox_only', note: 'switched off for this store' }
        : { state: 'waiting' },
    };
    try {
      await this.d.couch.put(MESSAGES_DB, doc);
    } catch (error) {
      if (isConflict(error)) return false; // another instance made it first
      throw error;
    }
    if (!switchedOff) {
      const due: DueDoc = {
        _id: `due:${recipient}:${e.key}`,
        type: 'due',
        messageId: id,
        deliverAtMs: await this.afterQuietHours(e, settings, nowMs),
        attempts: 0,
      };
      await this.d.couch.put(MESSAGES_DB, due).catch((error: unknown) => {
        if (!isConflict(error)) throw error;
      });
    }
    return true;
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

  private async keepReminder(storeId: string, doc: CouchDoc): Promise<void> {
    const b = doc as CouchDoc & {
      bookingId?: string;
      status?: string;
      end?: string;
      customerId?: string;
    };
    if (!b.bookingId || !b.end) return;
    const id = `remind:${storeId}:${b.bookingId}`;
    const existing = await this.d.couch.get<RemindDoc>(MESSAGES_DB, id);
    const wanted = Boolean(b.customerId) && (b.status === 'paid' || b.status === 'in_use');
    try {
      if (wanted && existing?.end !== b.end) {
        await this.d.couch.put(MESSAGES_DB, {
          _id: id,
          ...(existing?._rev ? { _rev: existing._rev } : {}),
          type: 'remind',
          storeId,
          bookingId: b.bookingId,
          end: b.end,
        });
      } else if (!wanted && existing) {
        await this.d.couch.put(MESSAGES_DB, { ...existing, _deleted: true });
      }
    } catch (error) {
      if (!isConflict(error)) throw error;
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
  async deliverDue(): Promise<DeliveryPass> {
    const pass: DeliveryPass = { sent: 0, inboxOnly: 0, failed: 0, later: 0 };
    const nowMs = this.d.clock.now();
    for (const due of await this.d.couch.byPrefix<DueDoc>(MESSAGES_DB, 'due:')) {
      if (due.deliverAtMs > nowMs) {
        pass.later += 1;
        continue;
      }
      if ((due.claimedUntilMs ?? 0) > nowMs) continue;
      let claimed: DueDoc;
      try {
        claimed = { ...due, claimedUntilMs: nowMs + this.claimMs };
        claimed._rev = await this.d.couch.put(MESSAGES_DB, claimed);
      } catch (error) {
        if (isConflict(error)) continue; // another instance has it
        throw error;
      }
      try {
        pass[await this.deliver(claimed, nowMs)] += 1;
      } catch (error) {
        this.d.log(error);
      }
    }
    return pass;
  }

  private async deliver(
    due: DueDoc,
    nowMs: number,
  ): Promise<'sent' | 'inboxOnly' | 'failed' | 'later'> {
    const msg = await this.d.couch.get<MessageDoc>(MESSAGES_DB, due.messageId);
    if (!msg || msg.delivery.state !== 'waiting') {
      await this.drop(due);
      return msg?.delivery.state === 'sent' ? 'sent' : 'inboxOnly';
    }
    let outcome: {
      state: MessageDoc['delivery']['state'];
      channel?: 'wechat' | 'sms';
      note?: string;
    };
    try {
      outcome = await this.send(msg);
    } catch (error) {
      const attempts = due.attempts + 1;
      const note = error instanceof Error ? error.message.slice(0, 200) : String(error);
      if (attempts > RETRY_MS.length || error instanceof SmsSendError) {
        // A refusal by the gateway (a bad number, a template not approved) is not tried again.
        await this.finish(msg, due, { state: 'failed', note }, nowMs);
        return 'failed';
      }
      await this.d.couch.put(MESSAGES_DB, {
        ...due,
        attempts,
        deliverAtMs: nowMs + RETRY_MS[attempts - 1]!,
        claimedUntilMs: 0,
      });
      return 'later';
    }
    await this.finish(msg, due, outcome, nowMs);
    return outcome.state === 'sent' ? 'sent' : 'inboxOnly';
  }

  private async finish(
    msg: MessageDoc,
    due: DueDoc,
    delivery: MessageDoc['delivery'],
    nowMs: number,
  ): Promise<void> {
    for (let m: MessageDoc | undefined = msg; m;) {
      try {
        await this.d.couch.put(MESSAGES_DB, {
          ...m,
          delivery: { ...delivery, at: new Date(nowMs).toISOString() },
        });
        break;
      } catch (error) {
        if (!isConflict(error)) throw error;
        m = await this.d.couch.get<MessageDoc>(MESSAGES_DB, msg._id); // marked read meanwhile
      }
    }
    await this.drop(due);
  }

  private async drop(due: DueDoc): Promise<void> {
    await this.d.couch.put(MESSAGES_DB, { ...due, _deleted: true }).catch((error: unknown) => {
      if (!isConflict(error)) throw error;
    });
  }

  /** Picks the channel and sends; what the message became. */
  private async send(
    msg: MessageDoc,
  ): Promise<{ state: 'sent' | 'inbox_only'; channel?: 'wechat' | 'sms'; note?: string }> {
    const { sms, wechat } = this.d.channels;
    if (msg.recipient.startsWith('o:')) {
      const owner = (await this.stores.ownersOf(msg.storeId)).find(
        (o) => ownerKey(o.username) === msg.recipient,
      );
      if (!owner?.phone || !sms) return { state: 'inbox_only', note: 'no phone for this owner' };
      await this.sms(owner.phone, msg);
      return { state: 'sent', channel: 'sms' };
    }
    const customerId = msg.recipient.slice(2);
    const contact = await this.contacts.get(customerId);
    if (PROMOTIONAL_KINDS.includes(msg.kind)) {
      if (!contact?.phone || !contact.promotions || contact.unsubscribedAt || !sms) {
        return { state: 'inbox_only', note: 'promotions go by SMS to customers who opted in' };
      }
      await this.sms(contact.phone, msg);
      return { state: 'sent', channel: 'sms' };
    }
    const kind = msg.kind as CustomerMessageKind;
    if (wechat && contact?.openid && (contact.grants[kind] ?? 0) > 0) {
      // The authorisation is used up first: if the send then fails, WeChat's count is spent too.
      await this.contacts.useGrant(customerId, kind);
      try {
        await wechat.client.send({
          openid: contact.openid,
          templateId: wechat.templateIds[kind],
          page: msg.bookingId ? `pages/h5/index?to=/orders/${msg.bookingId}` : 'pages/h5/index',
          data: {
            thing1: clip(msg.title),
            thing2: clip(msg.params.store ?? ''),
            thing3: clip(msg.body),
          },
        });
        return { state: 'sent', channel: 'wechat' };
      } catch (error) {
        // No authorisation after all (used elsewhere): SMS is the fallback.
        if (!(error instanceof WechatSendError && error.notAuthorised)) throw error;
      }
    }
    if (contact?.phone && sms) {
      await this.sms(contact.phone, msg);
      return { state: 'sent', channel: 'sms' };
    }
    return { state: 'inbox_only', note: 'no authorisation and no phone' };
  }

  private async sms(phone: string, msg: MessageDoc): Promise<void> {
    const sms = this.d.channels.sms!;
    await sendTemplateSms(
      sms.config,
      { phone, templateCode: sms.templateCodes[msg.kind], params: msg.params },
      this.d.clock.now(),
    );
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
}

export class MessageNotFound extends Error {
  constructor() {
    super('no such message in this inbox');
  }
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
/** A subscribe field holds at most 20 characters. */
const clip = (s: string) => ([...s].length <= 20 ? s : `${[...s].slice(0, 19).join('')}…`);
