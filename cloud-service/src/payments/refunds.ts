// Refunds of money the cloud took. The hub decides them (a cancellation by the rules, an approved
// refund, tea ordered from the phone and given back at the counter) and records each as a ledger
// fact with the cloud's payment id: a booking's ledger entry, or a refund entry of a tea order's
// ledger on its order document, paid the same way; the change follower hands each such entry here
// as it arrives. Anyone who reaches a store's database could write a ledger
// entry, so before paying the cloud checks it against its own records: the payment is one the
// cloud captured for an intent of that same store, the entry's booking is the one that intent's
// answer named, and the total paid back of one payment never exceeds what was captured. That total
// is kept per payment (`refunded:<paymentId>`) and an entry's amount is reserved there, through the
// document's revision, before the channel is asked, so two entries paid at once by two instances
// cannot both pass. Each entry is paid once, keyed by the store and the entry, with a
// `refund-paid:` record; one the channel refuses (or whose payment is not captured yet) is kept as
// `refund-due:` and retried by the sweeper; one that fails the checks is kept as `refund-refused:`
// and never paid. It never edits a hub document.
import { z } from 'zod';
import {
  CLOUD_DBS,
  LedgerDocSchema,
  type Clock,
  type LedgerDoc,
  type OrderDoc,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';
import type { DesignDocs } from '../design-docs';
import type { IntentService } from '../intents/intents';
import { PaymentChannelError, type CloudPaymentChannel } from './payment-channel';

export function isCloudRefund(entry: LedgerDoc): boolean {
  return entry.kind === 'refund' && entry.method === 'cloud' && entry.paymentRef !== undefined;
}

/**
 * The refunds of cloud money on a tea order's document, as the ledger facts this module pays: keyed
 * `order-<entry>` (apart from the booking ledger's own entries), for the booking the order was
 * brought to, which is the booking the store's answer to the order named.
 */
export function orderRefunds(order: OrderDoc): LedgerDoc[] {
  if (order.bookingId === null) return [];
  const bookingId = order.bookingId;
  return order.money.flatMap((m) => {
    if (m.kind !== 'refund' || m.paymentRef === undefined || m.entryId === undefined) return [];
    const entryId = `order-${m.entryId}`;
    return [
      {
        _id: `ledger:${bookingId}:${entryId}`,
        type: 'ledger' as const,
        storeId: order.storeId,
        bookingId,
        entryId,
        paymentRef: m.paymentRef,
        kind: 'refund' as const,
        method: 'cloud' as const,
        amount: m.amount,
        at: m.at,
      },
    ];
  });
}

export interface CloudRefundDeps {
  couch: CouchClient;
  payments: CloudPaymentChannel;
  /** The cloud's records of its intents: which payment it captured for which store and booking. */
  intents: IntentService;
  views: DesignDocs;
  clock: Clock;
  log?: (error: unknown) => void;
}

const entryKey = (e: LedgerDoc) => `${e.storeId}:${e.entryId}`;
const markId = (e: LedgerDoc) => `refund-paid:${entryKey(e)}`;
const dueId = (e: LedgerDoc) => `refund-due:${entryKey(e)}`;
const refusedId = (e: LedgerDoc) => `refund-refused:${entryKey(e)}`;
const totalId = (paymentId: string) => `refunded:${paymentId}`;

/** What the cloud has paid back of one payment, entry by entry (reserved before it is paid). */
const RefundTotalSchema = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('refund_total'),
  paymentId: z.string(),
  storeId: z.string(),
  /** Fen the cloud captured. */
  captured: z.number().int(),
  /** Fen by `<storeId>:<entryId>`. */
  entries: z.record(z.string(), z.number().int()),
});
type RefundTotal = z.infer<typeof RefundTotalSchema>;

/** Not payable yet: the cloud has not finished taking the money. Kept and tried again. */
class NotYet extends Error {
  override readonly name = 'NotYet';
}

/** Revision races lost in a row before a reservation gives up (and is tried again later). */
const MAX_RACES = 8;

export class CloudRefunds {
  constructor(private readonly d: CloudRefundDeps) {}

  /** Pays a ledger entry if it is a cloud refund not paid yet; true when this call paid it. */
  async pay(entry: LedgerDoc): Promise<boolean> {
    if (!isCloudRefund(entry)) return false;
    try {
      return await this.payOnce(entry);
    } catch (error) {
      if (!(error instanceof PaymentChannelError || error instanceof NotYet)) throw error;
      this.d.log?.(error);
      const { _rev: _r, ...fact } = entry as LedgerDoc & { _rev?: string };
      await this.keep({ ...fact, _id: dueId(entry), type: 'refund_due', reason: error.message });
      return false;
    }
  }

  /** Pays the refunds of cloud money a tea order's document holds; how many this call paid. */
  async payOrder(order: OrderDoc): Promise<number> {
    let paid = 0;
    for (const entry of orderRefunds(order)) if (await this.pay(entry)) paid += 1;
    return paid;
  }

  /** Retries the refunds the channel refused before; returns how many were paid now. */
  async payOutstanding(): Promise<number> {
    const { couch } = this.d;
    let paid = 0;
    for (const due of await couch.byPrefix(CLOUD_DBS.intents, 'refund-due:')) {
      const entry = LedgerDocSchema.safeParse({
        ...due,
        _id: `ledger:${String(due.bookingId)}:${String(due.entryId)}`,
        type: 'ledger',
      });
      if (!entry.success) continue;
      try {
        if (await this.payOnce(entry.data)) paid += 1;
      } catch (error) {
        if (!(error instanceof PaymentChannelError || error instanceof NotYet)) throw error;
        this.d.log?.(error);
        continue;
      }
      try {
        await couch.put(CLOUD_DBS.intents, { _id: due._id, _rev: due._rev, _deleted: true });
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
    return paid;
  }

  /** Checks, reserves, pays and marks; false when paid already, settled or refused. */
  private async payOnce(e: LedgerDoc): Promise<boolean> {
    const { couch, payments } = this.d;
    if (await couch.get(CLOUD_DBS.intents, markId(e))) return false;
    const amount = -e.amount;
    const record = await this.d.intents.byPayment(e.paymentRef!);
    const refusal = (reason: string) => this.refuse(e, reason);
    if (!record) return refusal('not a payment the cloud holds');
    if (record.storeId !== e.storeId) return refusal("a payment of another store's intent");
    const answer = [record.answer, record.lateAnswer].find((a) => a?.outcome === 'confirmed');
    if (!answer) {
      if (record.state === 'waiting')
        throw new NotYet(`intent ${record.intentId} not answered yet`);
      return refusal('the store never confirmed what this payment was for');
    }
    if (answer.bookingId !== e.bookingId) return refusal('the payment was for another booking');
    if (!(amount > 0)) return refusal('a refund must pay money back');
    const hold = record.payment!;
    // A payment released before it was taken (a confirmation that came after its intent
    // expired) never left the customer: nothing to pay back, and nothing to retry.
    if (hold.state === 'released') return this.markPaid(e, 'released');
    if (hold.state !== 'captured') throw new NotYet(`payment ${hold.paymentId} not captured yet`);
    if (!(await this.reserve(e, amount, hold.amount))) {
      return refusal('more than is left of the payment to pay back');
    }
    // The channel is idempotent by refund id: a crash before the mark below pays nothing twice,
    // and neither do two cloud instances paying the same entry at once.
    let settledBy: 'refund' | 'released' = 'refund';
    try {
      await payments.refund({
        paymentId: hold.paymentId,
        refundId: `${e.storeId}-${e.entryId}`,
        amount,
      });
    } catch (error) {
      if (!(error instanceof PaymentChannelError && error.state === 'released')) throw error;
      settledBy = 'released';
    }
    return this.markPaid(e, settledBy);
  }

  /**
   * Adds the entry's amount to what was paid back of its payment, unless that would pass what
   * was captured; true when it is reserved (now or by an earlier try of the same entry).
   */
  private async reserve(e: LedgerDoc, amount: number, captured: number): Promise<boolean> {
    const paymentId = e.paymentRef!;
    for (let race = 0; race < MAX_RACES; race += 1) {
      const current = await this.total(paymentId, e.storeId, captured);
      if (current.entries[entryKey(e)] !== undefined) return true;
      const sum = Object.values(current.entries).reduce((s, n) => s + n, 0);
      if (sum + amount > current.captured) return false;
      try {
        await this.d.couch.put(CLOUD_DBS.intents, {
          ...current,
          entries: { ...current.entries, [entryKey(e)]: amount },
        });
        return true;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
    throw new NotYet(`payment ${paymentId} is being paid back by another instance`);
  }

  /** The running total of a payment; a first one counts what was paid back before it existed. */
  private async total(paymentId: string, storeId: string, captured: number): Promise<RefundTotal> {
    const parsed = RefundTotalSchema.safeParse(
      await this.d.couch.get(CLOUD_DBS.intents, totalId(paymentId)),
    );
    if (parsed.success) return parsed.data;
    const before = await this.d.views.intents('refunds-by-payment', { key: paymentId });
    return {
      _id: totalId(paymentId),
      type: 'refund_total',
      paymentId,
      storeId,
      captured,
      entries: Object.fromEntries(
        before.map((r) => [String(r.id).slice('refund-paid:'.length), Number(r.value)]),
      ),
    };
  }

  private async markPaid(e: LedgerDoc, settledBy: 'refund' | 'released'): Promise<boolean> {
    try {
      await this.d.couch.put(CLOUD_DBS.intents, {
        _id: markId(e),
        type: 'refund_paid',
        settledBy,
        storeId: e.storeId,
        bookingId: e.bookingId,
        entryId: e.entryId,
        paymentId: e.paymentRef,
        amount: -e.amount,
        at: new Date(this.d.clock.now()).toISOString(),
      });
      return settledBy === 'refund';
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  /** Keeps a refund that failed the checks, for whoever looks into it; it is never paid. */
  private async refuse(e: LedgerDoc, reason: string): Promise<false> {
    this.d.log?.(new Error(`refund ${entryKey(e)} of payment ${e.paymentRef} refused: ${reason}`));
    const { _rev: _r, ...fact } = e as LedgerDoc & { _rev?: string };
    await this.keep({
      ...fact,
      _id: refusedId(e),
      type: 'refund_refused',
      reason,
      at: new Date(this.d.clock.now()).toISOString(),
    });
    return false;
  }

  private async keep(doc: CouchDoc): Promise<void> {
    try {
      await this.d.couch.put(CLOUD_DBS.intents, doc);
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
}
