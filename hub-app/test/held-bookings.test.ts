// A booking asked for online in two steps, as at the store's counter: the request holds the slot
// unpaid (`held`, with when the hold ends), and a payment intent pays it (`confirmed`); a payment
// that comes after the hold ended, or of another amount than is due, is refused, so the cloud
// gives the money back. Answered by the hub (sync/intents.ts) as the replicator hands them over.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { intentDocId } from '@roomhub/shared-types';
import { answerIntent } from '../src/sync/intents';
import { at, startTestHub, type TestHub } from './harness';

let h: TestHub | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function intent(storeId: string, kind: string, body: Record<string, unknown>) {
  const intentId = randomUUID();
  return {
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId,
    customerId: 'c-held',
    createdAt: new Date().toISOString(),
    kind,
    body,
  } as never;
}

async function hold(hub: TestHub, start: string, end: string) {
  const storeId = hub.hub.store.getStore().id;
  const [roomId] = await hub.roomIds();
  const answer = await answerIntent(
    hub.hub,
    intent(storeId, 'booking_request', {
      booking: { roomId, start, end, partySize: 2, customer: { phone: '13800138000' } },
    }),
  );
  return { storeId, answer };
}

const payment = (amount: number) => ({
  paymentId: `pay-${randomUUID()}`,
  method: 'wechat',
  amount,
});

describe('held bookings from the cloud', () => {
  it('holds the slot unpaid, then the payment confirms it', async () => {
    h = await startTestHub();
    const { storeId, answer } = await hold(h, at('14:00'), at('16:00'));
    expect(answer).toMatchObject({ outcome: 'held', holdUntil: expect.stringMatching(/\+08:00$/) });
    const bookingId = answer.bookingId!;
    const held = h.hub.views.detail(bookingId);
    expect(held).toMatchObject({ status: 'pending_payment', holdExpiresAt: answer.holdUntil });

    const wrong = await answerIntent(
      h.hub,
      intent(storeId, 'booking_payment', { bookingId, payment: payment(held.due - 100) }),
    );
    expect(wrong).toMatchObject({ outcome: 'rejected', bookingId });
    expect(wrong.reason).toContain(`${held.due} fen`);

    const paid = await answerIntent(
      h.hub,
      intent(storeId, 'booking_payment', { bookingId, payment: payment(held.due) }),
    );
    expect(paid).toEqual({ outcome: 'confirmed', bookingId });
    expect(h.hub.views.detail(bookingId)).toMatchObject({ status: 'paid', due: 0 });
  });

  it('refuses a payment after the hold ended: the slot went back', async () => {
    h = await startTestHub();
    const { storeId, answer } = await hold(h, at('14:00'), at('16:00'));
    const bookingId = answer.bookingId!;
    const due = h.hub.views.detail(bookingId).due;
    h.clock.set(Date.parse(answer.holdUntil!) + 1_000);
    await h.runJobs();
    expect(h.hub.views.detail(bookingId).status).toBe('cancelled');
    const late = await answerIntent(
      h.hub,
      intent(storeId, 'booking_payment', { bookingId, payment: payment(due) }),
    );
    expect(late).toMatchObject({ outcome: 'rejected', bookingId });
    expect(late.reason).toMatch(/hold ended/);
  });

  it('lets a hold go when the customer cancels it before paying', async () => {
    h = await startTestHub();
    const { storeId, answer } = await hold(h, at('14:00'), at('16:00'));
    const bookingId = answer.bookingId!;
    const cancelled = await answerIntent(
      h.hub,
      intent(storeId, 'refund_request', { bookingId, reason: '不去了', expectedFee: 0 }),
    );
    expect(cancelled).toEqual({ outcome: 'done', bookingId, fee: 0, refund: 0 });
    expect(h.hub.views.detail(bookingId).status).toBe('cancelled');
  });
});
