// Electronic invoices end to end, on the real parts: a store's hub, an embedded CouchDB and the
// cloud service. A customer who booked and paid online asks for a company invoice (a taxpayer id
// with a wrong check digit is refused naming the field); a second request is refused in words; the
// store records it, the owner issues it at the hub with the tax system's PDF, and the customer
// downloads the very same bytes through the cloud and is told in a message. Another customer
// asking for that PDF is told there is no such invoice. A rejected request is told with its
// reason and may be asked again; the owner may turn one down, or issue it, from afar too.
import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, at, STAFF, until } from '@roomhub/hub-app/testing';
import { intentDocId, storeInboxDbName } from '@roomhub/shared-types';
import { startStoreAndCloud } from './fixtures';
import { invoicePdf } from './invoice-pdf';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;

beforeAll(async () => {
  running = await startStoreAndCloud('invoice-e2e', {
    smsLimits: { senderPerMinute: 20, senderPerHour: 50 },
  });
}, 120_000);
afterAll(async () => {
  await running?.close();
});

const COMPANY = { kind: 'company', name: '杭州青山茶事有限公司', taxId: '91440300708461136T' };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * A customer (`phone`) books the second room from `from` to `to` today and pays online; once the
 * cloud has the paid booking they ask for a company invoice named `name`. The request's id, the
 * order's invoices path and the customer's token.
 */
async function askedInvoice(phone: string, from: string, to: string, name: string) {
  const { hub, api, signIn } = running;
  const storeId = hub.hub.store.getStore().id;
  const [, roomId] = await hub.roomIds();
  const token = await signIn(phone);
  const booked = await api(
    'POST',
    '/api/bookings',
    { storeId, roomId, start: at(from), end: at(to), partySize: 2 },
    token,
  );
  expect(booked.status, JSON.stringify(booked.body)).toBe(201);
  const path = `/api/orders/${booked.body.bookingId}/invoices`;
  await until('the paid booking in the cloud', async () => {
    const r = await api('GET', path, undefined, token);
    return r.status === 200 && r.body.canAsk ? r : undefined;
  });
  const asked = await api('POST', path, { title: { ...COMPANY, name } }, token);
  expect(asked.status, JSON.stringify(asked.body)).toBe(201);
  return { id: asked.body.intentId as string, path, token };
}

describe('electronic invoices through the cloud', () => {
  it('is asked for online, issued at the store and downloaded by its customer only', async () => {
    const { hub, cloud, api, signIn } = running;
    const storeId = hub.hub.store.getStore().id;
    const [roomId] = await hub.roomIds();
    const token = await signIn('13800007001');
    const stranger = await signIn('13800007002');

    const booked = await api(
      'POST',
      '/api/bookings',
      { storeId, roomId, start: at('14:00'), end: at('16:00'), partySize: 2 },
      token,
    );
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const bookingId = booked.body.bookingId as string;
    const paid = hub.hub.views.detail(bookingId).paid;
    const path = `/api/orders/${bookingId}/invoices`;
    await until('the paid booking in the cloud', async () => {
      const r = await api('GET', path, undefined, token);
      return r.status === 200 && r.body.canAsk ? r : undefined;
    });

    // A taxpayer id with a wrong check digit is refused, naming the field and the rule.
    const typo = await api(
      'POST',
      path,
      { title: { ...COMPANY, taxId: '91440300708461136A' }, email: 'finance@qingshan.cn' },
      token,
    );
    expect(typo.status).toBe(400);
    expect(typo.body.error.field).toBe('title.taxId');
    const asked = await api('POST', path, { title: COMPANY, email: 'finance@qingshan.cn' }, token);
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body.state).toBe('done');

    const second = await api('POST', path, { title: { kind: 'personal', name: '王芳' } }, token);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('invoice_already_asked');

    // The store has it, made out for what was paid.
    const list = await hub.api('GET', '/api/invoices?status=waiting', undefined, as('owner'));
    expect(list.body.invoices).toHaveLength(1);
    const request = list.body.invoices[0] as { id: string; amount: number; title: unknown };
    expect(request).toMatchObject({ amount: paid, title: COMPANY, email: 'finance@qingshan.cn' });

    // The owner sends the PDF the tax system made.
    const pdf = invoicePdf('24330000000000012345');
    const today = at('10:00').slice(0, 10);
    const issued = await fetch(
      `${hub.url}/api/invoices/${request.id}/issue?number=24330000000000012345&issuedOn=${today}`,
      {
        method: 'POST',
        headers: { ...(await hub.headersOf('owner')), 'content-type': 'application/pdf' },
        body: new Uint8Array(pdf),
      },
    );
    expect(issued.status, await issued.clone().text()).toBe(200);

    const seen = await until(
      'the issued invoice in the cloud',
      async () => {
        await cloud.cloud.follower.followNow();
        const r = await api('GET', path, undefined, token);
        return r.body.invoices?.[0]?.state === 'issued' ? r.body : undefined;
      },
      60_000,
    );
    expect(seen.invoices[0]).toMatchObject({
      requestId: request.id,
      number: '24330000000000012345',
      issuedOn: today,
      amount: paid,
      pdfBytes: pdf.length,
    });
    expect(seen.canAsk).toBe(false);

    const download = await until('the PDF downloadable', async () => {
      const r = await fetch(`${cloud.url}${path}/${request.id}/pdf`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return r.status === 200 ? r : undefined;
    });
    expect(download.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(sha(bytes)).toBe(sha(pdf));

    // Another customer: no such order, no such invoice, in words.
    const other = await fetch(`${cloud.url}${path}/${request.id}/pdf`, {
      headers: { authorization: `Bearer ${stranger}` },
    });
    expect(other.status).toBe(404);
    const said = (await other.json()) as { error: { code: string; message: string } };
    expect(said.error.code).toBe('booking_not_found');
    expect(said.error.message).toMatch(/booking/);
    expect((await fetch(`${cloud.url}${path}/${request.id}/pdf`)).status).toBe(401);

    // The customer is told.
    const inbox = await until('the invoice message', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', '/api/me/messages', undefined, token);
      return r.body.messages?.find((m: { kind: string }) => m.kind === 'invoice_issued');
    });
    expect(inbox.body).toContain('24330000000000012345');
  });

  it('tells the customer a rejection with its reason, and lets them ask again', async () => {
    const { hub, cloud, api } = running;
    const { id, path, token } = await askedInvoice('13800007003', '17:00', '18:00', '青山茶事');
    const rejected = await hub.api(
      'POST',
      `/api/invoices/${id}/reject`,
      { reason: '单位名称与纳税人识别号不符，请填写单位全称' },
      STAFF,
    );
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);

    const seen = await until('the rejection in the cloud', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', path, undefined, token);
      return r.body.invoices?.[0]?.state === 'rejected' ? r.body : undefined;
    });
    expect(seen.invoices[0].reason).toBe('单位名称与纳税人识别号不符，请填写单位全称');
    expect(seen.canAsk).toBe(true);
    const message = await until('the rejection message', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', '/api/me/messages', undefined, token);
      return r.body.messages?.find((m: { kind: string }) => m.kind === 'invoice_rejected');
    });
    expect(message.body).toContain('单位名称与纳税人识别号不符');

    const again = await api('POST', path, { title: COMPANY }, token);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.intentId).not.toBe(id);
  });

  it('is turned down from afar by the owner, made once by the store, with the reason the customer reads', async () => {
    const { hub, cloud, api } = running;
    const storeId = hub.hub.store.getStore().id;
    const { id, path, token } = await askedInvoice('13800007005', '19:00', '20:00', '远山茶社');
    const owner = await cloud.cloud.tokens.owner({ username: 'e2e-owner', storeIds: [storeId] });
    const reject = `/api/owner/stores/${storeId}/invoices/${id}/reject`;
    // The owner's page lists it waiting once the store has published it.
    await until('the request on the owner’s remote page', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', `/api/owner/stores/${storeId}/invoices`, undefined, owner);
      return r.body.invoices?.some((i: { requestId: string }) => i.requestId === id)
        ? true
        : undefined;
    });
    const noReason = await api('POST', reject, { reason: '' }, owner);
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('reason');

    const sent = await api('POST', reject, { reason: '请填写单位全称' }, owner);
    expect([200, 202], JSON.stringify(sent.body)).toContain(sent.status);
    await until('the store turned it down', async () => {
      const r = await hub.api('GET', `/api/invoices/${id}`, undefined, as('owner'));
      return r.body.status === 'rejected' ? r.body : undefined;
    });
    // Recorded once, by the invoices, as the owner from afar.
    const audit = (await hub.api('GET', '/api/audit?limit=30', undefined, as('owner'))).body as {
      action: string;
      target: string;
      outcome: string;
      actor: { id: string };
    }[];
    expect(audit.filter((e) => e.action === 'invoice.reject' && e.target === id)).toMatchObject([
      { outcome: 'done', actor: { id: 'remote:e2e-owner' } },
    ]);
    const seen = await until('the rejection in the customer’s order', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', path, undefined, token);
      return r.body.invoices?.[0]?.state === 'rejected' ? r.body : undefined;
    });
    expect(seen.invoices[0].reason).toBe('请填写单位全称');
    // Decided already: the store refuses a second decision in its words.
    const twice = await api('POST', reject, { reason: '再次拒绝' }, owner);
    expect(twice.status, JSON.stringify(twice.body)).toBe(409);
  });

  it('is issued from afar with the tax system’s PDF, kept once by the store, the same bytes downloaded by its customer', async () => {
    const { hub, cloud, api } = running;
    const storeId = hub.hub.store.getStore().id;
    const { id, path, token } = await askedInvoice('13800007006', '15:00', '16:00', '云栖茶舍');
    const owner = await cloud.cloud.tokens.owner({ username: 'e2e-owner', storeIds: [storeId] });
    await until('the request on the owner’s remote page', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', `/api/owner/stores/${storeId}/invoices`, undefined, owner);
      return r.body.invoices?.some((i: { requestId: string }) => i.requestId === id)
        ? true
        : undefined;
    });
    // As large as a scanned invoice: the whole file travels in the signed change.
    const pdf = invoicePdf('24330000000000067890', 1_500_000);
    const today = at('10:00').slice(0, 10);
    const issue = async (query: string, body: Uint8Array, type = 'application/pdf') => {
      const r = await fetch(
        `${cloud.url}/api/owner/stores/${storeId}/invoices/${id}/issue?${query}`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${owner}`,
            'content-type': type,
            'idempotency-key': randomUUID(),
          },
          body,
        },
      );
      return {
        status: r.status,
        body: (await r.json()) as {
          error?: { code: string; field?: string; message: string };
          state?: string;
        },
      };
    };
    const good = `number=24330000000000067890&issuedOn=${today}`;

    // Nobody signed in: refused before the file is read.
    const anonymous = await fetch(
      `${cloud.url}/api/owner/stores/${storeId}/invoices/${id}/issue?${good}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/pdf', 'idempotency-key': randomUUID() },
        body: new Uint8Array(pdf),
      },
    );
    expect(anonymous.status).toBe(401);
    // A wrong file is refused by the cloud, naming the file, and nothing is sent to the store.
    const png = await issue(good, new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'image/png');
    expect(png.status).toBe(415);
    expect(png.body.error).toMatchObject({ code: 'invoice_not_pdf', field: 'pdf' });
    const cut = await issue(good, new Uint8Array(pdf.subarray(0, pdf.length - 30)));
    expect(cut.status).toBe(415);
    expect(cut.body.error?.message).toMatch(/not a whole PDF/);
    const number = await issue(`number=12&issuedOn=${today}`, new Uint8Array(pdf));
    expect(number.status).toBe(400);
    expect(number.body.error?.field).toBe('number');
    // A date before the request: the store refuses it in its words, and keeps the refusal.
    const early = await issue(
      'number=24330000000000067890&issuedOn=2020-01-01',
      new Uint8Array(pdf),
    );
    expect(early.status, JSON.stringify(early.body)).toBe(409);
    expect(early.body.error?.message).toMatch(
      /开票日期要在 \d{4}-\d{2}-\d{2} 和 \d{4}-\d{2}-\d{2} 之间/,
    );

    const sent = await issue(good, new Uint8Array(pdf));
    expect([200, 202], JSON.stringify(sent.body)).toContain(sent.status);
    const intentId = (sent.body as { intentId?: string }).intentId!;
    expect(intentId).toBeTruthy();
    const kept = await until('the store issued it', async () => {
      const r = await hub.api('GET', `/api/invoices/${id}`, undefined, as('owner'));
      return r.body.status === 'issued' ? r.body : undefined;
    });
    expect(kept).toMatchObject({
      number: '24330000000000067890',
      issuedOn: today,
      pdfBytes: pdf.length,
    });
    const atStore = await fetch(`${hub.url}/api/invoices/${id}/pdf`, {
      headers: await hub.headersOf('owner'),
    });
    expect(sha(Buffer.from(await atStore.arrayBuffer()))).toBe(sha(pdf));
    // Once, by the invoices, as the owner from afar; the early date kept as refused.
    const audit = (await hub.api('GET', '/api/audit?limit=40', undefined, as('owner'))).body as {
      action: string;
      target: string;
      outcome: string;
      actor: { id: string };
    }[];
    const entries = audit.filter((e) => e.action === 'invoice.issue' && e.target === id);
    expect(entries.map((e) => [e.outcome, e.actor.id]).sort()).toEqual([
      ['done', 'remote:e2e-owner'],
      ['refused', 'remote:e2e-owner'],
    ]);

    // Once answered, the intent that carried the PDF leaves the store's inbox in the cloud: nobody
    // reads it again, and the PDF is kept by the store and in the customer's order.
    const admin = new URL(running.couch.adminUrl);
    const asAdmin = {
      authorization: `Basic ${Buffer.from(`${decodeURIComponent(admin.username)}:${decodeURIComponent(admin.password)}`).toString('base64')}`,
    };
    const inboxDoc = `${admin.origin}/${storeInboxDbName(storeId)}/${encodeURIComponent(intentDocId(intentId))}`;
    await until('the owner told it was made', async () => {
      const r = await fetch(`${cloud.url}/api/owner/stores/${storeId}/intents/${intentId}`, {
        headers: { authorization: `Bearer ${owner}` },
      });
      return ((await r.json()) as { state?: string }).state === 'done' ? true : undefined;
    });
    await until('the PDF gone from the inbox', async () =>
      (await fetch(inboxDoc, { headers: asAdmin })).status === 404 ? true : undefined,
    );
    const seen = await until('the issued invoice in the customer’s order', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', path, undefined, token);
      return r.body.invoices?.[0]?.state === 'issued' ? r.body : undefined;
    });
    expect(seen.invoices[0]).toMatchObject({
      number: '24330000000000067890',
      pdfBytes: pdf.length,
    });
    const download = await until('the PDF downloadable', async () => {
      const r = await fetch(`${cloud.url}${path}/${id}/pdf`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return r.status === 200 ? r : undefined;
    });
    expect(sha(Buffer.from(await download.arrayBuffer()))).toBe(sha(pdf));
    // Issued already: a second PDF is refused in the store's words.
    const twice = await issue(good.replace('67890', '67891'), new Uint8Array(pdf));
    expect(twice.status, JSON.stringify(twice.body)).toBe(409);
    expect(twice.body.error?.message).toMatch(/已经处理过了/);
  });

  it('answers random invoice requests with a 4xx in words, never a 5xx, and records none', async () => {
    const { hub, api, signIn } = running;
    const storeId = hub.hub.store.getStore().id;
    const [roomId] = await hub.roomIds();
    const token = await signIn('13800007004');
    const booked = await api(
      'POST',
      '/api/bookings',
      { storeId, roomId, start: at('19:00'), end: at('20:00'), partySize: 2 },
      token,
    );
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const bookingId = booked.body.bookingId as string;
    await until('the paid booking in the cloud', async () => {
      const r = await api('GET', `/api/orders/${bookingId}/invoices`, undefined, token);
      return r.status === 200 && r.body.canAsk ? r : undefined;
    });
    const before = (await hub.api('GET', '/api/invoices', undefined, as('owner'))).body.invoices
      .length as number;
    const title = fc.oneof(
      fc.record({ kind: fc.constant('personal'), name: fc.oneof(fc.constant(''), fc.integer()) }),
      fc.record({
        kind: fc.constant('company'),
        name: fc.string({ maxLength: 120 }),
        taxId: fc.oneof(
          fc.string({ maxLength: 20 }),
          fc.constant('91440300708461136A'),
          fc.constant('9144030070846113'),
        ),
      }),
      fc.record({ kind: fc.string(), name: fc.string() }),
      fc.jsonValue(),
    );
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        { title, email: fc.oneof(fc.string(), fc.constant('not-an-email'), fc.integer()) },
        { requiredKeys: [] },
      ),
      fc.record({ title: fc.constant(COMPANY), extra: fc.jsonValue() }),
    );
    const targets = [
      `/api/orders/${bookingId}/invoices`,
      '/api/orders/no-such-booking/invoices',
      '/api/orders/%20/invoices',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), body, async (url, b) => {
        const res = await api('POST', url, b, token);
        expect(res.status, `${url} ${JSON.stringify(b)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${url} ${JSON.stringify(b)}`).toBeLessThan(500);
        expect(res.body.error).toMatchObject({
          code: expect.any(String),
          message: expect.any(String),
        });
      }),
      { numRuns: 80 },
    );
    const after = (await hub.api('GET', '/api/invoices', undefined, as('owner'))).body.invoices;
    expect(after).toHaveLength(before);
  }, 120_000);
});
