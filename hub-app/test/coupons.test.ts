// Coupons and campaigns through a real hub: a manager starts campaigns, customers claim coupons at
// the kiosk, each kind of coupon comes off a quote and a booking as its own line, a coupon is used
// once even when two bookings race for it, a cancelled booking gives it back, each kind of
// campaign issues as it should, and a campaign's results are what the bookings and coupons hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let rooms: string[];
const MANAGER = as('manager');
const CASHIER = as('cashier');
let phoneSeq = 0;
/** A phone no test has used yet. */
const newPhone = () => `1390000${String(1000 + phoneSeq++).padStart(4, '0')}`;

const campaign = async (over: Record<string, unknown> = {}) => {
  const r = await h.api(
    'POST',
    '/api/campaigns',
    {
      name: 'autumn',
      kind: 'claim',
      couponName: '立减20元',
      coupon: { rule: { kind: 'amount', amountOff: 2000 } },
      claimFrom: '2026-11-01',
      claimTo: '2026-11-30',
      useDays: 30,
      ...over,
    },
    MANAGER,
  );
  expect(r.status).toBe(201);
  return r.body.id as string;
};
const claim = (campaignId: string, phone: string) =>
  h.api('POST', '/api/coupons/claim', { campaignId, phone });
const couponOf = async (campaignId: string, phone: string) => {
  const r = await claim(campaignId, phone);
  expect(r.status).toBe(201);
  return r.body.id as string;
};
const book = (phone: string, extra: Record<string, unknown> = {}, room = rooms[0]!, day = 1) =>
  h.api('POST', '/api/bookings', {
    roomId: room,
    start: at('10:00', day),
    end: at('12:00', day),
    partySize: 2,
    customer: { phone },
    ...extra,
  });
const plainTotal = async (room = rooms[0]!, day = 1) =>
  (
    await h.api('POST', '/api/quotes', {
      roomId: room,
      start: at('10:00', day),
      end: at('12:00', day),
    })
  ).body.total as number;
const pay = (id: string) =>
  h.api('POST', `/api/bookings/${id}/payments`, { method: 'cash' }, STAFF);

beforeAll(async () => {
  h = await startTestHub();
  rooms = await h.roomIds();
});
afterAll(async () => {
  await h.close();
});

describe('coupon kinds on a quote and a booking', () => {
  const kinds: [string, Record<string, unknown>, (base: number) => number][] = [
    ['a fixed amount off', { kind: 'amount', amountOff: 2000 }, (b) => Math.min(2000, b)],
    [
      'a percentage off with a cap',
      { kind: 'percent', percentOff: 50, capFen: 1500 },
      (b) => Math.min(1500, Math.floor(b / 2)),
    ],
    ['spend X get Y off', { kind: 'spend', spend: 5000, off: 1200 }, () => 1200],
    ['free hours', { kind: 'hours', hours: 1 }, (b) => Math.floor(b / 2)],
  ];
  for (const [what, rule, off] of kinds) {
    it(`takes ${what} as its own coupon line`, async () => {
      const base = await plainTotal();
      const id = await campaign({ coupon: { rule } });
      const phone = newPhone();
      const coupon = await couponOf(id, phone);
      const q = await h.api('POST', '/api/quotes', {
        roomId: rooms[0],
        start: at('10:00', 1),
        end: at('12:00', 1),
        phone,
        couponIds: [coupon],
      });
      expect(q.status).toBe(200);
      expect(q.body.lines.find((l: { kind: string }) => l.kind === 'coupon')).toMatchObject({
        amount: -off(base),
        ref: coupon,
      });
      expect(q.body.total).toBe(base - off(base));
      const b = await book(phone, { couponIds: [coupon] });
      expect(b.status).toBe(201);
      expect(b.body.total).toBe(base - off(base));
      const mine = await h.api('GET', `/api/coupons?phone=${phone}`, undefined, CASHIER);
      expect(mine.body[0]).toMatchObject({ id: coupon, status: 'used', bookingId: b.body.id });
      await h.api('POST', `/api/bookings/${b.body.id}/cancel`, {});
    });
  }

  it('keeps to the room styles it names, and refuses where its stacking rules forbid', async () => {
    const id = await campaign({
      coupon: { rule: { kind: 'amount', amountOff: 500 }, scope: { roomStyles: ['棋牌室'] } },
    });
    const phone = newPhone();
    const coupon = await couponOf(id, phone);
    const r = await book(phone, { couponIds: [coupon] });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'coupon_out_of_scope', field: 'couponIds' });
    const lone = await campaign({
      coupon: { rule: { kind: 'amount', amountOff: 500 }, stacking: { withCoupon: false } },
    });
    const other = await couponOf(lone, phone);
    const any = await campaign({ coupon: { rule: { kind: 'amount', amountOff: 300 } } });
    const third = await couponOf(any, phone);
    const two = await book(phone, { couponIds: [other, third] });
    expect(two.status).toBe(409);
    expect(two.body.error.code).toBe('coupon_not_combinable');
  });

  it("is refused on another customer's booking as if it did not exist", async () => {
    const id = await campaign();
    const coupon = await couponOf(id, newPhone());
    const r = await book(newPhone(), { couponIds: [coupon] });
    expect(r.status).toBe(404);
    expect(r.body.error.field).toBe('couponIds');
  });
});

describe('a bill the discounts cover', () => {
  it('is paid at once and never expires; cancelled, its coupon comes back', async () => {
    const id = await campaign({ coupon: { rule: { kind: 'amount', amountOff: 99999 } } });
    const phone = newPhone();
    const coupon = await couponOf(id, phone);
    const b = await book(phone, { couponIds: [coupon] }, rooms[3], 4);
    expect(b.status).toBe(201);
    expect(b.body).toMatchObject({ total: 0, status: 'paid', due: 0, holdExpiresAt: null });
    expect(h.hub.scheduler.pending('booking.expire').map((j) => j.ref)).not.toContain(b.body.id);
    const c = await h.api('POST', `/api/bookings/${b.body.id}/cancel`, {});
    expect(c.body.status).toBe('cancelled');
    const mine = await h.api('GET', `/api/coupons?phone=${phone}`, undefined, CASHIER);
    expect(mine.body[0].status).toBe('available');
  });
});

describe('a booking changed to another time', () => {
  it('keeps its coupon, re-priced at the new time', async () => {
    const id = await campaign({ coupon: { rule: { kind: 'hours', hours: 1 } } });
    const phone = newPhone();
    const coupon = await couponOf(id, phone);
    const b = await book(phone, { couponIds: [coupon] }, rooms[4], 5);
    expect(b.status).toBe(201);
    const changed = await h.api(
      'POST',
      `/api/bookings/${b.body.id}/change`,
      { start: at('14:00', 5), end: at('17:00', 5) },
      CASHIER,
    );
    expect(changed.status).toBe(200);
    const time = changed.body.lines
      .filter((l: { kind: string }) => l.kind === 'time')
      .reduce((sum: number, l: { amount: number }) => sum + l.amount, 0);
    const line = changed.body.lines.find((l: { kind: string }) => l.kind === 'coupon');
    expect(line).toMatchObject({ ref: coupon, amount: -Math.floor(time / 3) });
    expect(changed.body.total).toBe(time - Math.floor(time / 3));
    const mine = await h.api('GET', `/api/coupons?phone=${phone}`, undefined, CASHIER);
    expect(mine.body[0]).toMatchObject({ status: 'used', bookingId: b.body.id });
    await h.api('POST', `/api/bookings/${b.body.id}/cancel`, {});
  });
});

describe('a coupon is used once', () => {
  it('when two bookings race for it, exactly one wins', async () => {
    const id = await campaign();
    const phone = newPhone();
    const coupon = await couponOf(id, phone);
    const [a, b] = await Promise.all([
      book(phone, { couponIds: [coupon] }, rooms[1]),
      book(phone, { couponIds: [coupon] }, rooms[2]),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect([a, b].find((r) => r.status === 409)!.body.error.code).toBe('coupon_used');
    for (const r of [a, b])
      if (r.status === 201) await h.api('POST', `/api/bookings/${r.body.id}/cancel`, {});
  });

  it('the database itself refuses a second use of a round', async () => {
    const id = await campaign();
    const phone = newPhone();
    const coupon = await couponOf(id, phone);
    const b = await book(phone, { couponIds: [coupon] });
    const second = () =>
      h.hub.db
        .prepare(
          `INSERT INTO coupon_uses (coupon_id, round, kind, booking_id, amount, actor_kind, actor_id, at)
           VALUES (?, 0, 'use', ?, 1, 'system', 't', 0)`,
        )
        .run(coupon, b.body.id);
    expect(second).toThrow();
    expect(() => h.hub.db.prepare('DELETE FROM coupon_uses').run()).toThrow(/append-only/);
    await h.api('POST', `/api/bookings/${b.body.id}/cancel`, {});
  });

  it('comes back when its booking is cancelled, and can be used again', async () => {
    const id = await campaign();
    const phone = newPhone();
    const coupon = await couponOf(id, phone);
    const first = await book(phone, { couponIds: [coupon] });
    expect((await book(phone, { couponIds: [coupon] }, rooms[1])).body.error.code).toBe(
      'coupon_used',
    );
    await pay(first.body.id);
    const cancelled = await h.api('POST', `/api/bookings/${first.body.id}/cancel`, {});
    expect(cancelled.status).toBe(200);
    const mine = await h.api('GET', `/api/coupons?phone=${phone}`, undefined, CASHIER);
    expect(mine.body[0]).toMatchObject({ status: 'available', bookingId: null });
    const again = await book(phone, { couponIds: [coupon] }, rooms[1]);
    expect(again.status).toBe(201);
    await h.api('POST', `/api/bookings/${again.body.id}/cancel`, {});
  });
});

describe('campaigns', () => {
  it('limit coupons per person and in all, and pause and end', async () => {
    const id = await campaign({ perPerson: 1, totalLimit: 2 });
    const p1 = newPhone();
    expect((await claim(id, p1)).status).toBe(201);
    expect((await claim(id, p1)).body.error.code).toBe('coupon_limit_person');
    expect((await claim(id, newPhone())).status).toBe(201);
    expect((await claim(id, newPhone())).body.error.code).toBe('coupon_limit_total');
    const open = await campaign();
    expect(
      (await h.api('PATCH', `/api/campaigns/${open}`, { status: 'paused' }, MANAGER)).status,
    ).toBe(200);
    expect((await claim(open, newPhone())).body.error.code).toBe('campaign_paused');
    await h.api('PATCH', `/api/campaigns/${open}`, { status: 'active' }, MANAGER);
    expect((await claim(open, newPhone())).status).toBe(201);
    await h.api('PATCH', `/api/campaigns/${open}`, { status: 'ended' }, MANAGER);
    expect((await claim(open, newPhone())).body.error.code).toBe('campaign_ended');
    const resume = await h.api('PATCH', `/api/campaigns/${open}`, { status: 'active' }, MANAGER);
    expect(resume.status).toBe(409);
    expect(resume.body.error.code).toBe('campaign_ended');
  });

  it('change their claim end and total, never below what is given out nor once ended', async () => {
    const id = await campaign({ perPerson: 1, totalLimit: 2 });
    expect((await claim(id, newPhone())).status).toBe(201);
    expect((await claim(id, newPhone())).status).toBe(201);
    expect((await claim(id, newPhone())).body.error.code).toBe('coupon_limit_total');
    // Fewer than the two given out is refused, naming the field and how many are out.
    const below = await h.api('PATCH', `/api/campaigns/${id}`, { totalLimit: 1 }, MANAGER);
    expect(below.status).toBe(409);
    expect(below.body.error).toMatchObject({
      code: 'campaign_limit_below_issued',
      field: 'totalLimit',
    });
    expect(below.body.error.message).toContain('2 of its coupons');
    // Exactly the two given out: allowed, and nobody gets another.
    expect((await h.api('PATCH', `/api/campaigns/${id}`, { totalLimit: 2 }, MANAGER)).status).toBe(
      200,
    );
    expect((await claim(id, newPhone())).body.error.code).toBe('coupon_limit_total');
    // Three in all: one more customer claims one, and a fourth is refused again.
    const more = await h.api(
      'PATCH',
      `/api/campaigns/${id}`,
      { totalLimit: 3, name: '加量', claimTo: '2027-02-28' },
      MANAGER,
    );
    expect(more.status).toBe(200);
    expect(more.body).toMatchObject({ name: '加量', totalLimit: 3, claimTo: '2027-02-28' });
    expect((await claim(id, newPhone())).status).toBe(201);
    expect((await claim(id, newPhone())).body.error.code).toBe('coupon_limit_total');
    // No limit at all, then ended: its terms stay as they were when it ended.
    expect(
      (await h.api('PATCH', `/api/campaigns/${id}`, { totalLimit: null }, MANAGER)).body,
    ).toMatchObject({ totalLimit: null });
    expect((await claim(id, newPhone())).status).toBe(201);
    await h.api('PATCH', `/api/campaigns/${id}`, { status: 'ended' }, MANAGER);
    const late = await h.api('PATCH', `/api/campaigns/${id}`, { claimTo: '2027-03-31' }, MANAGER);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'campaign_ended', field: 'claimTo' });
    const lateTotal = await h.api('PATCH', `/api/campaigns/${id}`, { totalLimit: 9 }, MANAGER);
    expect(lateTotal.body.error).toMatchObject({ code: 'campaign_ended', field: 'totalLimit' });
    // Its owner's own name for it may still change.
    const renamed = await h.api('PATCH', `/api/campaigns/${id}`, { name: '已结束的加量' }, MANAGER);
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: '已结束的加量', status: 'ended', totalLimit: null });
    // A cashier may not change them.
    const cashier = await h.api('PATCH', `/api/campaigns/${id}`, { name: 'x' }, CASHIER);
    expect(cashier.status).toBe(403);
  });

  it('claim only inside their claim window', async () => {
    const id = await campaign({ claimFrom: '2026-12-01', claimTo: '2026-12-31' });
    const r = await claim(id, newPhone());
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'campaign_not_open', field: 'campaignId' });
  });

  it('new customers: only a phone that never booked here', async () => {
    const id = await campaign({ kind: 'new_user' });
    const known = newPhone();
    const b = await book(known, {}, rooms[3]);
    expect((await claim(id, known)).body.error.code).toBe('not_a_new_customer');
    expect((await claim(id, newPhone())).status).toBe(201);
    await h.api('POST', `/api/bookings/${b.body.id}/cancel`, {});
  });

  it('by hand: a manager gives, a cashier may not', async () => {
    const id = await campaign({ kind: 'manual' });
    const phones = [newPhone(), newPhone()];
    const r = await h.api('POST', `/api/campaigns/${id}/coupons`, { phones }, MANAGER);
    expect(r.status).toBe(201);
    expect(r.body.map((c: { phone: string }) => c.phone)).toEqual(phones);
    expect((await h.api('POST', `/api/campaigns/${id}/coupons`, { phones }, CASHIER)).status).toBe(
      403,
    );
    expect((await claim(id, newPhone())).body.error.code).toBe('campaign_not_claimable');
    const audit = await h.api('GET', '/api/audit?limit=50', undefined, STAFF);
    expect(JSON.stringify(audit.body)).toContain(id);
  });

  it('by hand: to every phone or, one already holding the limit, to none, naming that phone', async () => {
    const id = await campaign({ kind: 'manual', perPerson: 1 });
    const had = newPhone();
    expect(
      (await h.api('POST', `/api/campaigns/${id}/coupons`, { phones: [had] }, MANAGER)).status,
    ).toBe(201);
    const fresh = newPhone();
    const r = await h.api(
      'POST',
      `/api/campaigns/${id}/coupons`,
      { phones: [fresh, had] },
      MANAGER,
    );
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'phone_has_coupon', field: 'phones.1' });
    expect(r.body.error.message).toContain(had);
    // The first phone got nothing either: the list is given whole or not at all.
    const results = await h.api('GET', `/api/campaigns/${id}/results`, undefined, MANAGER);
    expect(results.body.issued).toBe(1);
    // A number listed twice asks for two: with one each, the second is named.
    const twice = await h.api(
      'POST',
      `/api/campaigns/${id}/coupons`,
      { phones: [fresh, fresh] },
      MANAGER,
    );
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'phone_has_coupon', field: 'phones.1' });
    // An empty list is refused in words.
    const empty = await h.api('POST', `/api/campaigns/${id}/coupons`, { phones: [] }, MANAGER);
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ field: 'phones' });
    expect(empty.body.error.message).toContain('at least one phone number');
  });

  it('to a level: only its members may claim', async () => {
    const id = await campaign({ kind: 'level', level: '金卡' });
    const r = await claim(id, newPhone());
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('wrong_level');
    const levels = await h.api(
      'PUT',
      '/api/member-levels',
      { levels: [{ name: '金卡', threshold: 0, roomPercentOff: 5 }] },
      STAFF,
    );
    expect(levels.status).toBe(200);
    const gold = newPhone();
    await h.hub.writes.run(() => h.hub.members.join(gold, null, 'staff'));
    const mine = await claim(id, gold);
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({ campaignId: id, phone: gold, status: 'available' });
  });

  it('referral: the new customer now, the one who brought them at the first paid booking', async () => {
    const id = await campaign({ kind: 'referral' });
    const referrer = newPhone();
    const referee = newPhone();
    const r = await h.api('POST', '/api/coupons/referrals', { campaignId: id, referrer, referee });
    expect(r.status).toBe(201);
    expect(r.body.phone).toBe(referee);
    const again = await h.api('POST', '/api/coupons/referrals', {
      campaignId: id,
      referrer: newPhone(),
      referee,
    });
    expect(again.body.error.code).toBe('already_referred');
    expect((await h.api('GET', `/api/coupons?phone=${referrer}`, undefined, CASHIER)).body).toEqual(
      [],
    );
    const b = await book(referee, { couponIds: [r.body.id] }, rooms[4]);
    expect(b.status).toBe(201);
    await pay(b.body.id);
    const reward = await h.api('GET', `/api/coupons?phone=${referrer}`, undefined, CASHIER);
    expect(reward.body).toHaveLength(1);
    expect(reward.body[0]).toMatchObject({ campaignId: id, status: 'available' });
    await h.api('POST', `/api/bookings/${b.body.id}/cancel`, {});
  });

  it('birthday: the daily job gives the coupon to that day’s birthdays, once', async () => {
    const id = await campaign({ kind: 'birthday' });
    const phone = newPhone();
    h.hub.setMemberAudience({ phonesWithBirthday: (md) => (md === '11-24' ? [phone] : []) });
    h.clock.set(Date.parse(at('00:01', 1)));
    await h.runJobs();
    const mine = await h.api('GET', `/api/coupons?phone=${phone}`, undefined, CASHIER);
    expect(mine.body.map((c: { campaignId: string }) => c.campaignId)).toEqual([id]);
    // The job runs again the next midnight, not before.
    await h.runJobs();
    expect(
      (await h.api('GET', `/api/coupons?phone=${phone}`, undefined, CASHIER)).body,
    ).toHaveLength(1);
    expect(h.hub.scheduler.pending('coupons.birthday')[0]!.dueAt).toBe(Date.parse(at('00:00', 2)));
  });

  it('birthday for one level: only that level’s members get it on their birthday', async () => {
    // The level test above made every member 金卡.
    const gold = await campaign({ kind: 'birthday', name: '金卡生日礼', level: '金卡' });
    const silver = await campaign({ kind: 'birthday', name: '银卡生日礼', level: '银卡' });
    const member = newPhone();
    await h.hub.writes.run(() => h.hub.members.join(member, null, 'staff'));
    const stranger = newPhone();
    h.hub.setMemberAudience({
      phonesWithBirthday: (md) => (md === '11-25' ? [member, stranger] : []),
    });
    h.clock.set(Date.parse(at('00:01', 2)));
    await h.runJobs();
    const ids = async (phone: string) =>
      (await h.api('GET', `/api/coupons?phone=${phone}`, undefined, CASHIER)).body.map(
        (c: { campaignId: string }) => c.campaignId,
      ) as string[];
    expect(await ids(member)).toContain(gold);
    expect(await ids(member)).not.toContain(silver);
    expect(await ids(stranger)).not.toContain(gold);
    h.clock.set(Date.parse(at('00:01', 1))); // the later tests book on day 1
    // Only a level or birthday campaign names a level.
    const r = await h.api(
      'POST',
      '/api/campaigns',
      {
        name: 'x',
        kind: 'claim',
        couponName: 'x',
        coupon: { rule: { kind: 'amount', amountOff: 100 } },
        claimFrom: '2026-11-01',
        claimTo: '2026-11-30',
        useDays: 30,
        level: '金卡',
      },
      MANAGER,
    );
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('level');
  });
});

describe('campaign results', () => {
  it('are what the coupons and bookings hold', async () => {
    const id = await campaign({
      perPerson: 2,
      coupon: { rule: { kind: 'percent', percentOff: 10 } },
    });
    const old = newPhone();
    const oldBooking = await book(old, {}, rooms[5], 3);
    h.clock.advance(60_000);
    const fresh = newPhone();
    const [c1, c2, c3] = [
      await couponOf(id, fresh),
      await couponOf(id, old),
      await couponOf(id, fresh),
    ];
    const given = await h.api(
      'POST',
      `/api/campaigns/${id}/coupons`,
      { phones: [newPhone()] },
      MANAGER,
    );
    expect(given.status).toBe(201);
    const paid = await book(fresh, { couponIds: [c1] }, rooms[0], 2);
    await pay(paid.body.id);
    const held = await book(old, { couponIds: [c2] }, rooms[1], 2);
    const cancelled = await book(fresh, { couponIds: [c3] }, rooms[2], 2);
    await h.api('POST', `/api/bookings/${cancelled.body.id}/cancel`, {});
    const r = await h.api('GET', `/api/campaigns/${id}/results`, undefined, MANAGER);
    const couponLine = (b: { lines: { kind: string; amount: number }[] }) =>
      -b.lines.find((l) => l.kind === 'coupon')!.amount;
    expect(r.body).toEqual({
      campaignId: id,
      issued: 4,
      claimed: 3,
      exchanged: 0,
      points: 0,
      used: 2,
      revenue: paid.body.total,
      newMembers: 1,
      cost: couponLine(paid.body),
    });
    expect(couponLine(held.body)).toBeGreaterThan(0);
    expect((await h.api('GET', `/api/campaigns/${id}/results`, undefined, CASHIER)).status).toBe(
      403,
    );
    for (const b of [held, oldBooking])
      await h.api('POST', `/api/bookings/${b.body.id}/cancel`, {});
  });
});

describe('a coupon and a group-buy voucher on one booking', () => {
  it('a voucher does not pay a booking whose coupon says it goes with no voucher; one that allows it does', async () => {
    const made = await h.api(
      'POST',
      '/api/deals',
      {
        source: 'own',
        title: '任意包间 2 小时',
        entitlement: { kind: 'hours', minutes: 120, maxPartySize: 4 },
        price: 6800,
        status: 'on_sale',
      },
      STAFF,
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const phone = newPhone();
    const voucher = async () => {
      const v = await h.api(
        'POST',
        '/api/vouchers',
        { dealId: made.body.id, customer: { phone } },
        CASHIER,
      );
      expect(v.status, JSON.stringify(v.body)).toBe(201);
      return v.body.qr as string;
    };
    const payBy = async (qr: string, bookingId: string) =>
      h.api(
        'POST',
        '/api/vouchers/redeem',
        { text: qr, use: { kind: 'pay', bookingId }, requestId: `r-${bookingId}` },
        CASHIER,
      );

    // The coupon's stacking rules leave vouchers out (the default).
    const alone = await couponOf(await campaign({ name: 'alone' }), phone);
    const b = await book(phone, { couponIds: [alone] }, rooms[4]);
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    const refused = await payBy(await voucher(), b.body.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'voucher_not_with_coupon',
      field: 'use.bookingId',
    });
    expect(refused.body.error.message).toContain('立减20元');
    const still = await h.api('GET', `/api/bookings/${b.body.id}`, undefined, CASHIER);
    expect(still.body).toMatchObject({ status: 'pending_payment', paid: 0 });

    // One that goes with a voucher.
    const together = await couponOf(
      await campaign({
        name: 'together',
        coupon: { rule: { kind: 'amount', amountOff: 1000 }, stacking: { withVoucher: true } },
      }),
      phone,
    );
    const c = await book(phone, { couponIds: [together] }, rooms[5]);
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const paid = await payBy(await voucher(), c.body.id);
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.booking.status).toBe('paid');
  });
});
