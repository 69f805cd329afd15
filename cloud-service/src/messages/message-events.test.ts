// Each step of a booking's history becomes the message its customer and its store's owner should
// have, with its words: paid, changed, extended, a refund asked for (and the owner's review), a
// refund turned down with the store's reason, money given back, and a cancellation with what went
// back. The same document read again gives the same events with the same keys.
import { describe, expect, it } from 'vitest';
import {
  BookingDocSchema,
  LedgerDocSchema,
  answerDoc,
  bookingDocId,
  ledgerDocId,
  messageWords,
} from '@roomhub/shared-types';
import {
  answerEvents,
  eventsOf,
  voucherEvents,
  type AnsweredIntent,
  type StoreWords,
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
