// Random input on the invoice routes: bodies for rejecting, bytes, content types and queries for
// issuing, queries for the list. The hub answers 2xx or a 4xx in the one error shape, never a 5xx,
// and a refused request leaves the request waiting and no file behind.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvoiceRejectSchema, intentDocId } from '@roomhub/shared-types';
import { answerIntent } from '../sync/intents';
import { as, at, startTestHub, type TestHub } from '../../test/harness';
import { samplePdf } from './sample-pdf';

let h: TestHub;
let requestId: string;
let owner: Record<string, string>;

beforeAll(async () => {
  h = await startTestHub();
  owner = await h.headersOf('owner');
  const storeId = h.hub.store.getStore().id;
  const [roomId] = await h.roomIds();
  const [start, end] = [at('14:00'), at('16:00')];
  const amount = (await h.api('POST', '/api/quotes', { roomId, start, end })).body.total as number;
  const base = {
    type: 'intent',
    storeId,
    customerId: 'c-fuzz',
    createdAt: new Date().toISOString(),
  };
  const booked = await answerIntent(h.hub, {
    ...base,
    _id: intentDocId('b-fuzz'),
    intentId: 'b-fuzz',
    kind: 'booking_request',
    body: {
      booking: { roomId, start, end, partySize: 2, customer: { phone: '13800138000' } },
      payment: { paymentId: `pay-${randomUUID()}`, method: 'wechat', amount },
    },
  } as never);
  requestId = `inv1-${booked.bookingId}`;
  const asked = await answerIntent(h.hub, {
    ...base,
    _id: intentDocId(requestId),
    intentId: requestId,
    kind: 'invoice_request',
    body: { bookingId: booked.bookingId, title: { kind: 'personal', name: '王芳' }, amount },
  } as never);
  expect(asked.outcome).toBe('done');
});
afterAll(async () => {
  await h.close();
});

function expectShape(status: number, body: unknown) {
  expect(status).toBeLessThan(500);
  if (status >= 400) {
    expect(body).toMatchObject({
      error: { code: expect.any(String), message: expect.any(String) },
    });
  }
}

const stillWaiting = async () =>
  (await h.api('GET', `/api/invoices/${requestId}`, undefined, as('owner'))).body.status ===
  'waiting';

describe('invoice routes under random input', () => {
  it('answers random reject bodies with 4xx (short reasons) and never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .oneof(
            fc.anything(),
            fc.jsonValue(),
            fc.record({ reason: fc.oneof(fc.constant(''), fc.constant(' '), fc.jsonValue()) }),
            fc.record({ reason: fc.constant('ok ok'), extra: fc.jsonValue() }),
          )
          // Only bodies the hub must refuse: a random string may be a fair reason, which rejects
          // the request for good and leaves nothing for the runs after it.
          .filter((b) => !InvoiceRejectSchema.safeParse(b).success),
        async (body) => {
          const r = await h.api('POST', `/api/invoices/${requestId}/reject`, body, as('owner'));
          expectShape(r.status, r.body);
          expect(r.status).not.toBe(200);
          expect(await stillWaiting()).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('answers random uploads with 4xx and keeps no file', async () => {
    const pdf = samplePdf();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
          // A PDF whose header is broken, or cut before its end.
          fc
            .record({ at: fc.nat(4), byte: fc.integer({ min: 0, max: 255 }) })
            .map(({ at: i, byte }) => {
              const b = Buffer.from(pdf);
              b[i] = byte === b[i] ? (byte + 1) % 256 : byte;
              return b;
            }),
          fc.nat(pdf.length - 2).map((n) => pdf.subarray(0, n)),
        ),
        fc.constantFrom('application/pdf', 'image/png', 'text/plain', 'application/json', ''),
        fc.oneof(
          fc.constant('number=abc&issuedOn=2026-11-23'),
          fc.string().map((s) => `number=${encodeURIComponent(s)}&issuedOn=2026-11-23`),
          fc.string().map((s) => `number=24330000000000012345&issuedOn=${encodeURIComponent(s)}`),
          fc.constant('number=24330000000000012345&issuedOn=2026-11-23&x=1'),
          fc.constant(''),
        ),
        async (bytes, type, query) => {
          const res = await fetch(`${h.url}/api/invoices/${requestId}/issue?${query}`, {
            method: 'POST',
            headers: { ...owner, ...(type ? { 'content-type': type } : {}) },
            body: new Uint8Array(bytes),
          });
          expectShape(res.status, await res.json());
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(await stillWaiting()).toBe(true);
          expect(existsSync(join(h.dataDir, 'invoices', `${requestId}.pdf`))).toBe(false);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('answers random list queries with 200 or 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (k, v) => {
        const r = await h.api(
          'GET',
          `/api/invoices?${encodeURIComponent(k)}=${encodeURIComponent(v)}`,
          undefined,
          as('owner'),
        );
        expectShape(r.status, r.body);
      }),
      { numRuns: 40 },
    );
  });
});
