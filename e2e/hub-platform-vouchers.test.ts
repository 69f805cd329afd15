// Meituan / Douyin vouchers redeemed at the store, end to end: a real test hub whose voucher
// client is cloud-sync's CloudPlatformVouchers (signed in with the CouchDB user provisioning gave
// the store), the cloud service on an embedded CouchDB-compatible server, each platform's local
// simulator (its protocol and signatures), the store's shops linked through the platforms' OAuth
// pages, and a TCP proxy between the hub and the cloud that the test cuts as the store's line goes
// down. One hand-moved clock drives the hub, the cloud and both simulators; each test has a day of
// its own, so the platforms' daily lists of one test never hold another's consumptions.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudPlatformVouchers } from '@roomhub/cloud-sync';
import type { EmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';
import { startTcpProxy, type TcpProxy } from '@roomhub/cloud-sync/testing';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  SimulatedWechatLogin,
  startCloudService,
  startDouyinSimulator,
  startMeituanSimulator,
  type CloudService,
  type DouyinSimulator,
  type MeituanSimulator,
} from '@roomhub/cloud-service';
import {
  as,
  at,
  ManualClock,
  STAFF,
  startTestHub,
  T0,
  type TestHub,
} from '@roomhub/hub-app/testing';
import type {
  HubEvent,
  LocalDate,
  PlatformConsumeRequest,
  PlatformPrepareRequest,
  PlatformUndoRequest,
  VoucherPlatform,
} from '@roomhub/shared-types';
import {
  JWT_SECRET,
  linkPlatforms,
  platformsOf,
  provisionerOn,
  putDealOnSale,
  startCouch,
  urlFor,
} from './fixtures';

const STORE = 'e2e-hub-vouchers';
const MEITUAN = { developerId: '108803', signKey: 'e2e-hub-meituan-sign-key' };
const DOUYIN = { clientKey: 'awe2ehubclientkey', clientSecret: 'e2e-hub-douyin-client-secret' };
const CASHIER = as('cashier');
const MANAGER = as('manager');
const PHONE = '13912345678';
const MINUTE = 60_000;

const clock = new ManualClock(T0);
let couch: EmbeddedCouch;
let cloud: CloudService;
let proxy: TcpProxy;
let mt: MeituanSimulator;
let dy: DouyinSimulator;
let hubUser: { username: string; password: string };
/** The hub's client: through the proxy, as the store's line reaches the cloud. */
let client: Watched;
/** The same store's calls made straight to the cloud, not through the hub (another counter). */
let direct: CloudPlatformVouchers;

/**
 * The real client, with a pause the test can fill between a prepare and its consume: the moment
 * a code can be used elsewhere or run out while the cashier's screen is on its way.
 */
class Watched {
  beforeConsume: (() => Promise<void>) | undefined;
  constructor(private readonly inner: CloudPlatformVouchers) {}
  prepare = (r: PlatformPrepareRequest) => this.inner.prepare(r);
  consume = async (r: PlatformConsumeRequest) => {
    const pause = this.beforeConsume;
    this.beforeConsume = undefined;
    await pause?.();
    return this.inner.consume(r);
  };
  undo = (r: PlatformUndoRequest) => this.inner.undo(r);
  consumptions = (p: VoucherPlatform, d: LocalDate) => this.inner.consumptions(p, d);
}

beforeAll(async () => {
  couch = await startCouch('hub-platform-vouchers-');
  const provisioner = provisionerOn(couch, clock);
  const cloudUser = await provisioner.cloud();
  const hub = await provisioner.store(STORE);
  hubUser = { username: hub.user, password: hub.password! };
  mt = await startMeituanSimulator({ ...MEITUAN, clock });
  dy = await startDouyinSimulator({ ...DOUYIN, clock });
  cloud = await startCloudService({
    couchUrl: urlFor(couch.url, cloudUser.user, cloudUser.password!),
    jwtSecret: JWT_SECRET,
    signingKey: generateKeyPairSync('ed25519').privateKey,
    customerIdKey: 'e2e-hub-platform-vouchers-customer-id-key',
    sms: new MemorySmsProvider(),
    payments: new SimulatedCloudChannel(),
    wechat: new SimulatedWechatLogin(),
    clock,
    sweepMs: 0,
    voucherPlatforms: platformsOf(mt, dy, MEITUAN, DOUYIN),
  });
  await linkPlatforms(cloud, STORE, mt, dy);
  proxy = await startTcpProxy(Number(new URL(cloud.url).port));
  client = new Watched(
    new CloudPlatformVouchers({ cloudUrl: proxy.url, ...hubUser, timeoutMs: 5_000 }),
  );
  direct = new CloudPlatformVouchers({ cloudUrl: cloud.url, ...hubUser });
});

afterAll(async () => {
  await proxy?.close();
  await cloud?.close();
  await mt?.close();
  await dy?.close();
  await couch?.close();
});

let h: TestHub;
let rooms: string[];
let day = 0;
/** The test's day (from 2026-11-24 on, one each), and its deals mapped to what they buy. */
let today: LocalDate;
const dealOf: Record<VoucherPlatform, string> = { meituan: '', douyin: '' };
let events: HubEvent[];

beforeEach(async () => {
  day += 1;
  clock.set(Date.parse(at('13:00', day)));
  today = at('13:00', day).slice(0, 10);
  proxy.heal();
  client.beforeConsume = undefined;
  h = await startTestHub({ clock, platformVouchers: client });
  rooms = await h.roomIds();
  events = [];
  h.hub.events.subscribe((e) => events.push(e));
  for (const [platform, body] of Object.entries(MAPPED) as [VoucherPlatform, object][]) {
    dealOf[platform] = await putDealOnSale(h, body);
  }
});
afterEach(async () => {
  await h.close();
});

/** The simulators' first deals, mapped by the owner to what they buy in the store. */
const MAPPED: Record<VoucherPlatform, object> = {
  meituan: {
    source: 'meituan',
    platformDealId: '700001', // 欢乐3小时 麻将包间: Meituan's deal group id
    title: '美团 欢乐3小时 麻将包间',
    entitlement: { kind: 'hours', minutes: 180, maxPartySize: 4 },
    price: 5800,
    status: 'on_sale',
  },
  douyin: {
    source: 'douyin',
    platformDealId: '1790000000001', // 午后4小时 茶室包间: Douyin's sku
    title: '抖音 午后4小时 茶室包间',
    entitlement: { kind: 'hours', minutes: 240, maxPartySize: 4 },
    price: 6800,
    status: 'on_sale',
  },
};

/** What each simulator's first deal is worth, in fen: the face value and what the store gets. */
const MONEY: Record<VoucherPlatform, { faceValue: number; settleAmount: number }> = {
  meituan: { faceValue: 9800, settleAmount: 5220 },
  douyin: { faceValue: 12800, settleAmount: 6800 },
};

const sims: Record<
  VoucherPlatform,
  {
    add: (v?: { endsAt?: number }) => string;
    count: (code: string) => number;
    lose: () => void;
    demo: () => { used: string; expired: string; otherShop: string; twoUses: string };
  }
> = {
  meituan: {
    add: (v) => mt.addVoucher(v),
    count: (code) => mt.consumptionsOf(code),
    lose: () => mt.dropNextConsumeAnswer(),
    demo: () => mt.demo,
  },
  douyin: {
    add: (v) => dy.addVoucher(v ? { expiresAt: v.endsAt! } : {}),
    count: (code) => dy.consumptionsOf(code),
    lose: () => dy.dropNextVerifyAnswer(),
    demo: () => dy.demo,
  },
};

const book = (room = 2, start?: string) => ({
  kind: 'book',
  roomId: rooms[room],
  partySize: 2,
  customer: { phone: PHONE },
  ...(start ? { start } : {}),
});

const redeem = (
  platform: VoucherPlatform,
  text: string,
  use: object = book(),
  requestId: string = randomUUID(),
  extra: object = {},
) =>
  h.api(
    'POST',
    '/api/vouchers/redeem',
    { text, source: platform, use, requestId, ...extra },
    CASHIER,
  );

/** The day's bookings that are not cancelled. */
async function liveBookings(): Promise<{ id: string; status: string }[]> {
  const r = await h.api('GET', `/api/bookings?date=${today}`, undefined, CASHIER);
  expect(r.status).toBe(200);
  return (r.body as { id: string; status: string }[]).filter((b) => b.status !== 'cancelled');
}

const redemption = async (id: string) =>
  (await h.api('GET', `/api/vouchers/redemptions/${id}`, undefined, CASHIER)).body;

const booking = async (id: string) =>
  (await h.api('GET', `/api/bookings/${id}`, undefined, CASHIER)).body;

/** The booking's voucher payments still standing (a refund takes one back). */
const voucherPaid = (b: { ledger: { method: string; amount: number }[] }) =>
  b.ledger.filter((l) => l.method === 'voucher').reduce((sum, l) => sum + l.amount, 0);

describe.each(['meituan', 'douyin'] as const)('a %s voucher at the counter', (platform) => {
  const sim = sims[platform];

  it('shows what it buys, becomes one paid booking, consumed once; a retry is the first, a second scan is refused', async () => {
    const code = sim.add();
    const prepared = await h.api(
      'POST',
      '/api/vouchers/prepare',
      { text: code, source: platform },
      CASHIER,
    );
    expect(prepared.status, JSON.stringify(prepared.body)).toBe(200);
    expect(prepared.body).toMatchObject({
      source: platform,
      deal: { id: dealOf[platform] },
      ...MONEY[platform],
      usable: { ok: true },
      provisional: false,
    });
    expect(prepared.body.maskedCode).not.toContain(code);
    expect(sim.count(code)).toBe(0);

    const requestId = randomUUID();
    const r = await redeem(platform, code, book(), requestId);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ source: platform, status: 'done', ...MONEY[platform] });
    expect(r.body.booking.status).toBe('paid');
    // What the platform pays the store is not what the voucher paid for the room.
    expect(r.body.covered).toBe(r.body.booking.total);
    expect(voucherPaid(r.body.booking)).toBe(r.body.booking.total);
    expect(r.body.undoUntil).not.toBeNull();
    expect(sim.count(code)).toBe(1);

    const again = await redeem(platform, code, book(), requestId);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(r.body.id);
    expect(sim.count(code)).toBe(1);

    const second = await redeem(platform, code, book(3));
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('voucher_used');
    expect(sim.count(code)).toBe(1);
    expect(await liveBookings()).toHaveLength(1);

    const stats = await h.api(
      'GET',
      `/api/vouchers/stats?from=${today}&to=${today}`,
      undefined,
      MANAGER,
    );
    expect(stats.body).toEqual([
      expect.objectContaining({ source: platform, count: 1, ...MONEY[platform] }),
    ]);
  });

  it('of a deal the store has not mapped is refused, and nothing is consumed', async () => {
    const code = sim.demo().twoUses; // the simulator's second deal
    const r = await redeem(platform, code);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('voucher_deal_not_mapped');
    expect(sim.count(code)).toBe(0);
    expect(await liveBookings()).toHaveLength(0);
  });

  it.each([
    ['used', 'voucher_used', 409],
    ['expired', 'voucher_expired', 410],
    ['otherShop', 'voucher_other_shop', 422],
  ] as const)(
    'that is %s is refused with the platform’s reason, no booking left',
    async (which, code, status) => {
      const text = sim.demo()[which];
      const before = sim.count(text);
      const r = await redeem(platform, text);
      expect([r.status, r.body.error?.code]).toEqual([status, code]);
      expect(sim.count(text)).toBe(before);
      expect(await liveBookings()).toHaveLength(0);
    },
  );

  it('used elsewhere, or run out, between its prepare and its consume: refused, the hold cancelled', async () => {
    const code = sim.add();
    // Another counter of the store takes it while this one is on its way.
    client.beforeConsume = async () => {
      const p = await direct.prepare({ platform, code });
      await direct.consume({
        platform,
        code,
        prepareToken: p.prepareToken,
        requestId: randomUUID(),
      });
    };
    const used = await redeem(platform, code);
    expect([used.status, used.body.error?.code], JSON.stringify(used.body)).toEqual([
      409,
      'voucher_used',
    ]);
    expect(sim.count(code)).toBe(1);

    const late = sim.add({ endsAt: clock.now() + MINUTE });
    client.beforeConsume = async () => clock.advance(2 * MINUTE);
    const expired = await redeem(platform, late);
    expect([expired.status, expired.body.error?.code]).toEqual([410, 'voucher_expired']);
    expect(sim.count(late)).toBe(0);

    const all = await h.api('GET', `/api/bookings?date=${today}`, undefined, CASHIER);
    expect(all.body.map((b: { status: string }) => b.status)).toEqual(['cancelled', 'cancelled']);
    const list = await h.api('GET', `/api/vouchers/redemptions?date=${today}`, undefined, CASHIER);
    expect(list.body.map((x: { status: string }) => x.status)).toEqual(['failed', 'failed']);
  });

  it('whose consume answer is lost is consumed once: the screen’s retry, or the hub’s job, settles it', async () => {
    // The screen asks again with its request id.
    const code = sim.add();
    const requestId = randomUUID();
    sim.lose();
    const lost = await redeem(platform, code, book(2), requestId);
    expect(lost.status).toBe(503);
    expect(lost.body.error.code).toBe('platform_unavailable');
    expect(sim.count(code)).toBe(1);
    const held = await liveBookings();
    expect(held.map((b) => b.status)).toEqual(['pending_payment']);
    const retry = await redeem(platform, code, book(2), requestId);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body.status).toBe('done');
    expect(retry.body.booking.id).toBe(held[0]!.id);
    expect(retry.body.booking.status).toBe('paid');
    expect(sim.count(code)).toBe(1);

    // The screen gave up: the hub's job asks again once it is due.
    const other = sim.add();
    sim.lose();
    const gaveUp = await redeem(platform, other, book(3));
    expect(gaveUp.status).toBe(503);
    const queued = await h.api(
      'GET',
      `/api/vouchers/redemptions?date=${today}&status=queued`,
      undefined,
      CASHIER,
    );
    expect(queued.body).toHaveLength(1);
    const id = queued.body[0].id as string;
    clock.advance(31_000);
    await h.runJobs();
    const settled = await redemption(id);
    expect(settled.status).toBe('done');
    expect(sim.count(other)).toBe(1);
    const paid = await booking(settled.bookingId);
    expect(paid.status).toBe('paid');
    expect(voucherPaid(paid)).toBe(paid.total);
    expect(paid.ledger.filter((l: { method: string }) => l.method === 'voucher')).toHaveLength(1);
    // Asked again later, nothing more happens.
    clock.advance(10 * MINUTE);
    await h.runJobs();
    expect(sim.count(other)).toBe(1);
  });

  it('whose answer is lost while the line stays down past the hold: given back at the platform once it answers', async () => {
    const code = sim.add();
    sim.lose();
    const lost = await redeem(platform, code);
    expect(lost.status).toBe(503);
    expect(sim.count(code)).toBe(1);
    const [held] = await liveBookings();
    proxy.cut();
    clock.advance(16 * MINUTE); // the hold's 15 minutes run out while the hub cannot ask
    await h.runJobs();
    expect((await booking(held!.id)).status).toBe('cancelled');

    proxy.heal();
    clock.advance(15 * MINUTE);
    await h.runJobs();
    await h.runJobs();
    const [r] = (await h.api('GET', `/api/vouchers/redemptions?date=${today}`, undefined, CASHIER))
      .body;
    // Consumed for a booking that is gone: reversed inside the platform's window, never paid.
    expect(r.status).toBe('undone');
    expect(sim.count(code)).toBe(0);
    const gone = await booking(held!.id);
    expect(gone.status).toBe('cancelled');
    expect(voucherPaid(gone)).toBe(0);
    // The customer can use it again.
    const again = await redeem(platform, code, book(3, at('14:00', day)));
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(sim.count(code)).toBe(1);
  });

  it('is undone by a cashier inside the platform’s window; after it, the refund is the platform’s', async () => {
    const code = sim.add();
    const r = await redeem(platform, code, book(2, at('16:00', day)));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const undo = await h.api(
      'POST',
      `/api/vouchers/redemptions/${r.body.id}/undo`,
      { reason: '顾客改天再来' },
      CASHIER,
    );
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    await h.runJobs();
    expect((await redemption(r.body.id)).status).toBe('undone');
    expect(sim.count(code)).toBe(0);
    // Cancelled with what paid it given back: the voucher was all of it.
    const gone = await booking(r.body.bookingId);
    expect(gone.status).toBe('refunded');
    expect(voucherPaid(gone)).toBe(0);

    const late = sim.add();
    const kept = await redeem(platform, late, book(3, at('16:00', day)));
    expect(kept.status, JSON.stringify(kept.body)).toBe(200);
    clock.advance(61 * MINUTE);
    const tooLate = await h.api(
      'POST',
      `/api/vouchers/redemptions/${kept.body.id}/undo`,
      { reason: '顾客改天再来' },
      CASHIER,
    );
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.error.code).toBe('undo_window_passed');
    expect(sim.count(late)).toBe(1);
    const cancelled = await h.api(
      'POST',
      `/api/bookings/${kept.body.bookingId}/cancel`,
      { reason: '顾客不来了' },
      CASHIER,
    );
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    await h.runJobs();
    expect((await redemption(kept.body.id)).status).toBe('refund_via_platform');
    expect(sim.count(late)).toBe(1);
  });
});

describe('the store cut off from the cloud', () => {
  it('refuses platform vouchers unless the owner allows them provisionally; then pays at once and consumes once the line is back', async () => {
    const code = sims.meituan.add();
    proxy.cut();
    const refused = await redeem('meituan', code, book(2), randomUUID(), {
      dealId: dealOf.meituan,
    });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('platform_unavailable');
    expect(await liveBookings()).toHaveLength(0);

    const cashierMay = await h.api(
      'PUT',
      '/api/vouchers/settings',
      { provisionalOffline: true },
      CASHIER,
    );
    expect(cashierMay.status).toBe(403);
    const set = await h.api('PUT', '/api/vouchers/settings', { provisionalOffline: true }, STAFF);
    expect(set.status, JSON.stringify(set.body)).toBe(200);

    // Without the store's deal named the cashier is asked for it.
    const unnamed = await redeem('meituan', code);
    expect(unnamed.status).toBe(503);
    const taken = await redeem('meituan', code, book(2, at('16:00', day)), randomUUID(), {
      dealId: dealOf.meituan,
    });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(taken.body.status).toBe('queued');
    expect(taken.body.booking.status).toBe('paid');
    expect(sims.meituan.count(code)).toBe(0);
    await h.runJobs(); // still cut: asked, no answer, kept
    expect((await redemption(taken.body.id)).status).toBe('queued');

    proxy.heal();
    clock.advance(10 * MINUTE);
    await h.runJobs();
    const done = await redemption(taken.body.id);
    expect(done).toMatchObject({ status: 'done', ...MONEY.meituan });
    expect(sims.meituan.count(code)).toBe(1);
    clock.advance(20 * MINUTE);
    await h.runJobs();
    expect(sims.meituan.count(code)).toBe(1);
    const paid = await booking(done.bookingId);
    expect(paid.status).toBe('paid');
    expect(paid.ledger.filter((l: { method: string }) => l.method === 'voucher')).toHaveLength(1);
  });

  it('flags a provisional voucher the platform then refuses: failed, the booking stays paid, staff told', async () => {
    await h.api('PUT', '/api/vouchers/settings', { provisionalOffline: true }, STAFF);
    proxy.cut();
    const used = sims.douyin.demo().used;
    const taken = await redeem('douyin', used, book(2), randomUUID(), { dealId: dealOf.douyin });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(taken.body.status).toBe('queued');
    proxy.heal();
    clock.advance(10 * MINUTE);
    await h.runJobs();
    const failed = await redemption(taken.body.id);
    expect(failed.status).toBe('failed');
    expect(failed.lastError).toContain('voucher_used');
    expect((await booking(taken.body.bookingId)).status).toBe('paid');
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'voucher.failed',
        redemptionId: taken.body.id,
        bookingId: taken.body.bookingId,
      }),
    );
  });
  it('knows a Meituan voucher redeemed by its QR when its digits are typed offline: refused at once, not taken provisionally', async () => {
    await h.api('PUT', '/api/vouchers/settings', { provisionalOffline: true }, STAFF);
    const code = sims.meituan.add();
    const qr = `mtqr:${code}`; // what the customer's app shows, as the simulator encodes it
    const requestId = randomUUID();
    const byQr = await redeem('meituan', qr, book(2), requestId);
    expect(byQr.status, JSON.stringify(byQr.body)).toBe(200);
    expect(byQr.body.status).toBe('done');
    // The screen's retry of the same scan answers the same redemption.
    const retry = await redeem('meituan', qr, book(2), requestId);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body.id).toBe(byQr.body.id);

    proxy.cut();
    const typed = await redeem('meituan', code, book(3, at('16:00', day)), randomUUID(), {
      dealId: dealOf.meituan,
    });
    expect(typed.status, JSON.stringify(typed.body)).toBe(409);
    expect(typed.body.error.code).toBe('voucher_used');
    expect(await liveBookings()).toHaveLength(1);
    expect(sims.meituan.count(code)).toBe(1);
  });

  it('checks the deal the cashier named against the platform once the line is back: another deal is flagged, not consumed', async () => {
    await h.api('PUT', '/api/vouchers/settings', { provisionalOffline: true }, STAFF);
    proxy.cut();
    const other = sims.douyin.demo().twoUses; // the platform's second deal, not the one named
    const taken = await redeem('douyin', other, book(2, at('16:00', day)), randomUUID(), {
      dealId: dealOf.douyin,
    });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(taken.body.status).toBe('queued');
    proxy.heal();
    clock.advance(10 * MINUTE);
    await h.runJobs();
    const failed = await redemption(taken.body.id);
    expect(failed.status).toBe('failed');
    expect(sims.douyin.count(other)).toBe(0);
    expect((await booking(taken.body.bookingId)).status).toBe('paid');
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'voucher.failed', redemptionId: taken.body.id }),
    );
  });
});

describe("the day's reconciliation", () => {
  it("matches the hub's redemptions to each platform's list, and shows what only the platform has", async () => {
    for (const platform of ['meituan', 'douyin'] as const) {
      const r = await redeem(platform, sims[platform].add(), book(platform === 'meituan' ? 2 : 3));
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    // Taken at the platform itself (the merchant's own app), never through the hub.
    const elsewhere = sims.meituan.add();
    const p = await direct.prepare({ platform: 'meituan', code: elsewhere });
    await direct.consume({
      platform: 'meituan',
      code: elsewhere,
      prepareToken: p.prepareToken,
      requestId: randomUUID(),
    });
    const cashier = await h.api(
      'GET',
      `/api/vouchers/reconciliation?date=${today}`,
      undefined,
      CASHIER,
    );
    expect(cashier.status).toBe(403);
    const r = await h.api('GET', `/api/vouchers/reconciliation?date=${today}`, undefined, MANAGER);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const of = (platform: VoucherPlatform) =>
      (r.body as { platform: string }[]).find((v) => v.platform === platform);
    expect(of('douyin')).toMatchObject({
      date: today,
      matched: 1,
      onlyAtPlatform: [],
      onlyHere: [],
      amountsDiffer: [],
      waiting: 0,
    });
    expect(of('meituan')).toMatchObject({
      matched: 1,
      onlyHere: [],
      amountsDiffer: [],
      onlyAtPlatform: [expect.objectContaining(MONEY.meituan)],
    });
  });
});
