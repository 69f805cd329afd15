// Random bodies on every write route: the hub answers 2xx or a 4xx in the one error shape, never
// a 5xx, and a refused request leaves no trace.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let room: string;
let booking: string;
let campaign: string;
let pointsCampaign: string;
let promotion: string;
let category: string;
let item: string;
let order: string;
let task: string;
let cleanerId: string;
let paidBooking: string;
let walletPackage: string;

beforeAll(async () => {
  h = await startTestHub();
  room = (await h.roomIds())[0]!;
  const b = await h.api('POST', '/api/bookings', {
    roomId: room,
    start: at('14:00'),
    end: at('16:00'),
    partySize: 2,
    customer: { phone: '13800138000' },
  });
  booking = b.body.id;
  const owner = { 'x-test-as': 'owner' };
  campaign = (await h.api('POST', '/api/campaigns', validCampaign(), owner)).body.id;
  promotion = (await h.api('POST', '/api/promotions', validPromotion(), owner)).body.id;
  await h.hub.writes.run(() => h.hub.members.join('13800138000', null, 'staff'));
  pointsCampaign = (
    await h.api('POST', '/api/campaigns', { ...validCampaign(), pointsPrice: 10 }, owner)
  ).body.id;
  await h.api('POST', '/api/members/13800138000/points', { points: 300, reason: 'x' }, owner);
  category = (await h.api('POST', '/api/menu/categories', { name: '茶饮' }, owner)).body.id;
  item = (await h.api('POST', '/api/menu/items', validItem(), owner)).body.id;
  await h.api('POST', `/api/stock/${item}`, { kind: 'received', quantity: 50 }, owner);
  order = (await h.api('POST', '/api/orders', validOrder(), owner)).body.id;
  walletPackage = (
    await h.api(
      'POST',
      '/api/wallet/packages',
      { name: '充100送20', pay: 10000, bonus: 2000 },
      owner,
    )
  ).body.id;
  // A session that ended in the second room leaves its cleaning task.
  const second = (await h.roomIds())[1]!;
  const s = await h.api('POST', '/api/bookings', {
    roomId: second,
    start: at('10:30'),
    end: at('11:30'),
    partySize: 2,
    customer: { phone: '13800138005' },
  });
  await h.api('POST', `/api/bookings/${s.body.id}/payments`, { method: 'cash' }, owner);
  paidBooking = s.body.id;
  h.clock.set(Date.parse(at('10:30')));
  await h.api('POST', `/api/bookings/${s.body.id}/door`);
  await h.api('POST', `/api/bookings/${s.body.id}/finish`);
  task = (await h.api('GET', '/api/cleaning/tasks', undefined, owner)).body[0].id;
  cleanerId = await h.staffId('cleaner');
});
afterAll(async () => {
  await h.close();
});

const validBooking = () => ({
  roomId: room,
  start: at('18:00'),
  end: at('20:00'),
  partySize: 2,
  customer: { phone: '13800138000' },
});

const validCampaign = () => ({
  name: 'autumn',
  kind: 'claim',
  couponName: '立减20元',
  coupon: {
    rule: { kind: 'percent', percentOff: 20, capFen: 3000 },
    scope: { roomStyles: ['棋牌室'] },
    stacking: { withMember: true },
  },
  claimFrom: '2026-11-01',
  claimTo: '2026-11-30',
  useDays: 30,
  perPerson: 2,
});
const validPromotion = () => ({
  name: 'autumn',
  from: '2026-11-01',
  to: '2026-11-30',
  rule: { kind: 'bundle', minutes: 120, price: 6800, item: { name: '龙井', price: 3800 } },
});

const validItem = () => ({
  categoryId: category,
  name: '铁观音',
  price: 4800,
  stockTracked: true,
  lowStockAt: 2,
  specs: [
    {
      name: '甜度',
      kind: 'sweetness',
      choices: [{ name: '无糖' }, { name: '半糖', priceDelta: 200 }],
      defaultChoice: '无糖',
    },
  ],
});
const validOrder = () => ({
  lines: [{ itemId: item, quantity: 1, specs: { 甜度: '半糖' } }],
  note: '少冰',
});

/** Valid bodies with one field replaced by something arbitrary, and wholly arbitrary values. */
const mutated = (base: () => Record<string, unknown>) =>
  fc.oneof(
    fc.anything(),
    fc.jsonValue(),
    fc
      .record({ key: fc.constantFrom(...Object.keys(base()), 'extra'), value: fc.jsonValue() })
      .map(({ key, value }) => ({ ...base(), [key]: value })),
    fc.string().map((s) => ({ ...base(), start: s })),
    fc.integer().map((n) => ({ ...base(), partySize: n })),
  );

const routes = (): {
  method: string;
  path: () => string;
  body: fc.Arbitrary<unknown>;
  staff?: boolean;
}[] => [
  { method: 'POST', path: () => '/api/bookings', body: mutated(validBooking) },
  {
    method: 'POST',
    path: () => '/api/quotes',
    body: mutated(() => ({ roomId: room, start: at('18:00'), end: at('20:00') })),
  },
  {
    method: 'POST',
    path: () => `/api/bookings/${booking}/payments`,
    body: mutated(() => ({ method: 'wechat' })),
  },
  {
    method: 'POST',
    path: () => `/api/bookings/${booking}/payments`,
    body: mutated(() => ({ method: 'unionpay' })),
  },
  // a payment code at the kiosk and at the counter (the simulators know no such code: declined)
  {
    method: 'POST',
    path: () => `/api/bookings/${booking}/payments`,
    body: mutated(() => ({ method: 'payment_code', code: '134567890123456789' })),
  },
  {
    method: 'POST',
    path: () => `/api/bookings/${booking}/payments`,
    body: mutated(() => ({ method: 'payment_code', code: '284567890123456789' })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => `/api/bookings/${booking}/cancel`,
    body: mutated(() => ({ reason: 'x' })),
  },
  {
    method: 'POST',
    path: () => `/api/bookings/${booking}/extend`,
    body: mutated(() => ({ minutes: 60 })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => `/api/bookings/${booking}/change`,
    body: mutated(() => ({ start: at('18:00'), end: at('19:00') })),
  },
  {
    method: 'POST',
    path: () => `/api/bookings/${booking}/refund`,
    body: mutated(() => ({ reason: 'x', amount: 100 })),
  },
  {
    method: 'POST',
    path: () => `/api/bookings/${booking}/refund/approve`,
    body: mutated(() => ({ amount: 100 })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => `/api/bookings/${booking}/refund/reject`,
    body: mutated(() => ({ reason: 'x' })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => '/api/rooms',
    body: mutated(() => ({
      name: 'x',
      capacity: 2,
      areaSqm: 5,
      style: 's',
      pricePlan: { rates: { workday: 1, weekend: 1, holiday: 1 } },
    })),
    staff: true,
  },
  {
    method: 'PATCH',
    path: () => `/api/rooms/${room}`,
    body: mutated(() => ({ capacity: 4 })),
    staff: true,
  },
  {
    method: 'PATCH',
    path: () => `/api/rooms/${room}`,
    body: mutated(() => ({
      pricePlan: {
        packages: [
          {
            id: 'afternoon',
            name: '午后',
            start: '13:00',
            minutes: 240,
            prices: { weekend: 26800 },
          },
        ],
        seasons: [
          {
            name: '暑期',
            from: '07-01',
            to: '08-31',
            rates: { workday: 1, weekend: 1, holiday: 1 },
            packages: { afternoon: { weekend: 19800 } },
          },
        ],
      },
    })),
    staff: true,
  },
  {
    method: 'PATCH',
    path: () => '/api/store',
    body: mutated(() => ({ name: '茶隐' })),
    staff: true,
  },
  {
    method: 'PUT',
    path: () => '/api/calendar/2026-12-01',
    body: mutated(() => ({ type: 'holiday' })),
    staff: true,
  },
  // the member wallet
  {
    method: 'POST',
    path: () => '/api/wallet/packages',
    body: mutated(() => ({ name: '充200送100', pay: 20000, bonus: 10000, bonusValidDays: 90 })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => '/api/wallet/top-ups',
    body: mutated(() => ({ phone: '13800138000', amount: 100 })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => '/api/wallets/13800138000/refund',
    body: mutated(() => ({ amount: 50, reason: 'x' })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => `/api/bookings/${booking}/wallet-payments`,
    body: mutated(() => ({ phone: '13800138000' })),
    staff: true,
  },
  {
    method: 'PATCH',
    path: () => `/api/wallet/packages/${walletPackage}`,
    body: mutated(() => ({ name: '充100送20', active: true })),
    staff: true,
  },
  {
    method: 'PUT',
    path: () => '/api/wallet/settings',
    body: mutated(() => ({ mode: 'store', offlineAllowance: 0 })),
    staff: true,
  },
  // members
  {
    method: 'PUT',
    path: () => '/api/member-levels',
    body: mutated(() => ({
      levels: [{ name: '银卡', threshold: 100, roomPercentOff: 5, birthdayPoints: 10 }],
    })),
    staff: true,
  },
  {
    method: 'PUT',
    path: () => '/api/member-rules',
    body: mutated(() => ({
      levelRule: 'spend',
      pointsPerYuan: 1,
      fenPerPoint: 1,
      pointsExpireMonths: 12,
    })),
    staff: true,
  },
  {
    method: 'PATCH',
    path: () => '/api/members/13800138000',
    body: mutated(() => ({ name: '王', birthday: '1990-05-17' })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => '/api/members/13800138000/points',
    body: mutated(() => ({ points: -5, reason: 'x' })),
    staff: true,
  },
  // promotions, campaigns and coupons
  { method: 'POST', path: () => '/api/promotions', body: mutated(validPromotion), staff: true },
  {
    method: 'POST',
    path: () => '/api/promotions',
    body: mutated(() => ({
      ...validPromotion(),
      rule: {
        kind: 'bundle',
        minutes: 120,
        price: 6800,
        item: { name: '龙井', price: 3800, itemId: item },
      },
    })),
    staff: true,
  },
  {
    method: 'PUT',
    path: () => `/api/promotions/${promotion}`,
    body: mutated(validPromotion),
    staff: true,
  },
  {
    method: 'POST',
    path: () => `/api/promotions/${promotion}/switch`,
    body: mutated(() => ({ enabled: false })),
    staff: true,
  },
  { method: 'POST', path: () => '/api/campaigns', body: mutated(validCampaign), staff: true },
  {
    method: 'PATCH',
    path: () => `/api/campaigns/${campaign}`,
    body: mutated(() => ({ status: 'paused', claimTo: '2026-11-29' })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => `/api/campaigns/${campaign}/coupons`,
    body: mutated(() => ({ phones: ['13800138001'] })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => '/api/coupons/claim',
    body: mutated(() => ({ campaignId: campaign, phone: '13800138002' })),
  },
  {
    method: 'POST',
    path: () => '/api/campaigns',
    body: mutated(() => ({ ...validCampaign(), pointsPrice: 500 })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => '/api/campaigns',
    body: mutated(() => ({ ...validCampaign(), kind: 'win_back', absentDays: 30 })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => '/api/coupons/exchange',
    body: mutated(() => ({ campaignId: pointsCampaign, phone: '13800138000', requestId: 'r1' })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => '/api/coupons/referrals',
    body: mutated(() => ({
      campaignId: campaign,
      referrer: '13800138003',
      referee: '13800138004',
    })),
  },
  {
    method: 'POST',
    path: () => '/api/bookings',
    body: mutated(() => ({ ...validBooking(), couponIds: ['nope'], points: 10 })),
  },
  // tea and snacks
  {
    method: 'POST',
    path: () => '/api/menu/categories',
    body: mutated(() => ({ name: '小吃', sort: 2 })),
    staff: true,
  },
  {
    method: 'PATCH',
    path: () => `/api/menu/categories/${category}`,
    body: mutated(() => ({ name: '茶饮', sort: 1 })),
    staff: true,
  },
  { method: 'POST', path: () => '/api/menu/items', body: mutated(validItem), staff: true },
  {
    method: 'PATCH',
    path: () => `/api/menu/items/${item}`,
    body: mutated(() => ({ price: 5200, soldOut: false })),
    staff: true,
  },
  { method: 'POST', path: () => '/api/orders', body: mutated(validOrder), staff: true },
  {
    method: 'POST',
    path: () => `/api/orders/${order}/payments`,
    body: mutated(() => ({ method: 'cash', amount: 100 })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => `/api/orders/${order}/charges`,
    body: mutated(() => ({ method: 'wechat' })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => `/api/orders/${order}/charges`,
    body: mutated(() => ({ method: 'payment_code', code: '134567890123456789' })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => `/api/orders/${order}/refund`,
    body: mutated(() => ({ amount: 100, reason: '洒了' })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => `/api/stock/${item}`,
    body: mutated(() => ({ kind: 'wasted', quantity: 1, reason: '过期' })),
    staff: true,
  },
  // an order's steps at the counter, the calling off last
  {
    method: 'POST',
    path: () => `/api/orders/${order}/prepare`,
    body: mutated(() => ({})),
    staff: true,
  },
  {
    method: 'POST',
    path: () => `/api/orders/${order}/deliver`,
    body: mutated(() => ({})),
    staff: true,
  },
  {
    method: 'POST',
    path: () => `/api/orders/${order}/cancel`,
    body: mutated(() => ({ reason: '客人不要了' })),
    staff: true,
  },
  // money given back by hand on a booking paid in cash, and a cash refund handed over
  {
    method: 'POST',
    path: () => `/api/bookings/${paidBooking}/refunds`,
    body: mutated(() => ({ amount: 100, reason: '空调坏了' })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => '/api/refunds/no-such-refund/pay-out',
    body: mutated(() => ({ note: '已当面退还' })),
    staff: true,
  },
  // a way to pay switched at the kiosk
  {
    method: 'PUT',
    path: () => '/api/payment-channels/kiosk/unionpay',
    body: mutated(() => ({ on: true })),
    staff: true,
  },
  // cleaning: a photo sent as JSON is refused, whatever it holds; the task is called off last
  {
    method: 'POST',
    path: () => `/api/cleaning/tasks/${task}/photo`,
    body: mutated(() => ({ photo: 'x' })),
    staff: true,
  },
  {
    method: 'PUT',
    path: () => `/api/cleaning/rooms/${room}`,
    body: mutated(() => ({ skipCleaning: false })),
    staff: true,
  },
  {
    method: 'PUT',
    path: () => '/api/energy/price',
    body: mutated(() => ({ fenPerKwh: 105 })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => `/api/cleaning/tasks/${task}/reassign`,
    body: mutated(() => ({ staffId: cleanerId, reason: '换人' })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => `/api/cleaning/tasks/${task}/done`,
    body: mutated(() => ({ note: '干净了' })),
    staff: true,
  },
  {
    method: 'POST',
    path: () => `/api/cleaning/tasks/${task}/cancel`,
    body: mutated(() => ({ reason: '客人自己收拾了' })),
    staff: true,
  },
];

describe('fuzzing every write route', () => {
  it('never answers 5xx, and always in the one error shape', async () => {
    // Staff routes as the owner, the rest as the kiosk holding the booking's pass: every body
    // reaches the route's own parsing, not only the door.
    const owner = await h.headersOf('owner');
    const kiosk = await h.headersOf('kiosk', booking);
    for (const r of routes()) {
      await fc.assert(
        fc.asyncProperty(r.body, fc.boolean(), async (body, asRaw) => {
          const res = await fetch(h.url + r.path(), {
            method: r.method,
            headers: { 'content-type': 'application/json', ...(r.staff ? owner : kiosk) },
            body: asRaw && typeof body === 'string' ? body : JSON.stringify(body ?? null),
          });
          const json = (await res.json()) as { error?: { code: string; message: string } };
          expect(res.status, `${r.method} ${r.path()} ${JSON.stringify(body)}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(json.error?.code).toMatch(/^[a-z_]+$/);
            expect(json.error?.message).toBeTruthy();
          }
        }),
        { numRuns: 60 },
      );
    }
    // Every write route of the hub, sixty bodies each: minutes on a busy machine, not seconds.
  }, 300_000);

  it('left no half an exchange of points for a coupon: each coupon with its points, or neither', async () => {
    // One that goes through, beside whatever the random bodies did: for a member the random
    // bodies never name, since they may have taken the campaign's two per person already.
    await h.hub.writes.run(() => h.hub.members.join('13800138009', null, 'staff'));
    await h.api('POST', '/api/members/13800138009/points', { points: 10, reason: 'x' }, STAFF);
    const ok = await h.api(
      'POST',
      '/api/coupons/exchange',
      { campaignId: pointsCampaign, phone: '13800138009', requestId: 'last' },
      STAFF,
    );
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const coupons = h.hub.db
      .prepare(`SELECT id FROM coupons WHERE reason LIKE 'exchange:%' ORDER BY id`)
      .pluck()
      .all() as string[];
    const spent = h.hub.db
      .prepare(
        `SELECT substr(ref, 8) FROM member_points WHERE kind = 'spent' AND ref LIKE 'coupon:%' ORDER BY 1`,
      )
      .pluck()
      .all() as string[];
    expect(spent).toEqual(coupons);
    const points = h.hub.db
      .prepare(`SELECT SUM(points) FROM member_points WHERE ref LIKE 'coupon:%'`)
      .pluck()
      .get() as number | null;
    expect(-(points ?? 0)).toBe(10 * coupons.length);
  });

  it('answers random statistics query strings with a 4xx naming the field, never a 5xx', async () => {
    const owner = await h.headersOf('owner');
    const value = fc.oneof(
      fc.constantFrom('today', 'yesterday', '7d', '30d', 'custom', 'revenue', 'heatmap'),
      fc.constantFrom('2026-11-01', '2026-11-23', '2026-02-30', '2025-11-23', '0000-00-00'),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      fc.string({ maxLength: 20 }),
    );
    const pair = fc.tuple(fc.constantFrom('range', 'from', 'to', 'table', 'extra'), value);
    await fc.assert(
      fc.asyncProperty(
        fc.array(pair, { maxLength: 5 }),
        fc.constantFrom('/api/stats', '/api/stats/export.csv'),
        async (pairs, path) => {
          const qs = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
          const res = await fetch(`${h.url}${path}?${qs}`, { headers: owner });
          expect(res.status, `${path}?${qs}`).toBeLessThan(500);
          if (res.status >= 400) {
            const { error } = (await res.json()) as {
              error: { code: string; message: string; field?: string };
            };
            expect(error.code, qs).toBe('invalid_input');
            // the field that broke a rule, or the unknown one in the sentence
            if (!error.field) expect(error.message, qs).toMatch(/unknown field/);
          } else {
            await res.arrayBuffer();
          }
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);

  it('answers odd paths and ids with a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (id) => {
        const res = await fetch(`${h.url}/api/bookings/${encodeURIComponent(id)}`);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
    for (const path of [
      '/api/bookings/%E0%A4%A',
      '/api/rooms/%',
      '/api/calendar/2026-02-30',
      '/api/nothing',
    ]) {
      const res = await fetch(h.url + path, {
        method: path.includes('calendar') ? 'PUT' : 'GET',
        headers: await h.headersOf('owner'),
      });
      expect([400, 404]).toContain(res.status);
    }
  });

  it('left no booking behind from any refused request', () => {
    const rows = h.hub.db.prepare('SELECT COUNT(*) AS n FROM bookings').get() as { n: number };
    const created = h.hub.db
      .prepare(`SELECT COUNT(*) AS n FROM booking_events WHERE action = 'create'`)
      .get() as { n: number };
    expect(rows.n).toBe(created.n);
    const orphans = h.hub.db
      .prepare(
        'SELECT COUNT(*) AS n FROM ledger l LEFT JOIN payments p ON p.id = l.payment_id WHERE p.id IS NULL',
      )
      .get() as { n: number };
    expect(orphans.n).toBe(0);
    // no booking was given back more than was paid for it, however the refunds were asked for
    const over = h.hub.db
      .prepare(
        'SELECT COUNT(*) AS n FROM (SELECT booking_id FROM ledger GROUP BY booking_id HAVING SUM(amount) < 0)',
      )
      .get() as { n: number };
    expect(over.n).toBe(0);
    // every wallet movement belongs to a top-up, and no lot of a wallet is below zero
    const lots = h.hub.db
      .prepare(
        'SELECT COUNT(*) AS n FROM (SELECT lot, pot FROM wallet_moves GROUP BY lot, pot HAVING SUM(amount) < 0)',
      )
      .get() as { n: number };
    expect(lots.n).toBe(0);
    // no member's points are below zero
    const points = h.hub.db
      .prepare(
        'SELECT COUNT(*) AS n FROM (SELECT member_id FROM member_points GROUP BY member_id HAVING SUM(points) < 0)',
      )
      .get() as { n: number };
    expect(points.n).toBe(0);
    // no coupon is used twice in a round, and every coupon use is on a booking that exists
    const twice = h.hub.db
      .prepare(
        `SELECT COUNT(*) AS n FROM (SELECT coupon_id, round FROM coupon_uses WHERE kind = 'use' GROUP BY coupon_id, round HAVING COUNT(*) > 1)`,
      )
      .get() as { n: number };
    expect(twice.n).toBe(0);
  });
});

describe('fuzzing the energy routes', () => {
  /** Query strings near the valid ones: odd dates, reversed and long ranges, rooms, extra keys. */
  const queryArb = fc
    .record(
      {
        from: fc.oneof(
          fc.constantFrom('2026-11-23', '2026-02-30', '2025-01-01', '', '2026-1-1'),
          fc.string(),
        ),
        to: fc.oneof(
          fc.constantFrom('2026-11-23', '2026-11-22', '2027-11-23', '9999-12-31'),
          fc.string(),
        ),
        roomId: fc.oneof(fc.constant(room), fc.string({ maxLength: 80 })),
        extra: fc.string(),
      },
      { requiredKeys: [] },
    )
    .map((q) => new URLSearchParams(q as Record<string, string>).toString());

  it('answers random queries on the per-day and per-session figures with 2xx or a 4xx, never a 5xx', async () => {
    const owner = await h.headersOf('owner');
    for (const path of ['/api/energy/days', '/api/energy/sessions']) {
      await fc.assert(
        fc.asyncProperty(queryArb, async (query) => {
          const res = await fetch(`${h.url}${path}?${query}`, { headers: owner });
          const json = (await res.json()) as { error?: { code: string; message: string } };
          expect(res.status, `${path}?${query}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(json.error?.code).toMatch(/^[a-z_]+$/);
            expect(json.error?.message).toBeTruthy();
          }
        }),
        { numRuns: 100 },
      );
    }
  }, 120_000);

  it('kept only whole, possible prices per kWh from the random bodies', () => {
    const bad = h.hub.db
      .prepare(
        `SELECT COUNT(*) FROM energy_prices
         WHERE typeof(fen_per_kwh) <> 'integer' OR fen_per_kwh < 0 OR fen_per_kwh > 10000`,
      )
      .pluck()
      .get() as number;
    expect(bad).toBe(0);
  });
});
