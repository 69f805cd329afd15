// Refunds of money the cloud took. The hub decides them (a cancellation by the rules, an approved
// refund) and records each as a ledger fact with the cloud's payment id; the change follower hands
// each such entry here as it arrives, and the cloud pays it out once, keyed by the store and the
// ledger entry, keeping its own `refund-paid:` record of having done so. A refund the channel
// refuses is kept as `refund-due:` and retried by the sweeper. It never edits a hub document.
import { CLOUD_DBS, LedgerDocSchema, type Clock, type LedgerDoc } from '@roomhub/shared-types';
import { isConflict, type CouchClient } from '../couch';
import { PaymentChannelError, type CloudPaymentChannel } from './payment-channel';

export function isCloudRefund(entry: LedgerDoc): boolean {
  return entry.kind === 'refund' && entry.method === 'cloud' && entry.paymentRef !== undefined;
}

export interface CloudRefundDeps {
  couch: CouchClient;
  payments: CloudPaymentChannel;
  clock: Clock;
  log?: (error: unknown) => void;
}

const markId = (e: LedgerDoc) => `refund-paid:${e.storeId}:${e.entryId}`;
const dueId = (e: LedgerDoc) => `refund-due:${e.storeId}:${e.entryId}`;

export class CloudRefunds {
  constructor(private readonly d: CloudRefundDeps) {}

  /** Pays a ledger entry if it is a cloud refund not paid yet; true when this call paid it. */
  async pay(entry: LedgerDoc): Promise<boolean> {
    if (!isCloudRefund(entry)) return false;
    try {
      return await this.payOnce(entry);
    } catch (error) {
      if (!(error instanceof PaymentChannelError)) throw error;
      this.d.log?.(error);
      const { _rev: _r, ...fact } = entry as LedgerDoc & { _rev?: string };
      try {
        await this.d.couch.put(CLOUD_DBS.intents, {
          ...fact,
          _id: dueId(entry),
          type: 'refund_due',
          reason: error.message,
        });
      } catch (putError) {
        if (!isConflict(putError)) throw putError;
      }
      return false;
    }
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
        if (!(error instanceof PaymentChannelError)) throw error;
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

  /** Pays and marks; false when it was paid already. A channel refusal is thrown. */
  private async payOnce(e: LedgerDoc): Promise<boolean> {
    const { couch, payments } = this.d;
    if (await couch.get(CLOUD_DBS.intents, markId(e))) return false;
    // The channel is idempotent by refund id: a crash before the mark below pays nothing twice,
    // and neither do two cloud instances paying the same entry at once.
    let settledBy: 'refund' | 'released' = 'refund';
    try {
      await payments.refund({
        paymentId: e.paymentRef!,
        refundId: `${e.storeId}-${e.entryId}`,
        amount: -e.amount,
      });
    } catch (error) {
      // A payment released before it was taken (a confirmation that came after its intent
      // expired) never left the customer: nothing to pay back, and nothing to retry.
      if (!(error instanceof PaymentChannelError && error.state === 'released')) throw error;
      settledBy = 'released';
    }
    try {
      await couch.put(CLOUD_DBS.intents, {
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
}
