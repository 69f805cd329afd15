// Our own group-buy vouchers as a store meets them: the owner sets a deal up, the counter sells a
// voucher, the cashier scans it (or types its code) and it becomes a paid booking, once, within
// the voucher's rules, with no network at all: the hub checks the QR's signature itself.
import { randomUUID } from 'node:crypto';
import { IntentKeys } from '@roomhub/cloud-sync';
import {
  DomainError,
  EntitlementSchema,
  entitlementRev,
  IntentDocSchema,
  intentDocId,
  readVoucherQr,
  VoucherPassBodySchema,
  voucherQrText,
  type VoucherMoved,
  type VoucherMoveRequest,
  type VoucherPass,
} from '@roomhub/shared-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerIntent } from '../src/sync/intents';
import {
  as,
  asCustomerOf,
  at,
  CLOUD_KEYS,
  signedByCloud,
  STAFF,
  startTestHub,
  type TestHub,
} from './harness';

let h: TestHub;
let rooms: string[]; // 101 听雨 (茶室), 102 观山, 103 松风 (棋牌室), 104 竹影 (棋牌室), 105, 106
const CASHIER = as('cashier');
const PHONE = '13912345678';

beforeEach(async () => {
  h = await startTestHub();
  rooms = await h.roomIds();
});
afterEach(async () => {
  await h.close();
});

const afternoonPack = {
  source: 'own',
  title: '棋牌室 3 小时工作日下午畅玩',
  entitlement: {
    kind: 'hours',
    minutes: 180,
    dayTypes: ['workday'],
    bands: [{ from: '12:00', to: '18:00' }],
    roomStyles: ['棋牌室'],
    maxPartySize: 4,
  },
  price: 9900,
  originalPrice: 17400,
  status: 'on_sale',
};

async function deal(body: object = afternoonPack): Promise<string> {
  const r = await h.api('POST', '/api/deals', body, STAFF);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

async function sell(dealId: string): Promise<{ id: string; code: string; qr: string }> {
  const r = await h.api('POST', '/api/vouchers', { dealId, customer: { phone: PHONE } }, CASHIER);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

const redeem = (text: string, use: object, headers = CASHIER, requestId = randomUUID()) =>
  h.api('POST', '/api/vouchers/redeem', { text, use, requestId }, headers);

const setTime = async (hhmm: string, day = 0) => {
  h.clock.set(Date.parse(at(hhmm, day)));
  await h.runJobs();
};

describe('a voucher of our own deal', () => {
  it('is sold at the counter for cash, and scanned later it becomes a paid booking', async () => {
    const id = await deal();
    const v = await sell(id);
    expect(v.code).toMatch(/^\d{12}$/);
    expect(v.qr.startsWith('RHV1.')).toBe(true);
    // Short enough for a cheap scanner to read in one line, and a QR a phone shows well.
    expect(v.qr.length).toBeLessThan(300);
    expect(h.hub.vouchers.salesTotal()).toBe(9900);

    await setTime('13:00');
    const prepared = await h.api('POST', '/api/vouchers/prepare', { text: v.qr }, CASHIER);
    expect(prepared.status).toBe(200);
    expect(prepared.body.deal.title).toBe(afternoonPack.title);
    expect(prepared.body.usable).toEqual({ ok: true });
    expect(prepared.body.maskedCode).toBe(`${v.code.slice(0, 3)}******${v.code.slice(-3)}`);

    const r = await redeem(v.qr, { kind: 'book', roomId: rooms[2], partySize: 4 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe('done');
    expect(r.body.booking.status).toBe('paid');
    expect(r.body.booking.start).toBe(at('13:00'));
    expect(r.body.booking.end).toBe(at('16:00'));
    expect(r.body.covered).toBe(r.body.booking.total);
    expect(r.body.faceValue).toBe(9900);
    const ledger = r.body.booking.ledger as { method: string; amount: number }[];
    expect(ledger).toEqual([
      expect.objectContaining({ method: 'voucher', amount: r.body.covered }),
    ]);

    // The customer's list shows it used; the redemption is on the day's list with who took it.
    const mine = await h.api('GET', `/api/vouchers?phone=${PHONE}`, undefined, CASHIER);
    expect(mine.body[0].status).toBe('used');
    const day = await h.api('GET', '/api/vouchers/redemptions?date=2026-11-23', undefined, CASHIER);
    expect(day.body).toHaveLength(1);
    expect(day.body[0]).toMatchObject({
      source: 'own',
      bookingNumber: r.body.booking.number,
      actor: { kind: 'staff', id: await h.staffId('cashier') },
    });
  });

  it('redeems by its typed code, and a mistyped digit is caught before anything is looked up', async () => {
    const v = await sell(await deal());
    await setTime('14:00');
    const wrong = v.code.slice(0, 11) + String((Number(v.code[11]) + 1) % 10);
    const typo = await redeem(wrong, { kind: 'book', roomId: rooms[2], partySize: 2 });
    expect(typo.status).toBe(400);
    expect(typo.body.error.code).toBe('voucher_code_typo');
    const r = await redeem(v.code, { kind: 'book', roomId: rooms[3], partySize: 2 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.booking.status).toBe('paid');
  });

  it('is used once: a second scan is refused with when it was used; a retry of the first is the first', async () => {
    const v = await sell(await deal());
    await setTime('13:00');
    const requestId = randomUUID();
    const first = await redeem(
      v.qr,
      { kind: 'book', roomId: rooms[2], partySize: 2 },
      CASHIER,
      requestId,
    );
    expect(first.status).toBe(200);
    const retry = await redeem(
      v.qr,
      { kind: 'book', roomId: rooms[2], partySize: 2 },
      CASHIER,
      requestId,
    );
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    const again = await redeem(v.qr, { kind: 'book', roomId: rooms[3], partySize: 2 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('voucher_used');
    expect(again.body.error.message).toContain('13:00');
    const bookings = await h.api('GET', '/api/bookings?date=2026-11-23', undefined, CASHIER);
    expect(bookings.body.filter((b: { status: string }) => b.status !== 'cancelled')).toHaveLength(
      1,
    );
  });

  it('is refused outside what it buys, in words a cashier understands', async () => {
    const v = await sell(await deal());
    // Too early: the afternoon band opens at 12:00.
    await setTime('10:30');
    const early = await redeem(v.qr, { kind: 'book', roomId: rooms[2], partySize: 2 });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('voucher_not_yet');
    const zh = await h.api(
      'POST',
      '/api/vouchers/prepare',
      { text: v.qr },
      { ...CASHIER, 'accept-language': 'zh-CN' },
    );
    expect(zh.body.usable).toMatchObject({ ok: false, code: 'voucher_not_yet' });
    const zhErr = await h.api(
      'POST',
      '/api/vouchers/redeem',
      {
        text: v.qr,
        use: { kind: 'book', roomId: rooms[2], partySize: 2 },
        requestId: randomUUID(),
      },
      { ...CASHIER, 'accept-language': 'zh-CN' },
    );
    expect(zhErr.body.error.message).toBe('这张券今天 12:00 才能开始使用（可用时段 12:00-18:00）');
    // A tea room is not a chess room.
    await setTime('13:00');
    const room = await redeem(v.qr, { kind: 'book', roomId: rooms[0], partySize: 2 });
    expect(room.status).toBe(409);
    expect(room.body.error.code).toBe('voucher_wrong_room');
    // Five people on a four-person voucher.
    const party = await redeem(v.qr, { kind: 'book', roomId: rooms[2], partySize: 5 });
    expect(party.body.error.code).toBe(
      party.status === 409 ? 'voucher_party_too_big' : party.body.error.code,
    );
    // Saturday is not a working day.
    await setTime('13:00', 5);
    const weekend = await redeem(v.qr, { kind: 'book', roomId: rooms[2], partySize: 2 });
    expect(weekend.status).toBe(409);
    expect(weekend.body.error.code).toBe('voucher_wrong_day');
    // Nothing was consumed by any refusal.
    await setTime('13:00', 7);
    const ok = await redeem(v.qr, { kind: 'book', roomId: rooms[2], partySize: 2 });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it('an overnight voucher is refused before its window opens, and taken once it has', async () => {
    const id = await deal({
      source: 'own',
      title: '通宵场',
      entitlement: {
        kind: 'session',
        minutes: 540,
        packageId: 'overnight',
        roomStyles: ['棋牌室'],
      },
      price: 19900,
      status: 'on_sale',
    });
    const v = await sell(id);
    await setTime('20:00');
    const early = await redeem(v.qr, { kind: 'book', roomId: rooms[2], partySize: 4 });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'voucher_not_yet' });
    expect(early.body.error.message).toContain('23:00');
    await setTime('23:05');
    const r = await redeem(v.qr, { kind: 'book', roomId: rooms[2], partySize: 4 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.booking.status).toBe('paid');
    expect(r.body.booking.end).toBe(at('08:00', 1));
  });

  it('pays part of a longer booking: the rest is due in money', async () => {
    const v = await sell(await deal());
    await setTime('13:00');
    const b = await h.api(
      'POST',
      '/api/bookings',
      {
        roomId: rooms[2],
        start: at('13:00'),
        end: at('17:00'),
        partySize: 2,
        customer: { phone: PHONE },
      },
      CASHIER,
    );
    expect(b.status).toBe(201);
    const r = await redeem(v.qr, { kind: 'pay', bookingId: b.body.id });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.covered).toBe(Math.round((b.body.total * 3) / 4));
    expect(r.body.booking.status).toBe('pending_payment');
    const cash = await h.api(
      'POST',
      `/api/bookings/${b.body.id}/payments`,
      { method: 'cash' },
      CASHIER,
    );
    expect(cash.body.amount).toBe(b.body.total - r.body.covered);
  });

  it('adds its hours to a session going on, paid, when scanned in the room’s last hour', async () => {
    const v = await sell(await deal());
    await setTime('13:00');
    const b = await h.api(
      'POST',
      '/api/bookings',
      {
        roomId: rooms[2],
        start: at('13:00'),
        end: at('14:00'),
        partySize: 2,
        customer: { phone: PHONE },
      },
      CASHIER,
    );
    await h.api('POST', `/api/bookings/${b.body.id}/payments`, { method: 'cash' }, CASHIER);
    expect((await h.api('POST', `/api/bookings/${b.body.id}/door`)).status).toBe(200);
    await setTime('13:40');
    const r = await redeem(v.qr, { kind: 'extend', bookingId: b.body.id });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.booking.status).toBe('in_use');
    expect(r.body.booking.end).toBe(at('17:00'));
    expect(r.body.covered).toBe(r.body.booking.total - b.body.total);
    expect(r.body.booking.due).toBe(0);
  });

  it('comes back whole when its booking is cancelled, and can be used again', async () => {
    const v = await sell(await deal());
    await setTime('12:00');
    const r = await redeem(v.qr, {
      kind: 'book',
      roomId: rooms[2],
      partySize: 2,
      start: at('15:00'),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const detail = await h.api('GET', `/api/bookings/${r.body.bookingId}`, undefined, CASHIER);
    expect(detail.body.ifNow.cancel).toMatchObject({ fee: 0, refund: r.body.covered });
    const cancel = await h.api('POST', `/api/bookings/${r.body.bookingId}/cancel`, {}, CASHIER);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    expect(cancel.body.status).toBe('refunded');
    const mine = await h.api('GET', `/api/vouchers?phone=${PHONE}`, undefined, CASHIER);
    expect(mine.body[0].status).toBe('valid');
    const again = await redeem(v.qr, { kind: 'book', roomId: rooms[3], partySize: 2 });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
  });

  it('is undone by staff before its booking starts, never by the kiosk', async () => {
    const v = await sell(await deal());
    await setTime('12:00');
    const r = await redeem(v.qr, {
      kind: 'book',
      roomId: rooms[2],
      partySize: 2,
      start: at('15:00'),
    });
    const byKiosk = await h.api('POST', `/api/vouchers/redemptions/${r.body.id}/undo`, {
      reason: '顾客不想要了',
    });
    expect(byKiosk.status).toBe(403);
    const undo = await h.api(
      'POST',
      `/api/vouchers/redemptions/${r.body.id}/undo`,
      { reason: '顾客改天再来' },
      CASHIER,
    );
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(undo.body.status).toBe('undone');
    const booking = await h.api('GET', `/api/bookings/${r.body.bookingId}`, undefined, CASHIER);
    expect(['cancelled', 'refunded']).toContain(booking.body.status);
    const audit = await h.api('GET', '/api/audit', undefined, STAFF);
    expect(JSON.stringify(audit.body)).toContain('/undo');
  });

  it('makes a walk-in at the kiosk whose door code the kiosk can then show', async () => {
    const v = await sell(await deal());
    await setTime('13:00');
    const r = await redeem(v.qr, { kind: 'book', roomId: rooms[2], partySize: 2 }, as('kiosk'));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.pass.pass).toBeTruthy();
    const without = await h.api(
      'GET',
      `/api/bookings/${r.body.bookingId}/door-code`,
      undefined,
      as('kiosk'),
    );
    expect(without.status).toBe(403);
    const code = await h.api('GET', `/api/bookings/${r.body.bookingId}/door-code`, undefined, {
      ...as('kiosk'),
      'x-booking-pass': r.body.pass.pass,
    });
    expect(code.status, JSON.stringify(code.body)).toBe(200);
    expect(code.body.code).toMatch(/^\d{6}$/);
  });

  it('answers a request id only for the voucher it redeemed', async () => {
    const id = await deal();
    const first = await sell(id);
    const second = await h.api(
      'POST',
      '/api/vouchers',
      { dealId: id, customer: { phone: '13700000000' } },
      CASHIER,
    );
    await setTime('13:00');
    const requestId = randomUUID();
    const r = await redeem(
      first.qr,
      { kind: 'book', roomId: rooms[2], partySize: 2 },
      CASHIER,
      requestId,
    );
    expect(r.status).toBe(200);
    // Another voucher sent with the first one's request id redeems nothing and shows nothing.
    const other = await redeem(
      second.body.qr,
      { kind: 'book', roomId: rooms[3], partySize: 2 },
      CASHIER,
      requestId,
    );
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('request_id_reused');
    expect(other.body.booking).toBeUndefined();
    // Nor does the kiosk get the cashier's redemption by its request id.
    const fishing = await redeem(
      first.qr,
      { kind: 'book', roomId: rooms[2], partySize: 2 },
      as('kiosk'),
      requestId,
    );
    expect(fishing.body.error.code).toBe('request_id_reused');
  });

  it('pays the booking in front of the kiosk when the customer scans it there', async () => {
    const v = await sell(await deal());
    await setTime('13:00');
    const b = await h.api('POST', '/api/bookings', {
      roomId: rooms[3],
      start: at('13:00'),
      end: at('16:00'),
      partySize: 2,
      customer: { phone: PHONE },
    });
    expect(b.status).toBe(201);
    // Another booking's pass proves nothing about this one.
    const other = await redeem(v.qr, { kind: 'pay', bookingId: b.body.id }, as('kiosk'));
    expect(other.status).toBe(403);
    const r = await redeem(v.qr, { kind: 'pay', bookingId: b.body.id }, asCustomerOf(b.body.id));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.booking.status).toBe('paid');
    expect(r.body.screenId).toBe(h.kioskId);
  });
});

describe('a voucher bought at the kiosk', () => {
  it('is paid by the QR on the screen and issued once, however often the gateway tells it', async () => {
    const id = await deal();
    const order = await h.api('POST', '/api/vouchers/orders', {
      dealId: id,
      customer: { phone: PHONE },
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    expect(order.body.qrPayload).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    expect(order.body.voucher).toBeNull();
    await h.gateway!.pay(order.body.id);
    await h.gateway!.resend(order.body.id);
    const paid = await h.api('GET', `/api/vouchers/orders/${order.body.id}`);
    expect(paid.body.status).toBe('paid');
    expect(paid.body.voucher.code).toMatch(/^\d{12}$/);
    const mine = await h.api('GET', `/api/vouchers?phone=${PHONE}`, undefined, CASHIER);
    expect(mine.body).toHaveLength(1);
    expect(h.hub.vouchers.salesTotal()).toBe(9900);

    // Refunded unused, as the deal allows: back to where it was paid, never redeemable again.
    const refund = await h.api('POST', `/api/vouchers/${paid.body.voucher.id}/refund`, {}, CASHIER);
    expect(refund.status, JSON.stringify(refund.body)).toBe(200);
    expect(refund.body.status).toBe('refunded');
    expect(h.hub.vouchers.salesTotal()).toBe(0);
    await setTime('13:00');
    const used = await redeem(paid.body.voucher.qr, {
      kind: 'book',
      roomId: rooms[2],
      partySize: 2,
    });
    expect(used.body.error.code).toBe('voucher_refunded');
  });
});

describe('a kiosk voucher that expires unused', () => {
  it('goes back to where it was paid by itself when its deal refunds on expiry (过期退)', async () => {
    const id = await deal({ ...afternoonPack, validDays: 30 });
    const order = await h.api('POST', '/api/vouchers/orders', {
      dealId: id,
      customer: { phone: PHONE },
    });
    await h.gateway!.pay(order.body.id);
    const voucher = (await h.api('GET', `/api/vouchers/orders/${order.body.id}`)).body.voucher;
    h.clock.set(Date.parse(at('10:00', 29)));
    await h.runJobs();
    expect(
      (await h.api('GET', `/api/vouchers?phone=${PHONE}`, undefined, CASHIER)).body[0].status,
    ).toBe('valid');
    h.clock.set(Date.parse(at('10:01', 30)));
    await h.runJobs();
    const mine = await h.api('GET', `/api/vouchers?phone=${PHONE}`, undefined, CASHIER);
    expect(mine.body[0]).toMatchObject({ id: voucher.id, status: 'refunded' });
    expect(h.hub.vouchers.salesTotal()).toBe(0);
  });
});

describe("a voucher's QR", () => {
  it('is refused when forged: an edited pass no longer checks', async () => {
    const v = await sell(await deal());
    await setTime('13:00');
    const pass = readVoucherQr(v.qr)!;
    // Good for another year: the signature no longer covers it.
    const longer = voucherQrText({ ...pass, validUntil: pass.validUntil + 365 * 86_400 });
    const r = await redeem(longer, { kind: 'book', roomId: rooms[2], partySize: 2 });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('voucher_forged');
    // A damaged scan is not a voucher either.
    const cut = await redeem(v.qr.slice(0, 60), { kind: 'book', roomId: rooms[2], partySize: 2 });
    expect(cut.body.error.code).toBe('voucher_forged');
  });

  it("signed by the cloud is taken offline at its home store, and refused at another's", async () => {
    const dealId = await deal();
    const { rev } = (await h.api('GET', `/api/deals/${dealId}`, undefined, CASHIER)).body;
    const store = (await h.api('GET', '/api/store')).body;
    const cloudPass = (storeId: string): VoucherPass => {
      const body = {
        type: 'voucher' as const,
        id: randomUUID(),
        code: '123456789015',
        store: storeId,
        dealId,
        rev,
        price: 9900,
        validFrom: Date.parse(at('09:00')) / 1000,
        validUntil: Date.parse(at('09:00', 30)) / 1000,
        issuer: 'cloud' as const,
      };
      return signedByCloud(VoucherPassBodySchema.parse(body)) as VoucherPass;
    };
    // The hub trusts the cloud's intent keys for its vouchers too (the server links them).
    h.hub.voucherKeys.trustCloud(new IntentKeys([CLOUD_KEYS.publicKey]));
    await setTime('13:00');
    const elsewhere = await redeem(voucherQrText(cloudPass('another-store')), {
      kind: 'book',
      roomId: rooms[2],
      partySize: 2,
    });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error.code).toBe('voucher_other_store');
    const home = await redeem(voucherQrText(cloudPass(store.id)), {
      kind: 'book',
      roomId: rooms[2],
      partySize: 2,
      customer: { phone: PHONE },
    });
    expect(home.status, JSON.stringify(home.body)).toBe(200);
    expect(home.body.booking.status).toBe('paid');
  });
});

describe('deals', () => {
  it('are the managers’: a cashier cannot make one, and a platform deal needs its platform id', async () => {
    expect((await h.api('POST', '/api/deals', afternoonPack, CASHIER)).status).toBe(403);
    const bad = await h.api('POST', '/api/deals', { ...afternoonPack, source: 'meituan' }, STAFF);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('platformDealId');
    const mapped = await h.api(
      'POST',
      '/api/deals',
      { ...afternoonPack, source: 'meituan', platformDealId: 'mt-100200', price: 0 },
      STAFF,
    );
    expect(mapped.status, JSON.stringify(mapped.body)).toBe(201);
    const twice = await h.api(
      'POST',
      '/api/deals',
      { ...afternoonPack, source: 'meituan', platformDealId: 'mt-100200', price: 0 },
      STAFF,
    );
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('platform_deal_mapped');
  });

  it('keep what a sold voucher bought when the owner edits them later', async () => {
    const id = await deal();
    const v = await sell(id);
    const edit = await h.api(
      'PATCH',
      `/api/deals/${id}`,
      { entitlement: { ...afternoonPack.entitlement, minutes: 60 } },
      STAFF,
    );
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    expect(edit.body.entitlement.minutes).toBe(60);
    expect(edit.body.sold).toBe(1);
    await setTime('13:00');
    const r = await redeem(v.qr, { kind: 'book', roomId: rooms[2], partySize: 2 });
    expect(r.body.booking.end).toBe(at('16:00'));
    // One sold after the edit buys the hour it now says, and is redeemed like any other.
    const after = await sell(id);
    await setTime('16:00');
    const r2 = await redeem(after.qr, { kind: 'book', roomId: rooms[2], partySize: 2 });
    expect(r2.body.booking?.end, JSON.stringify(r2.body)).toBe(at('17:00'));
    // A hub before this version kept no version on an edit: the start puts it back.
    const third = await sell(id);
    h.hub.db
      .prepare('DELETE FROM deal_revisions WHERE deal_id = ? AND rev = ?')
      .run(id, edit.body.rev);
    await h.hub.writes.run(() => h.hub.deals.keepCurrentRevisions());
    await setTime('17:00');
    const r3 = await redeem(third.qr, { kind: 'book', roomId: rooms[2], partySize: 2 });
    expect(r3.body.booking?.end, JSON.stringify(r3.body)).toBe(at('18:00'));
  });

  it('sell within their stock and per-customer limit', async () => {
    const id = await deal({ ...afternoonPack, stock: 2, perCustomerLimit: 1 });
    await sell(id);
    const limit = await h.api(
      'POST',
      '/api/vouchers',
      { dealId: id, customer: { phone: PHONE } },
      CASHIER,
    );
    expect(limit.status).toBe(409);
    expect(limit.body.error.code).toBe('deal_limit_reached');
    const other = await h.api(
      'POST',
      '/api/vouchers',
      { dealId: id, customer: { phone: '13700000000' } },
      CASHIER,
    );
    expect(other.status).toBe(201);
    const out = await h.api(
      'POST',
      '/api/vouchers',
      { dealId: id, customer: { phone: '13600000000' } },
      CASHIER,
    );
    expect(out.body.error.code).toBe('deal_sold_out');
  });
});

describe("a voucher of the owner's other store", () => {
  const OTHER = 'store-b';
  const CASHIER_ZH = { ...CASHIER, 'accept-language': 'zh-CN' };

  /** The cloud asking this store, for another store of the owner, to give it the voucher. */
  const moveIntent = (pass: VoucherPass, fromStoreId = OTHER) => {
    const intentId = randomUUID();
    return IntentDocSchema.parse(
      signedByCloud({
        _id: intentDocId(intentId),
        type: 'intent',
        intentId,
        storeId: h.hub.store.getStore().id,
        fromStoreId,
        createdAt: new Date(h.clock.now()).toISOString(),
        expiresAt: new Date(h.clock.now() + 10_000).toISOString(),
        kind: 'voucher_move',
        body: { pass },
      }),
    );
  };

  it('moves away when another store of the owner asks, once, and is never redeemed here again', async () => {
    const v = await sell(await deal());
    await setTime('13:00');
    const pass = readVoucherQr(v.qr)!;
    expect(await answerIntent(h.hub, moveIntent(pass))).toEqual({ outcome: 'done' });
    // Asked again for the same store (its hub retried): the same yes; for a third store, no.
    expect(await answerIntent(h.hub, moveIntent(pass))).toEqual({ outcome: 'done' });
    expect(await answerIntent(h.hub, moveIntent(pass, 'store-c'))).toMatchObject({
      outcome: 'rejected',
      code: 'voucher_moved',
    });
    const here = await redeem(v.qr, { kind: 'book', roomId: rooms[2], partySize: 2 }, CASHIER_ZH);
    expect(here.status).toBe(409);
    expect(here.body.error.code).toBe('voucher_moved');
    expect(here.body.error.message).toContain('其他门店');
    const mine = await h.api('GET', `/api/vouchers?phone=${PHONE}`, undefined, CASHIER);
    expect(mine.body[0].status).toBe('moved');
    // Nor is it refunded here: the money of a moved voucher is not this store's to give back.
    const refund = await h.api('POST', `/api/vouchers/${v.id}/refund`, {}, STAFF);
    expect(refund.status).toBe(409);
  });

  it('stays when it was used or refunded here, or when the pass is forged', async () => {
    const id = await deal({ ...afternoonPack, refundAnyTime: true });
    await setTime('13:00');
    const used = await sell(id);
    expect((await redeem(used.qr, { kind: 'book', roomId: rooms[2], partySize: 2 })).status).toBe(
      200,
    );
    expect(await answerIntent(h.hub, moveIntent(readVoucherQr(used.qr)!))).toMatchObject({
      outcome: 'rejected',
      code: 'voucher_used',
    });
    const refunded = await sell(id);
    const back = await h.api('POST', `/api/vouchers/${refunded.id}/refund`, {}, STAFF);
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(await answerIntent(h.hub, moveIntent(readVoucherQr(refunded.qr)!))).toMatchObject({
      outcome: 'rejected',
      code: 'voucher_refunded',
    });
    const kept = await sell(id);
    const pass = readVoucherQr(kept.qr)!;
    const longer = { ...pass, validUntil: pass.validUntil + 86_400 };
    expect(await answerIntent(h.hub, moveIntent(longer))).toMatchObject({
      outcome: 'rejected',
      code: 'voucher_forged',
    });
    const r = await redeem(kept.qr, { kind: 'book', roomId: rooms[3], partySize: 2 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  });

  it('is asked for through the cloud and redeemed here at once; later scans need no network', async () => {
    h.hub.voucherKeys.trustCloud(new IntentKeys([CLOUD_KEYS.publicKey]));
    const here = h.hub.store.getStore().id;
    // The other store's deal, which this store has not got: its rules come with the voucher.
    const entitlement = EntitlementSchema.parse(afternoonPack.entitlement);
    const rev = entitlementRev(entitlement);
    const facts = {
      type: 'voucher' as const,
      id: randomUUID().replaceAll('-', ''),
      code: '123456789015',
      dealId: 'deal-of-store-a',
      rev,
      price: 9900,
      validFrom: Date.parse(at('09:00')) / 1000,
      validUntil: Date.parse(at('09:00', 30)) / 1000,
      issuer: 'cloud' as const,
    };
    const theirs = signedByCloud(
      VoucherPassBodySchema.parse({ ...facts, store: 'store-a' }),
    ) as VoucherPass;
    const asked: VoucherMoveRequest[] = [];
    let answer: () => Promise<VoucherMoved> = async () => ({
      pass: signedByCloud(VoucherPassBodySchema.parse({ ...facts, store: here })) as VoucherPass,
      title: '隔壁店的下午场',
      entitlement,
      phone: PHONE,
    });
    await setTime('13:00');
    const qr = voucherQrText(theirs);
    const use = { kind: 'book', roomId: rooms[2], partySize: 2 };

    // No line to the cloud: refused, in words that say the other store must be online.
    const offline = await redeem(qr, use, CASHIER_ZH);
    expect(offline.status).toBe(409);
    expect(offline.body.error.code).toBe('voucher_other_store');
    expect(offline.body.error.message).toBe('这张券属于其他门店，该门店联网时才能在本店使用');

    h.hub.setVoucherMoves({
      move: (req) => {
        asked.push(req);
        return answer();
      },
    });
    // Its home store says it was used there: refused with that, nothing kept here.
    const usedThere = answer;
    answer = () =>
      Promise.reject(new DomainError('conflict', 'voucher_used', 'used at its home store'));
    const refused = await redeem(qr, use);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('voucher_used');
    expect(h.hub.vouchers.find(theirs.id)).toBeUndefined();

    answer = usedThere;
    const r = await redeem(qr, use);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.booking).toMatchObject({ status: 'paid', customer: { phone: PHONE } });
    expect(r.body.dealTitle).toBe('隔壁店的下午场');
    expect(asked.map((a) => a.pass.id)).toEqual([theirs.id, theirs.id]);
    expect(h.hub.vouchers.find(theirs.id)).toMatchObject({
      store_id: here,
      moved_from: 'store-a',
      issuer: 'cloud',
    });

    // Scanned again (the old QR): it is this store's now, used, and the cloud is not asked.
    h.hub.setVoucherMoves(undefined);
    const again = await redeem(qr, { kind: 'book', roomId: rooms[3], partySize: 2 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('voucher_used');
    expect(asked).toHaveLength(2);
  });

  it("of another hub's own sale is asked for too: only its store can check its signature", async () => {
    const asked: VoucherMoveRequest[] = [];
    h.hub.setVoucherMoves({
      move: async (req) => {
        asked.push(req);
        throw new DomainError('invalid', 'voucher_forged', 'not genuine');
      },
    });
    await setTime('13:00');
    const v = await sell(await deal());
    const pass = readVoucherQr(v.qr)!;
    // As another hub would sign it: this hub's key does not check it, the other store's would.
    const elsewhere = voucherQrText({
      ...pass,
      id: randomUUID().replaceAll('-', ''),
      store: 'store-a',
    });
    const r = await redeem(elsewhere, { kind: 'book', roomId: rooms[2], partySize: 2 });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('voucher_forged');
    expect(asked).toHaveLength(1);
  });
});
