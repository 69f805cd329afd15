// Electronic invoices on a real hub (its SQLite file, its HTTP API): a customer's request arrives
// as the cloud's intent and is recorded once per booking; the owner lists it, issues it with the
// tax system's PDF (checked to be a whole PDF, bounded, its number used once) or rejects it with a
// reason; each decision is audited, the PDF is a file in the data folder, and the document the
// cloud gets carries the same bytes.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { intentDocId, INVOICE_PDF_MAX_BYTES } from '@roomhub/shared-types';
import { answerIntent } from '../sync/intents';
import { buildDocument } from '../sync/documents';
import { samplePdf } from './sample-pdf';
import { as, at, startTestHub, type TestHub } from '../../test/harness';

let h: TestHub | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const CUSTOMER = 'c-invoice';
const COMPANY = { kind: 'company', name: '杭州青山茶事有限公司', taxId: '91440300708461136T' };

function intent(
  storeId: string,
  kind: string,
  body: Record<string, unknown>,
  intentId: string = randomUUID(),
) {
  return {
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId,
    customerId: CUSTOMER,
    createdAt: new Date().toISOString(),
    kind,
    body,
  } as never;
}

/** A booking the customer made online, paid through the cloud. */
async function bookedOnline(hub: TestHub) {
  const storeId = hub.hub.store.getStore().id;
  const [roomId] = await hub.roomIds();
  const [start, end] = [at('14:00'), at('16:00')];
  const quote = await hub.api('POST', '/api/quotes', { roomId, start, end });
  const amount = quote.body.total as number;
  const answer = await answerIntent(
    hub.hub,
    intent(storeId, 'booking_request', {
      booking: { roomId, start, end, partySize: 2, customer: { phone: '13800138000' } },
      payment: { paymentId: `pay-${randomUUID()}`, method: 'wechat', amount },
    }),
  );
  expect(answer.outcome).toBe('confirmed');
  return { storeId, bookingId: answer.bookingId!, amount };
}

async function upload(
  hub: TestHub,
  id: string,
  pdf: Buffer,
  query: string,
  type = 'application/pdf',
  who: 'owner' | 'manager' | 'cashier' = 'owner',
) {
  const res = await fetch(`${hub.url}/api/invoices/${id}/issue?${query}`, {
    method: 'POST',
    headers: { ...(await hub.headersOf(who)), 'content-type': type },
    body: new Uint8Array(pdf),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('invoice requests from customers', () => {
  it('records one request per booking, refusing a second, a stale amount and a stranger', async () => {
    h = await startTestHub();
    const { storeId, bookingId, amount } = await bookedOnline(h);

    const stale = await answerIntent(
      h.hub,
      intent(storeId, 'invoice_request', { bookingId, title: COMPANY, amount: amount + 100 }),
    );
    expect(stale.outcome).toBe('rejected');
    expect(stale.reason).toContain(`¥${(amount / 100).toFixed(2)}`);

    const asked = intent(storeId, 'invoice_request', {
      bookingId,
      title: COMPANY,
      email: 'finance@qingshan.cn',
      amount,
    });
    const answer = await answerIntent(h.hub, asked);
    expect(answer).toEqual({ outcome: 'done', bookingId });
    // Handed over again: the same answer, and still one request.
    expect(await answerIntent(h.hub, asked)).toEqual(answer);

    const again = await answerIntent(
      h.hub,
      intent(storeId, 'invoice_request', {
        bookingId,
        title: { kind: 'personal', name: '王芳' },
        amount,
      }),
    );
    expect(again.outcome).toBe('rejected');
    expect(again.reason).toContain('already asked for');

    // Someone else's id asking about this booking is told there is no such booking of theirs.
    const stranger = await answerIntent(h.hub, {
      ...(intent(storeId, 'invoice_request', { bookingId, title: COMPANY, amount }) as object),
      customerId: 'c-someone-else',
    } as never);
    expect(stranger).toMatchObject({
      outcome: 'rejected',
      reason: 'no such booking for this customer',
    });

    const list = await h.api('GET', '/api/invoices', undefined, as('owner'));
    expect(list.status).toBe(200);
    expect(list.body.counts).toEqual({ waiting: 1, issued: 0, rejected: 0 });
    expect(list.body.invoices[0]).toMatchObject({
      bookingId,
      status: 'waiting',
      title: COMPANY,
      email: 'finance@qingshan.cn',
      amount,
    });
    // A cashier does not handle invoices.
    expect((await h.api('GET', '/api/invoices', undefined, as('cashier'))).status).toBe(403);
  });

  it('issues with a whole PDF only, audits it, keeps the file and publishes the same bytes', async () => {
    h = await startTestHub();
    const { storeId, bookingId, amount } = await bookedOnline(h);
    const requestId = `inv1-${bookingId}`;
    await answerIntent(
      h.hub,
      intent(storeId, 'invoice_request', { bookingId, title: COMPANY, amount }, requestId),
    );
    const today = at('10:00').slice(0, 10);
    const q = `number=24330000000000012345&issuedOn=${today}`;
    const pdf = samplePdf();

    // Not a PDF by its declared type, nor by its bytes, nor whole, nor within the size.
    expect((await upload(h, requestId, pdf, q, 'image/png')).status).toBe(415);
    const png = await upload(h, requestId, Buffer.from('\x89PNG\r\n\x1a\nrest', 'latin1'), q);
    expect(png.status).toBe(415);
    expect(png.body.error).toMatchObject({ code: 'invoice_not_pdf', field: 'pdf' });
    const cut = await upload(h, requestId, pdf.subarray(0, pdf.length - 40), q);
    expect(cut.status).toBe(415);
    expect(cut.body.error.message).toContain('startxref');
    const big = Buffer.concat([pdf, Buffer.alloc(INVOICE_PDF_MAX_BYTES)]);
    expect((await upload(h, requestId, big, q)).body.error.code).toBe('invoice_pdf_too_large');
    const badNumber = await upload(h, requestId, pdf, `number=12ab&issuedOn=${today}`);
    expect(badNumber.status).toBe(400);
    expect(badNumber.body.error.field).toBe('number');
    const future = await upload(
      h,
      requestId,
      pdf,
      `number=24330000000000012345&issuedOn=2027-01-01`,
    );
    expect(future.body.error).toMatchObject({
      code: 'invoice_date_out_of_range',
      field: 'issuedOn',
    });
    expect((await upload(h, requestId, pdf, q, 'application/pdf', 'cashier')).status).toBe(403);
    // None of these left anything behind.
    expect(existsSync(join(h.dataDir, 'invoices', `${requestId}.pdf`))).toBe(false);
    expect(
      (await h.api('GET', `/api/invoices/${requestId}`, undefined, as('owner'))).body.status,
    ).toBe('waiting');

    const issued = await upload(h, requestId, pdf, q, 'application/pdf', 'manager');
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({
      status: 'issued',
      number: '24330000000000012345',
      issuedOn: today,
      pdfBytes: pdf.length,
    });
    expect(readFileSync(join(h.dataDir, 'invoices', `${requestId}.pdf`)).equals(pdf)).toBe(true);
    // Issued once: a second upload is refused in words.
    const twice = await upload(h, requestId, pdf, q);
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toBe('this invoice is already issued');

    const served = await fetch(`${h.url}/api/invoices/${requestId}/pdf`, {
      headers: await h.headersOf('owner'),
    });
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await served.arrayBuffer()).equals(pdf)).toBe(true);

    const audit = await h.api('GET', '/api/audit', undefined, as('owner'));
    const entries = (audit.body as { action: string; outcome: string; target: string }[]).filter(
      (e) => e.action === 'invoice.issue',
    );
    expect(entries.filter((e) => e.outcome === 'done')).toHaveLength(1);
    expect(entries.filter((e) => e.outcome === 'refused').length).toBeGreaterThanOrEqual(5);

    const doc = buildDocument(
      h.hub,
      intentDocId(requestId).replace('intent:', 'invoice:'),
      undefined,
    ) as {
      status: string;
      customerId: string;
      pdf: { bytes: number };
      _attachments: Record<string, { data: string }>;
    };
    expect(doc).toMatchObject({
      status: 'issued',
      customerId: CUSTOMER,
      pdf: { bytes: pdf.length },
    });
    expect(Buffer.from(doc._attachments['invoice.pdf']!.data, 'base64').equals(pdf)).toBe(true);
  });

  it('rejects with a reason, after which the customer may ask again', async () => {
    h = await startTestHub();
    const { storeId, bookingId, amount } = await bookedOnline(h);
    const first = `inv1-${bookingId}`;
    await answerIntent(
      h.hub,
      intent(
        storeId,
        'invoice_request',
        { bookingId, title: { ...COMPANY, name: '错名' }, amount },
        first,
      ),
    );
    const noReason = await h.api(
      'POST',
      `/api/invoices/${first}/reject`,
      { reason: '' },
      as('owner'),
    );
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('reason');
    const rejected = await h.api(
      'POST',
      `/api/invoices/${first}/reject`,
      { reason: '单位名称与纳税人识别号不符' },
      as('owner'),
    );
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      rejectReason: '单位名称与纳税人识别号不符',
    });
    const doc = buildDocument(h.hub, `invoice:${first}`, undefined) as {
      status: string;
      reason: string;
    };
    expect(doc).toMatchObject({ status: 'rejected', reason: '单位名称与纳税人识别号不符' });

    const second = await answerIntent(
      h.hub,
      intent(
        storeId,
        'invoice_request',
        { bookingId, title: COMPANY, amount },
        `inv2-${bookingId}`,
      ),
    );
    expect(second.outcome).toBe('done');
    const list = await h.api('GET', '/api/invoices?status=waiting', undefined, as('manager'));
    expect(list.body.invoices.map((i: { id: string }) => i.id)).toEqual([`inv2-${bookingId}`]);
    expect(list.body.counts).toEqual({ waiting: 1, issued: 0, rejected: 1 });
  });
});
