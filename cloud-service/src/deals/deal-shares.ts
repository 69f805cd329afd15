// Sharing a deal (C12): a signed-in customer's share of a deal on sale, the same code each time
// they share it, and what the code does when a friend comes through it: buying the deal or joining
// the store asks the store (a signed `referral` intent) to record the referral under its referral
// campaigns, which the store alone runs and decides (the friend's coupon at once, the sharer's
// when the friend first pays). The code names nobody; the cloud keeps whose it is in the `deals`
// database: `share:<code>` and `sharer:<customerId>:<dealId>` pointing at it. A code that is
// unknown, the friend's own, for another store or without phones on both sides credits nobody and
// refuses nothing: the friend still buys. Never writes a store's database.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  CLOUD_DBS,
  ShareCodeSchema,
  type Clock,
  type DealShareView,
  type OnlineDealView,
} from '@roomhub/shared-types';
import { customerIds, type CustomerIdentity } from '../auth/tokens';
import { isConflict, type CouchClient } from '../couch';
import type { IntentService } from '../intents/intents';

const ShareRecordSchema = z.object({
  _id: z.string().startsWith('share:'),
  type: z.literal('deal_share'),
  shareId: ShareCodeSchema,
  customerId: z.string(),
  /** The sharer's phone, as they signed in with it: the store rewards them by it. */
  phone: z.string().nullable(),
  storeId: z.string(),
  dealId: z.string(),
  createdAt: z.string(),
});
export type ShareRecord = z.infer<typeof ShareRecordSchema>;

const SharerSchema = z.object({ _id: z.string(), shareId: ShareCodeSchema });

const shareDocId = (code: string) => `share:${code}`;
const sharerDocId = (customerId: string, dealId: string) => `sharer:${customerId}:${dealId}`;

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** Bytes at or above this are dropped, so every letter of the alphabet is as likely. */
const UNBIASED = 256 - (256 % ALPHABET.length);

/** A new share code: 12 characters of the alphabet (about 70 bits), no look-alikes (I, O, l, 0, 1). */
function newShareCode(): string {
  let out = '';
  while (out.length < 12) {
    for (const b of randomBytes(16)) {
      if (b < UNBIASED && out.length < 12) out += ALPHABET[b % ALPHABET.length];
    }
  }
  return out;
}

/** The page of a deal on the customer's pages, and the same with a share code. */
export function dealPagePath(storeId: string, dealId: string, code?: string): string {
  const path = `/h5/stores/${encodeURIComponent(storeId)}/deals/${encodeURIComponent(dealId)}`;
  return code ? `${path}?share=${code}` : path;
}

export interface DealSharesDeps {
  couch: CouchClient;
  clock: Clock;
  intents: IntentService;
  /** A deal is shared only while it is on sale as customers see it. */
  /** The deal as customers see it (deal-sales.ts); refuses one not on sale. */
  sales: { deal(dealId: string): Promise<OnlineDealView> };
}

/** Who came through a link, and how: bought the deal (its voucher) or joined the store. */
export interface Newcomer {
  who: Pick<CustomerIdentity, 'customerId' | 'formerId' | 'linkedIds'>;
  /** Their phone, as the store knows them. */
  phone: string | null;
  storeId: string;
  via: 'deal' | 'join';
  voucherId?: string;
}

export class DealShares {
  constructor(private readonly d: DealSharesDeps) {}

  /** The customer's share of a deal on sale: made the first time, the same one after. */
  async share(who: CustomerIdentity, dealId: string): Promise<DealShareView> {
    const deal = await this.d.sales.deal(dealId);
    const record = await this.recordOf(who, deal.storeId, dealId);
    return {
      shareId: record.shareId,
      storeId: record.storeId,
      dealId: record.dealId,
      path: dealPagePath(record.storeId, record.dealId, record.shareId),
      title: deal.title,
    };
  }

  /** The share a code names, if any. */
  async find(code: string): Promise<ShareRecord | undefined> {
    if (!ShareCodeSchema.safeParse(code).success) return undefined;
    const parsed = ShareRecordSchema.safeParse(
      await this.d.couch.get(CLOUD_DBS.deals, shareDocId(code)),
    );
    return parsed.success && parsed.data.shareId === code ? parsed.data : undefined;
  }

  /**
   * A friend came through a share link and bought or joined: the store is asked to record the
   * referral, once per friend and store (the first link they came through). Nothing is asked
   * when the code credits nobody. Whether it rewards anyone is the store's to say.
   */
  async credit(code: string | undefined, newcomer: Newcomer): Promise<boolean> {
    if (!code || !newcomer.phone) return false;
    const share = await this.find(code);
    const own = customerIds(newcomer.who);
    if (
      !share ||
      !share.phone ||
      share.storeId !== newcomer.storeId ||
      own.includes(share.customerId) ||
      share.phone === newcomer.phone
    ) {
      return false;
    }
    await this.d.intents.submit({
      storeId: newcomer.storeId,
      by: { customerId: newcomer.who.customerId },
      kind: 'referral',
      body: {
        referrer: share.phone,
        referee: newcomer.phone,
        via: newcomer.via,
        ...(newcomer.voucherId ? { voucherId: newcomer.voucherId } : {}),
      },
      idempotencyKey: 'referral',
    });
    return true;
  }

  private async recordOf(
    who: CustomerIdentity,
    storeId: string,
    dealId: string,
  ): Promise<ShareRecord> {
    const known = await this.known(who.customerId, dealId);
    if (known) return known;
    const record: ShareRecord = {
      _id: shareDocId(newShareCode()),
      type: 'deal_share',
      shareId: '',
      customerId: who.customerId,
      phone: who.phone ?? null,
      storeId,
      dealId,
      createdAt: new Date(this.d.clock.now()).toISOString(),
    };
    record.shareId = record._id.slice('share:'.length);
    await this.d.couch.put(CLOUD_DBS.deals, record);
    try {
      await this.d.couch.put(CLOUD_DBS.deals, {
        _id: sharerDocId(who.customerId, dealId),
        shareId: record.shareId,
      });
      return record;
    } catch (error) {
      // Shared at the same moment from another tab: theirs stands (this code names nobody's link).
      if (!isConflict(error)) throw error;
      const theirs = await this.known(who.customerId, dealId);
      if (!theirs) throw error;
      return theirs;
    }
  }

  private async known(customerId: string, dealId: string): Promise<ShareRecord | undefined> {
    const pointer = SharerSchema.safeParse(
      await this.d.couch.get(CLOUD_DBS.deals, sharerDocId(customerId, dealId)),
    );
    return pointer.success ? this.find(pointer.data.shareId) : undefined;
  }
}

/**
 * A deleted account's shares: their links credit nobody from now on and the phone they kept is
 * gone. Called by the account's deletion.
 */
export async function forgetShares(couch: CouchClient, customerIds: string[]): Promise<void> {
  for (const customerId of customerIds) {
    const pointers = await couch.byPrefix(CLOUD_DBS.deals, `sharer:${customerId}:`);
    for (const pointer of pointers) {
      const p = SharerSchema.safeParse(pointer);
      if (p.success) {
        const share = await couch.get(CLOUD_DBS.deals, shareDocId(p.data.shareId));
        if (share?._rev) {
          await couch.put(CLOUD_DBS.deals, { _id: share._id, _rev: share._rev, _deleted: true });
        }
      }
      await couch.put(CLOUD_DBS.deals, { _id: pointer._id, _rev: pointer._rev, _deleted: true });
    }
  }
}
