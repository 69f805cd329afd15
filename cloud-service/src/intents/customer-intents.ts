// What a customer's pages read of their intents, from the cloud's records in the `intents`
// database: all of them (my data, the account's deletion), or through the intents views only what
// a page needs (the booking requests still waiting, the newest of one kind, the intents about one
// booking, the stores of their tables), so a page does not cost the customer's whole history. Read-only: the intent
// service (intents.ts) alone writes records.
import { CLOUD_DBS } from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import type { DesignDocs } from '../design-docs';
import { IntentRecordSchema, type IntentRecord } from './intent-records';

export class CustomerIntents {
  constructor(private readonly d: { couch: CouchClient; views: DesignDocs }) {}

  /** Every intent of one customer (under each of their ids), newest first. */
  async listForCustomer(customerIds: readonly string[]): Promise<IntentRecord[]> {
    const docs = await Promise.all(
      customerIds.map((id) => this.d.couch.byPrefix(CLOUD_DBS.intents, `intent:${id}:`)),
    );
    return docs
      .flat()
      .flatMap((d) => {
        const p = IntentRecordSchema.safeParse(d);
        return p.success && p.data.customerId !== undefined ? [p.data] : [];
      })
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /**
   * The customer's booking requests still waiting for their store's answer (under each of their
   * ids), newest first: a view read, whatever the customer asked for before.
   */
  async waitingRequests(customerIds: readonly string[]): Promise<IntentRecord[]> {
    const rows = await Promise.all(
      customerIds.map((id) =>
        this.d.views.intents('customer-waiting-requests', {
          startkey: [id, {}],
          endkey: [id],
          descending: true,
          includeDocs: true,
        }),
      ),
    );
    return rows
      .flat()
      .flatMap((row) => {
        const p = IntentRecordSchema.safeParse(row.doc);
        return p.success && p.data.state === 'waiting' ? [p.data] : [];
      })
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The customer's newest intents of one kind (under each of their ids), newest first. */
  async newestOfKind(
    customerIds: readonly string[],
    kind: IntentRecord['kind'],
    limit: number,
  ): Promise<IntentRecord[]> {
    const rows = await Promise.all(
      customerIds.map((id) =>
        this.d.views.intents('customer-kind', {
          startkey: [id, kind, {}],
          endkey: [id, kind],
          descending: true,
          limit,
          includeDocs: true,
        }),
      ),
    );
    return rows
      .flat()
      .flatMap((row) => {
        const p = IntentRecordSchema.safeParse(row.doc);
        return p.success && p.data.kind === kind ? [p.data] : [];
      })
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit);
  }

  /**
   * The customer's intents about one booking (under each of their ids), and the request it
   * answered; newest first.
   */
  async aboutBooking(customerIds: readonly string[], bookingId: string): Promise<IntentRecord[]> {
    const rows = await this.d.views.intents('customer-booking', {
      keys: customerIds.map((id) => [id, bookingId]),
      includeDocs: true,
    });
    return rows
      .flatMap((row) => {
        const p = IntentRecordSchema.safeParse(row.doc);
        const about = p.success && (p.data.bookingId ?? p.data.answer?.bookingId) === bookingId;
        return about ? [p.data] : [];
      })
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The stores where the customer started or joined a table. */
  async tableStores(customerIds: readonly string[]): Promise<string[]> {
    const rows = await Promise.all(
      customerIds.map((id) =>
        this.d.views.intents('customer-tables', { startkey: [id], endkey: [id, {}] }),
      ),
    );
    return [...new Set(rows.flat().flatMap((r) => (typeof r.value === 'string' ? [r.value] : [])))];
  }
}
