// The booking API end to end over HTTP on a real SQLite file: what a kiosk, a phone and the
// cashier see.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, asCustomerOf, at, STAFF, startTestHub, T0, type TestHub } from './harness';

let h: TestHub;
let room: string; // 听雨: 4 people, 38 yuan an hour on a weekday, 46 in the evening peak
let big: string; // 云间: 12 people

beforeEach(async () => {
  h = await startTestHub();
  const ids = await h.roomIds();
  room = ids[0]!;
  big = ids[4]!;
});
afterEach(async () => {
  await h.close();
});

const book = (overrides: Record<string, unknown> = {}, headers?: Record<string, string>) =>
  h.api(
    'POST',
    '/api/bookings',
    {
      roomId: room,
      start: at('14:00'),
      end: at('16:00'),
      partySize: 2,
      customer: { phone: '13800138000', name: '王女士' },
      ...overrides,
    },
    headers,
  );

describe('booking a room', () => {
  it('holds the slot as pending_payment with a priced breakdown', async () => {
    const r = await book();
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      status: 'pending_payment',
      total: 7600,
      paid: 0,
      due: 7600,
      minutes: 120,
    });
    expect(r.body.lines).toEqual([
      expect.objectContaining({
        dayType: 'workday',
        band: null,
        minutes: 120,
        rate: 3800,
        amount: 7600,
      }),
    ]);
    expect(r.body.holdExpiresAt).toBe('2026-11-23T10:15:00+08:00');
    const detail = await h.api('GET', `/api/bookings/${r.body.id}`);
    expect(detail.body.history).toMatchObject([
      { action: 'create', to: 'pending_payment', actor: { kind: 'customer' } },
    ]);
  });

  it('splits a span across the evening peak and prices a session package', async () => {
    const q = await h.api('POST', '/api/quotes', {
      roomId: room,
      start: at('17:00'),
      end: at('20:00'),
    });
    expect(q.status).toBe(200);
    expect(
      q.body.lines.map((l: { band: string | null; amount: number }) => [l.band, l.amount]),
    ).toEqual([
      [null, 3800],
      ['晚间高峰', 9200],
    ]);
    expect(q.body.total).toBe(13000);
    const pkg = await h.api('POST', '/api/quotes', {
      roomId: room,
      start: at('13:00'),
      packageId: 'afternoon',
    });
    expect(pkg.body).toMatchObject({
      total: 15200,
      end: at('18:00'),
      lines: [expect.objectContaining({ kind: 'package' })],
    });
  });

  it('refuses a second booking that overlaps, the cleaning buffer included', async () => {
    expect((await book()).status).toBe(201);
    const clash = await book({
      start: at('15:00'),
      end: at('17:00'),
      customer: { phone: '13900139000' },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({ code: 'slot_taken', field: 'start' });
    // 16:00 is inside the 15-minute clean-up after 14:00-16:00; 16:30 is free.
    expect((await book({ start: at('16:00'), end: at('17:00') })).status).toBe(409);
    expect((await book({ start: at('16:30'), end: at('17:30') })).status).toBe(201);
    // another room is another calendar (another phone: this one already holds two unpaid bookings)
    expect(
      (await book({ roomId: big, partySize: 8, customer: { phone: '13700137000' } })).status,
    ).toBe(201);
  });

  it('names the field and the rule for bad input', async () => {
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ roomId: undefined }, 400, 'roomId', 'invalid_input'],
      [{ customer: { phone: '12345' } }, 400, 'customer.phone', 'invalid_input'],
      [{ start: 'tomorrow' }, 400, 'start', 'invalid_input'],
      [{ end: undefined }, 400, 'end', 'invalid_input'],
      [{ end: at('13:00') }, 422, 'end', 'invalid_span'],
      [{ start: at('14:10') }, 422, 'start', 'off_step'],
      [{ end: at('14:30') }, 422, 'end', 'too_short'],
      [{ start: at('08:00'), end: at('09:30') }, 422, 'start', 'start_in_past'],
      [{ start: at('14:00', 8), end: at('16:00', 8) }, 422, 'start', 'too_far_ahead'],
      [{ partySize: 5 }, 422, 'partySize', 'party_too_large'],
      [{ roomId: 'nope' }, 404, 'roomId', 'room_not_found'],
      [{ packageId: 'brunch', end: undefined }, 422, 'packageId', 'unknown_package'],
    ];
    for (const [change, status, field, code] of cases) {
      const r = await book(change);
      expect({
        change,
        status: r.status,
        field: r.body.error?.field,
        code: r.body.error?.code,
      }).toEqual({ change, status, field, code });
      expect(r.body.error.message).toMatch(/\w/);
    }
    const notJson = await h.api('POST', '/api/bookings', '{"roomId":', {});
    expect(notJson.status).toBe(400);
    const list = await h.api('GET', '/api/bookings', undefined, STAFF);
    expect(list.body).toEqual([]); // nothing half-written
  });

  it('changes only the room fields a patch names', async () => {
    const before = (await h.api('GET', `/api/rooms/${room}`)).body;
    const r = await h.api('PATCH', `/api/rooms/${room}`, { capacity: 5 }, STAFF);
    expect(r.body).toEqual({ ...before, capacity: 5 });
    expect((await h.api('PATCH', `/api/rooms/${room}`, {}, STAFF)).status).toBe(400);
    expect((await h.api('PATCH', `/api/rooms/${room}`, { capacity: 5 })).status).toBe(403);
  });

  it('refuses to retire a room that still has bookings to come', async () => {
    const b = (await book()).body;
    const r = await h.api('PATCH', `/api/rooms/${room}`, { status: 'retired' }, STAFF);
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'room_has_bookings', field: 'status' });
    await h.api('POST', `/api/bookings/${b.id}/cancel`, {});
    expect((await h.api('PATCH', `/api/rooms/${room}`, { status: 'retired' }, STAFF)).status).toBe(
      200,
    );
  });

  it('takes no booking in a retired room', async () => {
    const retire = await h.api('PATCH', `/api/rooms/${room}`, { status: 'retired' }, STAFF);
    expect(retire.status).toBe(200);
    const r = await book();
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('room_retired');
    expect((await h.api('GET', '/api/rooms')).body.map((x: { id: string }) => x.id)).not.toContain(
      room,
    );
  });
});

describe('paying', () => {
  it('takes cash only from staff, and records it in the ledger', async () => {
    const b = (await book()).body;
    const kiosk = await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'cash' });
    expect(kiosk.status).toBe(403);
    const paid = await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'cash' }, STAFF);
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ method: 'cash', amount: 7600, status: 'succeeded' });
    const d = (await h.api('GET', `/api/bookings/${b.id}`)).body;
    expect(d).toMatchObject({ status: 'paid', paid: 7600, due: 0, holdExpiresAt: null });
    expect(d.ledger).toEqual([
      expect.objectContaining({
        kind: 'payment',
        amount: 7600,
        actor: { kind: 'staff', id: await h.staffId('owner') },
      }),
    ]);
    const again = await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'cash' }, STAFF);
    expect(again.body.error.code).toBe('nothing_due');
    expect(h.hub.scheduler.pending('booking.expire')).toEqual([]);
  });

  it('pays online through a signed notification, once even if it is delivered twice', async () => {
    const b = (await book()).body;
    const start = await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'wechat' });
    expect(start.status).toBe(201);
    expect(start.body.qrPayload).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    expect(start.body.payUrl).toContain(start.body.id);
    // Asking again while it is open gives the same payment, not a second charge.
    const again = await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'wechat' });
    expect(again.body.id).toBe(start.body.id);

    await h.gateway!.pay(start.body.id);
    await h.gateway!.resend(start.body.id);
    const d = (await h.api('GET', `/api/bookings/${b.id}`)).body;
    expect(d.status).toBe('paid');
    expect(d.ledger).toHaveLength(1);
    expect(d.paid).toBe(7600);
    expect(d.history.map((e: { action: string }) => e.action)).toEqual(['create', 'pay']);
  });

  it('rejects a notification whose signature does not match', async () => {
    const b = (await book()).body;
    const p = (await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'wechat' })).body;
    // The channel's former name still reaches it: charges opened before the rename notify there.
    for (const path of ['wechat', 'simulated']) {
      const forged = await fetch(`${h.url}/api/payments/notify/${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'wechatpay-timestamp': String(Math.floor(T0 / 1000)),
          'wechatpay-nonce': 'abc',
          'wechatpay-signature': Buffer.from('forged').toString('base64'),
          'wechatpay-serial': 'x',
        },
        body: JSON.stringify({ id: 'n1', resource: { out_trade_no: p.id } }),
      });
      expect(forged.status).toBe(422);
      // No more than that: never the platform serial or key the hub expects.
      expect(((await forged.json()) as { error: unknown }).error).toEqual({
        code: 'bad_signature',
        message: 'invalid signature',
      });
    }
    expect((await h.api('GET', `/api/bookings/${b.id}`)).body.status).toBe('pending_payment');
  });

  it('lets an unpaid hold expire, freeing the slot, even across a restart', async () => {
    const b = (await book()).body;
    h = await h.restart();
    h.clock.advance(15 * 60_000);
    await h.runJobs();
    const d = (await h.api('GET', `/api/bookings/${b.id}`)).body;
    expect(d.status).toBe('cancelled');
    expect(d.history.at(-1)).toMatchObject({ action: 'expire', actor: { kind: 'system' } });
    expect((await book({ customer: { phone: '13900139000' } })).status).toBe(201);
  });

  it('gives back a partial payment when the hold ends unpaid', async () => {
    const b = (await book()).body;
    const oldQr = (await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'wechat' }))
      .body;
    const moved = await h.api(
      'POST',
      `/api/bookings/${b.id}/change`,
      { start: at('14:00'), end: at('18:00') },
      STAFF,
    );
    expect(moved.body).toMatchObject({ status: 'pending_payment', total: 15200 });
    await h.gateway!.pay(oldQr.id); // the customer pays the QR they already had
    expect((await h.api('GET', `/api/bookings/${b.id}`)).body).toMatchObject({
      status: 'pending_payment',
      paid: 7600,
      due: 7600,
    });
    h.clock.advance(15 * 60_000);
    await h.runJobs();
    const d = (await h.api('GET', `/api/bookings/${b.id}`)).body;
    expect(d).toMatchObject({ status: 'cancelled', paid: 0 });
    expect(d.refunds).toMatchObject([{ amount: 7600, status: 'succeeded' }]);
  });

  it('counts a hold as paid when a change brings its price down to what was already paid', async () => {
    const b = (await book({ end: at('15:00') })).body; // 3800
    const qr = (await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'wechat' })).body;
    await h.api(
      'POST',
      `/api/bookings/${b.id}/change`,
      { start: at('14:00'), end: at('16:00') },
      STAFF,
    ); // 7600
    await h.gateway!.pay(qr.id); // 3800 arrives: not enough at the new price
    expect((await h.api('GET', `/api/bookings/${b.id}`)).body).toMatchObject({
      status: 'pending_payment',
      due: 3800,
    });
    const back = await h.api(
      'POST',
      `/api/bookings/${b.id}/change`,
      { start: at('14:00'), end: at('15:00') },
      STAFF,
    );
    expect(back.body).toMatchObject({ status: 'paid', total: 3800, paid: 3800, due: 0 });
  });

  it('answers an absurdly long span at once instead of pricing it', async () => {
    const r = await h.api('POST', '/api/quotes', {
      roomId: room,
      start: at('14:00'),
      end: '9999-12-31T16:00:00+08:00',
    });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'too_long', field: 'end' });
  });

  it('refunds a payment that arrives after the hold expired, automatically', async () => {
    const b = (await book()).body;
    const p = (await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'wechat' })).body;
    h.clock.advance(16 * 60_000);
    await h.runJobs();
    await h.gateway!.pay(p.id, { late: true });
    await h.runJobs(); // the refund job
    const d = (await h.api('GET', `/api/bookings/${b.id}`)).body;
    expect(d.status).toBe('cancelled');
    expect(d.ledger.map((l: { kind: string; amount: number }) => [l.kind, l.amount])).toEqual([
      ['payment', 7600],
      ['refund', -7600],
    ]);
    expect(d.refunds).toMatchObject([{ purpose: 'late_payment', status: 'succeeded' }]);
    expect(h.gateway!.refunds()).toMatchObject([{ outTradeNo: p.id, amount: 7600 }]);
    expect(d.paid).toBe(0);
  });
});

describe('cancelling, changing and refunding', () => {
  async function paidBooking(overrides: Record<string, unknown> = {}) {
    const b = (await book(overrides)).body;
    await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'cash' }, STAFF);
    return b.id as string;
  }

  it('cancels free of charge two hours ahead: cash the kiosk cannot hand back is owed until staff pay it out', async () => {
    const id = await paidBooking();
    const shown = (await h.api('GET', `/api/bookings/${id}`)).body;
    expect(shown.ifNow.cancel).toEqual({ fee: 0, refund: 7600, feePercent: 0 });
    const r = await h.api('POST', `/api/bookings/${id}/cancel`, {
      reason: '临时有事',
      expectedFee: 0,
    });
    expect(r.status).toBe(200);
    // Nobody at an unattended kiosk hands cash back: the refund is owed, not done.
    expect(r.body).toMatchObject({ status: 'refunding', paid: 7600 });
    expect(r.body.refunds).toMatchObject([{ status: 'owed', amount: 7600, method: 'cash' }]);
    // The money waits at the counter; the room does not: another customer books the slot.
    const rebooked = await book({ customer: { phone: '13900139000' } });
    expect(rebooked.status).toBe(201);
    const owed = (await h.api('GET', '/api/refunds/owed', undefined, as('cashier'))).body;
    expect(owed).toMatchObject({ total: 7600, refunds: [{ bookingId: id, amount: 7600 }] });
    expect((await h.api('POST', `/api/refunds/${owed.refunds[0].id}/pay-out`, {})).status).toBe(
      403,
    ); // a kiosk hands out no cash
    const paid = await h.api(
      'POST',
      `/api/refunds/${owed.refunds[0].id}/pay-out`,
      {},
      as('cashier'),
    );
    expect(paid.body).toMatchObject({ status: 'succeeded' });
    const again = await h.api(
      'POST',
      `/api/refunds/${owed.refunds[0].id}/pay-out`,
      {},
      as('cashier'),
    );
    expect(again.body.error.code).toBe('not_owed');
    const after = (await h.api('GET', `/api/bookings/${id}`)).body;
    expect(after).toMatchObject({ status: 'refunded', paid: 0 });
    expect(after.history.map((e: { action: string; to: string }) => `${e.action}:${e.to}`)).toEqual(
      ['create:pending_payment', 'pay:paid', 'cancel:refunding', 'settle_refund:refunded'],
    );
    expect((await h.api('GET', '/api/refunds/owed', undefined, as('cashier'))).body.total).toBe(0);
  });

  it('keeps 20% when cancelled inside two hours, shows it first, and refuses once started', async () => {
    const id = await paidBooking();
    h.clock.set(Date.parse(at('11:59')));
    expect((await h.api('GET', `/api/bookings/${id}`)).body.ifNow.cancel.fee).toBe(0);
    h.clock.set(Date.parse(at('13:00')));
    expect((await h.api('GET', `/api/bookings/${id}`)).body.ifNow.cancel).toEqual({
      fee: 1520,
      refund: 6080,
      feePercent: 20,
    });
    // Shown free a minute ago; the tier has passed since: nothing is cancelled.
    const moved = await h.api('POST', `/api/bookings/${id}/cancel`, { expectedFee: 0 });
    expect(moved.body.error).toMatchObject({ code: 'fee_changed', field: 'expectedFee' });
    // A cashier cancels at the counter and hands the cash back at once.
    const r = await h.api(
      'POST',
      `/api/bookings/${id}/cancel`,
      { expectedFee: 1520 },
      as('cashier'),
    );
    expect(r.body).toMatchObject({ status: 'refunded', paid: 1520 });
    const late = await paidBooking({ start: at('17:00'), end: at('18:00') });
    h.clock.set(Date.parse(at('17:05')));
    expect((await h.api('GET', `/api/bookings/${late}`)).body.ifNow.cancel).toBeNull();
    const refused = await h.api('POST', `/api/bookings/${late}/cancel`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('already_started');
  });

  it('cancels an unpaid hold without money moving', async () => {
    const b = (await book()).body;
    const r = await h.api('POST', `/api/bookings/${b.id}/cancel`, {});
    expect(r.body).toMatchObject({ status: 'cancelled', ledger: [] });
    expect(h.hub.scheduler.pending('booking.expire')).toEqual([]);
    const again = await h.api('POST', `/api/bookings/${b.id}/cancel`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('illegal_transition');
  });

  it('lists bookings with phones to the counter only, and shows a booking to its own kiosk', async () => {
    const id = await paidBooking();
    expect((await h.api('GET', '/api/bookings', undefined, as('cashier'))).body).toHaveLength(1);
    for (const who of ['kiosk', 'cleaner'] as const) {
      const r = await h.api('GET', '/api/bookings', undefined, as(who));
      expect({ who, status: r.status }).toEqual({ who, status: 403 });
    }
    const anonymous = await fetch(`${h.url}/api/bookings`);
    expect(anonymous.status).toBe(401);
    // A kiosk sees a booking only with its pass (made there, or shown its door code).
    const bare = await h.api('GET', `/api/bookings/${id}`, undefined, as('kiosk'));
    expect(bare.status).toBe(403);
    expect(bare.body.error.code).toBe('booking_not_proven');
    expect((await h.api('GET', `/api/bookings/${id}`)).body.customer.phone).toBe('13800138000');
  });

  it('does not let a caller act on a booking it has not proved', async () => {
    const id = await paidBooking();
    const other = await paidBooking({ start: at('18:00'), end: at('19:00') });
    const anonymous = await fetch(`${h.url}/api/bookings/${id}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe(
      'sign_in_required',
    );
    // The kiosk holds the pass of the other booking, not of this one.
    const r = await h.api('POST', `/api/bookings/${id}/cancel`, {}, asCustomerOf(other));
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('booking_not_proven');
    expect((await h.api('GET', `/api/bookings/${id}`, undefined, STAFF)).body.status).toBe('paid');
  });

  it('re-prices a change: the cheaper time refunds the difference, the dearer one is paid at once', async () => {
    const id = await paidBooking(); // 14:00-16:00, 7600
    const cheaper = await h.api(
      'POST',
      `/api/bookings/${id}/change`,
      { start: at('14:00'), end: at('15:00') },
      as('cashier'),
    );
    expect(cheaper.status).toBe(200);
    expect(cheaper.body).toMatchObject({
      status: 'paid',
      total: 3800,
      paid: 3800,
      due: 0,
      changes: 1,
    });
    const dearer = await h.api(
      'POST',
      `/api/bookings/${id}/change`,
      { start: at('18:00'), end: at('20:00') },
      as('cashier'),
    );
    expect(dearer.status).toBe(409);
    expect(dearer.body.error).toMatchObject({ code: 'difference_due', field: 'collect' });
    expect((await h.api('GET', `/api/bookings/${id}`)).body).toMatchObject({
      total: 3800,
      start: at('14:00'),
    }); // untouched
    const cashDesk = await h.api(
      'POST',
      `/api/bookings/${id}/change`,
      { start: at('18:00'), end: at('20:00'), collect: 'cash' },
      STAFF,
    );
    expect(cashDesk.body).toMatchObject({
      status: 'paid',
      total: 9200,
      paid: 9200,
      due: 0,
      changes: 2,
    });
    expect(cashDesk.body.ledger.map((l: { amount: number }) => l.amount)).toEqual([
      7600, -3800, 5400,
    ]);
    const third = await h.api(
      'POST',
      `/api/bookings/${id}/change`,
      { start: at('19:00'), end: at('20:00') },
      as('cashier'),
    );
    expect(third.body.error.code).toBe('too_many_changes');
    // The old slot is free again.
    expect((await book({ customer: { phone: '13900139000' } })).status).toBe(201);
  });

  it('reviews a refund request: staff approve or reject, a cashier or a kiosk cannot approve', async () => {
    const a = await paidBooking();
    // Customer service files what a customer asked for on the phone.
    const req = await h.api(
      'POST',
      `/api/bookings/${a}/refund`,
      { reason: '空调坏了', amount: 3000 },
      as('customer_service'),
    );
    expect(req.body).toMatchObject({ status: 'refunding' });
    for (const who of [{}, as('cashier')]) {
      const self = await h.api('POST', `/api/bookings/${a}/refund/approve`, {}, who);
      expect(self.status).toBe(403);
    }
    const ok = await h.api(
      'POST',
      `/api/bookings/${a}/refund/approve`,
      { note: '核实属实' },
      STAFF,
    );
    expect(ok.body).toMatchObject({ status: 'refunded', paid: 4600 });

    const b = await paidBooking({ start: at('18:00'), end: at('19:00') });
    await h.api('POST', `/api/bookings/${b}/refund`, { reason: '不想要了' }, as('cashier'));
    const no = await h.api(
      'POST',
      `/api/bookings/${b}/refund/reject`,
      { reason: '已过免费取消时间' },
      STAFF,
    );
    expect(no.body).toMatchObject({ status: 'paid', paid: 4600 });
    const missing = await h.api('POST', `/api/bookings/${b}/refund`, {}, as('cashier'));
    expect(missing.body.error).toMatchObject({ field: 'reason' });
  });
});

describe('seeing the rooms', () => {
  it('shows a room’s day as held, booked, cleaning and free segments', async () => {
    const a = (await book()).body;
    await h.api('POST', `/api/bookings/${a.id}/payments`, { method: 'cash' }, STAFF);
    await book({ start: at('18:00'), end: at('19:00') });
    const t = (await h.api('GET', `/api/rooms/${room}/availability?date=2026-11-23`)).body;
    expect(
      t.segments.map(
        (s: { state: string; start: string; end: string }) =>
          `${s.state} ${s.start.slice(11, 16)}-${s.end.slice(11, 16)}`,
      ),
    ).toEqual([
      'free 00:00-14:00',
      'booked 14:00-16:00',
      'cleaning 16:00-16:15',
      'free 16:15-18:00',
      'held 18:00-19:00',
      'cleaning 19:00-19:15',
      'free 19:15-00:00',
    ]);
    const board = (await h.api('GET', '/api/board?date=2026-11-23')).body;
    expect(board.rooms).toHaveLength(6);
    expect((await h.api('GET', '/api/board?date=2026-13-01')).body.error.field).toBe('date');
  });

  it('lets the owner override a day type, and the price follows', async () => {
    const before = await h.api('POST', '/api/quotes', {
      roomId: room,
      start: at('14:00', 1),
      end: at('15:00', 1),
    });
    expect(before.body.lines[0].dayType).toBe('workday');
    const put = await h.api(
      'PUT',
      '/api/calendar/2026-11-24',
      { type: 'holiday', note: '店庆' },
      STAFF,
    );
    expect(put.status).toBe(200);
    const after = await h.api('POST', '/api/quotes', {
      roomId: room,
      start: at('14:00', 1),
      end: at('15:00', 1),
    });
    expect(after.body.lines[0]).toMatchObject({ dayType: 'holiday', rate: 5700 });
    const cal = (await h.api('GET', '/api/calendar?from=2026-10-01&to=2026-10-03')).body;
    expect(cal.map((d: { type: string }) => d.type)).toEqual(['holiday', 'holiday', 'holiday']);
    expect(
      (await h.api('GET', '/api/calendar?from=2026-11-24&to=2026-11-24')).body[0],
    ).toMatchObject({ source: 'override' });
    expect(
      (await h.api('PUT', '/api/calendar/2026-11-24', { type: 'party' }, STAFF)).body.error.field,
    ).toBe('type');
    expect((await h.api('PUT', '/api/calendar/2026-11-24', { type: 'holiday' })).status).toBe(403);
  });

  it('publishes an OpenAPI document of every route', async () => {
    const doc = (await h.api('GET', '/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/bookings',
        '/api/bookings/{id}/payments',
        '/api/rooms/{id}/availability',
        '/api/calendar/{date}',
      ]),
    );
    expect(
      doc.paths['/api/bookings'].post.requestBody.content['application/json'].schema.properties,
    ).toHaveProperty('customer');
  });

  it('streams booking changes as server-sent events', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${h.url}/api/events`, {
      signal: ctrl.signal,
      headers: await h.headersOf('kiosk'),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const created = book();
    let text = '';
    while (!text.includes('event: booking.status')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the event stream ended early: ${text}`);
      text += new TextDecoder().decode(value);
    }
    ctrl.abort();
    const b = (await created).body;
    expect(text).toContain(`"bookingId":"${b.id}"`);
    expect(text).toContain('"status":"pending_payment"');
  });

  it("keeps what a scanner read (a payment code, a voucher) for the counter: never a kiosk's stream", async () => {
    const follow = async (who: Record<string, string>) => {
      const ctrl = new AbortController();
      const res = await fetch(`${h.url}/api/events`, { signal: ctrl.signal, headers: who });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      await reader.read(); // the stream is open: hello
      return async () => {
        let text = '';
        while (!text.includes('event: booking.status')) {
          const { value, done } = await reader.read();
          if (done) break;
          text += new TextDecoder().decode(value);
        }
        ctrl.abort();
        return text;
      };
    };
    const kiosk = await follow(await h.headersOf('kiosk'));
    const cashier = await follow(await h.headersOf('cashier'));
    const code = '134567890123456789';
    h.hub.events.emit({
      type: 'scan',
      scan: { text: code, source: 'keyboard', device: 'counter', at: h.clock.now() },
      at: h.clock.now(),
    });
    await book(); // a booking.status after it closes both readings
    const [seenByKiosk, seenByCashier] = await Promise.all([kiosk(), cashier()]);
    expect(seenByCashier).toContain(code);
    expect(seenByKiosk).toContain('event: booking.status');
    expect(seenByKiosk).not.toContain('event: scan');
    expect(seenByKiosk).not.toContain(code);
  });
});
