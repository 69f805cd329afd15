// Members through a real hub (C11, O6): a customer joins on their first paid booking; the owner's
// levels are earned by the rule and recorded with why; points are earned when a booking completes
// and taken back by a refund after it; points pay for an order; they expire by the daily job and
// a birthday brings the level's gift once a year; the member list, and its export: the owner's
// alone, masked unless asked in full, audited.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, asCustomerOf, at, STAFF, startTestHub, type TestHub } from './harness';
import { DEFAULT_MEMBER_RULES } from '@roomhub/shared-types';

let h: TestHub;
let rooms: string[];
const PHONE = '13800138000';
const MANAGER = as('manager');
const CASHIER = as('cashier');
const DAY = 86_400_000;

beforeEach(async () => {
  h = await startTestHub();
  rooms = await h.roomIds();
});
afterEach(async () => {
  await h.close();
});

const setRules = (rules: Record<string, unknown> = {}) =>
  h.api(
    'PUT',
    '/api/member-rules',
    { levelRule: 'spend', pointsPerYuan: 2, fenPerPoint: 1, pointsExpireMonths: 12, ...rules },
    MANAGER,
  );

/** A booking paid in cash at the counter, starting now (a walk-in) unless told. */
async function paidBooking(phone = PHONE, start = at('10:00'), end = at('12:00'), room = 0) {
  const b = await h.api('POST', '/api/bookings', {
    roomId: rooms[room]!,
    start,
    end,
    partySize: 2,
    customer: { phone, name: '王先生' },
  });
  expect(b.status).toBe(201);
  const paid = await h.api(
    'POST',
    `/api/bookings/${b.body.id}/payments`,
    { method: 'cash' },
    CASHIER,
  );
  expect(paid.status).toBeLessThan(300);
  return b.body as { id: string; total: number };
}

/** The guest opens the door and later leaves: the booking is completed. */
async function usedUp(id: string) {
  expect((await h.api('POST', `/api/bookings/${id}/door`)).status).toBe(200);
  const done = await h.api('POST', `/api/bookings/${id}/finish`);
  expect(done.body.status).toBe('completed');
}

const member = async (idOrPhone = PHONE) =>
  (await h.api('GET', `/api/members/${idOrPhone}`, undefined, CASHIER)).body;

describe('becoming a member and earning', () => {
  it('makes the customer a member when their first booking is paid, and counts it when it completes', async () => {
    await setRules();
    const b = await paidBooking();
    // Levels set after the first booking: members move up to what they already reach.
    const levels = await h.api(
      'PUT',
      '/api/member-levels',
      {
        levels: [
          { name: '银卡', threshold: 1, roomPercentOff: 5, birthdayPoints: 100 },
          { name: '金卡', threshold: b.total + 1, roomPercentOff: 10, extraBookingDays: 7 },
        ],
      },
      STAFF,
    );
    expect(levels.status).toBe(200);
    expect(levels.body.levels.map((l: { name: string }) => l.name)).toEqual(['银卡', '金卡']);

    const joined = await member();
    expect(joined).toMatchObject({
      phone: PHONE,
      name: '王先生',
      points: 0,
      visits: 0,
      level: null,
    });
    expect(joined.totalSpend).toBe(0);

    await usedUp(b.id);
    const m = await member();
    expect(m.totalSpend).toBe(b.total);
    expect(m.visits).toBe(1);
    expect(m.lastVisitAt).not.toBeNull();
    expect(m.points).toBe(Math.floor((b.total * 2) / 100));
    expect(m.pointsHistory[0]).toMatchObject({ kind: 'earned', ref: `booking:${b.id}` });
    expect(m.level.name).toBe('银卡');
    expect(m.levelHistory).toEqual([
      expect.objectContaining({
        from: null,
        to: expect.objectContaining({ name: '银卡' }),
        cause: 'rule',
        reason: expect.stringContaining('total spend'),
      }),
    ]);
    expect(m.privileges).toMatchObject({ roomPercentOff: 5 });
    expect(m.progress).toMatchObject({ rule: 'spend', figure: b.total, next: { name: '金卡' } });

    // The owner lowers 金卡 to what this member spent: they move up at once, by the rule.
    const now = (await h.api('GET', '/api/member-levels', undefined, MANAGER)).body.levels;
    const lowered = await h.api(
      'PUT',
      '/api/member-levels',
      {
        levels: now.map((l: { members: number; threshold: number; name: string }) => {
          const { members: _held, ...level } = l;
          return l.name === '金卡' ? { ...level, threshold: b.total } : level;
        }),
      },
      STAFF,
    );
    expect(lowered.body.levels.map((l: { members: number }) => l.members)).toEqual([0, 1]);
    const gold = await member();
    expect(gold.level.name).toBe('金卡');
    expect(gold.levelHistory.at(-1)).toMatchObject({
      from: { name: '银卡' },
      to: { name: '金卡' },
      cause: 'rule',
      actor: { kind: 'staff' },
    });

    // A level members hold cannot be removed.
    const drop = await h.api('PUT', '/api/member-levels', { levels: [] }, STAFF);
    expect(drop.status).toBe(409);
    expect(drop.body.error).toMatchObject({ code: 'level_in_use', field: 'levels' });
  });

  it('takes the points back when the money goes back after the visit, never below zero, and keeps the level', async () => {
    await setRules();
    await h.api('PUT', '/api/member-levels', { levels: [{ name: '银卡', threshold: 1 }] }, STAFF);
    const b = await paidBooking();
    await usedUp(b.id);
    const earned = (await member()).points;
    expect(earned).toBeGreaterThan(10);
    // The member spends some of them by hand-adjustment (the counter's record of a gift shop buy).
    const spent = await h.api(
      'POST',
      `/api/members/${PHONE}/points`,
      { points: -10, reason: '兑换茶包' },
      MANAGER,
    );
    expect(spent.status).toBe(201);

    // The customer asks for a refund afterwards; staff approve it in full.
    expect(
      (await h.api('POST', `/api/bookings/${b.id}/refund`, { reason: '空调不制冷' })).status,
    ).toBe(200);
    const ok = await h.api('POST', `/api/bookings/${b.id}/refund/approve`, {}, STAFF);
    expect(ok.status).toBe(200);
    await h.runJobs();
    const m = await member();
    expect(m.points).toBe(0);
    expect(m.totalSpend).toBe(0);
    const back = m.pointsHistory.find((p: { kind: string }) => p.kind === 'taken_back');
    expect(back).toMatchObject({ points: -(earned - 10), ref: `booking:${b.id}` });
    // A level is never taken away by the rule.
    expect(m.level.name).toBe('银卡');
  });
});

describe('the booking with a member', () => {
  it('takes the level’s room discount and the points put on the bill, and gives the points back on a cancel', async () => {
    await setRules();
    await h.api(
      'PUT',
      '/api/member-levels',
      { levels: [{ name: '银卡', threshold: 0, roomPercentOff: 10 }] },
      STAFF,
    );
    await paidBooking();
    await h.api('POST', `/api/members/${PHONE}/points`, { points: 500, reason: '赠送' }, MANAGER);
    const b = await h.api('POST', '/api/bookings', {
      roomId: rooms[1]!,
      start: at('14:00', 1),
      end: at('16:00', 1),
      partySize: 2,
      customer: { phone: PHONE },
      points: 300,
    });
    expect(b.status).toBe(201);
    const kinds = b.body.lines.map((l: { kind: string }) => l.kind);
    expect(kinds).toContain('member');
    expect(kinds).toContain('points');
    expect((await member()).points).toBe(200);
    const cancel = await h.api('POST', `/api/bookings/${b.body.id}/cancel`, {});
    expect(cancel.status).toBe(200);
    const m = await member();
    expect(m.points).toBe(500);
    expect(m.pointsHistory[0]).toMatchObject({ kind: 'given_back', points: 300 });
  });
});

describe('money given back by staff after the visit', () => {
  it('takes back the points of a part refunded by hand on the next daily run', async () => {
    await setRules({ pointsPerYuan: 1 });
    const b = await paidBooking();
    await usedUp(b.id);
    expect((await member()).points).toBe(Math.floor(b.total / 100));
    const half = Math.floor(b.total / 2);
    const r = await h.api(
      'POST',
      `/api/bookings/${b.id}/refunds`,
      { amount: half, reason: '灯坏了' },
      CASHIER,
    );
    expect(r.status).toBe(201);
    h.clock.advance(DAY);
    await h.runJobs();
    const m = await member();
    expect(m.totalSpend).toBe(b.total - half);
    expect(m.points).toBe(Math.floor((b.total - half) / 100));
  });
});

describe('a level by hand', () => {
  it('needs a reason, is recorded with it as staff’s, and is in the audit log', async () => {
    const put = await h.api(
      'PUT',
      '/api/member-levels',
      {
        levels: [
          { name: '银卡', threshold: 100_000 },
          { name: '金卡', threshold: 500_000 },
        ],
      },
      STAFF,
    );
    const gold = put.body.levels[1].id as string;
    await paidBooking();
    const bare = await h.api('PATCH', `/api/members/${PHONE}`, { levelId: gold }, MANAGER);
    expect(bare.status).toBe(400);
    expect(bare.body.error.field).toBe('reason');
    expect(
      (await h.api('PATCH', `/api/members/${PHONE}`, { levelId: gold, reason: 'x' }, CASHIER))
        .status,
    ).toBe(403);
    const given = await h.api(
      'PATCH',
      `/api/members/${PHONE}`,
      { levelId: gold, reason: '老客户补录' },
      MANAGER,
    );
    expect(given.status).toBe(200);
    expect(given.body.level.name).toBe('金卡');
    expect(given.body.levelHistory).toEqual([
      expect.objectContaining({
        from: null,
        to: expect.objectContaining({ name: '金卡' }),
        cause: 'staff',
        reason: '老客户补录',
        actor: { kind: 'staff', id: await h.staffId('manager') },
      }),
    ]);
    const unknown = await h.api(
      'PATCH',
      `/api/members/${PHONE}`,
      { levelId: 'nope', reason: 'x' },
      MANAGER,
    );
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'level_unknown', field: 'levelId' });
    const audit = await h.api(
      'GET',
      `/api/audit?action=PATCH /api/members/:id&target=${PHONE}`,
      undefined,
      STAFF,
    );
    // Newest first: the unknown level, the level given, the cashier's try, the one without why.
    expect(audit.body.map((a: { outcome: string }) => a.outcome)).toEqual([
      'refused',
      'done',
      'refused',
      'refused',
    ]);
  });
});

describe('the rules and the levels together', () => {
  it('moves each member once, by the new rule against the new thresholds, never by a mix', async () => {
    await setRules({ levelRule: 'visits' });
    await h.api('PUT', '/api/member-levels', { levels: [{ name: '常客', threshold: 5 }] }, STAFF);
    const b = await paidBooking();
    await usedUp(b.id);
    expect((await member()).level).toBeNull();
    const was = (await h.api('GET', '/api/member-levels', undefined, MANAGER)).body;
    const levelId = was.levels[0].id as string;
    // To spend, with a threshold of ¥100,000: the spend of one visit reaches the old threshold of
    // 5 (read as fen) but not the new one, so the member stays where they were.
    const spend = { ...was.rules, levelRule: 'spend' };
    const put = await h.api(
      'PUT',
      '/api/member-settings',
      { rules: spend, levels: [{ id: levelId, name: '常客', threshold: 10_000_000 }] },
      MANAGER,
    );
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.rules.levelRule).toBe('spend');
    expect(put.body.levels).toMatchObject([{ id: levelId, threshold: 10_000_000, members: 0 }]);
    expect((await member()).level).toBeNull();
    // A threshold the spend reaches: the level is given at once.
    const reached = await h.api(
      'PUT',
      '/api/member-settings',
      { rules: spend, levels: [{ id: levelId, name: '常客', threshold: b.total }] },
      MANAGER,
    );
    expect(reached.body.levels[0].members).toBe(1);
    expect((await member()).level.name).toBe('常客');
    // A level members hold is not removed, and nothing else is kept either.
    const removed = await h.api(
      'PUT',
      '/api/member-settings',
      { rules: { ...spend, pointsPerYuan: 9 }, levels: [] },
      MANAGER,
    );
    expect(removed.status).toBe(409);
    expect(removed.body.error.code).toBe('level_in_use');
    expect((await h.api('GET', '/api/member-rules', undefined, MANAGER)).body.pointsPerYuan).toBe(
      spend.pointsPerYuan,
    );
    // Not a cashier's to change.
    expect(
      (await h.api('PUT', '/api/member-settings', { rules: spend, levels: [] }, CASHIER)).status,
    ).toBe(403);
  });

  it('refuses a save made from an older view of the levels, which would remove a level it never showed', async () => {
    const first = await h.api(
      'PUT',
      '/api/member-settings',
      {
        rules: DEFAULT_MEMBER_RULES,
        levels: [{ name: '银卡', threshold: 50_000 }],
        seenLevelIds: [],
      },
      MANAGER,
    );
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const silver = first.body.levels[0].id as string;
    // Another screen adds 金卡; this one still shows 银卡 alone and saves a new points rule.
    const added = await h.api(
      'PUT',
      '/api/member-settings',
      {
        rules: DEFAULT_MEMBER_RULES,
        levels: [
          { id: silver, name: '银卡', threshold: 50_000 },
          { name: '金卡', threshold: 100_000 },
        ],
        seenLevelIds: [silver],
      },
      MANAGER,
    );
    expect(added.status).toBe(200);
    const stale = await h.api(
      'PUT',
      '/api/member-settings',
      {
        rules: { ...DEFAULT_MEMBER_RULES, pointsPerYuan: 3 },
        levels: [{ id: silver, name: '银卡', threshold: 50_000 }],
        seenLevelIds: [silver],
      },
      MANAGER,
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'levels_changed', field: 'levels' });
    // Nothing of it kept: both levels stay, and so does the points rule.
    const now = (await h.api('GET', '/api/member-levels', undefined, MANAGER)).body;
    expect(now.levels.map((l: { name: string }) => l.name)).toEqual(['银卡', '金卡']);
    expect(now.rules.pointsPerYuan).toBe(DEFAULT_MEMBER_RULES.pointsPerYuan);
  });
});

describe('levels by other rules', () => {
  it('gives the level of a single top-up of at least its amount, and the wallet shows in the list', async () => {
    await setRules({ levelRule: 'top_up' });
    await h.api(
      'PUT',
      '/api/member-levels',
      { levels: [{ name: '储值卡', threshold: 20_000, itemPercentOff: 12 }] },
      STAFF,
    );
    const phone = '13700137000';
    await h.api('POST', '/api/wallet/top-ups', { phone, amount: 10_000 }, CASHIER);
    await h.api('POST', '/api/wallet/top-ups', { phone, amount: 10_000 }, CASHIER);
    // Two top-ups of 100 yuan are not one of 200.
    expect((await member(phone)).level).toBeNull();
    await h.api('POST', '/api/wallet/top-ups', { phone, amount: 20_000 }, CASHIER);
    const m = await member(phone);
    expect(m.level.name).toBe('储值卡');
    expect(m.levelHistory[0].reason).toContain('a top-up of ¥200.00');
    const list = await h.api('GET', '/api/members?phone=137', undefined, MANAGER);
    expect(list.body.members[0]).toMatchObject({ phone, wallet: 40_000 });
  });

  it('earns points on an order delivered to the member’s room, paid in cash', async () => {
    await setRules({ pointsPerYuan: 1 });
    const b = await paidBooking();
    const cat = await h.api('POST', '/api/menu/categories', { name: '茶饮' }, STAFF);
    const item = await h.api(
      'POST',
      '/api/menu/items',
      { categoryId: cat.body.id, name: '普洱', price: 6800 },
      STAFF,
    );
    const order = await h.api(
      'POST',
      '/api/orders',
      { bookingId: b.id, lines: [{ itemId: item.body.id, quantity: 1 }] },
      asCustomerOf(b.id),
    );
    await h.api('POST', `/api/orders/${order.body.id}/payments`, { method: 'cash' }, CASHIER);
    await h.api('POST', `/api/orders/${order.body.id}/prepare`, {}, CASHIER);
    expect((await member()).points).toBe(0);
    await h.api('POST', `/api/orders/${order.body.id}/deliver`, {}, CASHIER);
    // Counted once the delivery is committed.
    await h.hub.writes.run(() => undefined);
    const m = await member();
    expect(m.points).toBe(68);
    expect(m.totalSpend).toBe(6800);
    expect(m.visits).toBe(0);
  });
});

describe('points by hand, on orders, by the clock', () => {
  it('lets a manager adjust points with a reason, once per request id; not a cashier, not below zero', async () => {
    await paidBooking();
    const add = { points: 300, reason: '开业活动', requestId: 'r-1' };
    expect((await h.api('POST', `/api/members/${PHONE}/points`, add, CASHIER)).status).toBe(403);
    expect((await h.api('POST', `/api/members/${PHONE}/points`, add, MANAGER)).status).toBe(201);
    expect((await h.api('POST', `/api/members/${PHONE}/points`, add, MANAGER)).status).toBe(201);
    expect((await member()).points).toBe(300);
    const over = await h.api(
      'POST',
      `/api/members/${PHONE}/points`,
      { points: -301, reason: '扣错了' },
      MANAGER,
    );
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'points_short', field: 'points' });
    const zh = await h.api(
      'POST',
      `/api/members/${PHONE}/points`,
      { points: -301, reason: '扣错了' },
      { ...MANAGER, 'accept-language': 'zh-CN' },
    );
    expect(zh.body.error.message).toBe('会员只有 300 积分，不够 301 积分');
    const audit = await h.api(
      'GET',
      '/api/audit?action=POST /api/members/:id/points',
      undefined,
      STAFF,
    );
    expect(audit.body.length).toBeGreaterThanOrEqual(3);
  });

  it('pays an order for the member’s room with points and gives them back with a refund', async () => {
    await setRules({ fenPerPoint: 10 });
    const b = await paidBooking();
    await h.api('POST', `/api/members/${PHONE}/points`, { points: 1000, reason: '赠送' }, MANAGER);
    const cat = await h.api('POST', '/api/menu/categories', { name: '茶饮' }, STAFF);
    const item = await h.api(
      'POST',
      '/api/menu/items',
      { categoryId: cat.body.id, name: '铁观音', price: 4800 },
      STAFF,
    );
    const order = await h.api(
      'POST',
      '/api/orders',
      { bookingId: b.id, lines: [{ itemId: item.body.id, quantity: 1 }] },
      asCustomerOf(b.id),
    );
    expect(order.status).toBe(201);
    const paid = await h.api(
      'POST',
      `/api/orders/${order.body.id}/payments`,
      { method: 'points' },
      CASHIER,
    );
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ due: 0, paid: 4800 });
    expect((await member()).points).toBe(1000 - 480);
    await h.api('POST', `/api/orders/${order.body.id}/prepare`, {}, CASHIER);
    await h.api('POST', `/api/orders/${order.body.id}/deliver`, {}, CASHIER);
    const refund = await h.api(
      'POST',
      `/api/orders/${order.body.id}/refund`,
      { amount: 2400, reason: '少了一泡' },
      CASHIER,
    );
    expect(refund.status).toBe(200);
    expect((await member()).points).toBe(1000 - 240);

    // More than they have is refused in words, naming what they have.
    const big = await h.api(
      'POST',
      '/api/orders',
      { bookingId: b.id, lines: [{ itemId: item.body.id, quantity: 3 }] },
      asCustomerOf(b.id),
    );
    const short = await h.api(
      'POST',
      `/api/orders/${big.body.id}/payments`,
      { method: 'points' },
      CASHIER,
    );
    expect(short.status).toBe(409);
    expect(short.body.error.code).toBe('points_short');
    expect((await member()).points).toBe(1000 - 240);
  });

  it('expires points a year after they were earned and gives the birthday gift once a year', async () => {
    // No points for spend here: the booking closes as a no-show while the clock moves.
    await setRules({ pointsPerYuan: 0 });
    await h.api(
      'PUT',
      '/api/member-levels',
      { levels: [{ name: '银卡', threshold: 0, birthdayPoints: 100 }] },
      STAFF,
    );
    await paidBooking();
    const patch = await h.api(
      'PATCH',
      `/api/members/${PHONE}`,
      { birthday: '1990-11-25', levelId: (await member()).level?.id ?? null, reason: '开卡' },
      MANAGER,
    );
    expect(patch.status).toBe(200);
    await h.api('POST', `/api/members/${PHONE}/points`, { points: 50, reason: '赠送' }, MANAGER);
    await h.runJobs();

    // Two days on: the birthday (25 November) passed, the gift given once.
    h.clock.advance(2 * DAY);
    await h.runJobs();
    h.clock.advance(DAY);
    await h.runJobs();
    let m = await member();
    const gifts = () =>
      m.pointsHistory.filter((p: { kind: string }) => p.kind === 'gift') as { points: number }[];
    expect(gifts().map((g) => g.points)).toEqual([100]);
    expect(m.points).toBe(150);

    // A year on: the points of last year expired, this year's gift given.
    h.clock.advance(365 * DAY);
    await h.runJobs();
    m = await member();
    expect(gifts()).toHaveLength(2);
    const expired = m.pointsHistory.filter((p: { kind: string }) => p.kind === 'expired');
    expect(expired.reduce((s: number, p: { points: number }) => s + p.points, 0)).toBe(-150);
    expect(m.points).toBe(100);
  });
});

describe('the member list and its export', () => {
  it('lists and filters members; exports for the owner alone, masked unless asked in full, audited', async () => {
    await paidBooking('13800138000', at('10:00'), at('12:00'), 0);
    await paidBooking('13912345678', at('10:00'), at('12:00'), 1);
    await h.api(
      'PATCH',
      '/api/members/13800138000',
      { birthday: '1990-05-17', name: '=HYPERLINK("x")' },
      MANAGER,
    );

    const all = await h.api('GET', '/api/members', undefined, MANAGER);
    expect(all.body.total).toBe(2);
    const some = await h.api('GET', '/api/members?phone=1234', undefined, MANAGER);
    expect(some.body.members.map((m: { phone: string }) => m.phone)).toEqual(['13912345678']);
    expect((await h.api('GET', '/api/members?spendMin=1', undefined, MANAGER)).body.total).toBe(0);
    expect((await h.api('GET', '/api/members', undefined, CASHIER)).status).toBe(403);
    const bad = await h.api('GET', '/api/members?phone=abc', undefined, MANAGER);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('phone');

    expect((await h.api('GET', '/api/members/export.csv', undefined, CASHIER)).status).toBe(403);
    expect((await h.api('GET', '/api/members/export.csv', undefined, MANAGER)).status).toBe(403);
    const masked = await h.api('GET', '/api/members/export.csv', undefined, STAFF);
    expect(masked.status).toBe(200);
    const text = masked.body as string;
    expect(text).toContain('138****8000');
    expect(text).toContain('139****5678');
    expect(text).toContain('****-05-17');
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain('1990');
    // A name a spreadsheet would run as a formula is written as text.
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    const full = await h.api('GET', '/api/members/export.csv?full=1&phone=138', undefined, STAFF);
    expect(full.body).toContain('13800138000');
    expect(full.body).toContain('1990-05-17');
    expect(full.body).not.toContain('13912345678');

    const audit = await h.api('GET', '/api/audit?action=member.export', undefined, STAFF);
    expect(audit.body.map((a: { after: unknown }) => a.after)).toEqual([
      { filters: { phone: '138' }, full: true, rows: 1 },
      { filters: {}, full: false, rows: 2 },
    ]);
  });
});
