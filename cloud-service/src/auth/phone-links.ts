// A customer who signed in with WeChat proves a phone once, by a code texted to it, and is that
// phone's customer from then on: the customer id the hubs derive from the phone (members, wallets,
// coupons, member codes) and the phone on their bookings, at every later WeChat sign-in too.
// The link is `phone-link:<WeChat customer id>` in the cloud-private `customers` database, with
// `linked-wechat:<phone's customer id>:<WeChat customer id>` to find it from the phone; only the
// sign-in writes them; the phone's customer may remove a link (a WeChat account they do not know),
// and deleting either account removes both.
import { CLOUD_DBS, DomainError, notFound, type Clock } from '@roomhub/shared-types';
import { z } from 'zod';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';

const linkId = (wechatCustomerId: string) => `phone-link:${wechatCustomerId}`;
const backId = (phoneCustomerId: string, wechatCustomerId: string) =>
  `linked-wechat:${phoneCustomerId}:${wechatCustomerId}`;

const PhoneLinkDoc = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('phone_link'),
  phone: z.string(),
  /** The phone's customer id, to find what to remove when that account is deleted. */
  phoneCustomerId: z.string(),
  linkedAt: z.string(),
});

export class PhoneLinks {
  constructor(
    private readonly couch: CouchClient,
    private readonly clock: Clock,
  ) {}

  /** The phone a WeChat customer proved, if they did. */
  async phoneOf(wechatCustomerId: string): Promise<string | undefined> {
    const doc = PhoneLinkDoc.safeParse(
      await this.couch.get(CLOUD_DBS.customers, linkId(wechatCustomerId)),
    );
    return doc.success ? doc.data.phone : undefined;
  }

  /**
   * Links (or links again, to another proven phone) the WeChat customer to `phone`. The way back
   * from the phone is written first, so a link is never without it; linked again, the way back
   * from the former phone goes.
   */
  async link(wechatCustomerId: string, phone: string, phoneCustomerId: string): Promise<void> {
    const back = backId(phoneCustomerId, wechatCustomerId);
    if (!(await this.couch.get(CLOUD_DBS.customers, back))) {
      try {
        await this.couch.put(CLOUD_DBS.customers, { _id: back, type: 'phone_link_back' });
      } catch (error) {
        // Made at the same moment by the same link; anything else is a failed link.
        if (!isConflict(error)) throw error;
      }
    }
    for (let race = 0; ; race += 1) {
      const existing = PhoneLinkDoc.safeParse(
        await this.couch.get(CLOUD_DBS.customers, linkId(wechatCustomerId)),
      );
      try {
        await this.couch.put(CLOUD_DBS.customers, {
          _id: linkId(wechatCustomerId),
          ...(existing.success ? { _rev: existing.data._rev } : {}),
          type: 'phone_link',
          phone,
          phoneCustomerId,
          linkedAt: new Date(this.clock.now()).toISOString(),
        });
      } catch (error) {
        // Two links at once from one WeChat account: the later one wins, as it would in turn.
        if (race >= 3) throw error;
        continue;
      }
      const former = existing.success ? existing.data.phoneCustomerId : undefined;
      if (former !== undefined && former !== phoneCustomerId) {
        await this.remove([backId(former, wechatCustomerId)]);
      }
      return;
    }
  }

  /** Whether the WeChat customer is still linked to this phone's customer (not removed since). */
  async linked(wechatCustomerId: string, phoneCustomerId: string): Promise<boolean> {
    const doc = PhoneLinkDoc.safeParse(
      await this.couch.get(CLOUD_DBS.customers, linkId(wechatCustomerId)),
    );
    return doc.success && doc.data.phoneCustomerId === phoneCustomerId;
  }

  /** The WeChat accounts linked to the phone's customer, oldest first, with when. */
  async linkedTo(phoneCustomerId: string): Promise<{ wechatId: string; linkedAt: string }[]> {
    const backs = await this.couch.byPrefix(
      CLOUD_DBS.customers,
      `linked-wechat:${phoneCustomerId}:`,
    );
    const wechatIds = backs.map((b) => b._id.split(':')[2]!);
    return (await this.couch.byIds(CLOUD_DBS.customers, wechatIds.map(linkId)))
      .map((doc) => PhoneLinkDoc.safeParse(doc))
      .flatMap((p) => (p.success && p.data.phoneCustomerId === phoneCustomerId ? [p.data] : []))
      .map((l) => ({ wechatId: l._id.slice('phone-link:'.length), linkedAt: l.linkedAt }))
      .sort((a, b) => a.linkedAt.localeCompare(b.linkedAt));
  }

  /**
   * Removes one WeChat account's link to the phone's customer, at the phone holder's wish (a
   * number given to someone new keeps the former holder's link until then): that WeChat account
   * signs in as itself again, and its sessions as the phone's customer end. 404 when there is no
   * such link.
   */
  async unlink(phoneCustomerId: string, wechatCustomerId: string): Promise<void> {
    const link = PhoneLinkDoc.safeParse(
      await this.couch.get(CLOUD_DBS.customers, linkId(wechatCustomerId)),
    );
    if (!link.success || link.data.phoneCustomerId !== phoneCustomerId || !link.data._rev) {
      throw notFound('wechat_link', wechatCustomerId, 'wechatId');
    }
    // The link as read: one since made to another phone (or removed by a second tap) stays.
    try {
      await this.couch.put(CLOUD_DBS.customers, {
        _id: link.data._id,
        _rev: link.data._rev,
        _deleted: true,
      });
    } catch (error) {
      if (!isConflict(error)) throw error;
      throw notFound('wechat_link', wechatCustomerId, 'wechatId');
    }
    await this.remove([backId(phoneCustomerId, wechatCustomerId)]);
  }

  /**
   * Removes the links made from or to these customer ids (an account deleted): a WeChat id's own
   * link, and every WeChat link to a phone id; a link since made to another phone is kept.
   */
  async forget(customerIds: readonly string[]): Promise<void> {
    const ids = new Set(customerIds);
    const backs: CouchDoc[] = [];
    for (const id of ids) {
      backs.push(...(await this.couch.byPrefix(CLOUD_DBS.customers, `linked-wechat:${id}:`)));
    }
    const wechatIds = new Set([...ids, ...backs.map((b) => b._id.split(':')[2]!)]);
    const links = (await this.couch.byIds(CLOUD_DBS.customers, [...wechatIds].map(linkId)))
      .map((doc) => PhoneLinkDoc.safeParse(doc))
      .flatMap((p) => (p.success ? [p.data] : []))
      .filter((l) => ids.has(l._id.slice('phone-link:'.length)) || ids.has(l.phoneCustomerId));
    await this.remove([...links.map((l) => l._id), ...backs.map((b) => b._id)]);
  }

  private async remove(docIds: string[]): Promise<void> {
    for (const doc of await this.couch.byIds(CLOUD_DBS.customers, docIds)) {
      if (!doc._rev) continue;
      try {
        await this.couch.put(CLOUD_DBS.customers, {
          _id: doc._id,
          _rev: doc._rev,
          _deleted: true,
        });
      } catch (error) {
        // Removed (or written again) by another request at the same moment.
        if (!isConflict(error)) throw error;
      }
    }
  }
}

/**
 * What needs the customer's own phone (coupons, points, wallets, member codes, tables) refuses a
 * customer who signed in with WeChat and has not linked one; `what` says what they were doing.
 */
export function phoneNotLinked(what: string): DomainError {
  return new DomainError(
    'invalid',
    'phone_not_linked',
    `link your phone (a texted code) to ${what}`,
    'phone',
  );
}
