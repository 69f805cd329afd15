// What the remote view shows of a store's replicated documents: its own, never another store's,
// and a document it cannot read is passed over rather than failing the page.
import { describe, expect, it } from 'vitest';
import { InvoiceDocSchema } from '@roomhub/shared-types';
import { storeOne, storeOwn } from './store-docs';

const invoice = (storeId: string, requestId: string) => ({
  _id: `invoice:${requestId}`,
  type: 'invoice',
  storeId,
  requestId,
  bookingId: 'b1',
  customerId: 'c1',
  status: 'waiting',
  title: { kind: 'company', name: '深圳市某某科技有限公司', taxId: '91440300708461136T' },
  email: 'finance@example.com',
  amount: 12800,
  requestedAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
});

describe('a store’s own documents', () => {
  it('keeps the store’s own, drops another store’s and what does not parse', () => {
    const ours = invoice('s-a', 'r1');
    expect(InvoiceDocSchema.safeParse(ours).success).toBe(true);
    const docs = [ours, invoice('s-b', 'r2'), { ...invoice('s-a', 'r3'), amount: 'lots' }, null];
    expect(storeOwn(docs, InvoiceDocSchema, 's-a').map((d) => d.requestId)).toEqual(['r1']);
    expect(storeOwn(docs, InvoiceDocSchema, 's-b').map((d) => d.requestId)).toEqual(['r2']);
  });

  it('reads one document only if it is the store’s', () => {
    expect(storeOne(invoice('s-a', 'r1'), InvoiceDocSchema, 's-a')?.requestId).toBe('r1');
    expect(storeOne(invoice('s-a', 'r1'), InvoiceDocSchema, 's-b')).toBeUndefined();
    expect(storeOne(undefined, InvoiceDocSchema, 's-a')).toBeUndefined();
  });
});
