// Points spent on coupons (C11), through a real hub: an owner prices a campaign's coupon in
// points, a member exchanges points for it at the counter and online, within the campaign's
// window and limits, the points taken as a `spent` entry of the ledger in the same write as the
// coupon, once per request and once per intent; a member short of points is told how many they
// have and keeps them; points given are not given back, even when the coupon goes unused or the
// campaign ends; a claim at the kiosk or the counter makes a member; the results count it all.
import { IntentDocSchema, intentDocId, type IntentDoc } from '@roomhub/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerIntent } from '../src/sync/intents';
import { as, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let rooms: string[];
const MANAGER = as('manager');
const CASHIER = as('cashier');
let phoneSeq = 0;
/** A phone no test has used yet. */
const newPhone = () => `1380000${String(1000 + phoneSeq++).padStart(4, '0')}`;

const campaign = async (over: Record<string, unknown> = {}) => {
  const r = await h.api(
    'POST',
    '/api/campaigns',
    {
      name: 'points for coupons',
      kind: 'claim',
      couponName: '立减30元',
      coupon: { rule: { kind: 'amount', amountOff: 3000 } },
      claimFrom: '2026-11-01',
      claimTo: '2026-11-30',
      useDays: 30,
      pointsPrice: 300,
      ...over,
    },
    MANAGER,
  );
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
};

/** A member with `points` points: they claim a free coupon at the kiosk, then are given points. */
const memberWith = async (points: number) => {
  const phone = newPhone();
  const free = await campaign({ name: 'welcome', pointsPrice: null });
  expect((await h.api('POST', '/api/coupons/claim', { campaignId: free, phone })).status).toBe(201);
  if (points > 0) {
    const r = await h.api(
      'POST',
      `/api/members/${phone}/points`,
      { points, reason: '测试赠送' },
      MANAGER,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
  return phone;
};
const pointsOf = async (phone: string) =>
  (await h.api('GET', `/api/members/${phone}`, undefined, CASHIER)).body as {
    points: number;
    pointsHistory: { kind: string; points: number; ref: string | null }[];
  };
const couponsOf = async (phone: string, campaignId: string) =>
  (
    (await h.api('GET', `/api/coupons?phone=${phone}`, undefined, CASHIER)).body as {
      id: string;
      campaignId: string;
      status: string;
    }[]
  ).filter((c) => c.campaignId === campaignId);
const exchange = (body: Record<string, unknown>, who = CASHIER) =>
  h.api('POST', '/api/coupons/exchange', body, who);

let seq = 0;
const claimIntent = (body: Record<string, unknown>): IntentDoc => {
  const intentId = `px${(seq += 1)}`;
  return IntentDocSchema.parse({
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId: h.hub.store.getStore().id,
    customerId: 'c1',
    createdAt: new Date(h.clock.now()).toISOString(),
    kind: 'coupon_claim',
    body,
  });
};

beforeAll(async () => {
  h = await startTestHub();
  rooms = await h.roomIds();
});
afterAll(async () => {
  await h.close();
});

describe('a claim at the kiosk or the counter', () => {
  it('makes the customer a member of the store', async () => {
    const free = await campaign({ pointsPrice: null, perPerson: 2 });
    const atKiosk = newPhone();
    expect(
      (await h.api('POST', '/api/coupons/claim', { campaignId: free, phone: atKiosk })).status,
    ).toBe(201);
    const atCounter = newPhone();
    const r = await h.api(
      'POST',
      '/api/coupons/claim',
      { campaignId: free, phone: atCounter },
      CASHIER,
    );
    expect(r.status).toBe(201);
    for (const phone of [atKiosk, atCounter]) {
      const m = await h.api('GET', `/api/members/${phone}`, undefined, CASHIER);
      expect(m.status).toBe(200);
      expect(m.body).toMatchObject({ phone, points: 0 });
    }
    const joined = h.hub.db
      .prepare('SELECT joined_by FROM members WHERE phone IN (?, ?)')
      .pluck()
      .all(atKiosk, atCounter);
    expect(joined).toEqual(['counter', 'counter']);
  });

  it('is refused for a coupon priced in points, naming the price', async () => {
    const id = await campaign();
    const phone = newPhone();
    const r = await h.api('POST', '/api/coupons/claim', { campaignId: id, phone });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'campaign_needs_points', field: 'campaignId' });
    expect(r.body.error.message).toContain('300');
    expect((await h.api('GET', `/api/members/${phone}`, undefined, CASHIER)).status).toBe(404);
  });
});

describe('points exchanged for a coupon at the counter', () => {
  it('takes the price as a spent entry referring to the coupon, in the same write', async () => {
    const id = await campaign({ perPerson: 3 });
    const phone = await memberWith(500);
    const r = await exchange({ campaignId: id, phone });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ points: 300, balance: 200 });
    expect(r.body.coupon).toMatchObject({ campaignId: id, phone, status: 'available' });
    const m = await pointsOf(phone);
    expect(m.points).toBe(200);
    expect(m.pointsHistory[0]).toMatchObject({
      kind: 'spent',
      points: -300,
      ref: `coupon:${r.body.coupon.id}`,
    });
    // The coupon is on the bill like any other.
    const q = await h.api('POST', '/api/quotes', {
      roomId: rooms[0],
      start: at('10:00', 2),
      end: at('12:00', 2),
      phone,
      couponIds: [r.body.coupon.id],
    });
    expect(q.body.lines.find((l: { kind: string }) => l.kind === 'coupon')).toMatchObject({
      amount: -3000,
    });
  });

  it('short of points: 409 naming the points the member has; nothing issued, nothing taken', async () => {
    const id = await campaign();
    const phone = await memberWith(120);
    const r = await exchange({ campaignId: id, phone });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'points_short', field: 'phone' });
    expect(r.body.error.message).toContain('120');
    expect(await couponsOf(phone, id)).toEqual([]);
    expect((await pointsOf(phone)).points).toBe(120);
    // Someone who is not a member has none.
    const stranger = newPhone();
    const none = await exchange({ campaignId: id, phone: stranger });
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('points_short');
    expect(none.body.error.message).toContain(' 0 points');
    expect((await h.api('GET', `/api/members/${stranger}`, undefined, CASHIER)).status).toBe(404);
  });

  it('sent again with the same request id is the same exchange: one coupon, points taken once', async () => {
    const id = await campaign({ perPerson: 5 });
    const phone = await memberWith(1000);
    const body = { campaignId: id, phone, requestId: 'counter-7' };
    const [a, b] = await Promise.all([exchange(body), exchange(body)]);
    const again = await exchange(body);
    for (const r of [a, b, again]) expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(new Set([a, b, again].map((r) => r.body.coupon.id)).size).toBe(1);
    expect(await couponsOf(phone, id)).toHaveLength(1);
    expect((await pointsOf(phone)).points).toBe(700);
    // Without one, each request is an exchange of its own.
    expect((await exchange({ campaignId: id, phone })).status).toBe(201);
    expect((await pointsOf(phone)).points).toBe(400);
  });

  it("keeps to the campaign's window, limits and status, as a claim does", async () => {
    const phone = await memberWith(2000);
    const other = await memberWith(2000);
    const id = await campaign({ perPerson: 1, totalLimit: 2 });
    expect((await exchange({ campaignId: id, phone })).status).toBe(201);
    const twice = await exchange({ campaignId: id, phone });
    expect(twice.body.error.code).toBe('coupon_limit_person');
    expect((await exchange({ campaignId: id, phone: other })).status).toBe(201);
    const third = await memberWith(2000);
    const gone = await exchange({ campaignId: id, phone: third });
    expect(gone.body.error.code).toBe('coupon_limit_total');
    expect((await pointsOf(third)).points).toBe(2000);

    const later = await campaign({ claimFrom: '2026-12-01', claimTo: '2026-12-31' });
    expect((await exchange({ campaignId: later, phone: third })).body.error.code).toBe(
      'campaign_not_open',
    );
    const paused = await campaign();
    await h.api('PATCH', `/api/campaigns/${paused}`, { status: 'paused' }, MANAGER);
    expect((await exchange({ campaignId: paused, phone: third })).body.error.code).toBe(
      'campaign_paused',
    );
    const free = await campaign({ pointsPrice: null });
    const notForPoints = await exchange({ campaignId: free, phone: third });
    expect(notForPoints.status).toBe(409);
    expect(notForPoints.body.error.code).toBe('campaign_not_for_points');
    expect((await pointsOf(third)).points).toBe(2000);
  });

  it('is for staff only: the kiosk cannot tell whose phone was typed in', async () => {
    const id = await campaign();
    const phone = await memberWith(500);
    expect((await exchange({ campaignId: id, phone }, as('kiosk'))).status).toBe(403);
    expect((await exchange({ campaignId: id, phone }, as('anonymous'))).status).toBe(401);
    expect((await pointsOf(phone)).points).toBe(500);
  });

  it('never gives the points back: not for a cancelled booking, not when the campaign ends', async () => {
    const id = await campaign({ perPerson: 2 });
    const phone = await memberWith(600);
    const first = await exchange({ campaignId: id, phone });
    const second = await exchange({ campaignId: id, phone });
    expect((await pointsOf(phone)).points).toBe(0);
    const b = await h.api('POST', '/api/bookings', {
      roomId: rooms[1],
      start: at('10:00', 3),
      end: at('12:00', 3),
      partySize: 2,
      customer: { phone },
      couponIds: [first.body.coupon.id],
    });
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    await h.api('POST', `/api/bookings/${b.body.id}/cancel`, {});
    // The coupon comes back as a coupon, not as points.
    const mine = await couponsOf(phone, id);
    expect(mine.map((c) => c.status)).toEqual(['available', 'available']);
    expect((await pointsOf(phone)).points).toBe(0);
    // Ending stops exchanges; the coupons already exchanged stay usable, and keep their points.
    await h.api('PATCH', `/api/campaigns/${id}`, { status: 'ended' }, MANAGER);
    await h.api('POST', `/api/members/${phone}/points`, { points: 300, reason: 'x' }, MANAGER);
    expect((await exchange({ campaignId: id, phone })).body.error.code).toBe('campaign_ended');
    expect((await pointsOf(phone)).points).toBe(300);
    const used = await h.api('POST', '/api/quotes', {
      roomId: rooms[1],
      start: at('10:00', 3),
      end: at('12:00', 3),
      phone,
      couponIds: [second.body.coupon.id],
    });
    expect(used.status).toBe(200);
  });
});

describe('a campaign priced in points', () => {
  it('is only a claim or level campaign, with a whole number of points', async () => {
    const base = {
      name: 'x',
      couponName: 'y',
      coupon: { rule: { kind: 'amount', amountOff: 100 } },
      claimFrom: '2026-11-01',
      claimTo: '2026-11-30',
      useDays: 3,
    };
    const birthday = await h.api(
      'POST',
      '/api/campaigns',
      { ...base, kind: 'birthday', pointsPrice: 100 },
      MANAGER,
    );
    expect(birthday.status).toBe(400);
    expect(birthday.body.error.field).toBe('pointsPrice');
    for (const pointsPrice of [0, -5, 1.5, '100']) {
      const r = await h.api(
        'POST',
        '/api/campaigns',
        { ...base, kind: 'claim', pointsPrice },
        MANAGER,
      );
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('pointsPrice');
    }
    const ok = await h.api(
      'POST',
      '/api/campaigns',
      { ...base, kind: 'claim', pointsPrice: 50 },
      MANAGER,
    );
    expect(ok.body.pointsPrice).toBe(50);
    // The price stays what the campaign started with.
    const patched = await h.api(
      'PATCH',
      `/api/campaigns/${ok.body.id}`,
      { pointsPrice: 10 },
      MANAGER,
    );
    expect(patched.status).toBe(400);
  });

  it('has results counting the exchanged coupons and the points they took', async () => {
    const id = await campaign({ pointsPrice: 250, perPerson: 2 });
    const a = await memberWith(1000);
    const b = await memberWith(1000);
    await exchange({ campaignId: id, phone: a });
    await exchange({ campaignId: id, phone: a });
    await exchange({ campaignId: id, phone: b });
    const booked = await h.api('POST', '/api/bookings', {
      roomId: rooms[2],
      start: at('10:00', 4),
      end: at('12:00', 4),
      partySize: 2,
      customer: { phone: b },
      couponIds: [(await couponsOf(b, id))[0]!.id],
    });
    expect(booked.status).toBe(201);
    const paid = await h.api(
      'POST',
      `/api/bookings/${booked.body.id}/payments`,
      { method: 'cash' },
      STAFF,
    );
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    const r = await h.api('GET', `/api/campaigns/${id}/results`, undefined, MANAGER);
    expect(r.body).toMatchObject({
      issued: 3,
      claimed: 3,
      exchanged: 3,
      points: 750,
      used: 1,
      cost: 3000,
    });
  });
});

describe('points exchanged for a coupon online', () => {
  it('the store takes the points with the coupon, once per intent', async () => {
    const id = await campaign({ pointsPrice: 200, perPerson: 3 });
    const phone = await memberWith(500);
    const claim = claimIntent({ phone, campaignId: id, points: 200 });
    expect(await answerIntent(h.hub, claim)).toEqual({ outcome: 'done' });
    // Handed over again: the first answer, the points taken once.
    expect(await answerIntent(h.hub, claim)).toEqual({ outcome: 'done' });
    expect(await couponsOf(phone, id)).toHaveLength(1);
    expect((await pointsOf(phone)).points).toBe(300);
    expect(
      h.hub.db.prepare('SELECT joined_by FROM members WHERE phone = ?').pluck().get(phone),
    ).toBe('counter');
  });

  it('refuses a price the customer did not agree to, a claim without points, and too few points', async () => {
    const id = await campaign({ pointsPrice: 400, perPerson: 3 });
    const phone = await memberWith(350);
    const wrong = await answerIntent(h.hub, claimIntent({ phone, campaignId: id, points: 300 }));
    expect(wrong).toMatchObject({ outcome: 'rejected' });
    expect(wrong.reason).toContain('400 points');
    const free = await answerIntent(h.hub, claimIntent({ phone, campaignId: id }));
    expect(free).toMatchObject({ outcome: 'rejected' });
    const short = await answerIntent(h.hub, claimIntent({ phone, campaignId: id, points: 400 }));
    expect(short).toMatchObject({ outcome: 'rejected' });
    expect(short.reason).toContain('350 points');
    expect(await couponsOf(phone, id)).toEqual([]);
    expect((await pointsOf(phone)).points).toBe(350);
    // A newcomer refused for want of points is not made a member either.
    const newcomer = newPhone();
    const none = await answerIntent(
      h.hub,
      claimIntent({ phone: newcomer, campaignId: id, points: 400 }),
    );
    expect(none.outcome).toBe('rejected');
    expect(h.hub.db.prepare('SELECT 1 FROM members WHERE phone = ?').get(newcomer)).toBeUndefined();
  });
});
