// What a customer asks online about coupons and membership, answered by a real hub: a claim is
// issued once and makes its customer a member, a refused one leaves nothing behind (no coupon, no
// member), joining is once whatever is asked again; and what the store publishes of it: the
// claimable campaign without the owner's own name for it, each coupon under the customer id of
// its phone (never the phone) with the booking it is on, and what a point is worth.
import {
  customerIdForPhone,
  IntentDocSchema,
  intentDocId,
  type IntentDoc,
} from '@roomhub/shared-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerIntent } from '../src/sync/intents';
import { buildDocument } from '../src/sync/documents';
import { as, at, CUSTOMER_ID_KEY, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
const PHONE = '13912345601';
const OTHER = '13912345602';

beforeEach(async () => {
  h = await startTestHub();
});
afterEach(async () => {
  await h.close();
});

let seq = 0;
const intent = (kind: 'coupon_claim' | 'member_join', body: unknown): IntentDoc => {
  const intentId = `ci${(seq += 1)}`;
  return IntentDocSchema.parse({
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId: h.hub.store.getStore().id,
    customerId: 'c1',
    createdAt: new Date(h.clock.now()).toISOString(),
    kind,
    body,
  });
};
const campaign = async (over: Record<string, unknown> = {}) => {
  const r = await h.api(
    'POST',
    '/api/campaigns',
    {
      name: 'staff name: lapsed customers',
      kind: 'claim',
      couponName: '立减20元',
      coupon: { rule: { kind: 'amount', amountOff: 2000 } },
      claimFrom: '2026-11-01',
      claimTo: '2026-11-30',
      useDays: 30,
      ...over,
    },
    STAFF,
  );
  expect(r.status).toBe(201);
  return r.body.id as string;
};
const member = (phone: string) =>
  h.hub.db.prepare('SELECT name, joined_by FROM members WHERE phone = ?').get(phone) as
    { name: string | null; joined_by: string } | undefined;
const doc = (id: string) => buildDocument(h.hub, id, CUSTOMER_ID_KEY) as Record<string, unknown>;

describe('a coupon claimed online', () => {
  it('is issued once and makes a member; a refused claim leaves nothing behind', async () => {
    const id = await campaign({ perPerson: 1 });
    const claim = intent('coupon_claim', { phone: PHONE, campaignId: id });
    expect(await answerIntent(h.hub, claim)).toEqual({ outcome: 'done' });
    // Handed over again: the first answer, no second coupon.
    expect(await answerIntent(h.hub, claim)).toEqual({ outcome: 'done' });
    expect((await h.api('GET', `/api/coupons?phone=${PHONE}`, undefined, STAFF)).body).toHaveLength(
      1,
    );
    expect(member(PHONE)).toEqual({ name: null, joined_by: 'online' });
    // A second claim passes the per-person limit: refused in words.
    const more = await answerIntent(
      h.hub,
      intent('coupon_claim', { phone: PHONE, campaignId: id }),
    );
    expect(more).toMatchObject({ outcome: 'rejected', reason: expect.stringMatching(/at most 1/) });
    // A paused campaign: refused, and the customer is not made a member by a claim that failed.
    await h.api('PATCH', `/api/campaigns/${id}`, { status: 'paused' }, STAFF);
    const paused = await answerIntent(
      h.hub,
      intent('coupon_claim', { phone: OTHER, campaignId: id }),
    );
    expect(paused).toMatchObject({ outcome: 'rejected', reason: 'this campaign is paused' });
    expect(member(OTHER)).toBeUndefined();
    const none = await answerIntent(
      h.hub,
      intent('coupon_claim', { phone: OTHER, campaignId: 'no-such-campaign' }),
    );
    expect(none.outcome).toBe('rejected');
    expect((await h.api('GET', `/api/coupons?phone=${OTHER}`, undefined, STAFF)).body).toEqual([]);
  });

  it('joining is once, with the name given, whatever is asked again', async () => {
    const join = intent('member_join', { phone: OTHER, name: '小王' });
    expect(await answerIntent(h.hub, join)).toEqual({ outcome: 'done' });
    expect(
      await answerIntent(h.hub, intent('member_join', { phone: OTHER, name: '别人' })),
    ).toEqual({ outcome: 'done' });
    expect(member(OTHER)).toEqual({ name: '小王', joined_by: 'online' });
    expect(h.hub.db.prepare('SELECT COUNT(*) FROM members').pluck().get()).toBe(1);
  });
});

describe('what the store publishes of coupons', () => {
  it('a claimable campaign without the owner’s name; each coupon under its customer id', async () => {
    const id = await campaign({ totalLimit: 1 });
    const manual = await campaign({ kind: 'manual' });
    const published = doc(`campaign:${id}`);
    expect(published).toMatchObject({ couponName: '立减20元', soldOut: false, status: 'active' });
    expect(JSON.stringify(published)).not.toContain('lapsed');
    // Given by hand only: nothing to claim online.
    expect(buildDocument(h.hub, `campaign:${manual}`, CUSTOMER_ID_KEY)).toBeNull();
    await answerIntent(h.hub, intent('coupon_claim', { phone: PHONE, campaignId: id }));
    expect(doc(`campaign:${id}`)).toMatchObject({ soldOut: true });
    const marked = h.hub.db.prepare('SELECT doc_id FROM outbox').pluck().all() as string[];
    expect(marked).toContain(`campaign:${id}`);

    const [coupon] = (await h.api('GET', `/api/coupons?phone=${PHONE}`, undefined, STAFF)).body;
    const couponDoc = doc(`coupon:${coupon.id}`);
    expect(couponDoc).toMatchObject({
      customerId: customerIdForPhone(PHONE, CUSTOMER_ID_KEY),
      campaignId: id,
      bookingId: null,
    });
    expect(JSON.stringify(couponDoc)).not.toContain(PHONE);
    expect(buildDocument(h.hub, `coupon:${coupon.id}`, undefined)).toBeNull();

    // On a booking it names the booking; cancelled, it is free again.
    const room = (await h.roomIds())[0]!;
    const booked = await h.api('POST', '/api/bookings', {
      roomId: room,
      start: at('10:00', 1),
      end: at('12:00', 1),
      partySize: 2,
      customer: { phone: PHONE },
      couponIds: [coupon.id],
    });
    expect(booked.status).toBe(201);
    expect(doc(`coupon:${coupon.id}`)).toMatchObject({ bookingId: booked.body.id });
    await h.api('POST', `/api/bookings/${booked.body.id}/cancel`, {}, as('cashier'));
    expect(doc(`coupon:${coupon.id}`)).toMatchObject({ bookingId: null });
  });

  it('what a point is worth, republished when the owner changes it', async () => {
    expect(doc('profile:store')).toMatchObject({ fenPerPoint: 1 });
    const r = await h.api(
      'PUT',
      '/api/member-rules',
      { levelRule: 'spend', pointsPerYuan: 1, fenPerPoint: 5, pointsExpireMonths: 12 },
      STAFF,
    );
    expect(r.status).toBe(200);
    expect(doc('profile:store')).toMatchObject({ fenPerPoint: 5 });
    const marked = h.hub.db
      .prepare(`SELECT doc_id FROM outbox WHERE doc_id = 'profile:store'`)
      .pluck()
      .all();
    expect(marked.length).toBeGreaterThan(0);
  });
});
