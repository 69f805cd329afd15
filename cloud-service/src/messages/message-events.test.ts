// Each step of a booking's history becomes the message its customer and its store's owner should
// have, with its words: paid, changed, extended, a refund asked for (and the owner's review), a
// refund turned down with the store's reason, money given back, and a cancellation with what went
// back. The same document read again gives the same events with the same keys.
import { describe, expect, it } from 'vitest';
import { BookingDocSchema, bookingDocId } from '@roomhub/shared-types';
import { eventsOf, type StoreWords } from './message-events';

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
