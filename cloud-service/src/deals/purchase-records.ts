// A purchase of one of our deals online and the voucher it became, as the cloud keeps it in its
// `deals` database: `purchase:<purchaseId>`, and `bought:<customerId>:<purchaseId>` so a
// customer's purchases are read by key. The record holds the deal's terms as they were bought, the
// payment, the group it joined, the signed pass once issued (the voucher's id is the purchase's),
// the store's ledger entries that used it (or gave it back) and its refund. Changed only through
// `update`, which re-reads and applies the change again after a lost race, so every step is a
// function of the record as it stands and safe to repeat. Owns the `purchase:` and `bought:`
// documents; decides nothing.
import { z } from 'zod';
import {
  CLOUD_DBS,
  EntitlementSchema,
  PurchaseStateSchema,
  ShareCodeSchema,
  VoucherPassSchema,
  type Clock,
  type VoucherPass,
  type VoucherStatus,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';

export const PurchaseRecordSchema = z.object({
  _id: z.string().startsWith('purchase:'),
  _rev: z.string().optional(),
  type: z.literal('deal_purchase'),
  purchaseId: z.string(),
  customerId: z.string(),
  /** The phone the store knows the buyer by; null when they gave none. */
  phone: z.string().nullable(),
  storeId: z.string(),
  dealId: z.string(),
  // The deal as it was bought: a later edit by the owner changes no purchase.
  title: z.string(),
  entitlement: EntitlementSchema,
  rev: z.string(),
  price: z.number().int().nonnegative(),
  groupSize: z.number().int().min(1),
  groupHours: z.number().int().min(1),
  validDays: z.number().int().min(1),
  refundAnyTime: z.boolean(),
  refundOnExpiry: z.boolean(),
  /** The deal's stock and per-customer limit when bought: the claims it takes (deal-claims.ts). */
  limits: z.object({
    stock: z.number().int().nonnegative().nullable(),
    perCustomer: z.number().int().min(1).nullable(),
  }),
  /**
   * The buyer's other ids (a WeChat sign-in before the phone was linked, the id before the key):
   * what they bought under those counts toward the per-customer limit too.
   */
  otherIds: z.array(z.string()).optional(),
  state: PurchaseStateSchema,
  /** The share link the buyer came through (deal-shares.ts): its sharer may be rewarded. */
  share: ShareCodeSchema.optional(),
  /** Why nothing was sold, before any money moved. */
  refusal: z.enum(['sold_out', 'limit_reached']).optional(),
  payment: z.object({
    paymentId: z.string(),
    /** `asked` until the channel took it (or said it did not: `failed`). */
    state: z.enum(['asked', 'taken', 'failed']),
    failure: z.string().optional(),
  }),
  /** The group it joined (a group deal): the id of the group's first purchase. */
  groupId: z.string().optional(),
  voucher: z
    .object({
      pass: VoucherPassSchema,
      issuedAt: z.string(),
      /** The store has been sent it (`voucher_issued`). */
      sent: z.boolean(),
    })
    .optional(),
  /**
   * The store's ledger entries naming the voucher, by entry id: 1 a payment it made (used), -1
   * one given back (its booking cancelled, a cashier's undo).
   */
  uses: z.record(z.string(), z.number().int()).default({}),
  refund: z
    .object({
      why: z.enum(['asked', 'expired']),
      attempt: z.number().int().min(1),
      /** The `voucher_refund` intent that asks the store. */
      intentId: z.string(),
      /** `done`: the store marked it refunded; `paid`: the money went back. */
      state: z.enum(['asked', 'rejected', 'done', 'paid']),
      reason: z.string().optional(),
      askedAt: z.string(),
      paidAt: z.string().optional(),
    })
    .optional(),
  /**
   * The store the voucher was moved to (another of the owner's, where it was scanned), with the
   * pass signed for it: that store speaks for the voucher from then on (its use, its refund).
   */
  moved: z.object({ storeId: z.string(), pass: VoucherPassSchema, at: z.string() }).optional(),
  /** A group that did not fill: the money going back, and when it went. */
  moneyBack: z.object({ amount: z.number().int(), paidAt: z.string().optional() }).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PurchaseRecord = z.infer<typeof PurchaseRecordSchema>;

export const purchaseDocId = (purchaseId: string) => `purchase:${purchaseId}`;
const boughtId = (customerId: string, purchaseId: string) => `bought:${customerId}:${purchaseId}`;

/** Races lost in a row before an update gives up (the next sweep tries again). */
const MAX_RACES = 8;

/** The store that speaks for a purchase's voucher now, and the pass it knows it by. */
export function homeOf(r: PurchaseRecord): { storeId: string; pass: VoucherPass | undefined } {
  return r.moved
    ? { storeId: r.moved.storeId, pass: r.moved.pass }
    : { storeId: r.storeId, pass: r.voucher?.pass };
}

/** Where a voucher is: refunded (the store said so), used, expired or valid. */
export function voucherStatus(r: PurchaseRecord, nowMs: number): VoucherStatus {
  if (r.refund?.state === 'done' || r.refund?.state === 'paid') return 'refunded';
  if (Object.values(r.uses).reduce((s, n) => s + n, 0) > 0) return 'used';
  if (r.voucher && nowMs >= r.voucher.pass.validUntil * 1000) return 'expired';
  return 'valid';
}

export class PurchaseRecords {
  constructor(
    private readonly couch: CouchClient,
    private readonly clock: Clock,
  ) {}

  async get(purchaseId: string): Promise<PurchaseRecord | undefined> {
    const parsed = PurchaseRecordSchema.safeParse(
      await this.couch.get(CLOUD_DBS.deals, purchaseDocId(purchaseId)),
    );
    return parsed.success ? parsed.data : undefined;
  }

  /** Writes a new purchase and its customer's index entry; the one there first if it exists. */
  async create(record: Omit<PurchaseRecord, '_rev' | 'updatedAt'>): Promise<PurchaseRecord> {
    await this.putIfAbsent({
      _id: boughtId(record.customerId, record.purchaseId),
      type: 'deal_bought',
      storeId: record.storeId,
    });
    const next = { ...record, updatedAt: this.now() };
    try {
      const rev = await this.couch.put(CLOUD_DBS.deals, next as CouchDoc);
      return { ...next, _rev: rev };
    } catch (error) {
      if (!isConflict(error)) throw error;
      const first = await this.get(record.purchaseId);
      if (!first) throw error;
      return first;
    }
  }

  /** Removes a purchase no money moved for (its stock or limit was gone). */
  async remove(record: PurchaseRecord): Promise<void> {
    const index = await this.couch.get(
      CLOUD_DBS.deals,
      boughtId(record.customerId, record.purchaseId),
    );
    if (index) await this.couch.put(CLOUD_DBS.deals, { ...index, _deleted: true });
    await this.couch.put(CLOUD_DBS.deals, { _id: record._id, _rev: record._rev, _deleted: true });
  }

  /**
   * Applies `change` to the purchase as it stands and writes it; `change` answers undefined for
   * "nothing to do". Returns the record as written (or as it stands).
   */
  async update(
    purchaseId: string,
    change: (current: PurchaseRecord) => PurchaseRecord | undefined,
  ): Promise<PurchaseRecord> {
    for (let race = 0; ; race += 1) {
      const current = await this.get(purchaseId);
      if (!current) throw new Error(`no purchase ${purchaseId}`);
      const next = change(current);
      if (!next) return current;
      const written = { ...next, updatedAt: this.now() };
      try {
        const rev = await this.couch.put(CLOUD_DBS.deals, written as CouchDoc);
        return { ...written, _rev: rev };
      } catch (error) {
        if (!isConflict(error) || race >= MAX_RACES) throw error;
      }
    }
  }

  /** Every purchase of a customer (under each of their ids), newest first. */
  async ofCustomer(customerIds: readonly string[]): Promise<PurchaseRecord[]> {
    const index = (
      await Promise.all(
        customerIds.map((id) => this.couch.byPrefix(CLOUD_DBS.deals, `bought:${id}:`)),
      )
    ).flat();
    const ids = index.map((d) => purchaseDocId(d._id.slice(d._id.lastIndexOf(':') + 1)));
    const docs = await this.couch.byIds(CLOUD_DBS.deals, ids);
    return docs
      .flatMap((d) => {
        const r = PurchaseRecordSchema.safeParse(d);
        return r.success && customerIds.includes(r.data.customerId) ? [r.data] : [];
      })
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  private async putIfAbsent(doc: CouchDoc): Promise<void> {
    try {
      await this.couch.put(CLOUD_DBS.deals, doc);
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
