import { describe, expect, it } from 'vitest';
import {
  checkTransition,
  countsAsInUse,
  keepsSessionSteps,
  TransitionError,
} from './booking-status';

const customer = { kind: 'customer', id: '13800000000' } as const;
const staff = { kind: 'staff', id: 's1' } as const;
const system = { kind: 'system', id: 'hold-expiry' } as const;

describe('booking state machine', () => {
  it('lets a customer pay a pending booking', () => {
    expect(checkTransition('pending_payment', 'pay', customer, 'paid')).toBe('paid');
  });
  it('lets only the system expire a hold', () => {
    expect(() => checkTransition('pending_payment', 'expire', customer, 'cancelled')).toThrow(
      /customer may not expire/,
    );
    expect(checkTransition('pending_payment', 'expire', system, 'cancelled')).toBe('cancelled');
  });
  it('refuses to pay a cancelled booking', () => {
    try {
      checkTransition('cancelled', 'pay', customer, 'paid');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TransitionError);
      expect((e as TransitionError).code).toBe('illegal_transition');
    }
  });
  it('sends a rejected refund back to the status it came from, and only there', () => {
    expect(checkTransition('refunding', 'reject_refund', staff, 'in_use', 'in_use')).toBe('in_use');
    expect(() => checkTransition('refunding', 'reject_refund', staff, 'paid', 'in_use')).toThrow(
      TransitionError,
    );
  });
  it('keeps refund approval with staff', () => {
    expect(() => checkTransition('refunding', 'approve_refund', customer, 'refunded')).toThrow(
      /customer may not approve refund/,
    );
  });
});

describe('a refund under review', () => {
  it('keeps a session in use while it is decided, and nothing else', () => {
    expect(countsAsInUse('in_use', null)).toBe(true);
    expect(countsAsInUse('refunding', 'in_use')).toBe(true);
    expect(countsAsInUse('refunding', 'paid')).toBe(false);
    expect(countsAsInUse('paid', null)).toBe(false);
    expect(countsAsInUse('refunding', null)).toBe(false);
  });

  it('keeps the session steps of a paid or in-use booking, not of a cancelled one', () => {
    expect(keepsSessionSteps('paid', null)).toBe(true);
    expect(keepsSessionSteps('refunding', 'paid')).toBe(true);
    expect(keepsSessionSteps('refunding', 'in_use')).toBe(true);
    expect(keepsSessionSteps('refunding', null)).toBe(false); // a cancellation's refund
    expect(keepsSessionSteps('completed', null)).toBe(false);
    expect(keepsSessionSteps('pending_payment', null)).toBe(false);
  });
});
