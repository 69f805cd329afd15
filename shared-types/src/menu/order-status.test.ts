import { describe, expect, it } from 'vitest';
import { checkOrderTransition, OrderTransitionError } from './order-status';

const customer = { kind: 'customer' } as const;
const staff = { kind: 'staff' } as const;
const system = { kind: 'system' } as const;

describe('order state machine', () => {
  it("lets a customer or staff place an order, and the hub a bundle's tea set", () => {
    expect(checkOrderTransition(null, 'place', customer)).toBe('placed');
    expect(checkOrderTransition(null, 'place', staff)).toBe('placed');
    expect(checkOrderTransition(null, 'place', system)).toBe('placed');
    expect(checkOrderTransition('placed', 'cancel', system)).toBe('cancelled');
    expect(() => checkOrderTransition('placed', 'prepare', system)).toThrow(/system may not/);
  });

  it('goes placed, prepared, delivered, by staff only', () => {
    expect(checkOrderTransition('placed', 'prepare', staff)).toBe('prepared');
    expect(checkOrderTransition('prepared', 'deliver', staff)).toBe('delivered');
    expect(checkOrderTransition('placed', 'deliver', staff)).toBe('delivered');
    expect(() => checkOrderTransition('placed', 'prepare', customer)).toThrow(OrderTransitionError);
  });

  it('cancels only what nobody has made yet, and refunds only what was made', () => {
    expect(checkOrderTransition('placed', 'cancel', staff)).toBe('cancelled');
    expect(() => checkOrderTransition('prepared', 'cancel', staff)).toThrow(/cannot cancel/);
    expect(checkOrderTransition('delivered', 'refund', staff)).toBe('refunded');
    expect(() => checkOrderTransition('placed', 'refund', staff)).toThrow(/cannot refund/);
  });

  it('never moves a closed order', () => {
    for (const closed of ['refunded', 'cancelled'] as const) {
      for (const action of ['prepare', 'deliver', 'cancel', 'refund'] as const) {
        try {
          checkOrderTransition(closed, action, staff);
          expect.unreachable();
        } catch (e) {
          expect((e as OrderTransitionError).code).toBe('order_not_now');
        }
      }
    }
  });
});
