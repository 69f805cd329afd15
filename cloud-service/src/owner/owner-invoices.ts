// A store's invoice requests for the owner's remote view, read from the invoice documents its hub
// publishes: the owner sees from afar what waits to be issued.
// Read-only: an invoice is issued (its PDF uploaded) or refused at the store.
import {
  INVOICE_PREFIX,
  InvoiceDocSchema,
  storeDbName,
  type OwnerInvoices,
} from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import { storeOwn } from './store-docs';

/** The newest requests shown; the store's own page keeps every one. */
const SHOWN = 200;

export async function invoicesOf(couch: CouchClient, storeId: string): Promise<OwnerInvoices> {
  const db = storeDbName(storeId);
  const docs = storeOwn(await couch.byPrefix(db, INVOICE_PREFIX), InvoiceDocSchema, storeId);
  docs.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  const shown = docs.slice(0, SHOWN);
  return {
    storeId,
    waiting: docs.filter((d) => d.status === 'waiting').length,
    invoices: shown.map((d) => ({
      requestId: d.requestId,
      bookingId: d.bookingId,
      status: d.status,
      title: d.title,
      amount: d.amount,
      requestedAt: d.requestedAt,
      number: d.number ?? null,
      issuedOn: d.issuedOn ?? null,
      reason: d.reason ?? null,
    })),
  };
}
