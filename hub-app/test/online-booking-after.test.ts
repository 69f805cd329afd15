// What the hub does for a booking made online once it is confirmed (sync/intents.ts and
// sync/documents.ts): it publishes the booking's entry code and QR with it (an online booking
// only; a kiosk booking's code stays on its receipt), which open the door; and it takes an
// extension the booking's own customer asked for online, paid through the cloud, moving the end,
// while another customer's is refused.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { bookingDocId, intentDocId } from '@roomhub/shared-types';
import { answerIntent } from '../src/sync/intents';
import { buildDocument } from '../src/sync/documents';
import { at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const CUSTOMER = 'c-after';

function intent(
  storeId: string,
  kind: string,
  body: Record<string, unknown>,
  customerId = CUSTOMER,
) {
  const intentId = randomUUID();
  return {
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId,
    customerId,
    createdAt: new Date().toISOString(),
    kind,
    body,
  } as never;
}

const price = async (hub: TestHub, roomId: string, start: string, end: string) =>
  (await hub.api('POST', '/api/quotes', { roomId, start, end })).body.total as number;

describe('an online booking after it is confirmed', () => {
  it('publishes its door code, and takes its own customer’s extension', async () => {
    h = await startTestHub();
    const storeId = h.hub.store.getStore().id;
    const [roomId] = await h.roomIds();
    const answer = await answerIntent(
      h.hub,
      intent(storeId, 'booking_request', {
        booking: {
          roomId,
          start: at('11:00'),
          end: at('12:00'),
          partySize: 2,
          customer: { phone: '13800138001' },
        },
        payment: {
          paymentId: `pay-${randomUUID()}`,
          method: 'wechat',
          amount: await price(h, roomId!, at('11:00'), at('12:00')),
        },
      }),
    );
    expect(answer.outcome).toBe('confirmed');
    const bookingId = answer.bookingId!;
    const row = h.hub.records.get(bookingId);

    // The booking's document carries the way in: the hub's own entry code, and the QR of it.
    const doc = buildDocument(h.hub, bookingDocId(bookingId), undefined) as {
      door?: { entryCode: string; qr: string };
    };
    const entry = h.hub.doorCodes.current(bookingId, row.number)!.entryCode;
    expect(doc.door).toEqual({ entryCode: entry, qr: `RH1:${row.number}:${entry}` });
    expect(h.hub.doorCodes.check(bookingId, entry)).toBe(true);

    // A kiosk booking publishes none.
    const kiosk = await h.api('POST', '/api/bookings', {
      roomId,
      start: at('15:00'),
      end: at('16:00'),
      partySize: 2,
      customer: { phone: '13900000001' },
    });
    expect(kiosk.status).toBe(201);
    await h.api('POST', `/api/bookings/${kiosk.body.id}/pay`, { method: 'cash' }, STAFF);
    const kioskDoc = buildDocument(h.hub, bookingDocId(kiosk.body.id), undefined) as {
      door?: unknown;
    };
    expect(kioskDoc.door).toBeUndefined();

    // Another customer's extension of it is refused; its own customer's moves the end.
    h.clock.set(Date.parse(at('11:47')));
    const hour = await price(h, roomId!, at('12:00'), at('13:00'));
    const extend = (customerId: string) =>
      intent(
        storeId,
        'extension',
        {
          bookingId,
          end: at('13:00'),
          payment: { paymentId: `pay-${randomUUID()}`, method: 'wechat', amount: hour },
        },
        customerId,
      );
    const theirs = await answerIntent(h.hub, extend('c-someone-else'));
    expect(theirs.outcome).toBe('rejected');
    expect(h.hub.records.get(bookingId).end_at).toBe(Date.parse(at('12:00')));
    const mine = await answerIntent(h.hub, extend(CUSTOMER));
    expect(mine, JSON.stringify(mine)).toMatchObject({ outcome: 'confirmed', bookingId });
    expect(h.hub.records.get(bookingId).end_at).toBe(Date.parse(at('13:00')));
    expect(h.hub.ledger.balanceOf(h.hub.records.get(bookingId)).due).toBe(0);
  });
});
