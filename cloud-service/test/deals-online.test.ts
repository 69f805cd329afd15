// Our own deals bought online, over real HTTP against the embedded CouchDB-compatible server, with
// a stand-in hub answering the store's intents: the deals a store has on sale, buying one (stock,
// the buyer's limit and a declined payment checked before or as money moves), the voucher issued
// and sent to the store signed, groups that fill and groups that do not (everyone's money back,
// nothing issued), "my vouchers" learning a voucher's use from the store's ledger, and refunds:
// asked by the customer, waiting while the store is offline, refused when the store says it was
// used, and 过期退 by the sweep when a voucher expires unused.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { verify } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DealDocSchema,
  EntitlementSchema,
  IntentDocSchema,
  LedgerDocSchema,
  answerDoc,
  dealDocId,
  entitlementRev,
  intentSigningText,
  ledgerDocId,
  readVoucherQr,
  storeDbName,
  storeInboxDbName,
  voucherCodeChecks,
  type AnswerBody,
  type IntentDoc,
} from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  putOwnerAccount,
  SimulatedCloudChannel,
  startCloudService,
  type CloudService,
} from '../src/index';
import type { CouchClient, CouchDoc } from '../src/couch';
import { CLOUD_KEYS, CLOUD_SECRETS, callApi, seedStoreDocs, type Json } from './cloud-fixtures';
import { startTestCouch, type TestCouch } from './test-couch';

/** Monday 2026-11-23, 10:00 in Shanghai. */
const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let clock = T0;
let root: string;
let couch: TestCouch;
let db: CouchClient;
let service: CloudService;
let sms: MemorySmsProvider;
let payments: SimulatedCloudChannel;
const stops: (() => void)[] = [];

const api = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
  callApi(service.url, method, url, body, headers);
const auth = (token: string, extra: Record<string, string> = {}) => ({
  Authorization: `Bearer ${token}`,
  ...extra,
});

let phoneSeq = 300;
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
/** Publishes a deal as the store's hub does, and lets the cloud's follower read it. */
async function publishDeal(
  fields: Partial<Record<string, unknown>> = {},
  storeId = 'da',
): Promise<string> {
  const dealId = (fields.dealId as string | undefined) ?? `deal-${(dealSeq += 1)}`;
  const name = storeDbName(storeId);
  const existing = await db.get(name, dealDocId(dealId));
  const doc = DealDocSchema.parse({
    _id: dealDocId(dealId),
    type: 'deal',
    storeId,
    dealId,
    source: 'own',
    platformDealId: null,
    title: '棋牌室 3 小时',
    description: '',
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
    updatedAt: new Date(clock).toISOString(),
    ...fields,
  });
  await db.put(name, { ...doc, ...(existing?._rev ? { _rev: existing._rev } : {}) } as CouchDoc);
  await service.cloud.follower.followNow();
  return dealId;
}

type Decide = (intent: IntentDoc) => AnswerBody | undefined;

/** A stand-in for the store's hub: one answer per voucher intent, as `decide` says. */
function hubAnswering(storeId: string, decide: Decide): { stop(): void; seen: IntentDoc[] } {
  const seen: IntentDoc[] = [];
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const inbox = await db.byPrefix(storeInboxDbName(storeId), 'intent:').catch(() => []);
      for (const raw of inbox) {
        const parsed = IntentDocSchema.safeParse(raw);
        if (!parsed.success || seen.some((s) => s.intentId === parsed.data.intentId)) continue;
        if (await db.get(storeDbName(storeId), `answer:${parsed.data.intentId}`)) continue;
        const body = decide(parsed.data);
        if (!body) continue;
        await db.put(
          storeDbName(storeId),
          answerDoc(parsed.data.intentId, body, clock) as CouchDoc,
        );
        // Seen once answered: a test waiting on it then finds the answer written.
        seen.push(parsed.data);
      }
      await new Promise((r) => setTimeout(r, 40));
    }
  };
  // Stopped, the couch may close under a request in flight: nothing is left to answer then.
  void loop().catch((error: unknown) => {
    if (!stopped) throw error;
  });
  const hub = { stop: () => (stopped = true), seen };
  stops.push(hub.stop);
  return hub;
}

/** Everything the store is asked: issued vouchers are kept, refunds granted. */
const agreeable: Decide = () => ({ outcome: 'done' });

async function voucherIntents(storeId = 'da'): Promise<IntentDoc[]> {
  return (await db.byPrefix(storeInboxDbName(storeId), 'intent:'))
    .map((d) => IntentDocSchema.parse(d))
    .filter((i) => i.kind === 'voucher_issued' || i.kind === 'voucher_refund');
}

let entrySeq = 0;
/** The store's ledger says the voucher paid for a booking (or was given back), as its hub does. */
async function ledgerUse(voucherId: string, kind: 'payment' | 'refund', storeId = 'da') {
  const entryId = `v${(entrySeq += 1)}`;
  await db.put(
    storeDbName(storeId),
    LedgerDocSchema.parse({
      _id: ledgerDocId('b-voucher', entryId),
      type: 'ledger',
      storeId,
      bookingId: 'b-voucher',
      entryId,
      kind,
      method: 'voucher',
      amount: kind === 'payment' ? 9900 : -9900,
      voucherId,
      at: new Date(clock).toISOString(),
    }) as CouchDoc,
  );
  await service.cloud.follower.followNow();
}

const buy = (dealId: string, token: string, key?: string) =>
  api(
    'POST',
    `/api/deals/${dealId}/purchases`,
    {},
    auth(token, key ? { 'Idempotency-Key': key } : {}),
  );

async function myVouchers(token: string): Promise<Json> {
  const r = await api('GET', '/api/me/vouchers', undefined, auth(token));
  expect(r.status).toBe(200);
  return r.json;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'deals-online-'));
  couch = await startTestCouch(root);
  db = couch.writers;
  for (const storeId of ['da', 'db']) {
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
  payments = new SimulatedCloudChannel();
  service = await startCloudService({
    couchUrl: couch.cloudUrl,
    ...CLOUD_SECRETS,
    jwtSecret: 'test-secret-test-secret-test-secret-0123',
    sms,
    payments,
    clock: { now: () => clock },
    intentWaitMs: 1_500,
    sweepMs: 0,
    catalogueRefreshMs: 0,
    smsLimits: { senderPerMinute: 10_000, senderPerHour: 10_000 },
    log: () => {},
  });
});

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  clock = T0;
});

afterAll(async () => {
  await service?.close();
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

describe('the deals on sale', () => {
  it("are read per store from the cloud's copies, and leave when the store takes them off sale", async () => {
    const onSale = await publishDeal();
    const draft = await publishDeal({ status: 'draft' });
    const platform = await publishDeal({ source: 'meituan', platformDealId: 'mt-1', price: 0 });
    const list = await api('GET', '/api/stores/da/deals');
    expect(list.status).toBe(200);
    const ids = list.json.deals.map((d: Json) => d.dealId);
    expect(ids).toEqual(expect.arrayContaining([onSale, platform]));
    expect(ids).not.toContain(draft);
    const one = await api('GET', `/api/deals/${onSale}`);
    expect(one.json).toMatchObject({
      dealId: onSale,
      storeId: 'da',
      source: 'own',
      price: 9900,
      groupSize: 1,
      left: null,
      refundAnyTime: true,
      entitlement: { kind: 'hours', minutes: 180 },
    });
    // Another store's hub cannot take a deal over by publishing its id.
    await publishDeal({ dealId: onSale, title: 'not theirs' }, 'db');
    expect((await api('GET', `/api/deals/${onSale}`)).json.storeId).toBe('da');

    await publishDeal({ dealId: onSale, status: 'off_sale' });
    expect((await api('GET', `/api/deals/${onSale}`)).status).toBe(404);
    const after = (await api('GET', '/api/stores/da/deals')).json.deals.map((d: Json) => d.dealId);
    expect(after).not.toContain(onSale);
    // A platform's deal is shown for what it buys here, but bought on the platform.
    const { token } = await signIn();
    const r = await buy(platform, token);
    expect(r.status).toBe(409);
    expect(r.json.error.code).toBe('deal_not_ours');
  });

  it("are the owner's to see from the remote view, every status, and nobody else's", async () => {
    const draft = await publishDeal({ status: 'draft', title: '草稿' });
    // A limited deal one customer bought: the owner reads how many of its stock are sold.
    const limited = await publishDeal({ stock: 3, title: '限量' });
    expect((await buy(limited, (await signIn()).token)).status).toBe(201);
    await putOwnerAccount(db, {
      username: 'deal-owner',
      password: 'a-long-password',
      storeIds: ['da'],
    });
    const signedIn = await api('POST', '/api/owner/login', {
      username: 'deal-owner',
      password: 'a-long-password',
    });
    expect(signedIn.status).toBe(200);
    const owner = signedIn.json.token as string;
    const mine = await api('GET', '/api/owner/stores/da/deals', undefined, auth(owner));
    expect(mine.status).toBe(200);
    expect(mine.json.deals.find((d: Json) => d.dealId === draft)).toMatchObject({
      status: 'draft',
      title: '草稿',
      sold: null,
    });
    expect(mine.json.deals.find((d: Json) => d.dealId === limited)).toMatchObject({
      stock: 3,
      sold: 1,
    });
    const theirs = await api('GET', '/api/owner/stores/db/deals', undefined, auth(owner));
    expect(theirs.status).toBe(403);
  });
});

describe('buying a deal online', () => {
  it('takes the money once and issues a signed voucher the store is sent', async () => {
    const hub = hubAnswering('da', agreeable);
    const dealId = await publishDeal({ validDays: 30 });
    const { token, phone } = await signIn();
    const r = await buy(dealId, token, 'buy-once-0001');
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json).toMatchObject({ state: 'issued', dealId, price: 9900 });
    const v = r.json.voucher;
    expect(v.code).toMatch(/^\d{12}$/);
    expect(voucherCodeChecks(v.code)).toBe(true);
    expect(v).toMatchObject({
      status: 'valid',
      entitlement: { kind: 'hours', minutes: 180 },
      validFrom: '2026-11-23T10:00:00+08:00',
      validUntil: '2026-12-23T10:00:00+08:00',
    });
    // The QR proves itself: the cloud's signature over exactly what it carries.
    const pass = readVoucherQr(v.qr)!;
    expect(pass).toMatchObject({
      id: v.voucherId,
      code: v.code,
      store: 'da',
      dealId,
      issuer: 'cloud',
    });
    expect(pass.rev).toBe(entitlementRev(entitlement));
    expect(
      verify(
        null,
        Buffer.from(intentSigningText(pass)),
        CLOUD_KEYS.publicKey,
        Buffer.from(pass.signature.sig, 'base64url'),
      ),
    ).toBe(true);
    // The store is told, signed, with the buyer's phone.
    const sent = (await voucherIntents()).filter(
      (i) => i.kind === 'voucher_issued' && i.body.pass.id === v.voucherId,
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({ phone, pass: { code: v.code } });
    expect(sent[0]!.signature).toBeDefined();
    // The same key again is the same purchase: no second payment, no second voucher.
    const again = await buy(dealId, token, 'buy-once-0001');
    expect(again.status).toBe(201);
    expect(again.json.voucher.code).toBe(v.code);
    const moves = payments.moves.filter((m) => m.paymentId === `dp-${v.voucherId}`);
    expect(moves.map((m) => m.to)).toEqual(['authorised', 'captured']);
    expect((await myVouchers(token)).vouchers.map((x: Json) => x.voucherId)).toEqual([v.voucherId]);
    await until(() => hub.seen.some((i) => i.kind === 'voucher_issued'));
  });

  it('sells no more than the stock, and no more to one buyer than the limit, before money moves', async () => {
    const dealId = await publishDeal({ stock: 2, perCustomerLimit: 1 });
    const a = await signIn();
    const b = await signIn();
    const c = await signIn();
    expect((await buy(dealId, a.token)).status).toBe(201);
    const twice = await buy(dealId, a.token);
    expect(twice.status).toBe(409);
    expect(twice.json.error).toMatchObject({ code: 'deal_limit_reached' });
    expect((await api('GET', `/api/deals/${dealId}`)).json.left).toBe(1);
    expect((await buy(dealId, b.token)).status).toBe(201);
    const authorisedBefore = payments.moves.filter((m) => m.to === 'authorised').length;
    const none = await buy(dealId, c.token);
    expect(none.status).toBe(409);
    expect(none.json.error.code).toBe('deal_sold_out');
    expect(payments.moves.filter((m) => m.to === 'authorised')).toHaveLength(authorisedBefore);
    expect((await myVouchers(c.token)).purchases).toEqual([]);
    expect((await api('GET', `/api/deals/${dealId}`)).json.left).toBe(0);
  });

  it('counts what a WeChat customer bought before linking their phone toward the phone’s limit', async () => {
    const dealId = await publishDeal({ perCustomerLimit: 1 });
    const wechat = (await api('POST', '/api/auth/wechat', { code: 'wx-limit-1' })).json.token;
    expect((await buy(dealId, wechat)).status).toBe(201);
    const phone = '13700009901';
    await api('POST', '/api/auth/sms/send', { phone, purpose: 'link_wechat' });
    const linked = await api(
      'POST',
      '/api/auth/phone-link',
      { phone, code: sms.lastCode(phone) },
      auth(wechat),
    );
    expect(linked.status).toBe(200);
    // The same person, now as the phone's customer: the limit is reached already.
    const again = await buy(dealId, linked.json.token);
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({ code: 'deal_limit_reached' });
    // Signed in by SMS the same person is known by the phone alone: the link counts it too.
    clock += 61_000;
    await api('POST', '/api/auth/sms/send', { phone });
    const bySms = await api('POST', '/api/auth/sms/verify', { phone, code: sms.lastCode(phone) });
    expect(bySms.status).toBe(200);
    const viaSms = await buy(dealId, bySms.json.token);
    expect(viaSms.status).toBe(409);
    expect(viaSms.json.error).toMatchObject({ code: 'deal_limit_reached' });
    // Another buyer is not held back by it.
    expect((await buy(dealId, (await signIn()).token)).status).toBe(201);
  });

  it('gives the place back when the payment is declined', async () => {
    const dealId = await publishDeal({ stock: 1, price: 50000 });
    const { token } = await signIn();
    payments.declineFrom = 50000;
    try {
      const r = await buy(dealId, token);
      expect(r.status).toBe(402);
      expect(r.json.error.code).toBe('payment_declined');
    } finally {
      payments.declineFrom = Number.POSITIVE_INFINITY;
    }
    expect((await api('GET', `/api/deals/${dealId}`)).json.left).toBe(1);
    const mine = await myVouchers(token);
    expect(mine.vouchers).toEqual([]);
    expect(mine.purchases).toMatchObject([{ state: 'failed', dealId }]);
    expect((await buy(dealId, token)).status).toBe(201);
  });
});

describe('a group deal', () => {
  it('issues every buyer a voucher once the group fills before its deadline', async () => {
    const dealId = await publishDeal({ groupSize: 3, groupHours: 24 });
    const buyers = [await signIn(), await signIn(), await signIn()];
    const first = await buy(dealId, buyers[0]!.token);
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      state: 'grouping',
      voucher: null,
      group: { size: 3, joined: 1, deadline: '2026-11-24T10:00:00+08:00' },
    });
    clock += 3 * HOUR;
    expect((await buy(dealId, buyers[1]!.token)).json).toMatchObject({
      state: 'grouping',
      group: { joined: 2 },
    });
    expect((await api('GET', `/api/deals/${dealId}`)).json.group).toMatchObject({ joined: 2 });
    expect(await voucherIntents()).not.toContainEqual(
      expect.objectContaining({
        body: expect.objectContaining({ pass: expect.objectContaining({ dealId }) }),
      }),
    );
    const last = await buy(dealId, buyers[2]!.token);
    expect(last.json).toMatchObject({ state: 'issued', voucher: { status: 'valid' } });
    for (const b of buyers) {
      const mine = await myVouchers(b.token);
      expect(mine.vouchers).toHaveLength(1);
      expect(mine.vouchers[0]).toMatchObject({ dealId, status: 'valid' });
    }
    const issued = (await voucherIntents()).filter(
      (i) => i.kind === 'voucher_issued' && i.body.pass.dealId === dealId,
    );
    expect(issued).toHaveLength(3);
    // The next buyer starts the next group.
    const next = await buy(dealId, (await signIn()).token);
    expect(next.json).toMatchObject({ state: 'grouping', group: { joined: 1 } });
  });

  it('refunds every buyer and issues nothing when the group does not fill in time', async () => {
    const dealId = await publishDeal({ groupSize: 3, groupHours: 2, stock: 3 });
    const buyers = [await signIn(), await signIn()];
    const bought = [];
    for (const b of buyers) bought.push((await buy(dealId, b.token)).json);
    expect(bought.map((p) => p.state)).toEqual(['grouping', 'grouping']);
    expect((await api('GET', `/api/deals/${dealId}`)).json.left).toBe(1);
    clock += HOUR;
    await service.sweepNow();
    expect((await myVouchers(buyers[0]!.token)).purchases[0].state).toBe('grouping');
    clock += HOUR + 1;
    await service.sweepNow();
    for (const [i, b] of buyers.entries()) {
      const mine = await myVouchers(b.token);
      expect(mine.vouchers).toEqual([]);
      expect(mine.purchases).toMatchObject([
        {
          purchaseId: bought[i].purchaseId,
          state: 'unfilled',
          moneyBack: { amount: 9900, paid: true },
        },
      ]);
      expect(payments.refunds.get(`rf-${bought[i].purchaseId}`)).toEqual({
        paymentId: `dp-${bought[i].purchaseId}`,
        amount: 9900,
      });
    }
    expect(
      (await voucherIntents()).filter(
        (i) => i.kind === 'voucher_issued' && i.body.pass.dealId === dealId,
      ),
    ).toEqual([]);
    // Their places in the stock are free again, and a new group starts.
    expect((await api('GET', `/api/deals/${dealId}`)).json).toMatchObject({ left: 3, group: null });
    await service.sweepNow();
    expect(payments.refunds.get(`rf-${bought[0].purchaseId}`)?.amount).toBe(9900);
  });
});

describe('my vouchers and refunds', () => {
  it("shows a voucher used once the store's ledger says it paid, and usable again when given back", async () => {
    const dealId = await publishDeal();
    const { token } = await signIn();
    const { voucher } = (await buy(dealId, token)).json;
    await ledgerUse(voucher.voucherId, 'payment');
    expect((await myVouchers(token)).vouchers[0].status).toBe('used');
    // Another store's hub cannot say so.
    await ledgerUse(voucher.voucherId, 'refund', 'db');
    expect((await myVouchers(token)).vouchers[0].status).toBe('used');
    await ledgerUse(voucher.voucherId, 'refund');
    expect((await myVouchers(token)).vouchers[0].status).toBe('valid');
  });

  it('refunds an unused voucher once the store has marked it refunded, and only then pays', async () => {
    const hub = hubAnswering('da', agreeable);
    const dealId = await publishDeal();
    const { token } = await signIn();
    const { voucher } = (await buy(dealId, token)).json;
    const r = await api('POST', `/api/me/vouchers/${voucher.voucherId}/refund`, {}, auth(token));
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({ status: 'refunded', refund: { state: 'paid', why: 'asked' } });
    const asked = hub.seen.filter((i) => i.kind === 'voucher_refund');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.body).toMatchObject({ why: 'asked', pass: { id: voucher.voucherId } });
    expect(payments.refunds.get(`rf-${voucher.voucherId}`)?.amount).toBe(9900);
    // Asked again: nothing more is asked or paid.
    const again = await api(
      'POST',
      `/api/me/vouchers/${voucher.voucherId}/refund`,
      {},
      auth(token),
    );
    expect(again.status).toBe(200);
    expect(hub.seen.filter((i) => i.kind === 'voucher_refund')).toHaveLength(1);
  });

  it('waits while the store is offline, and pays once the store answers', async () => {
    const dealId = await publishDeal();
    const { token } = await signIn();
    const { voucher } = (await buy(dealId, token)).json;
    const r = await api('POST', `/api/me/vouchers/${voucher.voucherId}/refund`, {}, auth(token));
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ status: 'valid', refund: { state: 'asked' } });
    expect(r.json.refund.message).toMatch(/offline/);
    expect(payments.refunds.has(`rf-${voucher.voucherId}`)).toBe(false);
    // The store comes back and answers: the follower reads the answer and the money goes back.
    const hub = hubAnswering('da', agreeable);
    await until(() => hub.seen.some((i) => i.kind === 'voucher_refund'));
    await service.cloud.follower.followNow();
    const mine = await myVouchers(token);
    expect(mine.vouchers[0]).toMatchObject({ status: 'refunded', refund: { state: 'paid' } });
    expect(payments.refunds.get(`rf-${voucher.voucherId}`)?.amount).toBe(9900);
  });

  it('is refused when the voucher was used: by the store, or at once when the cloud knows', async () => {
    hubAnswering('da', (i) =>
      i.kind === 'voucher_refund'
        ? { outcome: 'rejected', reason: 'the voucher has been used' }
        : { outcome: 'done' },
    );
    const dealId = await publishDeal();
    const { token } = await signIn();
    const { voucher } = (await buy(dealId, token)).json;
    const refused = await api(
      'POST',
      `/api/me/vouchers/${voucher.voucherId}/refund`,
      {},
      auth(token),
    );
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({
      error: { code: 'voucher_refund_refused', message: 'the voucher has been used' },
      refund: { state: 'rejected', reason: 'the voucher has been used' },
    });
    expect(payments.refunds.has(`rf-${voucher.voucherId}`)).toBe(false);
    // Once the store's ledger says it paid for a booking, the cloud refuses by itself.
    await ledgerUse(voucher.voucherId, 'payment');
    const known = await api(
      'POST',
      `/api/me/vouchers/${voucher.voucherId}/refund`,
      {},
      auth(token),
    );
    expect(known.status).toBe(409);
    expect(known.json.error).toMatchObject({ code: 'voucher_not_refundable' });
    // A deal without 随时退 refunds nothing asked for.
    const strict = await publishDeal({ refundAnyTime: false });
    const other = (await buy(strict, token)).json.voucher;
    const no = await api('POST', `/api/me/vouchers/${other.voucherId}/refund`, {}, auth(token));
    expect(no.status).toBe(409);
    expect(no.json.error.code).toBe('voucher_not_refundable');
    // Nobody else's voucher.
    const stranger = await signIn();
    const not = await api(
      'POST',
      `/api/me/vouchers/${other.voucherId}/refund`,
      {},
      auth(stranger.token),
    );
    expect(not.status).toBe(404);
  });

  it('refunds an expired unused voucher by itself (过期退), and not one that was used', async () => {
    const hub = hubAnswering('da', agreeable);
    const dealId = await publishDeal({ validDays: 3, refundAnyTime: false });
    const a = await signIn();
    const b = await signIn();
    const unused = (await buy(dealId, a.token)).json.voucher;
    const used = (await buy(dealId, b.token)).json.voucher;
    await ledgerUse(used.voucherId, 'payment');
    clock += 3 * DAY + 1;
    expect((await myVouchers(a.token)).vouchers[0].status).toBe('expired');
    await service.sweepNow();
    await until(() => hub.seen.some((i) => i.kind === 'voucher_refund'));
    await service.cloud.follower.followNow();
    expect((await myVouchers(a.token)).vouchers[0]).toMatchObject({
      status: 'refunded',
      refund: { why: 'expired', state: 'paid' },
    });
    expect(payments.refunds.get(`rf-${unused.voucherId}`)?.amount).toBe(9900);
    expect((await myVouchers(b.token)).vouchers[0]).toMatchObject({ status: 'used', refund: null });
    expect(
      hub.seen.filter((i) => i.kind === 'voucher_refund' && i.body.pass.id === used.voucherId),
    ).toEqual([]);
  });
});

/** Waits for `fn`; a machine busy with every test file at once may take a while to answer. */
async function until(fn: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
