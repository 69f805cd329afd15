// A customer's refund request from the cloud, as the hub answers it (sync/intents.ts): before the
// start it is a cancellation at the fee the customer was shown, and the answer says the fee and
// the refund; a fee that moved since is refused, naming the new one; after the start it waits
// for the store's review, and the answer says so. Handed over again, the same answer.
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

const CUSTOMER = 'c-refund';

function intent(storeId: string, kind: string, body: Record<string, unknown>) {
  const intentId = randomUUID();
  return {
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId,
    customerId: CUSTOMER,
    createdAt: new Date().toISOString(),
    kind,
    body,
  } as never;
}

/** A booking the customer made online, paid through the cloud. */
async function bookedOnline(hub: TestHub, start: string, end: string) {
  const storeId = hub.hub.store.getStore().id;
  const [roomId] = await hub.roomIds();
  const quote = await hub.api('POST', '/api/quotes', { roomId, start, end });
  const amount = quote.body.total as number;
  const answer = await answerIntent(
    hub.hub,
    intent(storeId, 'booking_request', {
      booking: { roomId, start, end, partySize: 2, customer: { phone: '13800138000' } },
      payment: { paymentId: `pay-${randomUUID()}`, method: 'wechat', amount },
    }),
  );
  expect(answer.outcome).toBe('confirmed');
  return { storeId, bookingId: answer.bookingId!, amount };
}

describe('refund requests from the cloud', () => {
  it('cancels before the start at the fee shown, and answers the fee and the refund', async () => {
    h = await startTestHub();
    // An hour ahead: the default rules keep 20 %.
    const { storeId, bookingId, amount } = await bookedOnline(h, at('11:00'), at('12:00'));
    const fee = Math.floor(amount * 0.2);
    expect(h.hub.views.detail(bookingId).ifNow.cancel).toEqual({
      fee,
      refund: amount - fee,
      feePercent: 20,
    });

    // Shown another fee (say, before the notice fell under two hours): refused, naming the fee.
    const stale = await answerIntent(
      h.hub,
      intent(storeId, 'refund_request', { bookingId, reason: '行程有变', expectedFee: 0 }),
    );
    expect(stale).toMatchObject({ outcome: 'rejected', bookingId });
    expect(stale.reason).toContain(`${fee} fen`);
    expect(h.hub.views.detail(bookingId).status).toBe('paid');

    const asked = intent(storeId, 'refund_request', {
      bookingId,
      reason: '行程有变',
      expectedFee: fee,
    });
    const answer = await answerIntent(h.hub, asked);
    expect(answer).toEqual({ outcome: 'done', bookingId, fee, refund: amount - fee });
    expect(['refunding', 'refunded']).toContain(h.hub.views.detail(bookingId).status);
    // Handed over again (a restart before the answer was published): the same answer.
    expect(await answerIntent(h.hub, asked)).toEqual(answer);
  });

  it('sends a refund after the start to review, and says so', async () => {
    h = await startTestHub();
    const { storeId, bookingId } = await bookedOnline(h, at('11:00'), at('13:00'));
    h.clock.set(Date.parse(at('11:30')));
    const asked = intent(storeId, 'refund_request', { bookingId, reason: '空调坏了' });
    const answer = await answerIntent(h.hub, asked);
    expect(answer).toEqual({ outcome: 'done', bookingId, underReview: true });
    expect(await answerIntent(h.hub, asked)).toEqual(answer);
  });
});
