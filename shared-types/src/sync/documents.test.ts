import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IntentDocSchema,
  answerDoc,
  answerDocId,
  availabilityDocId,
  intentDocId,
  intentIdOf,
  isOwnerIntent,
  ledgerDocId,
  parseIntent,
  storeDocSchemaFor,
} from './documents';
import { storeDbName } from './databases';

const bookingRequest = {
  _id: 'intent:i1',
  type: 'intent',
  intentId: 'i1',
  storeId: 's1',
  customerId: 'c1',
  createdAt: '2026-11-22T05:00:00.000Z',
  kind: 'booking_request',
  body: {
    booking: {
      roomId: 'r1',
      start: '2026-11-23T06:00:00.000Z',
      end: '2026-11-23T08:00:00.000Z',
      partySize: 2,
      customer: { phone: '13800138000' },
    },
    payment: { paymentId: 'p1', method: 'wechat', amount: 8000 },
  },
};

describe('document ids', () => {
  it('are deterministic and refuse parts that would make them ambiguous', () => {
    expect(storeDbName('s1')).toBe('store-s1');
    expect(ledgerDocId('k1', 'e2')).toBe('ledger:k1:e2');
    expect(availabilityDocId('r1', '2026-11-22')).toBe('availability:r1:2026-11-22');
    expect(() => ledgerDocId('k:1', 'e2')).toThrow();
    expect(() => intentDocId('_design')).toThrow();
    expect(() => storeDbName('S1')).toThrow();
    expect(() => availabilityDocId('r1', '2026-02-30')).toThrow();
  });

  it('round-trip an intent id', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$/), (id) => {
        expect(intentIdOf(intentDocId(id))).toBe(id);
        expect(answerDocId(id)).toBe(`answer:${id}`);
      }),
    );
    expect(intentIdOf('booking:k1')).toBeUndefined();
  });
});

describe('intents from the cloud', () => {
  it('accepts a well-formed booking request', () => {
    expect(parseIntent(bookingRequest)).toMatchObject({ ok: true });
  });

  it('reads the payment of an intent an older cloud wrote with its former words', () => {
    const older = {
      ...bookingRequest,
      body: {
        ...bookingRequest.body,
        payment: { paymentId: 'p1', channel: 'simulated', amount: 8000 },
      },
    };
    const parsed = parseIntent(older);
    expect(parsed).toMatchObject({ ok: true });
    if (parsed.ok && parsed.intent.kind === 'booking_request') {
      expect(parsed.intent.body.payment).toEqual({
        paymentId: 'p1',
        method: 'wechat',
        amount: 8000,
      });
    }
  });

  it('reports what is wrong with a bad one instead of throwing', () => {
    const wrongId = parseIntent({ ...bookingRequest, _id: 'intent:other' });
    expect(wrongId).toEqual({ ok: false, reason: expect.stringContaining('_id') });
    const unknownKind = parseIntent({ ...bookingRequest, kind: 'teleport' });
    expect(unknownKind.ok).toBe(false);
    const noPhone = parseIntent({
      ...bookingRequest,
      body: { ...bookingRequest.body, booking: { ...bookingRequest.body.booking, customer: {} } },
    });
    expect(noPhone.ok).toBe(false);
    expect(parseIntent(null).ok).toBe(false);
  });

  it('validates each kind by its own body', () => {
    const door = { ...bookingRequest, kind: 'door_open', body: { bookingId: 'k1' } };
    expect(IntentDocSchema.safeParse(door).success).toBe(true);
    const review = {
      ...bookingRequest,
      kind: 'review',
      body: {
        bookingId: 'k1',
        ratings: { environment: 5, facilities: 4, teaSnacks: 3, service: 6 },
        text: '',
      },
    };
    expect(IntentDocSchema.safeParse(review).success).toBe(false);
  });
});

describe("an owner's intents", () => {
  const owner = {
    _id: 'intent:o1',
    type: 'intent',
    intentId: 'o1',
    storeId: 's1',
    ownerId: 'boss',
    createdAt: '2026-11-22T05:00:00.000Z',
  };

  it("carry the owner, not a customer, and the hub routes' own bodies", () => {
    const cases = [
      { kind: 'store_patch', body: { name: 'New name' } },
      { kind: 'room_patch', body: { roomId: 'r1', patch: { status: 'retired' } } },
      { kind: 'calendar_set', body: { date: '2026-12-01', type: 'holiday' } },
      { kind: 'calendar_remove', body: { date: '2026-12-01' } },
      { kind: 'device_override', body: { deviceId: 'light-1', on: null, reason: 'back' } },
    ];
    for (const c of cases) {
      const parsed = parseIntent({ ...owner, ...c });
      expect(parsed).toMatchObject({ ok: true });
      if (parsed.ok) expect(isOwnerIntent(parsed.intent)).toBe(true);
    }
    expect(parseIntent({ ...owner, kind: 'store_patch', body: {} }).ok).toBe(false);
    expect(
      parseIntent({ ...owner, kind: 'device_override', body: { deviceId: 'l', on: true } }).ok,
    ).toBe(false);
    // A customer's kind under an owner, or an owner's kind under a customer, is no intent.
    expect(parseIntent({ ...owner, kind: 'door_open', body: { bookingId: 'k1' } }).ok).toBe(false);
    const { ownerId: _o, ...noOwner } = owner;
    expect(
      parseIntent({ ...noOwner, customerId: 'c1', kind: 'store_patch', body: { name: 'x' } }).ok,
    ).toBe(false);
  });
});

describe("the cloud's signature", () => {
  it("keep the cloud's signature, and parse without one so the hub can refuse it", () => {
    const signature = { keyId: 'abc', sig: 'c2ln' };
    const signed = parseIntent({ ...bookingRequest, signature });
    expect(signed.ok && signed.intent.signature).toEqual(signature);
    expect(parseIntent(bookingRequest)).toMatchObject({ ok: true });
    expect(parseIntent({ ...bookingRequest, signature: { keyId: 'a b', sig: '' } }).ok).toBe(false);
  });
});

describe('answers', () => {
  it('carry the intent id, the outcome and the time', () => {
    const doc = answerDoc('i1', { outcome: 'confirmed', bookingId: 'k9' }, Date.UTC(2026, 10, 22));
    expect(doc).toEqual({
      _id: 'answer:i1',
      type: 'answer',
      intentId: 'i1',
      outcome: 'confirmed',
      bookingId: 'k9',
      at: '2026-11-22T00:00:00.000Z',
    });
    expect(storeDocSchemaFor(doc._id)?.safeParse(doc).success).toBe(true);
    expect(() => answerDoc('i1', { outcome: 'maybe' as never }, 0)).toThrow();
  });
});
