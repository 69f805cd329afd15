import { describe, expect, it } from 'vitest';
import { staleKeysOf } from './live-events';

describe('what the hub’s events make stale', () => {
  it('refreshes the board and the booking when a booking is paid, and nothing on a device reading', () => {
    expect(
      staleKeysOf({
        type: 'booking.status',
        bookingId: 'b1',
        number: '202611230001',
        roomId: 'r1',
        status: 'paid',
        at: 0,
      }),
    ).toEqual([['board'], ['booking', 'b1']]);
    expect(staleKeysOf({ type: 'board.changed', roomId: 'r1', from: 0, to: 1, at: 0 })).toEqual([
      ['board'],
    ]);
    expect(
      staleKeysOf({
        type: 'device.health',
        device: {} as never,
        at: 0,
      }),
    ).toEqual([]);
  });

  it('lists the ways to pay again when the owner switches one', () => {
    expect(
      staleKeysOf({
        type: 'payment.channels',
        surface: 'counter',
        choice: 'cash',
        on: false,
        at: 0,
      }),
    ).toEqual([['payment-methods']]);
  });
});
