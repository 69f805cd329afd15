// The owner's statistics through a real hub: bookings paid in cash, by Alipay and by an own-deal
// voucher, part of one given back, one called off, tea sold, a wallet topped up, a campaign
// running, a booking over midnight; the next day, each range shows what happened in it, table by
// table; the owner downloads a table as CSV a spreadsheet reads in Chinese, and the export is in
// the audit log; wrong ranges answer 400 naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let rooms: string[];
const CASHIER = as('cashier');
const MANAGER = as('manager');

/** Facts of the first day (Monday 2026-11-23), as the tests set them up. */
let cashBooking: { id: string; total: number };
let alipayBooking: { id: string; total: number };
let orderTotal: number;
let nextDayBooking: { id: string; total: number };
let redeemed: { covered: number; faceValue: number; settleAmount: number };
let campaign: string;
let lateTotal: number;

const book = async (room: number, from: string, to: string, day = 0, phone = '13800138000') => {
  const r = await h.api('POST', '/api/bookings', {
    roomId: rooms[room]!,
    start: at(from, day),
    end: at(to, day),
    partySize: 2,
    customer: { phone },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; total: number };
};

const stats = (query: string, who = STAFF) => h.api('GET', `/api/stats?${query}`, undefined, who);

beforeAll(async () => {
  h = await startTestHub();
  rooms = await h.roomIds();

  // Monday: a booking paid in cash, one by Alipay with 10 yuan given back, one called off.
  cashBooking = await book(0, '14:00', '16:00');
  await h.api('POST', `/api/bookings/${cashBooking.id}/payments`, { method: 'cash' }, CASHIER);
  alipayBooking = await book(1, '18:00', '20:00', 0, '13800138001');
  const p = await h.api('POST', `/api/bookings/${alipayBooking.id}/payments`, { method: 'alipay' });
  await h.alipay!.pay(p.body.id);
  const back = await h.api(
    'POST',
    `/api/bookings/${alipayBooking.id}/refunds`,
    { amount: 1000, reason: '空调坏了' },
    CASHIER,
  );
  expect(back.status, JSON.stringify(back.body)).toBe(201);
  await h.runJobs();
  const called = await book(2, '12:00', '13:00', 0, '13800138002');
  expect((await h.api('POST', `/api/bookings/${called.id}/cancel`, {})).status).toBe(200);

  // Tea for the cash booking's room, paid in cash; a wallet topped up with 100 yuan.
  const cat = await h.api('POST', '/api/menu/categories', { name: '茶饮' }, STAFF);
  const tea = await h.api(
    'POST',
    '/api/menu/items',
    { categoryId: cat.body.id, name: '铁观音', price: 4800 },
    STAFF,
  );
  const order = await h.api(
    'POST',
    '/api/orders',
    { bookingId: cashBooking.id, lines: [{ itemId: tea.body.id, quantity: 2 }] },
    CASHIER,
  );
  expect(order.status, JSON.stringify(order.body)).toBe(201);
  orderTotal = order.body.total;
  await h.api('POST', `/api/orders/${order.body.id}/payments`, {}, CASHIER);
  const topUp = await h.api(
    'POST',
    '/api/wallet/top-ups',
    { phone: '13900139000', amount: 10000 },
    CASHIER,
  );
  expect(topUp.status, JSON.stringify(topUp.body)).toBe(201);
  campaign = (
    await h.api(
      'POST',
      '/api/campaigns',
      {
        name: '冬季领券',
        kind: 'claim',
        couponName: '立减20元',
        coupon: {
          rule: { kind: 'percent', percentOff: 20, capFen: 3000 },
          scope: { roomStyles: ['棋牌室'] },
          stacking: { withMember: true },
        },
        claimFrom: '2026-11-20',
        claimTo: '2026-12-20',
        useDays: 30,
        perPerson: 1,
      },
      STAFF,
    )
  ).body.id;

  // At 13:00 an own-deal voucher sold at the counter books the fourth room for three hours.
  const deal = await h.api(
    'POST',
    '/api/deals',
    {
      source: 'own',
      title: '棋牌室 3 小时畅玩',
      entitlement: { kind: 'hours', minutes: 180, roomStyles: ['棋牌室'], maxPartySize: 4 },
      price: 9900,
      originalPrice: 17400,
      status: 'on_sale',
    },
    STAFF,
  );
  expect(deal.status, JSON.stringify(deal.body)).toBe(201);
  const voucher = await h.api(
    'POST',
    '/api/vouchers',
    { dealId: deal.body.id, customer: { phone: '13800138004' } },
    CASHIER,
  );
  h.clock.set(Date.parse(at('13:00')));
  const r = await h.api(
    'POST',
    '/api/vouchers/redeem',
    {
      text: voucher.body.qr,
      use: { kind: 'book', roomId: rooms[3], partySize: 2 },
      requestId: 'stats-redeem-1',
    },
    CASHIER,
  );
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  redeemed = r.body;

  // Tuesday: one more booking paid in cash, and one over midnight into Wednesday.
  h.clock.set(Date.parse(at('10:00', 1)));
  nextDayBooking = await book(3, '15:00', '16:00', 1, '13800138003');
  await h.api('POST', `/api/bookings/${nextDayBooking.id}/payments`, { method: 'cash' }, CASHIER);
  const late = await h.api('POST', '/api/bookings', {
    roomId: rooms[0]!,
    start: at('23:00', 1),
    end: at('01:00', 2),
    partySize: 2,
    customer: { phone: '13800138005' },
  });
  expect(late.status, JSON.stringify(late.body)).toBe(201);
  await h.api('POST', `/api/bookings/${late.body.id}/payments`, { method: 'cash' }, CASHIER);
  lateTotal = late.body.total;
});
afterAll(async () => {
  await h.close();
});

describe('the statistics of a range', () => {
  it("show yesterday's money by channel, with what went back apart and the net", async () => {
    const r = await stats('range=yesterday');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.range).toMatchObject({
      range: 'yesterday',
      from: '2026-11-23',
      to: '2026-11-23',
      days: 1,
      timeZone: 'Asia/Shanghai',
    });
    const rows = r.body.revenue.rows as { channel: string }[];
    expect(rows.find((x) => x.channel === 'cash')).toMatchObject({
      bookings: cashBooking.total,
      orders: orderTotal,
      refunded: 0,
      net: cashBooking.total + orderTotal,
    });
    expect(rows.find((x) => x.channel === 'alipay')).toMatchObject({
      bookings: alipayBooking.total,
      orders: 0,
      refunded: 1000,
      net: alipayBooking.total - 1000,
    });
    // the voucher's booking, worth its face value to the customer and settled at its price
    expect(rows.find((x) => x.channel === 'own_deal')).toMatchObject({
      bookings: redeemed.covered,
      net: redeemed.covered,
      faceValue: redeemed.faceValue,
      settled: redeemed.settleAmount,
    });
    expect(rows.find((x) => x.channel === 'cash')!).toMatchObject({ faceValue: null });
    const monday = cashBooking.total + orderTotal + alipayBooking.total + redeemed.covered;
    expect(r.body.revenue.total.net).toBe(monday - 1000);
    expect(r.body.revenueByDay).toEqual([
      {
        date: '2026-11-23',
        received: monday,
        refunded: 1000,
        net: monday - 1000,
      },
    ]);
  });

  it('show today only what happened today, and seven days both days', async () => {
    const today = await stats('range=today');
    expect(today.body.revenue.rows).toEqual([
      expect.objectContaining({
        channel: 'cash',
        bookings: nextDayBooking.total + lateTotal,
        orders: 0,
      }),
    ]);
    const week = await stats('range=7d');
    expect(week.body.range).toMatchObject({ from: '2026-11-18', to: '2026-11-24', days: 7 });
    expect(week.body.revenueByDay).toHaveLength(7);
    expect(week.body.revenueByDay.at(-1)).toMatchObject({
      date: '2026-11-24',
      net: nextDayBooking.total + lateTotal,
    });
    const cash = week.body.revenue.rows.find((x: { channel: string }) => x.channel === 'cash');
    expect(cash.bookings).toBe(cashBooking.total + nextDayBooking.total + lateTotal);
    const month = await stats('range=30d');
    expect(month.body.range).toMatchObject({ from: '2026-10-26', to: '2026-11-24', days: 30 });
    const custom = await stats('range=custom&from=2026-11-24&to=2026-11-24');
    expect(custom.body.revenue).toEqual(today.body.revenue);
  });

  it('count bookings by status, cancellations by who, and refunds by why', async () => {
    const r = await stats('range=yesterday');
    const byStatus = Object.fromEntries(
      r.body.bookings.map((b: { status: string; count: number }) => [b.status, b.count]),
    );
    expect(byStatus).toEqual({ paid: 3, cancelled: 1 });
    expect(r.body.refunds.cancellations).toEqual({ customer: 1, staff: 0, system: 0 });
    expect(r.body.refunds.rows).toEqual([
      { of: 'booking', purpose: 'staff', count: 1, amount: 1000 },
    ]);
  });

  it('show hours per room, the heat map of hour by weekday, and the busiest start hours', async () => {
    const r = await stats('range=yesterday');
    const room0 = r.body.rooms.find((x: { roomId: string }) => x.roomId === rooms[0]);
    expect(room0).toMatchObject({ bookings: 1, hours: 2, share: round(2 / 24) });
    // the called-off booking took no time
    const room2 = r.body.rooms.find((x: { roomId: string }) => x.roomId === rooms[2]);
    expect(room2).toMatchObject({ bookings: 0, hours: 0 });
    const cell = (weekday: number, hour: number) =>
      r.body.heatmap.find(
        (c: { weekday: number; hour: number }) => c.weekday === weekday && c.hour === hour,
      ).share;
    expect(r.body.heatmap).toHaveLength(7 * 24);
    // Monday 14:00: two rooms of all taken (the voucher's and the cash one); 12:00, the
    // called-off one, nothing; Tuesday is not in the range
    expect(cell(1, 13)).toBe(round(1 / rooms.length));
    expect(cell(1, 14)).toBe(round(2 / rooms.length));
    expect(cell(1, 19)).toBe(round(1 / rooms.length));
    expect(cell(1, 12)).toBe(0);
    expect(cell(2, 15)).toBe(0);
    expect(r.body.slots).toEqual([
      { start: '13:00', bookings: 1, hours: 3 },
      { start: '14:00', bookings: 1, hours: 2 },
      { start: '18:00', bookings: 1, hours: 2 },
    ]);
  });

  it('count a booking over midnight on each side of it, in the store days of the range', async () => {
    const tuesday = await stats('range=custom&from=2026-11-24&to=2026-11-24');
    const room0 = tuesday.body.rooms.find((x: { roomId: string }) => x.roomId === rooms[0]);
    expect(room0).toMatchObject({ bookings: 1, hours: 1 });
    const cell =
      (v: { body: { heatmap: { weekday: number; hour: number; share: number }[] } }) =>
      (weekday: number, hour: number) =>
        v.body.heatmap.find((c) => c.weekday === weekday && c.hour === hour)!.share;
    expect(cell(tuesday)(2, 23)).toBe(round(1 / rooms.length));
    expect(cell(tuesday)(3, 0)).toBe(0);
    const both = await stats('range=custom&from=2026-11-24&to=2026-11-25');
    expect(both.body.rooms.find((x: { roomId: string }) => x.roomId === rooms[0])).toMatchObject({
      hours: 2,
    });
    expect(cell(both)(3, 0)).toBe(round(1 / rooms.length));
  });

  it('rank products, count top-ups and what the store owes, and new members by day', async () => {
    const r = await stats('range=7d');
    expect(r.body.products).toEqual([
      expect.objectContaining({ name: '铁观音', quantity: 2, revenue: orderTotal }),
    ]);
    expect(r.body.wallet.topUps).toEqual([
      { method: 'cash', count: 1, principal: 10000, bonus: 0 },
    ]);
    expect(r.body.wallet.owed).toMatchObject({ principal: 10000, bonus: 0, wallets: 1 });
    const members = (await h.api('GET', '/api/members', undefined, STAFF)).body.total as number;
    expect(members).toBeGreaterThan(0);
    const days = r.body.members as { date: string; joined: number; total: number }[];
    expect(days.at(-1)!.total).toBe(members);
    expect(days.reduce((n, d) => n + d.joined, 0)).toBe(members);
    expect(r.body.deals).toEqual([
      {
        source: 'own',
        dealId: expect.any(String),
        dealTitle: '棋牌室 3 小时畅玩',
        redeemed: 1,
        faceValue: redeemed.faceValue,
        settled: redeemed.settleAmount,
      },
    ]);
    expect(r.body.campaigns).toEqual([
      expect.objectContaining({ campaignId: campaign, name: '冬季领券', issued: 0, used: 0 }),
    ]);
    const before = await stats('range=custom&from=2026-11-01&to=2026-11-10');
    expect(before.body.campaigns).toEqual([]);
  });

  it('are the owner and the manager’s, no one else’s', async () => {
    expect((await stats('range=today', MANAGER)).status).toBe(200);
    expect((await stats('range=today', CASHIER)).status).toBe(403);
    expect((await stats('range=today', as('cleaner'))).status).toBe(403);
    expect((await stats('range=today', as('kiosk'))).status).toBe(403);
  });

  it('are described in the API document with their query', async () => {
    const doc = (await h.api('GET', '/api/openapi.json')).body;
    const names = (path: string) =>
      (doc.paths[path].get.parameters as { name: string; in: string }[])
        .filter((p) => p.in === 'query')
        .map((p) => p.name);
    expect(names('/api/stats')).toEqual(['range', 'from', 'to']);
    expect(names('/api/stats/export.csv')).toEqual(['range', 'from', 'to', 'table']);
  });

  it('answer a wrong range with 400 naming the field and the rule', async () => {
    const cases: [string, string][] = [
      ['range=week', 'range'],
      ['range=custom&to=2026-11-24', 'from'],
      ['range=custom&from=2026-11-24', 'to'],
      ['range=custom&from=2026-02-30&to=2026-03-01', 'from'],
      ['range=custom&from=2026-11-24&to=2026-11-01', 'to'],
      ['range=custom&from=2025-01-01&to=2026-11-24', 'to'],
      ['range=today&from=2026-11-24', 'from'],
      ['range=today&colour=red', 'colour'],
    ];
    for (const [query, field] of cases) {
      const r = await stats(query);
      expect(r.status, query).toBe(400);
      expect(r.body.error.field ?? r.body.error.message, query).toContain(field);
    }
    const zh = await fetch(`${h.url}/api/stats?range=custom&from=2026-11-24`, {
      headers: { ...(await h.headersOf('owner')), 'accept-language': 'zh-CN' },
    });
    expect(((await zh.json()) as { error: { message: string } }).error.message).toBe(
      '结束日期：自定义范围须填写开始日期和结束日期',
    );
  });
});

describe('a table as CSV', () => {
  it('opens in a spreadsheet in Chinese, money in yuan, and the export is audited', async () => {
    const res = await fetch(`${h.url}/api/stats/export.csv?table=revenue&range=yesterday`, {
      headers: await h.headersOf('owner'),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('revenue-2026-11-23-2026-11-23.csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trim().split('\r\n');
    expect(lines[0]).toBe(
      '渠道,预订收入(元),茶点收入(元),退款(元),净收入(元),券面值(元),平台结算(元)',
    );
    const yuan = (fen: number) => (fen / 100).toFixed(2);
    expect(lines).toContain(
      `支付宝,${yuan(alipayBooking.total)},0.00,10.00,${yuan(alipayBooking.total - 1000)},,`,
    );
    expect(lines.at(-1)).toMatch(/^合计,/);
    const audited = h.hub.db
      .prepare(`SELECT actor_kind, target, after FROM audit_log WHERE action = 'stats.export'`)
      .all() as { actor_kind: string; target: string; after: string }[];
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor_kind: 'staff', target: 'revenue' });
    expect(JSON.parse(audited[0]!.after)).toMatchObject({ from: '2026-11-23', rows: 4 });
  });

  it('exports every table, each with a zh-CN header, for the owner only', async () => {
    for (const table of [
      'revenue_by_day',
      'bookings',
      'rooms',
      'heatmap',
      'slots',
      'products',
      'deals',
      'wallet',
      'members',
      'campaigns',
      'refunds',
    ]) {
      const res = await fetch(`${h.url}/api/stats/export.csv?table=${table}&range=7d`, {
        headers: await h.headersOf('owner'),
      });
      expect(res.status, table).toBe(200);
      const text = await res.text();
      expect(text.split('\r\n')[0], table).toMatch(/^[\u4e00-\u9fa5]/);
    }
    const manager = await h.api(
      'GET',
      '/api/stats/export.csv?table=revenue&range=today',
      undefined,
      MANAGER,
    );
    expect(manager.status).toBe(403);
    const bad = await h.api(
      'GET',
      '/api/stats/export.csv?table=wages&range=today',
      undefined,
      STAFF,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('table');
  });
});

describe('a paid booking called off', () => {
  it('counts once, by who called it off, and its money back under why', async () => {
    h.clock.set(Date.parse(at('10:00', 2)));
    const b = await book(1, '18:00', '20:00', 2, '13800138006');
    const p = await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'alipay' });
    await h.alipay!.pay(p.body.id);
    const cancel = await h.api('POST', `/api/bookings/${b.id}/cancel`, {});
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    await h.runJobs();
    expect((await h.api('GET', `/api/bookings/${b.id}`)).body.status).toBe('refunded');
    const r = await stats('range=today');
    expect(r.body.refunds).toEqual({
      rows: [{ of: 'booking', purpose: 'cancel', count: 1, amount: b.total }],
      cancellations: { customer: 1, staff: 0, system: 0 },
    });
    expect(r.body.revenue.rows).toEqual([
      expect.objectContaining({ channel: 'alipay', bookings: b.total, refunded: b.total, net: 0 }),
    ]);
    expect(r.body.bookings).toEqual([{ status: 'refunded', count: 1, total: b.total }]);
  });
});

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
