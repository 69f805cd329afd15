// Sending messages through their channels (C13): every message still due is claimed by one
// instance at a time (its `due:` document's revision) and sent on a channel: a WeChat subscribe
// message while the customer has an authorisation left for that template, else an SMS to a phone
// the cloud knows; promotional messages by SMS only, to customers who opted in and have not
// replied R, and none while the platform has marketing texts off (the inbox keeps them); an
// owner's by SMS to the phone on their account. What each became is noted on the message; a send
// that failed for a while is tried again later, a gateway's refusal is not.
// Making and reading messages is messages.ts.
import {
  PROMOTIONAL_KINDS,
  type CustomerMessageKind,
  type MessageKind,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';
import { MESSAGES_DB, type MessageContacts } from './message-contacts';
import type { MessageStores } from './message-stores';
import { sendTemplateSms, SmsSendError, type AliyunSmsConfig } from './aliyun-sms';
import { WechatSendError, type WechatSubscribeClient } from './wechat-subscribe';

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

export interface MessageDoc extends CouchDoc {
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

export interface DueDoc extends CouchDoc {
  type: 'due';
  messageId: string;
  deliverAtMs: number;
  attempts: number;
  claimedUntilMs?: number;
}

export const customerKey = (customerId: string) => `c:${customerId}`;
export const ownerKey = (username: string) => `o:${username}`;
/** The store's own inbox, its staff's at the hub: never sent on a channel. */
export const storeKey = (storeId: string) => `s:${storeId}`;
const RETRY_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];

export interface DeliveryPass {
  sent: number;
  inboxOnly: number;
  failed: number;
  later: number;
}

export interface MessageDeliveryDeps {
  couch: CouchClient;
  clock: { now(): number };
  channels: MessageChannels;
  log: (error: unknown) => void;
  /** A send claimed by an instance is its own for this long. */
  claimMs?: number;
}

export class MessageDelivery {
  private readonly claimMs: number;

  constructor(
    private readonly d: MessageDeliveryDeps,
    private readonly contacts: MessageContacts,
    private readonly stores: MessageStores,
    /** Whether the platform lets marketing texts go, asked when one is about to. */
    private readonly marketingOn: () => Promise<boolean> = async () => true,
  ) {
    this.claimMs = d.claimMs ?? 60_000;
  }

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
      if (!(await this.marketingOn()))
        return { state: 'inbox_only', note: 'marketing texts are off on the platform' };
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
}

/** A subscribe field holds at most 20 characters. */
const clip = (s: string) => ([...s].length <= 20 ? s : `${[...s].slice(0, 19).join('')}…`);
