// Each step of a booking's history becomes the message its customer and its store's owner should
// have, with its words: paid, changed, extended, a refund asked for (and the owner's review), a
// refund turned down with the store's reason, money given back, and a cancellation with what went
// back. The same document read again gives the same events with the same keys. So do a booking
// request waiting for a store offline, an online payment received, and the owner's notices of a
// tea order (from the store's order) and of a device that stopped answering (from its health).
import { describe, expect, it } from 'vitest';
import {
  BookingDocSchema,
  DEVICES_HEALTH_ID,
  DevicesHealthDocSchema,
  LedgerDocSchema,
  OrderDocSchema,
  answerDoc,
  bookingDocId,
  ledgerDocId,
  messageWords,
} from '@roomhub/shared-types';
import {
  answerEvents,
  eventsOf,
  paymentEvents,
  voucherEvents,
  waitingEvents,
  type AnsweredIntent,
  type StoreWords,
  type WaitingRequest,
} from './message-events';

const STORE: StoreWords = {
  name: '茶隐',
  timeZone: 'Asia/Shanghai',
  rooms: new Map([['r1', '听雨']]),
};
const at = (hhmm: string) => `2026-12-05T${hhmm}:00.000+08:00`;

type Step = { action: string; from: string | null; to: string; at: string; reason?: string };

function booking(id: string, steps: Step[], refunded = 0) {
  return BookingDocSchema.parse({
    _id: bookingDocId(id),
    type: 'booking',
    storeId: 'ms',
    bookingId: id,
    roomId: 'r1',
    status: steps.at(-1)!.to,
    start: at('14:00'),
    end: at('16:00'),
    partySize: 2,
    customerId: 'cust-1',
    totals: { amount: 9600, paid: 9600, refunded },
    lines: [{ kind: 'time', label: 'Room', quantity: 1, unitPrice: 9600, amount: 9600 }],
    history: steps.map((s) => ({
      at: s.at,
      action: s.action,
      from: s.from,
      to: s.to,
      actor: { kind: 'customer', id: 'c' },
      ...(s.reason ? { reason: s.reason } : {}),
    })),
    updatedAt: steps.at(-1)!.at,
  });
}

const kinds = (events: ReturnType<typeof eventsOf>) =>
  events.map((e) => `${e.kind} ${e.customerId ? 'customer' : 'owner'}`);

describe('a booking’s history as messages', () => {
  const lived = booking(
    'b1',
    [
      { action: 'create', from: null, to: 'pending_payment', at: at('10:00') },
      { action: 'pay', from: 'pending_payment', to: 'paid', at: at('10:01') },
      { action: 'change', from: 'paid', to: 'paid', at: at('10:30') },
      { action: 'extend', from: 'paid', to: 'paid', at: at('11:00') },
      { action: 'request_refund', from: 'paid', to: 'refunding', at: at('11:10') },
      {
        action: 'reject_refund',
        from: 'refunding',
        to: 'paid',
        at: at('11:20'),
        reason: '已开始使用',
      },
      { action: 'request_refund', from: 'paid', to: 'refunding', at: at('11:30') },
      { action: 'approve_refund', from: 'refunding', to: 'refunded', at: at('11:40') },
    ],
    9600,
  );

  it('tells each step to whom it concerns, in order', () => {
    expect(kinds(eventsOf('ms', lived, STORE))).toEqual([
      'booking_confirmed customer',
      'new_booking owner',
      'booking_changed customer',
      'extended customer',
      'refund_requested customer',
      'refund_review owner',
      'refund_rejected customer',
      'refund_requested customer',
      'refund_review owner',
      'refund_done customer',
    ]);
  });

  it('fills the words the templates need', () => {
    const events = eventsOf('ms', lived, STORE);
    const of = (kind: string) => events.find((e) => e.kind === kind)!.params;
    expect(of('booking_confirmed')).toMatchObject({
      store: '茶隐',
      room: '听雨',
      when: '12-05 14:00–16:00',
    });
    expect(of('new_booking').amount).toBe('¥96.00');
    expect(of('refund_rejected').reason).toBe('已开始使用');
    expect(of('refund_done').amount).toBe('¥96.00');
  });

  it('says what went back on a cancellation, and nothing when nothing did', () => {
    const cancel = (refunded: number) =>
      eventsOf(
        'ms',
        booking(
          'b2',
          [
            { action: 'create', from: null, to: 'pending_payment', at: at('10:00') },
            { action: 'pay', from: 'pending_payment', to: 'paid', at: at('10:01') },
            { action: 'cancel', from: 'paid', to: 'cancelled', at: at('12:00') },
          ],
          refunded,
        ),
        STORE,
      ).find((e) => e.kind === 'booking_cancelled')!.params.money;
    expect(cancel(4800)).toBe('退回 ¥48.00。');
    expect(cancel(0)).toBe('');
  });

  it('gives the same events with the same keys when read again, and none of another store', () => {
    const keys = eventsOf('ms', lived, STORE).map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(eventsOf('ms', structuredClone(lived), STORE).map((e) => e.key)).toEqual(keys);
    expect(eventsOf('other', lived, STORE)).toEqual([]);
  });
});

describe('a booking request the store refused', () => {
  const refused = answerDoc(
    'i1',
    { outcome: 'rejected', reason: 'the room is already booked then' },
    Date.parse(at('10:02')),
  );
  const request: AnsweredIntent = {
    kind: 'booking_request',
    customerId: 'cust-1',
    held: 9600,
    booking: { roomId: 'r1', start: at('14:00') },
  };

  it('tells the customer once, with the store’s reason and the money going back', () => {
    const events = answerEvents('ms', refused, request, STORE);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      key: 'intent:i1:booking_refused',
      kind: 'booking_refused',
      customerId: 'cust-1',
      at: refused.at,
    });
    expect(messageWords('booking_refused', events[0]!.params).body).toBe(
      '茶隐没有接下你的预订（听雨 12-05 14:00 起）：the room is already booked then。已付的 ¥96.00 会原路退回。',
    );
    // Read again (a replay, another instance): the same key, so the same message.
    expect(answerEvents('ms', structuredClone(refused), request, STORE)).toEqual(events);
  });

  it('words a coded refusal in zh-CN, and says nothing of money none was held', () => {
    const coded = answerDoc(
      'i2',
      { outcome: 'refused', reason: 'outside opening hours', code: 'booking_over' },
      Date.parse(at('10:02')),
    );
    const { held: _held, booking: _booking, ...unpaid } = request;
    const [e] = answerEvents('ms', coded, unpaid, STORE);
    expect(messageWords('booking_refused', e!.params).body).toBe(
      '茶隐没有接下你的预订：这个预订的时间已经结束。',
    );
  });

  it('makes nothing of a confirmation, of another kind of intent, or of an unknown intent', () => {
    const ok = answerDoc('i3', { outcome: 'confirmed', bookingId: 'b9' }, Date.parse(at('10:02')));
    expect(answerEvents('ms', ok, request, STORE)).toEqual([]);
    expect(answerEvents('ms', refused, { ...request, kind: 'extension' }, STORE)).toEqual([]);
    expect(answerEvents('ms', refused, undefined, STORE)).toEqual([]);
  });
});

describe('a top-up credited and a voucher redeemed', () => {
  it('tells the customer once of an online top-up the store credited, and nothing of a refusal', () => {
    const topUp: AnsweredIntent = { kind: 'wallet_topup', customerId: 'cust-1', held: 50000 };
    const ok = answerDoc('t1', { outcome: 'confirmed' }, Date.parse(at('10:05')));
    const events = answerEvents('ms', ok, topUp, STORE);
    expect(events.map((e) => [e.key, e.kind, e.customerId])).toEqual([
      ['intent:t1:topup_done', 'topup_done', 'cust-1'],
    ]);
    expect(messageWords('topup_done', events[0]!.params)).toEqual({
      title: '充值到账',
      body: '你在茶隐的充值 ¥500.00 已到账，可在本店预订和点单时使用。',
    });
    expect(answerEvents('ms', structuredClone(ok), topUp, STORE)).toEqual(events);
    const no = answerDoc('t2', { outcome: 'rejected', reason: 'x' }, Date.parse(at('10:05')));
    expect(answerEvents('ms', no, topUp, STORE)).toEqual([]);
  });

  const paidBy = (method: string, kind = 'payment', amount = 6800) =>
    LedgerDocSchema.parse({
      _id: ledgerDocId('b1', '7'),
      type: 'ledger',
      storeId: 'ms',
      bookingId: 'b1',
      entryId: '7',
      kind,
      method,
      amount,
      at: at('10:01'),
    });
  const b1 = booking('b1', [
    { action: 'create', from: null, to: 'pending_payment', at: at('10:00') },
    { action: 'pay', from: 'pending_payment', to: 'paid', at: at('10:01') },
  ]);

  it('tells the customer and the owner of a voucher redeemed for a booking, keyed by the entry', () => {
    const events = voucherEvents('ms', paidBy('voucher'), b1, STORE);
    expect(kinds(events)).toEqual(['voucher_redeemed customer', 'store_voucher_redeemed owner']);
    expect(messageWords('voucher_redeemed', events[0]!.params)).toEqual({
      title: '券已核销',
      body: '你的团购券已在茶隐核销，抵扣 ¥68.00（听雨 12-05 14:00–16:00）。',
    });
    expect(messageWords('store_voucher_redeemed', events[1]!.params)).toEqual({
      title: '核销提醒',
      body: '茶隐听雨 12-05 14:00–16:00 的预订核销了一张团购券，抵扣 ¥68.00。',
    });
    expect(voucherEvents('ms', paidBy('voucher'), structuredClone(b1), STORE)).toEqual(events);
    // The booking not read yet: the owner still hears of it.
    expect(kinds(voucherEvents('ms', paidBy('voucher'), undefined, STORE))).toEqual([
      'store_voucher_redeemed owner',
    ]);
  });

  it('makes nothing of another payment, a voucher given back, or another store', () => {
    expect(voucherEvents('ms', paidBy('cash'), b1, STORE)).toEqual([]);
    expect(voucherEvents('ms', paidBy('voucher', 'refund', -6800), b1, STORE)).toEqual([]);
    expect(voucherEvents('other', paidBy('voucher'), b1, STORE)).toEqual([]);
  });
});

describe('a booking request waiting for a store offline, and a payment received', () => {
  const waiting: WaitingRequest = {
    intentId: 'i5',
    customerId: 'cust-1',
    expiresAt: at('10:02'),
    held: 9600,
    booking: { roomId: 'r1', start: at('14:00') },
  };

  it('tells the customer once that the store has the request, until when, and the money held', () => {
    const events = waitingEvents('ms', waiting, at('10:00'), STORE);
    expect(events.map((e) => [e.key, e.kind, e.customerId, e.at])).toEqual([
      ['intent:i5:booking_waiting', 'booking_waiting', 'cust-1', at('10:00')],
    ]);
    expect(messageWords('booking_waiting', events[0]!.params)).toEqual({
      title: '预订等待门店确认',
      body: '茶隐暂时离线，你的预订请求（听雨 12-05 14:00 起）已交给门店，门店恢复联网后会为你确认。10:02 前仍未确认的话，请求会取消，已付的 ¥96.00 原路退回。',
    });
    expect(waitingEvents('ms', structuredClone(waiting), at('10:00'), STORE)).toEqual(events);
    // Held unpaid: nothing is said of money.
    const { held: _held, ...unpaid } = waiting;
    expect(
      messageWords('booking_waiting', waitingEvents('ms', unpaid, at('10:00'), STORE)[0]!.params)
        .body,
    ).toMatch(/请求会取消。$/);
  });

  it('tells the customer once per payment what was received and what for', () => {
    const paid = {
      paymentId: 'pay-i5',
      amount: 9600,
      description: '茶隐 · 听雨',
      paidAt: at('10:00'),
    };
    const events = paymentEvents('ms', paid, { customerId: 'cust-1', bookingId: 'b5' }, STORE);
    expect(events.map((e) => [e.key, e.kind, e.customerId, e.bookingId])).toEqual([
      ['payment:pay-i5:payment_result', 'payment_result', 'cust-1', 'b5'],
    ]);
    expect(messageWords('payment_result', events[0]!.params)).toEqual({
      title: '付款成功',
      body: '已收到你在茶隐的付款 ¥96.00（听雨）。',
    });
    expect(
      paymentEvents('ms', structuredClone(paid), { customerId: 'cust-1', bookingId: 'b5' }, STORE),
    ).toEqual(events);
    const topUp = paymentEvents(
      'ms',
      { ...paid, description: '茶隐 · 储值充值' },
      { customerId: 'c' },
      STORE,
    );
    expect(topUp[0]!.params.what).toBe('储值充值');
  });

  it('a refusal already says the money goes back, so no second notice is made for it', () => {
    const refused = answerDoc('i5', { outcome: 'rejected', reason: 'x' }, Date.parse(at('10:01')));
    const told = answerEvents(
      'ms',
      refused,
      { kind: 'booking_request', customerId: 'cust-1', held: 9600 },
      STORE,
    );
    expect(told.map((e) => e.kind)).toEqual(['booking_refused']);
    expect(told[0]!.params.money).toBe('已付的 ¥96.00 会原路退回。');
  });
});

describe('the owner’s notices of a tea order and a device fault', () => {
  const order = (id: string, roomId: string | null) =>
    OrderDocSchema.parse({
      _id: `order:${id}`,
      type: 'order',
      storeId: 'ms',
      orderId: id,
      number: '17',
      day: '2026-12-05',
      bookingId: roomId ? 'b1' : null,
      roomId,
      status: 'placed',
      lines: [
        { itemId: 'tea', name: '龙井', specs: '', unitPrice: 3800, quantity: 2, amount: 7600 },
      ],
      totals: { amount: 7600, paid: 7600, refunded: 0 },
      money: [{ kind: 'payment', method: 'wechat', amount: 7600, at: at('10:00') }],
      history: [
        {
          at: at('10:00'),
          action: 'place',
          from: null,
          to: 'placed',
          actor: { kind: 'customer', id: 'c' },
        },
      ],
      createdAt: at('10:00'),
      updatedAt: at('10:00'),
    });

  it('tells the owner once of a tea order placed: for a room, or by its number at the counter', () => {
    const events = eventsOf('ms', order('o1', 'r1'), STORE);
    expect(kinds(events)).toEqual(['new_order owner']);
    expect(events[0]!.key).toBe('order:o1:new');
    expect(messageWords('new_order', events[0]!.params)).toEqual({
      title: '新的茶点单',
      body: '茶隐听雨下了茶点单，¥76.00。',
    });
    // Read again as it moves on (prepared, delivered): the same key, so no second message.
    const later = { ...order('o1', 'r1'), status: 'delivered' as const, updatedAt: at('10:30') };
    expect(eventsOf('ms', later, STORE).map((e) => e.key)).toEqual(['order:o1:new']);
    expect(eventsOf('ms', order('o2', null), STORE)[0]!.params.room).toBe('17号');
    expect(eventsOf('other', order('o1', 'r1'), STORE)).toEqual([]);
  });

  const health = (
    devices: { id: string; ok: boolean; lastOkAt: string | null; error?: string }[],
  ) =>
    DevicesHealthDocSchema.parse({
      _id: DEVICES_HEALTH_ID,
      type: 'devices_health',
      storeId: 'ms',
      buses: [],
      devices: devices.map((d) => ({
        deviceId: d.id,
        kind: 'lock',
        rooms: ['r1'],
        ok: d.ok,
        lastOkAt: d.lastOkAt,
        ...(d.error ? { lastError: d.error } : {}),
      })),
      updatedAt: at('10:05'),
    });

  it('tells the owner of each device that stopped answering, once per outage', () => {
    const down = health([
      { id: 'lock1', ok: false, lastOkAt: at('10:00'), error: 'timeout' },
      { id: 'lock2', ok: true, lastOkAt: at('10:05') },
    ]);
    const events = eventsOf('ms', down, STORE);
    expect(kinds(events)).toEqual(['device_fault owner']);
    expect(messageWords('device_fault', events[0]!.params)).toEqual({
      title: '设备故障',
      body: '茶隐听雨的门锁没有回应：timeout。',
    });
    // The same outage read again: the same key; back and down again: a new outage, a new key.
    expect(eventsOf('ms', structuredClone(down), STORE)).toEqual(events);
    const again = health([{ id: 'lock1', ok: false, lastOkAt: at('11:00') }]);
    expect(eventsOf('ms', again, STORE)[0]!.key).not.toBe(events[0]!.key);
    expect(
      eventsOf('ms', health([{ id: 'lock1', ok: true, lastOkAt: at('10:05') }]), STORE),
    ).toEqual([]);
  });
});
