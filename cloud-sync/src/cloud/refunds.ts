// Refunds of money the cloud took. The hub decides them (a cancellation by the rules, an approved
// refund) and records each as a ledger fact with the cloud's payment id; the cloud pays it out
// once, keyed by the store and the ledger entry, and keeps its own record of having done so. It
// never edits a hub document.
import { CATALOGUE_DB, LedgerDocSchema, storeDbName } from '../documents';
import type { CouchClient } from './couch';
import type { CloudPaymentChannel } from './payment-channel';
import { REQUESTS_DB } from './requests';

export interface CloudRefunds {
  /** Pays every cloud refund the hubs have recorded and the cloud has not paid yet. */
  payOutstanding(): Promise<number>;
}

export function createCloudRefunds(
  couch: CouchClient,
  payments: CloudPaymentChannel,
  now: () => number,
): CloudRefunds {
  return {
    async payOutstanding() {
      let paid = 0;
      const stores = await couch.byPrefix<{ _id: string; storeId?: string }>(
        CATALOGUE_DB,
        'store:',
      );
      for (const store of stores) {
        if (!store.storeId) continue;
        const ledger = await couch.byPrefix(storeDbName(store.storeId), 'ledger:').catch(() => []);
        for (const raw of ledger) {
          const entry = LedgerDocSchema.safeParse(raw);
          if (!entry.success) continue;
          const e = entry.data;
          if (e.kind !== 'refund' || e.method !== 'cloud' || !e.paymentRef) continue;
          const markId = `refund-paid:${store.storeId}:${e.entryId}`;
          if (await couch.get(REQUESTS_DB, markId)) continue;
          // The channel is idempotent by refund id: a crash before the mark below pays nothing twice.
          await payments.refund({
            paymentId: e.paymentRef,
            refundId: `${store.storeId}-${e.entryId}`,
            amount: -e.amount,
          });
          await couch.put(REQUESTS_DB, {
            _id: markId,
            type: 'refund_paid',
            storeId: store.storeId,
            bookingId: e.bookingId,
            entryId: e.entryId,
            paymentId: e.paymentRef,
            amount: -e.amount,
            at: new Date(now()).toISOString(),
          });
          paid += 1;
        }
      }
      return paid;
    },
  };
}
