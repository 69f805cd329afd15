// Whom the cloud may message and how: a customer's phone (learned at an SMS sign-in) and WeChat
// openid (at a WeChat sign-in), the subscribe-message authorisations they gave (one message each),
// and whether they take offers by SMS (opted in, and not unsubscribed by a reply of R). One
// document per customer in `messages` (`contact:<customerId>`), changed through its revision.
import {
  CLOUD_DBS,
  customerIdForPhone,
  type CustomerMessageKind,
  type MessageKind,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';

export const MESSAGES_DB = CLOUD_DBS.messages;

export interface ContactDoc extends CouchDoc {
  type: 'contact';
  phone?: string;
  openid?: string;
  /** Authorisations left per template kind (each WeChat "allow" is one message). */
  grants: Partial<Record<MessageKind, number>>;
  promotions: boolean;
  unsubscribedAt?: string;
}

export class MessageContacts {
  constructor(
    private readonly d: { couch: CouchClient; clock: { now(): number }; customerIdKey: string },
  ) {}

  get(customerId: string): Promise<ContactDoc | undefined> {
    return this.d.couch.get<ContactDoc>(MESSAGES_DB, `contact:${customerId}`);
  }

  /** Changes a contact through its revision (two instances may race on one customer). */
  private async change(
    customerId: string,
    fn: (c: ContactDoc) => ContactDoc | null,
  ): Promise<ContactDoc> {
    for (;;) {
      const current: ContactDoc = (await this.get(customerId)) ?? {
        _id: `contact:${customerId}`,
        type: 'contact',
        grants: {},
        promotions: false,
      };
      const next = fn(current);
      if (!next) return current;
      try {
        return { ...next, _rev: await this.d.couch.put(MESSAGES_DB, next) };
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  /** A signed-in customer's phone and WeChat openid, for sending. */
  async seen(c: { customerId: string; phone?: string; openid?: string }): Promise<void> {
    await this.change(c.customerId, (cur) =>
      (c.phone && cur.phone !== c.phone) || (c.openid && cur.openid !== c.openid)
        ? {
            ...cur,
            ...(c.phone ? { phone: c.phone } : {}),
            ...(c.openid ? { openid: c.openid } : {}),
          }
        : null,
    );
  }

  /** The customer allowed these subscribe templates once each (the mini-program asked at payment). */
  async grant(
    customerId: string,
    kinds: readonly CustomerMessageKind[],
  ): Promise<Record<string, number>> {
    const c = await this.change(customerId, (cur) => {
      const grants = { ...cur.grants };
      for (const k of kinds) grants[k] = (grants[k] ?? 0) + 1;
      return { ...cur, grants };
    });
    return c.grants as Record<string, number>;
  }

  /** One authorisation of `kind` used (before the send: WeChat counts it spent either way). */
  async useGrant(customerId: string, kind: MessageKind): Promise<void> {
    await this.change(customerId, (cur) => ({
      ...cur,
      grants: { ...cur.grants, [kind]: Math.max(0, (cur.grants[kind] ?? 0) - 1) },
    }));
  }

  /** Promotions by SMS on or off; turning them on again after R is the customer's own choice. */
  async promotions(customerId: string, optIn: boolean): Promise<{ optIn: boolean }> {
    const c = await this.change(customerId, (cur) => {
      const { unsubscribedAt: _gone, ...rest } = cur;
      return optIn ? { ...rest, promotions: true } : { ...cur, promotions: false };
    });
    return { optIn: c.promotions && !c.unsubscribedAt };
  }

  /** A customer's SMS reply: R, T, TD, 退订... unsubscribes that phone from promotions. */
  async replied(phone: string, content: string, words: readonly string[]): Promise<boolean> {
    if (!/^1\d{10}$/.test(phone)) return false;
    const text = content.trim().toUpperCase();
    if (!words.some((w) => text === w.toUpperCase())) return false;
    const customerId = customerIdForPhone(phone, this.d.customerIdKey);
    await this.change(customerId, (cur) => ({
      ...cur,
      phone,
      promotions: false,
      unsubscribedAt: new Date(this.d.clock.now()).toISOString(),
    }));
    return true;
  }

  /** The customer's contact gone (their account deleted): nothing more is sent to them. */
  async forget(customerId: string): Promise<void> {
    for (;;) {
      const current = await this.get(customerId);
      if (!current) return;
      try {
        await this.d.couch.put(MESSAGES_DB, { ...current, _deleted: true });
        return;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }
}
