// A member's price on tea and snacks taken at the counter without a booking, through a real hub:
// the cashier names the member by phone, the quote shows the level's line and the phone masked,
// the order is recorded as theirs and counts to their spend and points once delivered. A phone
// that is no member's is refused in plain Chinese and the cart is priced without the discount; a
// booking's order keeps its customer's price, and naming another member there is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, at, STAFF, startTestHub, until, type TestHub } from './harness';

let h: TestHub;
const CASHIER = as('cashier');
const ZH = { ...CASHIER, 'accept-language': 'zh-CN,zh;q=0.9' };
const MEMBER = '13800138000';
const STRANGER = '13900139000';
let tea: string;
let seeds: string;
let booking: string;

beforeAll(async () => {
  h = await startTestHub();
  const room = (await h.roomIds())[0]!;
  // Paying a booking makes its customer a member; the level every member starts at gives 12% off items.
  const b = await h.api('POST', '/api/bookings', {
    roomId: room,
    start: at('14:00'),
    end: at('16:00'),
    partySize: 2,
    customer: { phone: MEMBER },
  });
  booking = b.body.id;
  await h.api('POST', `/api/bookings/${booking}/payments`, { method: 'cash' }, STAFF);
  const levels = await h.api(
    'PUT',
    '/api/member-levels',
    { levels: [{ name: '金卡', threshold: 0, itemPercentOff: 12 }] },
    STAFF,
  );
  expect(levels.status, JSON.stringify(levels.body)).toBe(200);
  const rules = await h.api(
    'PUT',
    '/api/member-rules',
    { levelRule: 'spend', pointsPerYuan: 1, fenPerPoint: 1, pointsExpireMonths: 12 },
    STAFF,
  );
  expect(rules.status, JSON.stringify(rules.body)).toBe(200);
  const cat = await h.api('POST', '/api/menu/categories', { name: '茶饮' }, STAFF);
  tea = (
    await h.api(
      'POST',
      '/api/menu/items',
      { categoryId: cat.body.id, name: '龙井', price: 3800 },
      STAFF,
    )
  ).body.id;
  seeds = (
    await h.api(
      'POST',
      '/api/menu/items',
      { categoryId: cat.body.id, name: '瓜子', price: 1250 },
      STAFF,
    )
  ).body.id;
});
afterAll(async () => {
  await h.close();
});

const cart = () => [
  { itemId: tea, quantity: 2 },
  { itemId: seeds, quantity: 1 },
];

describe('a member named at the counter', () => {
  it('is quoted with the level’s line and the phone masked, and nothing is written', async () => {
    const before = (await h.api('GET', '/api/orders', undefined, CASHIER)).body.length as number;
    const q = await h.api(
      'POST',
      '/api/orders/quote',
      { memberPhone: MEMBER, lines: cart() },
      CASHIER,
    );
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    // 2 x 38.00 + 12.50 = 88.50; 12% is 10.62
    expect(q.body).toMatchObject({
      discounts: [{ kind: 'member', name: '金卡', percentOff: 12, amount: -1062 }],
      total: 7788,
      member: { phone: '138****8000', level: '金卡' },
    });
    expect(JSON.stringify(q.body)).not.toContain(MEMBER);
    const plain = await h.api('POST', '/api/orders/quote', { lines: cart() }, CASHIER);
    expect(plain.body).toMatchObject({ discounts: [], total: 8850, member: null });
    expect((await h.api('GET', '/api/orders', undefined, CASHIER)).body).toHaveLength(before);
  });

  it('gets the member price on the order, which is theirs and counts to them once delivered', async () => {
    const o = await h.api('POST', '/api/orders', { memberPhone: MEMBER, lines: cart() }, CASHIER);
    expect(o.status, JSON.stringify(o.body)).toBe(201);
    expect(o.body).toMatchObject({
      bookingId: null,
      roomId: null,
      total: 7788,
      discounts: [{ kind: 'member', amount: -1062 }],
      member: { phone: '138****8000', level: '金卡' },
    });
    const read = await h.api('GET', `/api/orders/${o.body.id}`, undefined, CASHIER);
    expect(read.body.member).toEqual({ phone: '138****8000', level: '金卡' });
    const spendBefore = (await h.api('GET', `/api/members/${MEMBER}`, undefined, CASHIER)).body
      .totalSpend as number;
    await h.api('POST', `/api/orders/${o.body.id}/payments`, {}, CASHIER);
    await h.api('POST', `/api/orders/${o.body.id}/deliver`, {}, CASHIER);
    await h.runJobs();
    const m = await until('the order counted to the member', async () => {
      const r = (await h.api('GET', `/api/members/${MEMBER}`, undefined, CASHIER)).body;
      return r.totalSpend === spendBefore + 7788 ? r : undefined;
    });
    expect(m.pointsHistory).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'earned', ref: `order:${o.body.id}` }),
      ]),
    );
  });

  it('refuses a phone that is no member’s in Chinese, naming the field; without it the cart is priced in full', async () => {
    for (const path of ['/api/orders/quote', '/api/orders']) {
      const r = await h.api('POST', path, { memberPhone: STRANGER, lines: cart() }, ZH);
      expect(r.status, JSON.stringify(r.body)).toBe(404);
      expect(r.body.error).toMatchObject({ code: 'order_member_unknown', field: 'memberPhone' });
      expect(r.body.error.message).toBe('139****9000 不是本店会员，不能享受会员价，请按原价下单');
    }
    const o = await h.api('POST', '/api/orders', { lines: cart() }, CASHIER);
    expect(o.body).toMatchObject({ total: 8850, discounts: [], member: null });
  });

  it('refuses a phone that is not a mobile number, and a member named on a booking’s order', async () => {
    const bad = await h.api(
      'POST',
      '/api/orders/quote',
      { memberPhone: '12345', lines: cart() },
      ZH,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ field: 'memberPhone' });
    const both = await h.api(
      'POST',
      '/api/orders',
      { bookingId: booking, memberPhone: MEMBER, lines: cart() },
      ZH,
    );
    expect(both.status).toBe(422);
    expect(both.body.error).toMatchObject({
      code: 'order_member_with_booking',
      field: 'memberPhone',
    });
    // The booking's own order is its customer's, priced and shown as theirs.
    const theirs = await h.api(
      'POST',
      '/api/orders',
      { bookingId: booking, lines: cart() },
      CASHIER,
    );
    expect(theirs.body).toMatchObject({ total: 7788, member: { phone: '138****8000' } });
  });
});

describe('a counter order for a member named by phone', () => {
  it('is paid from their wallet, and a refund puts it back in the wallet', async () => {
    await h.api('POST', '/api/wallet/top-ups', { phone: MEMBER, amount: 10_000 }, CASHIER);
    const balance = async () =>
      (await h.api('GET', `/api/wallets/${MEMBER}`, undefined, CASHIER)).body.total as number;
    const before = await balance();
    const o = await h.api('POST', '/api/orders', { memberPhone: MEMBER, lines: cart() }, CASHIER);
    const paid = await h.api(
      'POST',
      `/api/orders/${o.body.id}/payments`,
      { method: 'wallet' },
      CASHIER,
    );
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body).toMatchObject({ paid: 7788, due: 0 });
    expect(await balance()).toBe(before - 7788);
    await h.api('POST', `/api/orders/${o.body.id}/deliver`, {}, CASHIER);
    const back = await h.api(
      'POST',
      `/api/orders/${o.body.id}/refund`,
      { amount: 2000, reason: '少做了一杯' },
      CASHIER,
    );
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(await balance()).toBe(before - 7788 + 2000);
  });

  it('is paid with their points at the owner’s worth, all given back when it is called off', async () => {
    await h.api('POST', `/api/members/${MEMBER}/points`, { points: 20_000, reason: '活动' }, STAFF);
    const points = async () =>
      (await h.api('GET', `/api/members/${MEMBER}`, undefined, CASHIER)).body.points as number;
    const before = await points();
    const o = await h.api('POST', '/api/orders', { memberPhone: MEMBER, lines: cart() }, CASHIER);
    const paid = await h.api(
      'POST',
      `/api/orders/${o.body.id}/payments`,
      { method: 'points' },
      CASHIER,
    );
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    // One point is worth 1 fen here: 77.88 is 7788 points.
    expect(await points()).toBe(before - 7788);
    const off = await h.api(
      'POST',
      `/api/orders/${o.body.id}/cancel`,
      { reason: '顾客不要了' },
      CASHIER,
    );
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(await points()).toBe(before);
  });

  it('naming no member, is refused wallet and points in Chinese and nothing is taken', async () => {
    const o = await h.api('POST', '/api/orders', { lines: cart() }, CASHIER);
    for (const [method, code] of [
      ['wallet', 'wallet_needs_member'],
      ['points', 'points_need_booking'],
    ] as const) {
      const r = await h.api('POST', `/api/orders/${o.body.id}/payments`, { method }, ZH);
      expect(r.status, JSON.stringify(r.body)).toBe(409);
      expect(r.body.error).toMatchObject({ code, field: 'method' });
      expect(r.body.error.message).toContain('会员手机号');
    }
    const read = await h.api('GET', `/api/orders/${o.body.id}`, undefined, CASHIER);
    expect(read.body).toMatchObject({ paid: 0, due: 8850 });
  });
});
