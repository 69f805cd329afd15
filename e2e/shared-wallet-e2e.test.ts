// A wallet shared across an owner's stores, end to end: two real hubs of one owner (stores A and B)
// replicating through TCP proxies the test can cut, the cloud service on an embedded
// CouchDB-compatible server, and a store of another owner. A customer tops up at A and pays a
// booking at B: B brings the money from A (A writes it out, B writes it in, the bonus and its
// expiry kept) and never more than there is. A offline: B spends only what it holds, and gets the
// money A gave up once A is back, however often it asks. A store that keeps its wallets to itself
// and a store of another owner get nothing. One hand-moved clock drives both hubs and the cloud.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWalletMoves } from '@roomhub/cloud-sync';
import type { EmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';
import { startTcpProxy, type TcpProxy } from '@roomhub/cloud-sync/testing';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  createCouchClient,
  putOwnerAccount,
  startCloudService,
  type CloudService,
} from '@roomhub/cloud-service';
import {
  as,
  CLOUD_KEYS,
  CUSTOMER_ID_KEY,
  ManualClock,
  STAFF,
  startTestHub,
  T0,
  type TestHub,
  until,
} from '@roomhub/hub-app/testing';
import { storeDbName, WALLET_OWED_ID } from '@roomhub/shared-types';
import {
  cloudApi,
  hubLink,
  JWT_SECRET,
  provisionerOn,
  startCouch,
  storeIdOf,
  tempDir,
  urlFor,
} from './fixtures';

const CASHIER = as('cashier');
const ZH = { ...CASHIER, 'accept-language': 'zh-CN' };
const PHONE = '13800000051';
const HOUR = 60 * 60_000;

const clock = new ManualClock(T0);
let couch: EmbeddedCouch;
let cloud: CloudService;
let a: TestHub;
let b: TestHub;
let lineA: TcpProxy;
let lineB: TcpProxy;
let userB: { user: string; password?: string };
/** Store D, of another owner, asking straight as its hub would. */
let hubD: CloudWalletMoves;

interface Wallet {
  principal: number;
  bonus: number;
  total: number;
  bonusExpiries: { left: number; expiresAt: string | null }[];
}
const walletAt = async (hub: TestHub): Promise<Wallet> =>
  (await hub.api('GET', `/api/wallets/${PHONE}`, undefined, CASHIER)).body;

let made = 0;
/** A booking of two hours at B for the customer, an hour or more ahead, in the next room each time. */
async function bookAtB(): Promise<{ id: string; total: number }> {
  const rooms = await b.roomIds();
  const start = Math.ceil(clock.now() / HOUR) * HOUR + HOUR;
  made += 1;
  const iso = (ms: number) => new Date(ms).toISOString();
  const r = await b.api(
    'POST',
    '/api/bookings',
    {
      roomId: rooms[made % rooms.length],
      start: iso(start),
      end: iso(start + 2 * HOUR),
      partySize: 2,
      customer: { phone: PHONE },
    },
    CASHIER,
  );
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

/** As B's hub would ask, straight, without writing in what arrives. */
const asB = () =>
  new CloudWalletMoves({ cloudUrl: cloud.url, username: userB.user, password: userB.password! });

const payFromWallet = (hub: TestHub, bookingId: string, headers = CASHIER) =>
  hub.api('POST', `/api/bookings/${bookingId}/wallet-payments`, {}, headers);

const shared = (hub: TestHub, offlineAllowance = 0) =>
  hub.api('PUT', '/api/wallet/settings', { mode: 'shared', offlineAllowance }, STAFF);

beforeAll(async () => {
  couch = await startCouch('shared-wallet-e2e-');
  const provisioner = provisionerOn(couch);
  const cloudUser = await provisioner.cloud();
  const dirA = tempDir('hub-wallet-a-');
  const dirB = tempDir('hub-wallet-b-');
  const [storeA, storeB] = await Promise.all([storeIdOf(dirA), storeIdOf(dirB)]);
  const userA = await provisioner.store(storeA);
  userB = await provisioner.store(storeB);
  const userD = await provisioner.store('e2e-wallet-d');
  const asCloud = createCouchClient(urlFor(couch.url, cloudUser.user, cloudUser.password!));
  await putOwnerAccount(asCloud, {
    username: 'wallet-owner-one',
    password: 'wallet-owner-one-password',
    storeIds: [storeA, storeB],
  });
  await putOwnerAccount(asCloud, {
    username: 'wallet-owner-two',
    password: 'wallet-owner-two-password',
    storeIds: ['e2e-wallet-d'],
  });
  const couchPort = Number(new URL(couch.url).port);
  [lineA, lineB] = [await startTcpProxy(couchPort), await startTcpProxy(couchPort)];
  a = await startTestHub({ dataDir: dirA, clock, cloud: hubLink(lineA.url, userA) });
  b = await startTestHub({ dataDir: dirB, clock, cloud: hubLink(lineB.url, userB) });
  cloud = await startCloudService({
    couchUrl: urlFor(couch.url, cloudUser.user, cloudUser.password!),
    jwtSecret: JWT_SECRET,
    signingKey: CLOUD_KEYS.privateKey,
    customerIdKey: CUSTOMER_ID_KEY,
    sms: new MemorySmsProvider(),
    payments: new SimulatedCloudChannel(),
    clock,
    intentWaitMs: 1_500,
    voucherMoveWaitMs: 2_500,
    sweepMs: 0,
    catalogueRefreshMs: 0,
    log: () => {},
  });
  const client = (user: { user: string; password?: string }) =>
    new CloudWalletMoves({ cloudUrl: cloud.url, username: user.user, password: user.password! });
  a.hub.setWalletMoves(client(userA));
  b.hub.setWalletMoves(client(userB));
  hubD = client(userD);

  for (const hub of [a, b]) expect((await shared(hub)).status).toBe(200);
  // A package at A: pay 200, get 100 bonus valid 30 days; the customer buys it in cash at A.
  const pkg = await a.api(
    'POST',
    '/api/wallet/packages',
    { name: '充200送100', pay: 20000, bonus: 10000, bonusValidDays: 30 },
    STAFF,
  );
  expect(pkg.status).toBe(201);
  for (let i = 0; i < 3; i++) {
    const top = await a.api(
      'POST',
      '/api/wallet/top-ups',
      { phone: PHONE, packageId: pkg.body.id },
      CASHIER,
    );
    expect(top.status, JSON.stringify(top.body)).toBe(201);
  }
  // What A holds reaches the cloud (the member document the holding stores are ranked by).
  await until('A publishes the wallet it holds', async () => {
    const admin = createCouchClient(couch.adminUrl);
    return admin.get(storeDbName(storeA), WALLET_OWED_ID);
  });
}, 90_000);

afterAll(async () => {
  await cloud?.close();
  await a?.close();
  await b?.close();
  await lineA?.close();
  await lineB?.close();
  await couch?.close();
});

describe("a wallet shared across the owner's stores", () => {
  it('topped up at A pays a booking at B: B brings what it lacks from A, the bonus first', async () => {
    const before = await walletAt(a);
    expect(before.total).toBe(90000);
    const booking = await bookAtB();
    expect(booking.total).toBeGreaterThan(0);
    const paid = await payFromWallet(b, booking.id);
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body.total).toBe(0); // B brought exactly what it lacked and spent it
    const atA = await walletAt(a);
    expect(atA.total).toBe(90000 - booking.total);
    // The bonus went first.
    expect(atA.bonus).toBe(30000 - booking.total);
    expect(atA.principal).toBe(60000);
    const detail = await b.api('GET', `/api/bookings/${booking.id}`, undefined, CASHIER);
    expect(detail.body.status).toBe('paid');
    expect(detail.body.ledger.map((e: { method: string }) => e.method)).toEqual(['wallet']);
  });

  it('pays a tea order at B the same way, and the money taken is the same money A gave', async () => {
    const booking = await bookAtB();
    expect(
      (await b.api('POST', `/api/bookings/${booking.id}/payments`, { method: 'cash' }, CASHIER))
        .status,
    ).toBe(201);
    const cat = await b.api('POST', '/api/menu/categories', { name: '茶饮' }, STAFF);
    const item = await b.api(
      'POST',
      '/api/menu/items',
      { categoryId: cat.body.id, name: '普洱', price: 3800 },
      STAFF,
    );
    const order = await b.api(
      'POST',
      '/api/orders',
      { bookingId: booking.id, lines: [{ itemId: item.body.id, quantity: 1 }] },
      CASHIER,
    );
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const sum0 = (await walletAt(a)).total + (await walletAt(b)).total;
    const paid = await b.api(
      'POST',
      `/api/orders/${order.body.id}/payments`,
      { method: 'wallet' },
      CASHIER,
    );
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.due).toBe(0);
    expect((await walletAt(a)).total + (await walletAt(b)).total).toBe(sum0 - 3800);
  });

  it('while A is offline, B spends only what it holds and gets what A gave once A is back', async () => {
    const sum0 = (await walletAt(a)).total + (await walletAt(b)).total;
    lineA.cut();
    const booking = await bookAtB();
    const held = (await walletAt(b)).total;
    expect(booking.total).toBeGreaterThan(held);
    const refused = await payFromWallet(b, booking.id, ZH);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('wallet_short');
    // Nothing moved while A could not answer: the money is still the customer's at A.
    expect((await walletAt(a)).total + (await walletAt(b)).total).toBe(sum0);

    // A back: it answers the move it missed, and B's job asks again and writes the money in.
    lineA.heal();
    const arrived = await until('B gets what A gave up', async () => {
      clock.advance(30_000);
      await b.hub.scheduler.runDue();
      const w = await walletAt(b);
      return w.total > held ? w : undefined;
    });
    expect(arrived.total + (await walletAt(a)).total).toBe(sum0);
    // Asked again and again, it arrives once.
    clock.advance(HOUR);
    await b.hub.scheduler.runDue();
    expect((await walletAt(b)).total).toBe(arrived.total);
    expect(b.hub.scheduler.pending('wallet.move-ask')).toEqual([]);
    // The hold of the first booking ended meanwhile: the customer books again and pays.
    const again = await bookAtB();
    const paid = await payFromWallet(b, again.id);
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect((await walletAt(a)).total + (await walletAt(b)).total).toBe(sum0 - again.total);
  });

  it('gets nothing from a store that keeps its wallets to itself', async () => {
    const toItself = await a.api('PUT', '/api/wallet/settings', { mode: 'store' }, STAFF);
    expect(toItself.status).toBe(200);
    const heldAtA = (await walletAt(a)).total;
    expect(heldAtA).toBeGreaterThan(0);
    const answer = await asB().move({ moveId: randomUUID(), phone: PHONE, amount: 100 });
    expect(answer.settled).toBe(true);
    expect(answer.parts.map((p) => p.state)).toEqual(['refused']);
    expect((await walletAt(a)).total).toBe(heldAtA);
    expect((await shared(a)).status).toBe(200);
  });

  it('keeps at B what the owner sets at hand, and spends it there while A is offline', async () => {
    const before = (await walletAt(b)).total;
    expect((await shared(b, 30000)).status).toBe(200);
    const booking = await bookAtB();
    const paid = await payFromWallet(b, booking.id);
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body.total).toBe(Math.max(30000, before - booking.total));
    // What came from A's bonus keeps the expiry it had at A.
    for (const e of paid.body.bonusExpiries) expect(e.expiresAt).toBe('2026-12-23T10:00:00+08:00');

    lineA.cut();
    const heldAtA = (await walletAt(a)).total;
    const next = await bookAtB();
    expect(next.total).toBeLessThanOrEqual(paid.body.total);
    const r = await payFromWallet(b, next.id);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.total).toBe(paid.body.total - next.total);
    expect((await walletAt(a)).total).toBe(heldAtA);
    lineA.heal();
    expect((await shared(b, 0)).status).toBe(200);
  });

  it('is never given to a store of another owner, and asking twice is one move', async () => {
    const heldAtA = (await walletAt(a)).total;
    const moveId = randomUUID();
    const fromD = await hubD.move({ moveId, phone: PHONE, amount: 100 });
    expect(fromD).toEqual({ moveId, settled: true, parts: [] });
    expect((await walletAt(a)).total).toBe(heldAtA);

    // B's hub asking twice with one move id: A gives once, and both answers tell the same.
    const first = await asB().move({ moveId, phone: PHONE, amount: 100 });
    const again = await asB().move({ moveId, phone: PHONE, amount: 100 });
    expect(first.settled).toBe(true);
    expect(again).toEqual(first);
    const given = first.parts.flatMap((p) => p.lots).reduce((s, l) => s + l.principal + l.bonus, 0);
    expect(given).toBe(100);
    expect((await walletAt(a)).total).toBe(heldAtA - 100);
  });

  it('refuses a move asked by anyone but a store’s hub, and a bad body names the field', async () => {
    const anon = await fetch(`${cloud.url}/api/hub/wallet/moves`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ moveId: 'x', phone: PHONE, amount: 1 }),
    });
    expect(anon.status).toBe(401);
    const auth = `Basic ${Buffer.from(`${userB.user}:${userB.password}`).toString('base64')}`;
    const bad = await fetch(`${cloud.url}/api/hub/wallet/moves`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: JSON.stringify({ moveId: 'x', phone: PHONE, amount: -5 }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('amount');
  });

  it("shows the owner what each store owes its customers and the total, another owner's never", async () => {
    const api = cloudApi(() => cloud.url);
    const login = await api('POST', '/api/owner/login', {
      username: 'wallet-owner-one',
      password: 'wallet-owner-one-password',
    });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const owedA = a.hub.wallet.owed();
    const owedB = b.hub.wallet.owed();
    type Owed = { storeId: string; principal: number; bonus: number };
    const shows = (list: Owed[] | undefined, o: Owed) =>
      list?.some(
        (d) => d.storeId === o.storeId && d.principal === o.principal && d.bonus === o.bonus,
      );
    const seen = await until('both stores publish what they owe', async () => {
      const r = await api('GET', '/api/owner/wallet/owed', undefined, login.body.token);
      return shows(r.body.stores, owedA) && shows(r.body.stores, owedB) ? r.body : undefined;
    });
    expect(seen.stores.map((d: { storeId: string }) => d.storeId)).not.toContain('e2e-wallet-d');
    expect(seen.total).toEqual({
      principal: owedA.principal + owedB.principal,
      bonus: owedA.bonus + owedB.bonus,
    });
    const anon = await api('GET', '/api/owner/wallet/owed');
    expect(anon.status).toBe(401);
  });

  it('never answers a fuzzed move with a 5xx, and moves none of a wallet’s money for it', async () => {
    const owedA = a.hub.wallet.owed();
    const owedB = b.hub.wallet.owed();
    const auth = `Basic ${Buffer.from(`${userB.user}:${userB.password}`).toString('base64')}`;
    // A phone with no wallet anywhere: a body that happens to be valid asks A for nothing it has.
    const body = fc.oneof(
      fc.jsonValue(),
      fc.string(),
      fc.record(
        {
          moveId: fc.oneof(fc.uuid(), fc.string(), fc.integer()),
          phone: fc.oneof(fc.constant('13900000099'), fc.string(), fc.integer()),
          amount: fc.oneof(
            fc.integer({ min: -5, max: 20_000_000 }),
            fc.double(),
            fc.string(),
            fc.constant(null),
          ),
          extra: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async (sent) => {
        const r = await fetch(`${cloud.url}/api/hub/wallet/moves`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: auth },
          body: typeof sent === 'string' ? sent : JSON.stringify(sent),
        });
        expect(r.status, JSON.stringify(sent)).toBeLessThan(500);
        const json = (await r.json()) as { error?: { code: string; message: string } };
        if (r.status >= 400) {
          expect(json.error?.code).toMatch(/^[a-z_]+$/);
          expect(json.error?.message).toBeTruthy();
        }
      }),
      { numRuns: 60 },
    );
    expect(a.hub.wallet.owed()).toEqual(owedA);
    expect(b.hub.wallet.owed()).toEqual(owedB);
  });

  it('gives the customer back at B all the principal they paid, what A held first brought to B', async () => {
    const atA = await walletAt(a);
    const atB = await walletAt(b);
    expect(atA.principal).toBeGreaterThan(0);
    const principal = atA.principal + atB.principal;
    const r = await b.api(
      'POST',
      `/api/wallets/${PHONE}/refund`,
      { reason: '顾客搬家，退还储值', method: 'cash' },
      STAFF,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // Nothing of the wallet is left anywhere: the principal went back, the bonus was taken back.
    expect(r.body).toMatchObject({ principal: 0, bonus: 0, total: 0 });
    expect(await walletAt(a)).toMatchObject({ principal: 0, bonus: 0 });
    const refunded = r.body.moves
      .filter((m: { kind: string }) => m.kind === 'principal_refund')
      .reduce((sum: number, m: { amount: number }) => sum - m.amount, 0);
    expect(refunded).toBe(principal);
    // Nothing more to give back, at either store.
    for (const hub of [a, b]) {
      const again = await hub.api(
        'POST',
        `/api/wallets/${PHONE}/refund`,
        { reason: '再退一次' },
        STAFF,
      );
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('wallet_nothing_to_refund');
    }
  });
});
