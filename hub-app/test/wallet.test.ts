// The member wallet through a real hub: the owner sets a top-up package, the cashier sells it, a
// booking and an order are paid out of the wallet (the bonus first) and refunds come back to it,
// the bonus expires by its daily job when the clock passes its day, a manager refunds the unused
// principal (the bonus taken back first), the owner reads what the store owes its customers, and a
// short wallet leaves no trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, at, STAFF, startTestHub, type TestHub, until } from './harness';

let h: TestHub;
const CASHIER = as('cashier');
const MANAGER = as('manager');
const PHONE = '13900139000';
let room: string;
let pkg: string;

const wallet = async (phone = PHONE) =>
  (await h.api('GET', `/api/wallets/${phone}`, undefined, CASHIER)).body;

const book = async (start: string, end: string, phone = PHONE) => {
  const b = await h.api('POST', '/api/bookings', {
    roomId: room,
    start,
    end,
    partySize: 2,
    customer: { phone },
  });
  expect(b.status).toBe(201);
  return b.body as { id: string; total: number };
};

beforeAll(async () => {
  h = await startTestHub();
  room = (await h.roomIds())[0]!;
});
afterAll(async () => {
  await h.close();
});

describe('top-up packages', () => {
  it('are set by the owner or a manager, never a cashier, with words naming the field', async () => {
    const refused = await h.api(
      'POST',
      '/api/wallet/packages',
      { name: '充200送100', pay: 20000, bonus: 10000 },
      CASHIER,
    );
    expect(refused.status).toBe(403);
    const bad = await h.api('POST', '/api/wallet/packages', { name: 'x', pay: 0 }, STAFF);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('pay');
    const made = await h.api(
      'POST',
      '/api/wallet/packages',
      { name: '充200送100', pay: 20000, bonus: 10000, bonusValidDays: 30 },
      MANAGER,
    );
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ pay: 20000, bonus: 10000, bonusValidDays: 30, active: true });
    pkg = made.body.id;
    const seen = await h.api('GET', '/api/wallet/packages', undefined, CASHIER);
    expect(seen.body.map((p: { id: string }) => p.id)).toContain(pkg);
  });
});

describe('a wallet at the counter', () => {
  it('is topped up by a package in cash: principal and bonus apart, and owed by the store', async () => {
    const r = await h.api('POST', '/api/wallet/top-ups', { phone: PHONE, packageId: pkg }, CASHIER);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ principal: 20000, bonus: 10000, total: 30000 });
    expect(r.body.bonusExpiries[0].expiresAt).toBe('2026-12-23T10:00:00+08:00');
    const kiosk = await h.api(
      'POST',
      '/api/wallet/top-ups',
      { phone: PHONE, amount: 100 },
      as('kiosk'),
    );
    expect(kiosk.status).toBe(403);
    const both = await h.api(
      'POST',
      '/api/wallet/top-ups',
      { phone: PHONE, packageId: pkg, amount: 100 },
      CASHIER,
    );
    expect(both.status).toBe(400);
    expect(both.body.error.field).toBe('packageId');
    const owed = await h.api('GET', '/api/wallet/owed', undefined, STAFF);
    expect(owed.body).toMatchObject({ principal: 20000, bonus: 10000, wallets: 1 });
    // the top-up made the customer a member, counted in the same write
    const member = await h.api('GET', `/api/members/${PHONE}`, undefined, CASHIER);
    expect(member.status, JSON.stringify(member.body)).toBe(200);
    expect(member.body.phone ?? member.body.member?.phone).toBe(PHONE);
    const stranger = await h.api('GET', '/api/members/13111111111', undefined, CASHIER);
    expect(stranger.status).toBe(404);
    expect((await h.api('GET', '/api/wallet/owed', undefined, CASHIER)).status).toBe(403);
  });

  it('is topped up by a WeChat Pay QR, credited once when the gateway says it was paid', async () => {
    const p = '13500135000';
    const r = await h.api(
      'POST',
      '/api/wallet/top-ups',
      { phone: p, packageId: pkg, method: 'wechat' },
      CASHIER,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ status: 'pending', principal: 20000, bonus: 10000 });
    expect(r.body.qrPayload).toBeTruthy();
    expect((await wallet(p)).total).toBe(0);
    await h.gateway!.pay(r.body.id);
    await until('the top-up credited', async () => {
      const c = await h.api('GET', `/api/wallet/top-ups/${r.body.id}`, undefined, CASHIER);
      return c.body.status === 'paid' ? c : undefined;
    });
    // the gateway tells it again: nothing more is credited
    await h.gateway!.resend(r.body.id);
    const w = await wallet(p);
    expect(w).toMatchObject({ principal: 20000, bonus: 10000 });
    expect(w.moves).toHaveLength(2);
  });

  it('gives the principal of a QR top-up back through its channel, or into the wallet if refused', async () => {
    const p = '13500135000';
    const r = await h.api(
      'POST',
      `/api/wallets/${p}/refund`,
      { amount: 5000, reason: '不想用了', method: 'original' },
      MANAGER,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ principal: 15000, bonus: 7500 });
    expect(r.body.refunds).toMatchObject([{ method: 'wechat', amount: 5000, status: 'pending' }]);
    await h.runJobs();
    const done = await wallet(p);
    expect(done.refunds[0].status).toBe('succeeded');
    expect(h.gateway!.refunds().map((x: { amount: number }) => x.amount)).toContain(5000);
    // the gateway refuses the next one: the money comes back into the wallet, to go back in cash
    h.gateway!.failNext('refund', 400);
    await h.api(
      'POST',
      `/api/wallets/${p}/refund`,
      { amount: 3000, reason: '不想用了', method: 'original' },
      MANAGER,
    );
    await h.runJobs();
    const after = await wallet(p);
    expect(after.refunds[1].status).toBe('failed');
    expect(after.principal).toBe(15000);
    // ...and the bonus taken back for it with it: the wallet is as it was before the refund
    expect(after.bonus).toBe(7500);
    expect(after.moves.slice(-2)).toMatchObject([
      { kind: 'correction', amount: 3000 },
      { kind: 'correction', amount: 1500 },
    ]);
  });

  it('pays a booking, the bonus first, and a refund of it goes back to the wallet', async () => {
    const b = await book(at('14:00'), at('16:00'));
    expect(b.total).toBeGreaterThan(0);
    const paid = await h.api('POST', `/api/bookings/${b.id}/wallet-payments`, {}, CASHIER);
    expect(paid.status).toBe(201);
    const fromBonus = Math.min(b.total, 10000);
    expect(paid.body.bonus).toBe(10000 - fromBonus);
    expect(paid.body.principal).toBe(20000 - (b.total - fromBonus));
    const detail = await h.api('GET', `/api/bookings/${b.id}`, undefined, CASHIER);
    expect(detail.body.status).toBe('paid');
    expect(detail.body.ledger.map((e: { method: string }) => e.method)).toEqual(['wallet']);

    const back = await h.api(
      'POST',
      `/api/bookings/${b.id}/refunds`,
      { amount: b.total, reason: '顾客改天再来' },
      CASHIER,
    );
    expect(back.status).toBe(201);
    expect(back.body[0]).toMatchObject({ method: 'wallet', status: 'succeeded' });
    const w = await wallet();
    expect(w).toMatchObject({ principal: 20000, bonus: 10000 });
    expect(w.moves.map((m: { kind: string }) => m.kind)).toContain('refund_in');
  });

  it('gets what a cancelled booking gives back, by the store’s rules, into the wallet', async () => {
    const before = await wallet();
    const b = await book(at('10:00', 2), at('12:00', 2));
    const paid = await h.api('POST', `/api/bookings/${b.id}/wallet-payments`, {}, CASHIER);
    expect(paid.status).toBe(201);
    expect(paid.body.total).toBe(before.total - b.total);
    const cancel = await h.api(
      'POST',
      `/api/bookings/${b.id}/cancel`,
      { reason: '临时有事' },
      CASHIER,
    );
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    const detail = await h.api('GET', `/api/bookings/${b.id}`, undefined, CASHIER);
    expect(detail.body.status).toBe('refunded');
    const back = -detail.body.ledger
      .filter((e: { kind: string }) => e.kind === 'refund')
      .reduce((sum: number, e: { amount: number }) => sum + e.amount, 0);
    expect(back).toBeGreaterThan(0);
    const after = await wallet();
    expect(after.total).toBe(before.total - b.total + back);
  });

  it('refuses a booking the wallet cannot cover, and leaves no trace', async () => {
    const other = '13700137000';
    await h.api('POST', '/api/wallet/top-ups', { phone: other, amount: 100 }, CASHIER);
    const b = await book(at('17:00'), at('19:00'), other);
    const r = await h.api('POST', `/api/bookings/${b.id}/wallet-payments`, {}, CASHIER);
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'wallet_short', field: 'phone' });
    const zh = await h.api(
      'POST',
      `/api/bookings/${b.id}/wallet-payments`,
      {},
      {
        ...CASHIER,
        'accept-language': 'zh-CN',
      },
    );
    expect(zh.body.error.message).toContain('储值余额只有');
    const detail = await h.api('GET', `/api/bookings/${b.id}`, undefined, CASHIER);
    expect(detail.body.status).toBe('pending_payment');
    expect(detail.body.ledger).toEqual([]);
    expect((await wallet(other)).total).toBe(100);
  });

  it('pays an order for a booking, and gives it back when the order is refunded', async () => {
    const b = await book(at('20:00'), at('21:00'));
    await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'cash' }, CASHIER);
    const cat = await h.api('POST', '/api/menu/categories', { name: '茶饮' }, STAFF);
    const item = await h.api(
      'POST',
      '/api/menu/items',
      { categoryId: cat.body.id, name: '普洱', price: 3800 },
      STAFF,
    );
    const o = await h.api(
      'POST',
      '/api/orders',
      { bookingId: b.id, lines: [{ itemId: item.body.id, quantity: 1 }] },
      CASHIER,
    );
    expect(o.status, JSON.stringify(o.body)).toBe(201);
    const before = await wallet();
    const paid = await h.api(
      'POST',
      `/api/orders/${o.body.id}/payments`,
      { method: 'wallet' },
      CASHIER,
    );
    expect(paid.status).toBe(200);
    const after = await wallet();
    expect(after.total).toBe(before.total - 3800);
    expect(after.bonus).toBe(before.bonus - 3800);
    await h.api('POST', `/api/orders/${o.body.id}/prepare`, undefined, CASHIER);
    await h.api('POST', `/api/orders/${o.body.id}/deliver`, undefined, CASHIER);
    const back = await h.api(
      'POST',
      `/api/orders/${o.body.id}/refund`,
      { amount: 1000, reason: '茶凉了' },
      CASHIER,
    );
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect((await wallet()).total).toBe(before.total - 2800);
  });

  it('lets the bonus expire by the daily job once its day has passed', async () => {
    const before = await wallet();
    expect(before.bonus).toBeGreaterThan(0);
    h.clock.advance(31 * 24 * 60 * 60_000);
    await h.runJobs();
    const after = await wallet();
    expect(after.bonus).toBe(0);
    expect(after.principal).toBe(before.principal);
    expect(after.moves.at(-1)).toMatchObject({
      kind: 'expiry',
      pot: 'bonus',
      amount: -before.bonus,
    });
    const owed = await h.api('GET', '/api/wallet/owed', undefined, STAFF);
    expect(owed.body.bonus).toBe(0);
  });

  it('gives the unused principal back (a manager, with a reason), never more than is left', async () => {
    const p = '13600136000';
    await h.api('POST', '/api/wallet/top-ups', { phone: p, packageId: pkg }, CASHIER);
    const cashier = await h.api('POST', `/api/wallets/${p}/refund`, { reason: '搬家' }, CASHIER);
    expect(cashier.status).toBe(403);
    const tooMuch = await h.api(
      'POST',
      `/api/wallets/${p}/refund`,
      { amount: 20001, reason: '搬家' },
      MANAGER,
    );
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toMatchObject({
      code: 'wallet_refund_exceeds_principal',
      field: 'amount',
    });
    const half = await h.api(
      'POST',
      `/api/wallets/${p}/refund`,
      { amount: 10000, reason: '搬家' },
      MANAGER,
    );
    expect(half.status).toBe(200);
    // half the principal takes half the bonus back with it
    expect(half.body).toMatchObject({ principal: 10000, bonus: 5000 });
    const rest = await h.api('POST', `/api/wallets/${p}/refund`, { reason: '搬家' }, MANAGER);
    expect(rest.body).toMatchObject({ principal: 0, bonus: 0, total: 0 });
    const none = await h.api('POST', `/api/wallets/${p}/refund`, { reason: '搬家' }, MANAGER);
    expect(none.status).toBe(409);
    const audit = await h.api('GET', `/api/audit?target=${p}`, undefined, STAFF);
    expect(audit.body.length).toBeGreaterThanOrEqual(4);
  });

  it('keeps the mode and allowance the owner chose, and only the owner changes them', async () => {
    const m = await h.api('PUT', '/api/wallet/settings', { mode: 'shared' }, MANAGER);
    expect(m.status).toBe(403);
    const o = await h.api(
      'PUT',
      '/api/wallet/settings',
      { mode: 'shared', offlineAllowance: 5000 },
      STAFF,
    );
    expect(o.body).toEqual({ mode: 'shared', offlineAllowance: 5000 });
  });
});
