// The cloud's facts about the money it holds: one document per payment, `payment:<outTradeNo>` in
// the cloud's `intents` database, beside the intent records that name the payment and the refunds
// paid of it. The gateway's order number is derived from our payment id, so either finds the fact.
// While a payment is not settled (ordered, held), `payment-open:<outTradeNo>` marks it, so the
// sweeper reads the few open ones rather than every payment ever made. It owns these documents
// and never calls a gateway; every change is a read, a pure step and a write at that revision, so
// two instances changing one fact at once never lose either change.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CLOUD_DBS, OnlinePaymentMethodSchema, type Clock } from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';

/**
 * `ordered`: the gateway has an order the payer may pay until `payBy`; `held`: paid, the money is
 * the cloud's to take or give back; `captured`: taken (WeChat Pay has no separate capture: the
 * money was taken when paid, and this is the cloud's word that it is kept); `released`: given
 * back, by closing the order unpaid or refunding it whole (`releasedBy`).
 */
export const PaymentFactStateSchema = z.enum(['ordered', 'held', 'captured', 'released']);
export type PaymentFactState = z.infer<typeof PaymentFactStateSchema>;

const RefundSchema = z.object({
  /** The gateway's refund number, derived from our refund id. */
  outRefundNo: z.string(),
  amount: z.number().int().positive(),
  /** `asked` is reserved before the gateway is asked, so a retry asks with the same number. */
  status: z.enum(['asked', 'succeeded', 'pending']),
  channelRefundId: z.string().optional(),
  at: z.string(),
});

export const PaymentFactSchema = z.object({
  _id: z.string().startsWith('payment:'),
  _rev: z.string().optional(),
  type: z.literal('payment'),
  paymentId: z.string(),
  method: OnlinePaymentMethodSchema,
  outTradeNo: z.string(),
  amount: z.number().int().positive(),
  description: z.string(),
  state: PaymentFactStateSchema,
  releasedBy: z.enum(['closed', 'refunded']).optional(),
  /** Until when the gateway lets the payer pay. */
  payBy: z.string(),
  /** The page the payer pays on, once ordered. */
  payUrl: z.string().optional(),
  channelTxnId: z.string().optional(),
  paidAt: z.string().optional(),
  /** The refund that gave a held payment back whole. */
  release: RefundSchema.optional(),
  /** Refunds of a captured payment, by our refund id. */
  refunds: z.record(z.string(), RefundSchema),
  /** Whoever asked for the hold has recorded it (an intent's record names it): never orphaned. */
  claimed: z.boolean().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PaymentFact = z.infer<typeof PaymentFactSchema>;

/** Derived ids: WeChat Pay takes 6-32 of [0-9A-Za-z_-*] as an order number, ours are longer. */
export const outTradeNoOf = (paymentId: string) =>
  `c${createHash('sha256').update(`payment\n${paymentId}`).digest('hex').slice(0, 31)}`;
export const outRefundNoOf = (outTradeNo: string, refundId: string) =>
  `r${createHash('sha256').update(`refund\n${outTradeNo}\n${refundId}`).digest('hex').slice(0, 39)}`;

const factId = (outTradeNo: string) => `payment:${outTradeNo}`;
const openId = (outTradeNo: string) => `payment-open:${outTradeNo}`;
const OPEN_PREFIX = 'payment-open:';

const settled = (state: PaymentFactState) => state === 'captured' || state === 'released';

/** Revision races lost in a row before a change gives up (it is then retried by its caller). */
const MAX_RACES = 8;

export class PaymentFacts {
  constructor(
    private readonly couch: CouchClient,
    private readonly clock: Clock,
  ) {}

  async get(outTradeNo: string): Promise<PaymentFact | undefined> {
    const parsed = PaymentFactSchema.safeParse(
      await this.couch.get(CLOUD_DBS.intents, factId(outTradeNo)),
    );
    return parsed.success ? parsed.data : undefined;
  }

  /** Records a new payment, open; the one already there (the same payment asked again) if any. */
  async create(
    fact: Omit<PaymentFact, '_id' | 'type' | 'refunds' | 'createdAt' | 'updatedAt'>,
  ): Promise<PaymentFact> {
    const at = this.iso();
    // The mark first: a fact is never open without one, whatever stops this process.
    await this.putOnce({ _id: openId(fact.outTradeNo), type: 'payment_open', at });
    const doc: PaymentFact = {
      ...fact,
      _id: factId(fact.outTradeNo),
      type: 'payment',
      refunds: {},
      createdAt: at,
      updatedAt: at,
    };
    try {
      const rev = await this.couch.put(CLOUD_DBS.intents, doc as CouchDoc);
      return { ...doc, _rev: rev };
    } catch (error) {
      if (!isConflict(error)) throw error;
      const first = await this.get(fact.outTradeNo);
      if (!first) throw error;
      return first;
    }
  }

  /**
   * Applies `step` to the fact as it stands and writes the result, again on a lost race; `step`
   * returns undefined for no change. A fact that settles loses its open mark.
   */
  async change(
    outTradeNo: string,
    step: (fact: PaymentFact) => PaymentFact | undefined,
  ): Promise<PaymentFact> {
    for (let race = 0; race < MAX_RACES; race += 1) {
      const current = await this.get(outTradeNo);
      if (!current) throw new Error(`no payment fact ${outTradeNo}`);
      const next = step(current);
      if (next === undefined) return current;
      const doc = { ...next, updatedAt: this.iso() };
      // Open again (money that came after its order was closed): marked before it is written.
      if (settled(current.state) && !settled(doc.state)) {
        await this.putOnce({ _id: openId(outTradeNo), type: 'payment_open', at: this.iso() });
      }
      try {
        const rev = await this.couch.put(CLOUD_DBS.intents, doc as CouchDoc);
        if (settled(doc.state)) await this.close(outTradeNo);
        return { ...doc, _rev: rev };
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
    throw new Error(`payment fact ${outTradeNo} is being changed by another instance`);
  }

  /** The payments still open, for the sweeper; a mark whose fact settled is removed here. */
  async open(): Promise<PaymentFact[]> {
    const marks = await this.couch.byPrefix(CLOUD_DBS.intents, OPEN_PREFIX);
    const out: PaymentFact[] = [];
    for (const mark of marks) {
      const outTradeNo = mark._id.slice(OPEN_PREFIX.length);
      const fact = await this.get(outTradeNo);
      if (fact && !settled(fact.state)) out.push(fact);
      // A fact never written (the process stopped between the two writes) has no order either.
      else if (fact || this.clock.now() - Date.parse(String(mark.at)) > 3_600_000) {
        await this.remove(mark);
      }
    }
    return out;
  }

  private async close(outTradeNo: string): Promise<void> {
    const mark = await this.couch.get(CLOUD_DBS.intents, openId(outTradeNo));
    if (mark) await this.remove(mark);
  }

  private async remove(mark: CouchDoc): Promise<void> {
    try {
      await this.couch.put(CLOUD_DBS.intents, { _id: mark._id, _rev: mark._rev, _deleted: true });
    } catch (error) {
      if (!isConflict(error)) throw error; // removed by another instance
    }
  }

  private async putOnce(doc: CouchDoc): Promise<void> {
    try {
      await this.couch.put(CLOUD_DBS.intents, doc);
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }

  private iso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
