// The member pay code (会员码) through a real hub: the customer's phone shows a code the cloud
// signed, the kiosk's scanner reads it, and the hub pays the booking in front of the kiosk from
// that member's wallet, with no network: once per code, within its minute, only for a member of
// this store, never on a forged code, and a short wallet pays nothing and leaves the code unused.
// The kiosk is told the phone masked and the balance; the payment is audited as the kiosk's. An
// extension paid this way is announced to the screens (they follow the event, not a timer).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IntentKeys } from '@roomhub/cloud-sync';
import {
  customerIdForPhone,
  MEMBER_CODE_TTL_SECONDS,
  memberCodeText,
  type HubEvent,
  type MemberCode,
} from '@roomhub/shared-types';
import { MEMBER_CODE_PRUNE_JOB } from '../src/members/member-codes';
import {
  as,
  at,
  CLOUD_KEYS,
  CUSTOMER_ID_KEY,
  signedByCloud,
  startTestHub,
  type TestHub,
} from './harness';

let h: TestHub;
const CASHIER = as('cashier');
const PHONE = '13900139000';
let room: string;

/** A member code as the cloud issues it for the customer signed in with `phone`. */
function codeFor(
  phone: string,
  opts: { expiresIn?: number; key?: typeof CLOUD_KEYS; store?: string } = {},
) {
  const body = {
    type: 'member_code' as const,
    id: randomBytes(9).toString('base64url'),
    customer: customerIdForPhone(phone, CUSTOMER_ID_KEY),
    store: opts.store ?? h.hub.store.getStore().id,
    exp: Math.floor(h.clock.now() / 1000) + (opts.expiresIn ?? MEMBER_CODE_TTL_SECONDS),
  };
  return memberCodeText(signedByCloud(body, (opts.key ?? CLOUD_KEYS).privateKey) as MemberCode);
}

let walkIns = 0;
const made: string[] = [];
/** A booking made at the kiosk by a walk-in (each their own phone), not yet paid. */
async function book(
  start: string,
  end: string,
  phone = `1350013${String(walkIns++).padStart(4, '0')}`,
) {
  const b = await h.api('POST', '/api/bookings', {
    roomId: room,
    start,
    end,
    partySize: 2,
    customer: { phone },
  });
  expect(b.status, JSON.stringify(b.body)).toBe(201);
  made.push(b.body.id);
  return b.body as { id: string; total: number };
}

const pay = (bookingId: string, memberCode: string) =>
  h.api('POST', `/api/bookings/${bookingId}/wallet-payments`, { memberCode });

const walletTotal = async (phone = PHONE) =>
  (await h.api('GET', `/api/wallets/${phone}`, undefined, CASHIER)).body.total as number;

beforeAll(async () => {
  h = await startTestHub();
  // As the server does with a cloud link: the cloud's keys and the customer id key.
  h.hub.memberCodes.trustCloud(new IntentKeys([CLOUD_KEYS.publicKey]), CUSTOMER_ID_KEY);
  room = (await h.roomIds())[0]!;
  const topUp = await h.api(
    'POST',
    '/api/wallet/top-ups',
    { phone: PHONE, amount: 50000 },
    CASHIER,
  );
  expect(topUp.status).toBe(201);
});
// A kiosk holds a few unpaid bookings at most: what a test left unpaid is given up after it.
afterEach(async () => {
  for (const id of made.splice(0)) {
    const b = (await h.api('GET', `/api/bookings/${id}`, undefined, CASHIER)).body;
    if (b.status === 'pending_payment') {
      await h.api('POST', `/api/bookings/${id}/cancel`, { reason: 'walked away' }, CASHIER);
    }
  }
});
afterAll(async () => {
  await h.close();
});

describe('a member code shown to the kiosk', () => {
  it('pays the booking in front of it from the member’s wallet, once', async () => {
    const b = await book(at('14:00'), at('16:00'));
    const code = codeFor(PHONE);
    const r = await pay(b.id, code);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toEqual({
      phone: '139****9000',
      paid: b.total,
      balance: { principal: 50000 - b.total, bonus: 0, total: 50000 - b.total },
    });
    const detail = (await h.api('GET', `/api/bookings/${b.id}`, undefined, CASHIER)).body;
    expect(detail.status).toBe('paid');
    const ledger = detail.ledger as { method: string; amount: number }[];
    expect(ledger.map((e) => e.method)).toEqual(['wallet']);
    expect(ledger.reduce((s, e) => s + e.amount, 0)).toBe(b.total);
    expect(await walletTotal()).toBe(50000 - b.total);

    // The kiosk's payment is in the audit log under the kiosk screen.
    const audit = h.hub.db
      .prepare(`SELECT * FROM audit_log WHERE target = ? AND action LIKE '%wallet-payments'`)
      .all(b.id) as { screen_id: string; outcome: string; actor_kind: string }[];
    expect(audit).toEqual([
      expect.objectContaining({ screen_id: h.kioskId, outcome: 'done', actor_kind: 'customer' }),
    ]);

    // The same code again, for another booking: refused, nothing taken.
    const next = await book(at('17:00'), at('18:00'));
    const again = await pay(next.id, code);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'member_code_used', field: 'memberCode' });
    expect(await walletTotal()).toBe(50000 - b.total);
  });

  it('is refused once its minute has passed, in plain Chinese', async () => {
    const b = await book(at('10:00', 1), at('11:00', 1));
    const code = codeFor(PHONE);
    h.clock.advance((MEMBER_CODE_TTL_SECONDS + 1) * 1000);
    const r = await h.api(
      'POST',
      `/api/bookings/${b.id}/wallet-payments`,
      { memberCode: code },
      { 'accept-language': 'zh-CN' },
    );
    expect(r.status).toBe(410);
    expect(r.body.error).toMatchObject({ code: 'member_code_expired', field: 'memberCode' });
    expect(r.body.error.message).toContain('会员码已过期');
  });

  it('is refused when not signed by the cloud, or changed after it was', async () => {
    const b = await book(at('12:00', 1), at('13:00', 1));
    const forged = codeFor(PHONE, { key: generateKeyPairSync('ed25519') });
    const r = await pay(b.id, forged);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('member_code_invalid');
    // A good code of one customer with another's id put in its place.
    const good = codeFor('13700137000');
    const swapped = good.replace(
      customerIdForPhone('13700137000', CUSTOMER_ID_KEY),
      customerIdForPhone(PHONE, CUSTOMER_ID_KEY),
    );
    expect((await pay(b.id, swapped)).body.error.code).toBe('member_code_invalid');
    expect((await pay(b.id, 'RHM1.garbage')).body.error.code).toBe('member_code_invalid');
    const detail = (await h.api('GET', `/api/bookings/${b.id}`, undefined, CASHIER)).body;
    expect(detail).toMatchObject({ status: 'pending_payment', ledger: [] });
  });

  it('is refused when it was made for another store, and stays good here after', async () => {
    const b = await book(at('10:00', 2), at('11:00', 2));
    const elsewhere = codeFor(PHONE, { store: 'another-store' });
    const r = await h.api(
      'POST',
      `/api/bookings/${b.id}/wallet-payments`,
      { memberCode: elsewhere },
      { 'accept-language': 'zh-CN' },
    );
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'member_code_other_store', field: 'memberCode' });
    expect(r.body.error.message).toContain('别家门店');
    const detail = (await h.api('GET', `/api/bookings/${b.id}`, undefined, CASHIER)).body;
    expect(detail).toMatchObject({ status: 'pending_payment', ledger: [] });
  });

  it('is refused for a customer who is not a member of this store', async () => {
    const b = await book(at('14:00', 1), at('15:00', 1));
    const r = await h.api(
      'POST',
      `/api/bookings/${b.id}/wallet-payments`,
      { memberCode: codeFor('13600136000') },
      { 'accept-language': 'zh-CN' },
    );
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('member_code_not_member');
    expect(r.body.error.message).toContain('还不是本店会员');
  });

  it('pays nothing from a wallet that is short, says what it holds, and leaves the code unused', async () => {
    const poor = '13800138111';
    await h.api('POST', '/api/wallet/top-ups', { phone: poor, amount: 500 }, CASHIER);
    const b = await book(at('16:00', 1), at('18:00', 1));
    const code = codeFor(poor);
    const r = await h.api(
      'POST',
      `/api/bookings/${b.id}/wallet-payments`,
      { memberCode: code },
      { 'accept-language': 'zh-CN' },
    );
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'wallet_short', field: 'memberCode' });
    expect(r.body.error.message).toBe(
      `会员储值余额不够，还差 ¥${((b.total - 500) / 100).toFixed(2)}：请先充值，或换一种方式付款`,
    );
    const detail = (await h.api('GET', `/api/bookings/${b.id}`, undefined, CASHIER)).body;
    expect(detail).toMatchObject({ status: 'pending_payment', ledger: [] });
    expect(await walletTotal(poor)).toBe(500);
    const audit = h.hub.db
      .prepare(`SELECT outcome, after FROM audit_log WHERE target = ?`)
      .all(b.id) as { outcome: string; after: string }[];
    expect(audit).toContainEqual({ outcome: 'refused', after: '{"code":"wallet_short"}' });

    // Topped up at the counter while the code is still good: the same code pays.
    await h.api('POST', '/api/wallet/top-ups', { phone: poor, amount: b.total }, CASHIER);
    const paid = await pay(b.id, code);
    expect(paid.status).toBe(201);
    expect(paid.body.balance.total).toBe(500);
  });

  it('is the only way a kiosk spends a wallet, and only for the booking it holds the pass of', async () => {
    const b = await book(at('19:00', 1), at('20:00', 1));
    const byPhone = await h.api('POST', `/api/bookings/${b.id}/wallet-payments`, { phone: PHONE });
    expect(byPhone.status).toBe(403);
    expect(byPhone.body.error.code).toBe('wallet_needs_staff');
    const noPass = await h.api(
      'POST',
      `/api/bookings/${b.id}/wallet-payments`,
      { memberCode: codeFor(PHONE) },
      as('kiosk'),
    );
    expect(noPass.status).toBe(403);
    expect(noPass.body.error.code).toBe('booking_not_proven');
    const both = await h.api(
      'POST',
      `/api/bookings/${b.id}/wallet-payments`,
      { phone: PHONE, memberCode: codeFor(PHONE) },
      CASHIER,
    );
    expect(both.status).toBe(400);
    expect(both.body.error.field).toBe('memberCode');
  });

  it('is taken at the counter too', async () => {
    const b = await book(at('10:00', 2), at('11:00', 2));
    const before = await walletTotal();
    const r = await h.api(
      'POST',
      `/api/bookings/${b.id}/wallet-payments`,
      { memberCode: codeFor(PHONE) },
      CASHIER,
    );
    expect(r.status).toBe(201);
    expect(r.body.balance.total).toBe(before - b.total);
  });

  it('pays an extension, and the screens are told the booking changed', async () => {
    const b = await book(at('12:00', 2), at('13:00', 2));
    expect((await pay(b.id, codeFor(PHONE))).status).toBe(201);
    const ext = await h.api('POST', `/api/bookings/${b.id}/extend`, { minutes: 60 });
    expect(ext.status, JSON.stringify(ext.body)).toBe(201);
    const heard: HubEvent[] = [];
    const off = h.hub.events.subscribe((e) => heard.push(e));
    const r = await pay(b.id, codeFor(PHONE));
    off();
    expect(r.status).toBe(201);
    expect(r.body.paid).toBe(ext.body.amount);
    expect(heard).toContainEqual(
      expect.objectContaining({ type: 'booking.status', bookingId: b.id, status: 'paid' }),
    );
  });

  it('forgets the codes it took a day after they expired', async () => {
    const taken = () =>
      (h.hub.db.prepare('SELECT count(*) AS n FROM member_code_uses').get() as { n: number }).n;
    expect(taken()).toBeGreaterThan(0);
    expect(h.hub.scheduler.pending(MEMBER_CODE_PRUNE_JOB)).toHaveLength(1);
    h.clock.advance(25 * 60 * 60_000);
    await h.runJobs();
    expect(taken()).toBe(0);
    expect(h.hub.scheduler.pending(MEMBER_CODE_PRUNE_JOB)).toHaveLength(1);
  });
});
