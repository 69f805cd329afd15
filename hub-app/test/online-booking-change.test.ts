// A paid online booking moved from the customer's phone (sync/intents.ts, `booking_change`): the
// store changes it as at its counter (the change rules, the fee shown, a slot taken meanwhile),
// audited as the customer, and a cheaper time refunds the difference as a ledger entry; a dearer
// one is paid by the difference the cloud holds, recorded on the ledger in the change's write, and
// refused without it or when the amount held is not what is due.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { intentDocId } from '@roomhub/shared-types';
import { answerIntent } from '../src/sync/intents';
import { at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const CUSTOMER = 'c-change';

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

/** A booking of 14:00-16:00 the customer booked and paid online. */
async function paidOnline(hub: TestHub) {
  const storeId = hub.hub.store.getStore().id;
  const [roomId] = await hub.roomIds();
  const amount = await price(hub, roomId!, at('14:00'), at('16:00'));
  const answer = await answerIntent(
    hub.hub,
    intent(storeId, 'booking_request', {
      booking: {
        roomId,
        start: at('14:00'),
        end: at('16:00'),
        partySize: 2,
        customer: { phone: '13800138002' },
      },
      payment: { paymentId: `pay-${randomUUID()}`, method: 'wechat', amount },
    }),
  );
  expect(answer.outcome).toBe('confirmed');
  return { storeId, roomId: roomId!, bookingId: answer.bookingId!, amount };
}

describe('a customer changing a paid booking online', () => {
  it('moves it, refunds a cheaper time’s difference on the ledger, and audits it as the customer', async () => {
    h = await startTestHub();
    const { storeId, roomId, bookingId, amount } = await paidOnline(h);
    const hour = await price(h, roomId, at('17:00'), at('18:00'));
    expect(hour).toBeLessThan(amount);

    // Another customer cannot move it.
    const change = (customerId = CUSTOMER, body: Record<string, unknown> = {}) =>
      intent(
        storeId,
        'booking_change',
        { bookingId, start: at('17:00'), end: at('18:00'), expectedFee: 0, ...body },
        customerId,
      );
    const theirs = await answerIntent(h.hub, change('c-someone-else'));
    expect(theirs.outcome).toBe('rejected');
    expect(h.hub.records.get(bookingId).start_at).toBe(Date.parse(at('14:00')));

    const asked = change();
    const answer = await answerIntent(h.hub, asked);
    expect(answer, JSON.stringify(answer)).toMatchObject({
      outcome: 'done',
      bookingId,
      fee: 0,
      refund: amount - hour,
    });
    const row = h.hub.records.get(bookingId);
    expect([row.start_at, row.end_at]).toEqual([Date.parse(at('17:00')), Date.parse(at('18:00'))]);
    expect(row.total).toBe(hour);
    // The difference goes back the way refunds go: an entry of the booking's ledger.
    const tz = h.hub.store.getStore().timeZone;
    const refunds = h.hub.ledger.entriesOf(bookingId, tz).filter((e) => e.kind === 'refund');
    expect(refunds.map((e) => e.amount)).toEqual([-(amount - hour)]);
    expect(h.hub.ledger.balanceOf(row).refundable).toBe(hour);
    // The history keeps before and after, by the customer.
    const changed = h.hub.records.history(bookingId, tz).findLast((e) => e.action === 'change');
    expect(changed?.actor).toMatchObject({ kind: 'customer' });
    expect(changed?.data).toMatchObject({
      before: { start: expect.stringContaining('14:00') },
      after: { start: expect.stringContaining('17:00'), total: hour },
    });

    // Handed over again, it is the same answer and no second refund.
    expect(await answerIntent(h.hub, asked)).toMatchObject({ outcome: 'done', bookingId });
    expect(h.hub.ledger.entriesOf(bookingId, tz).filter((e) => e.kind === 'refund')).toHaveLength(
      1,
    );
  });

  it('takes a dearer time’s difference the cloud holds on the ledger, exactly the amount due', async () => {
    h = await startTestHub();
    const { storeId, roomId, bookingId, amount } = await paidOnline(h);
    const three = await price(h, roomId, at('14:00'), at('17:00'));
    const due = three - amount;
    expect(due).toBeGreaterThan(0);
    const tz = h.hub.store.getStore().timeZone;
    const ask = (paid: number) =>
      intent(storeId, 'booking_change', {
        bookingId,
        start: at('14:00'),
        end: at('17:00'),
        expectedFee: 0,
        payment: { paymentId: `pay-${randomUUID()}`, method: 'wechat', amount: paid },
      });

    // Held for another amount than is due: refused whole, so the cloud gives it back.
    const wrong = await answerIntent(h.hub, ask(due - 1));
    expect(wrong.outcome).toBe('rejected');
    expect(wrong.reason).toMatch(/price is now/);
    expect(h.hub.records.get(bookingId).end_at).toBe(Date.parse(at('16:00')));
    expect(h.hub.ledger.entriesOf(bookingId, tz)).toHaveLength(1);

    const asked = ask(due);
    const answer = await answerIntent(h.hub, asked);
    expect(answer, JSON.stringify(answer)).toMatchObject({ outcome: 'confirmed', bookingId });
    const row = h.hub.records.get(bookingId);
    expect([row.start_at, row.end_at, row.total]).toEqual([
      Date.parse(at('14:00')),
      Date.parse(at('17:00')),
      three,
    ]);
    // Both payments on the ledger, summing to the new total; nothing owed.
    const entries = h.hub.ledger.entriesOf(bookingId, tz);
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([
      ['payment', amount],
      ['payment', due],
    ]);
    expect(h.hub.ledger.balanceOf(row)).toMatchObject({ paid: three, due: 0 });

    // Handed over again: the same answer, the difference recorded once.
    expect(await answerIntent(h.hub, asked)).toMatchObject({ outcome: 'confirmed', bookingId });
    expect(h.hub.ledger.entriesOf(bookingId, tz)).toHaveLength(2);
  });

  it('refuses a slot taken meanwhile, a dearer time, and a change the rules close', async () => {
    h = await startTestHub();
    const { storeId, roomId, bookingId } = await paidOnline(h);
    const taken = await h.api('POST', '/api/bookings', {
      roomId,
      start: at('18:00'),
      end: at('19:00'),
      partySize: 2,
      customer: { phone: '13900000002' },
    });
    expect(taken.status).toBe(201);
    await h.api('POST', `/api/bookings/${taken.body.id}/pay`, { method: 'cash' }, STAFF);
    const ask = (start: string, end: string, expectedFee = 0) =>
      answerIntent(
        h!.hub,
        intent(storeId, 'booking_change', { bookingId, start, end, expectedFee }),
      );
    const unchanged = () => {
      const row = h!.hub.records.get(bookingId);
      expect([row.start_at, row.end_at, row.changes]).toEqual([
        Date.parse(at('14:00')),
        Date.parse(at('16:00')),
        0,
      ]);
    };

    const slot = await ask(at('18:00'), at('19:00'));
    expect(slot.outcome).toBe('rejected');
    expect(slot.reason).toMatch(/no longer free/);
    unchanged();

    const dearer = await ask(at('14:00'), at('17:00'));
    expect(dearer.outcome).toBe('rejected');
    expect(dearer.reason).toMatch(
      /costs more than was paid; cancel and book again, or ask the store/,
    );
    unchanged();

    const fee = await ask(at('20:00'), at('21:00'), 500);
    expect(fee.outcome).toBe('rejected');
    expect(fee.reason).toMatch(/fee/);
    unchanged();

    // Changes close an hour before the start.
    h.clock.set(Date.parse(at('13:30')));
    const late = await ask(at('20:00'), at('21:00'));
    expect(late.outcome).toBe('rejected');
    expect(late.reason).toMatch(/before the start/);
    unchanged();
    expect(h.hub.ledger.entriesOf(bookingId, h.hub.store.getStore().timeZone)).toHaveLength(1);
  });
});
