// Sharing a deal (C12), over real HTTP against the embedded CouchDB-compatible server with a
// stand-in hub: a customer's share link is the same each time they share the deal; a friend who
// buys or joins the store through it sends the store one `referral` intent naming both phones; a
// code that is unknown, malformed or the friend's own credits nobody and the purchase goes through.
// And the link's preview: the deal's page is served with Open Graph tags (title, the price against
// the usual one, the store, a picture), escaped; a deal not on sale gets none; the link's QR code.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DealDocSchema,
  EntitlementSchema,
  IntentDocSchema,
  answerDoc,
  dealDocId,
  entitlementRev,
  storeDbName,
  storeInboxDbName,
  type IntentDoc,
} from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  startCloudService,
  type CloudService,
} from '../src/index';
import { isConflict, type CouchClient, type CouchDoc } from '../src/couch';
import { CLOUD_SECRETS, callApi, seedStoreDocs } from './cloud-fixtures';
import { startTestCouch, type TestCouch } from './test-couch';

/** Monday 2026-11-23, 10:00 in Shanghai. */
const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const HOUR = 3_600_000;

let root: string;
let couch: TestCouch;
let db: CouchClient;
let service: CloudService;
let sms: MemorySmsProvider;
const stops: (() => void)[] = [];

const api = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
  callApi(service.url, method, url, body, headers);
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

let phoneSeq = 500;
async function signIn(): Promise<{ token: string; phone: string }> {
  const phone = `1370000${String((phoneSeq += 1)).padStart(4, '0')}`;
  await api('POST', '/api/auth/sms/send', { phone });
  const verified = await api('POST', '/api/auth/sms/verify', { phone, code: sms.lastCode(phone) });
  expect(verified.status).toBe(200);
  return { token: verified.json.token as string, phone };
}

const entitlement = EntitlementSchema.parse({
  kind: 'hours',
  minutes: 180,
  dayTypes: ['workday'],
  roomStyles: ['mahjong'],
  maxPartySize: 4,
});

let dealSeq = 0;
async function publishDeal(
  fields: Partial<Record<string, unknown>> = {},
  storeId = 'sa',
): Promise<string> {
  const dealId = (fields.dealId as string | undefined) ?? `share-deal-${(dealSeq += 1)}`;
  const existing = await db.get(storeDbName(storeId), dealDocId(dealId));
  const doc = DealDocSchema.parse({
    _id: dealDocId(dealId),
    type: 'deal',
    storeId,
    dealId,
    source: 'own',
    platformDealId: null,
    title: '棋牌室 3 小时',
    description: '工作日通用',
    photos: [],
    entitlement,
    rev: entitlementRev(entitlement),
    price: 9900,
    originalPrice: 17400,
    groupSize: 1,
    groupHours: 24,
    validDays: 30,
    perCustomerLimit: null,
    stock: null,
    refundAnyTime: true,
    refundOnExpiry: true,
    status: 'on_sale',
    updatedAt: new Date(T0).toISOString(),
    ...fields,
  });
  await db.put(storeDbName(storeId), {
    ...doc,
    ...(existing?._rev ? { _rev: existing._rev } : {}),
  } as CouchDoc);
  await service.cloud.follower.followNow();
  return dealId;
}

/** A stand-in for the store's hub that answers every intent `done`. */
function agreeableHub(storeId: string): void {
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      for (const raw of await db.byPrefix(storeInboxDbName(storeId), 'intent:').catch(() => [])) {
        const parsed = IntentDocSchema.safeParse(raw);
        if (!parsed.success) continue;
        const answerId = `answer:${parsed.data.intentId}`;
        if (await db.get(storeDbName(storeId), answerId)) continue;
        // Another answer written meanwhile (a loop left from an earlier test) is as good.
        await db
          .put(
            storeDbName(storeId),
            answerDoc(parsed.data.intentId, { outcome: 'done' }, T0) as CouchDoc,
          )
          .catch((error: unknown) => {
            if (!isConflict(error)) throw error;
          });
      }
      await new Promise((r) => setTimeout(r, 40));
    }
  };
  void loop().catch((error: unknown) => {
    if (!stopped) throw error;
  });
  stops.push(() => (stopped = true));
}

async function referrals(storeId = 'sa'): Promise<Extract<IntentDoc, { kind: 'referral' }>[]> {
  return (await db.byPrefix(storeInboxDbName(storeId), 'intent:'))
    .map((d) => IntentDocSchema.parse(d))
    .filter((i): i is Extract<IntentDoc, { kind: 'referral' }> => i.kind === 'referral');
}

const share = (dealId: string, token: string) =>
  api('POST', `/api/deals/${dealId}/shares`, undefined, auth(token));
const buy = (dealId: string, token: string, body: object = {}) =>
  api('POST', `/api/deals/${dealId}/purchases`, body, auth(token));

async function page(url: string): Promise<{ status: number; html: string }> {
  const res = await fetch(`${service.url}${url}`);
  return { status: res.status, html: await res.text() };
}

/** The content of one meta tag of a page's head, unescaped by the parser's rules. */
function meta(html: string, property: string): string | undefined {
  const m = new RegExp(`<meta property="${property}" content="([^"]*)" />`).exec(html);
  return m?.[1];
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'deal-shares-'));
  // A stand-in build of the customer's pages, so the cloud serves the deal's page.
  const pages = path.join(root, 'pages');
  await mkdir(path.join(pages, 'h5'), { recursive: true });
  await writeFile(
    path.join(pages, 'h5', 'index.html'),
    '<!doctype html><html><head><title>H5</title></head><body><div id="root"></div></body></html>',
  );
  process.env.CLOUD_PAGES_DIR = pages;
  couch = await startTestCouch(root);
  db = couch.writers;
  for (const storeId of ['sa', 'sb']) {
    await seedStoreDocs(
      db,
      {
        storeId,
        lat: 31.23,
        lng: 121.47,
        hours: { open: '09:00', close: '23:00' },
        rooms: [{ roomId: `${storeId}-r1`, style: 'mahjong', capacity: 4, workday: 6000 }],
      },
      T0 - HOUR,
    );
  }
  sms = new MemorySmsProvider();
  service = await startCloudService({
    couchUrl: couch.cloudUrl,
    ...CLOUD_SECRETS,
    jwtSecret: 'test-secret-test-secret-test-secret-0123',
    sms,
    payments: new SimulatedCloudChannel(),
    clock: { now: () => T0 },
    intentWaitMs: 1_500,
    sweepMs: 0,
    catalogueRefreshMs: 0,
    smsLimits: { senderPerMinute: 10_000, senderPerHour: 10_000 },
    log: () => {},
  });
});

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

afterAll(async () => {
  delete process.env.CLOUD_PAGES_DIR;
  await service?.close();
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

describe("a deal's share link", () => {
  it('is the same each time one customer shares it, another for another customer', async () => {
    const dealId = await publishDeal();
    const a = await signIn();
    const b = await signIn();
    const first = await share(dealId, a.token);
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    expect(first.json).toMatchObject({ storeId: 'sa', dealId, title: '棋牌室 3 小时' });
    expect(first.json.shareId).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(first.json.path).toBe(`/h5/stores/sa/deals/${dealId}?share=${first.json.shareId}`);
    expect((await share(dealId, a.token)).json.shareId).toBe(first.json.shareId);
    const theirs = await share(dealId, b.token);
    expect(theirs.json.shareId).not.toBe(first.json.shareId);
    // The code spells neither the phone nor the customer.
    expect(first.json.path).not.toContain(a.phone);
  });

  it('is for signed-in customers and deals on sale only', async () => {
    const dealId = await publishDeal();
    expect((await api('POST', `/api/deals/${dealId}/shares`)).status).toBe(401);
    const { token } = await signIn();
    const draft = await publishDeal({ status: 'draft' });
    expect((await share(draft, token)).status).toBe(404);
    expect((await share('no-such-deal', token)).status).toBe(404);
  });

  it('credits its sharer once when a friend buys through it: one referral intent with both phones', async () => {
    agreeableHub('sa');
    const dealId = await publishDeal();
    const sharer = await signIn();
    const friend = await signIn();
    const code = (await share(dealId, sharer.token)).json.shareId as string;
    const bought = await buy(dealId, friend.token, { share: code });
    expect(bought.status, JSON.stringify(bought.json)).toBe(201);
    expect(bought.json.state).toBe('issued');
    const mine = (await referrals()).filter((r) => r.body.referee === friend.phone);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body).toEqual({
      referrer: sharer.phone,
      referee: friend.phone,
      via: 'deal',
      voucherId: bought.json.voucher.voucherId,
    });
    // A second voucher through the same link, and joining the store through it: still one.
    expect((await buy(dealId, friend.token, { share: code })).status).toBe(201);
    const joined = await api(
      'POST',
      '/api/stores/sa/membership',
      { share: code },
      auth(friend.token),
    );
    expect(joined.status, JSON.stringify(joined.json)).toBeLessThan(300);
    expect((await referrals()).filter((r) => r.body.referee === friend.phone)).toHaveLength(1);
  });

  it('credits its sharer when a friend joins the store through it', async () => {
    agreeableHub('sa');
    const dealId = await publishDeal();
    const sharer = await signIn();
    const friend = await signIn();
    const code = (await share(dealId, sharer.token)).json.shareId as string;
    const joined = await api(
      'POST',
      '/api/stores/sa/membership',
      { share: code },
      auth(friend.token),
    );
    expect(joined.status, JSON.stringify(joined.json)).toBeLessThan(300);
    const mine = (await referrals()).filter((r) => r.body.referee === friend.phone);
    expect(mine.map((r) => r.body)).toEqual([
      { referrer: sharer.phone, referee: friend.phone, via: 'join' },
    ]);
  });

  it("credits nobody for an unknown code, one's own, or another store's, and the purchase still goes through", async () => {
    agreeableHub('sa');
    agreeableHub('sb');
    const dealId = await publishDeal();
    const otherStore = await publishDeal({}, 'sb');
    const sharer = await signIn();
    const before = (await referrals()).length;
    // Unknown.
    const unknown = await buy(dealId, sharer.token, { share: 'ZZZZZZZZZZZZ' });
    expect(unknown.status, JSON.stringify(unknown.json)).toBe(201);
    expect(unknown.json.state).toBe('issued');
    // One's own.
    const own = (await share(dealId, sharer.token)).json.shareId as string;
    const self = await buy(dealId, sharer.token, { share: own });
    expect(self.status).toBe(201);
    expect(self.json.state).toBe('issued');
    // Shared for another store's deal, used on this one.
    const elsewhere = (await share(otherStore, sharer.token)).json.shareId as string;
    const friend = await signIn();
    const crossed = await buy(dealId, friend.token, { share: elsewhere });
    expect(crossed.status).toBe(201);
    expect(await referrals()).toHaveLength(before);
    expect((await referrals('sb')).filter((r) => r.body.referee === friend.phone)).toEqual([]);
  });

  it('refuses a malformed code in words naming the field', async () => {
    const dealId = await publishDeal();
    const { token } = await signIn();
    const r = await buy(dealId, token, { share: 'not a code!' });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json.error)).toContain('share');
  });

  it("credits nobody once the sharer's account is deleted", async () => {
    agreeableHub('sa');
    const dealId = await publishDeal();
    const sharer = await signIn();
    const code = (await share(dealId, sharer.token)).json.shareId as string;
    expect(await service.cloud.deals.shares.find(code)).toBeDefined();
    const deleted = await api(
      'POST',
      '/api/me/deletion',
      { confirm: 'delete' },
      auth(sharer.token),
    );
    expect(deleted.status, JSON.stringify(deleted.json)).toBe(200);
    expect(await service.cloud.deals.shares.find(code)).toBeUndefined();
    const friend = await signIn();
    const bought = await buy(dealId, friend.token, { share: code });
    expect(bought.status).toBe(201);
    expect((await referrals()).filter((r) => r.body.referee === friend.phone)).toEqual([]);
  });
});

describe("a share link's preview", () => {
  it("carries the deal's title, price against the usual one, store and a picture", async () => {
    const dealId = await publishDeal();
    const { token } = await signIn();
    const code = (await share(dealId, token)).json.shareId as string;
    const { status, html } = await page(`/h5/stores/sa/deals/${dealId}?share=${code}`);
    expect(status).toBe(200);
    expect(meta(html, 'og:title')).toBe('棋牌室 3 小时');
    const description = meta(html, 'og:description')!;
    expect(description).toContain('¥99.00');
    expect(description).toContain('¥174.00');
    expect(description).toContain('工作日通用');
    // No photo: the link's QR code is the picture, with the code.
    expect(meta(html, 'og:image')).toBe(
      `${service.url}/api/deals/${dealId}/share-qr.png?share=${code}`,
    );
    expect(meta(html, 'og:url')).toBe(`${service.url}/h5/stores/sa/deals/${dealId}?share=${code}`);
    // The page itself is still the customer's pages.
    expect(html).toContain('<div id="root"></div>');
    const qr = await fetch(meta(html, 'og:image')!);
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await qr.arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it("uses the deal's photo when it has one, and escapes what the store wrote", async () => {
    const dealId = await publishDeal({
      title: '"><script>alert(1)</script> & 茶',
      photos: ['https://img.example.com/deal.jpg'],
    });
    const { html } = await page(`/h5/stores/sa/deals/${dealId}`);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(meta(html, 'og:title')).toBe('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; 茶');
    expect(meta(html, 'og:image')).toBe('https://img.example.com/deal.jpg');
  });

  it('is not there for a deal not on sale, an unknown one, or another page', async () => {
    const draft = await publishDeal({ status: 'draft' });
    for (const url of [
      `/h5/stores/sa/deals/${draft}`,
      '/h5/stores/sa/deals/no-such-deal',
      '/h5/stores/sb/deals/no-such-deal',
      '/h5/stores/sa',
    ]) {
      const { status, html } = await page(url);
      expect(status, url).toBe(200);
      expect(html, url).not.toContain('og:');
    }
    // A deal of one store under another's address: no preview either.
    const dealId = await publishDeal();
    expect((await page(`/h5/stores/sb/deals/${dealId}`)).html).not.toContain('og:');
    expect((await api('GET', `/api/deals/no-such-deal/share-qr.png`)).status).toBe(404);
  });
});
