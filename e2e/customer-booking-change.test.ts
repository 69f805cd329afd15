// A customer moves a paid booking from the phone (改期), over HTTP against the cloud service, an
// embedded CouchDB and a store's real hub on one clock: the cloud quotes the new time (its price,
// the change fee, what comes back) and refuses what it can tell at once (another customer's
// booking, a bad field named, a time someone else has); the store moves it by its change rules,
// the difference goes back as a refund on the booking's ledger, and "my orders" shows the new
// time. A dearer time is quoted with what is still to pay, paid through the payment channel and
// held until the store answers: taken when it moves the booking (the ledger then sums to all the
// customer paid), given back exactly once when it refuses or never answers; a booking that used
// a coupon is quoted with it, as the store bills the moved booking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, STAFF, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud, type CloudAnswer } from './fixtures';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;

beforeAll(async () => {
  running = await startStoreAndCloud('customer-booking-change');
}, 180_000);

afterAll(async () => {
  await running?.close();
});

const q = (o: Record<string, string>) => new URLSearchParams(o).toString();

/** The customer's change request, sent as the app sends it, with its idempotency key. */
const askChange = (
  bookingId: string,
  body: Record<string, unknown>,
  token: string,
  key: string,
): Promise<CloudAnswer> =>
  fetch(`${running.cloud.url}/api/orders/${bookingId}/change`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'idempotency-key': key,
    },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as never }));

/** A booking the customer booked and paid online, once the cloud has it as paid. */
async function bookedOnline(token: string, roomId: string, start: string, end: string) {
  const { hub, cloud, api } = running;
  const storeId = hub.hub.store.getStore().id;
  const booked = await api(
    'POST',
    '/api/bookings',
    { storeId, roomId, start, end, partySize: 2 },
    token,
  );
  expect(booked.status, JSON.stringify(booked.body)).toBe(201);
  const bookingId = booked.body.bookingId as string;
  await until('the paid booking in the cloud', async () => {
    await cloud.cloud.follower.followNow();
    const d = await api('GET', `/api/orders/${bookingId}`, undefined, token);
    return d.body.booking?.status === 'paid' ? true : undefined;
  });
  return { bookingId, paid: hub.hub.records.get(bookingId).total };
}

/** The customer who pays for dearer changes, signed in once (the cloud limits codes per sender). */
let payer: string | undefined;
const payerToken = async () => (payer ??= await running.signIn('13800005604'));

/** What the payment channel did with one payment, in order. */
const movesOf = (paymentId: string) =>
  running.payments.moves.filter((m) => m.paymentId === paymentId).map((m) => m.to);

describe('a customer changing a paid booking online', () => {
  it('quotes, refuses what it must, and moves the booking with the difference refunded', async () => {
    const { hub, cloud, api, signIn } = running;
    const storeId = hub.hub.store.getStore().id;
    const [roomId] = await hub.roomIds();
    const token = await signIn('13800005601');
    const other = await signIn('13800005602');

    const booked = await api(
      'POST',
      '/api/bookings',
      { storeId, roomId, start: at('14:00'), end: at('16:00'), partySize: 2 },
      token,
    );
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const bookingId = booked.body.bookingId as string;
    const paid = hub.hub.records.get(bookingId).total;
    // Someone else has 18:00-19:00 at the counter.
    const counter = await hub.api('POST', '/api/bookings', {
      roomId,
      start: at('18:00'),
      end: at('19:00'),
      partySize: 2,
      customer: { phone: '13900005603' },
    });
    expect(counter.status).toBe(201);
    await hub.api('POST', `/api/bookings/${counter.body.id}/pay`, { method: 'cash' }, STAFF);
    const order = () => api('GET', `/api/orders/${bookingId}`, undefined, token);
    await until('the paid booking and the taken hour in the cloud', async () => {
      await cloud.cloud.follower.followNow();
      const day = await api(
        'GET',
        `/api/stores/${storeId}/rooms/${roomId}/availability?date=2026-11-23`,
      );
      const taken = (day.body.segments ?? []).some(
        (x: { start: string; state: string }) => x.start.includes('18:00') && x.state === 'booked',
      );
      return (await order()).body.booking?.status === 'paid' && taken ? true : undefined;
    });

    const quote = (who: string, span: Record<string, string>) =>
      api('GET', `/api/orders/${bookingId}/change/quote?${q(span)}`, undefined, who);
    const hourSpan = { start: at('16:30'), end: at('17:30') };

    // Another customer's booking is not there for them.
    expect((await quote(other, hourSpan)).status).toBe(404);
    const theirs = await api(
      'POST',
      `/api/orders/${bookingId}/change`,
      { ...hourSpan, expectedFee: 0 },
      other,
    );
    expect(theirs.status).toBe(404);

    // Bad shapes are named by field.
    const noFee = await api('POST', `/api/orders/${bookingId}/change`, hourSpan, token);
    expect(noFee.status).toBe(400);
    expect(noFee.body.error.field).toBe('expectedFee');
    const badStart = await quote(token, { start: 'at five', end: at('18:00') });
    expect(badStart.status).toBe(400);
    expect(badStart.body.error.field).toBe('start');

    // A time someone else has is refused before anything is asked.
    const taken = await quote(token, { start: at('18:00'), end: at('19:00') });
    expect(taken.status, JSON.stringify(taken.body)).toBe(409);
    expect(taken.body.error.code).toBe('slot_taken');

    // The quote: the new hour's price, no fee by the default rules, the rest comes back.
    const shown = await quote(token, hourSpan);
    expect(shown.status, JSON.stringify(shown.body)).toBe(200);
    const hour = shown.body.quote.total as number;
    expect(shown.body).toMatchObject({ fee: 0, paid, refund: paid - hour, due: 0 });
    expect(shown.body.quote.start).toContain('16:30');

    const changed = await api(
      'POST',
      `/api/orders/${bookingId}/change`,
      { ...hourSpan, expectedFee: 0 },
      token,
    );
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ state: 'done', bookingId, fee: 0, refund: paid - hour });
    const row = hub.hub.records.get(bookingId);
    expect([row.start_at, row.end_at]).toEqual([Date.parse(at('16:30')), Date.parse(at('17:30'))]);

    // My orders shows the new time, and the booking's ledger the refund of the difference.
    const mine = await until('the new time in my orders', async () => {
      await cloud.cloud.follower.followNow();
      const list = await api('GET', '/api/orders', undefined, token);
      const b = list.body.orders?.find((o: { bookingId: string }) => o.bookingId === bookingId);
      return b && b.start.includes('16:30') ? b : undefined;
    });
    expect(mine.end).toContain('17:30');
    const detail = await until('the refund on the ledger', async () => {
      await cloud.cloud.follower.followNow();
      const d = (await order()).body;
      return d.ledger?.some((l: { kind: string }) => l.kind === 'refund') ? d : undefined;
    });
    const refunds = detail.ledger.filter((l: { kind: string }) => l.kind === 'refund');
    expect(refunds.map((l: { amount: number }) => Math.abs(l.amount))).toEqual([paid - hour]);
  }, 240_000);

  it('takes a dearer time’s difference paid online once the store moves the booking', async () => {
    const { hub, cloud, api } = running;
    const rooms = await hub.roomIds();
    const roomId = rooms[1] ?? rooms[0]!;
    const token = await payerToken();
    const { bookingId, paid } = await bookedOnline(token, roomId, at('14:00'), at('16:00'));
    const span = { start: at('14:00'), end: at('17:00') };

    // Quoted line by line: the new time's price, the fee, what was paid, what is still to pay.
    const shown = await api(
      'GET',
      `/api/orders/${bookingId}/change/quote?${q(span)}`,
      undefined,
      token,
    );
    expect(shown.status, JSON.stringify(shown.body)).toBe(200);
    const price = shown.body.quote.total as number;
    const due = price - paid;
    expect(due).toBeGreaterThan(0);
    expect(shown.body).toMatchObject({ fee: 0, paid, refund: 0, due });

    // Not confirming the amount shown is refused naming the field; nothing is held.
    const unshown = await askChange(bookingId, { ...span, expectedFee: 0 }, token, 'dearer-0');
    expect(unshown.status).toBe(409);
    expect(unshown.body.error).toMatchObject({ code: 'due_changed', field: 'expectedDue' });
    const wrong = await askChange(
      bookingId,
      { ...span, expectedFee: 0, expectedDue: due - 100 },
      token,
      'dearer-1',
    );
    expect(wrong.body.error).toMatchObject({ code: 'due_changed', field: 'expectedDue' });
    const negative = await askChange(
      bookingId,
      { ...span, expectedFee: 0, expectedDue: -1 },
      token,
      'dearer-2',
    );
    expect(negative.status).toBe(400);
    expect(negative.body.error.field).toBe('expectedDue');

    const movesBefore = running.payments.moves.length;
    const body = { ...span, expectedFee: 0, expectedDue: due };
    const changed = await askChange(bookingId, body, token, 'dearer-3');
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      kind: 'booking_change',
      state: 'confirmed',
      bookingId,
      payment: { amount: due, state: 'captured' },
    });
    const paymentId = `pay-${changed.body.intentId}`;
    expect(movesOf(paymentId)).toEqual(['authorised', 'captured']);
    expect(running.payments.moves.length).toBe(movesBefore + 2);

    // The store's order: the new time and total, both payments on its ledger, nothing owed.
    const store = await hub.api('GET', `/api/bookings/${bookingId}`, undefined, STAFF);
    expect(store.body).toMatchObject({ total: price, paid: price });
    expect([store.body.start, store.body.end]).toEqual([
      expect.stringContaining('14:00'),
      expect.stringContaining('17:00'),
    ]);
    const tz = hub.hub.store.getStore().timeZone;
    const entries = hub.hub.ledger.entriesOf(bookingId, tz);
    expect(entries.map((e) => e.amount)).toEqual([paid, due]);
    expect(entries.reduce((sum, e) => sum + e.amount, 0)).toBe(paid + due);

    // The customer's order: the new time, the total paid, the door open until the new end.
    const detail = await until('the change in my order', async () => {
      await cloud.cloud.follower.followNow();
      const d = (await api('GET', `/api/orders/${bookingId}`, undefined, token)).body;
      return d.booking?.end.includes('17:00') && d.ledger?.length === 2 ? d : undefined;
    });
    expect(detail.booking.totals).toMatchObject({ amount: price, paid: price, refunded: 0 });
    expect(detail.ledger.reduce((sum: number, l: { amount: number }) => sum + l.amount, 0)).toBe(
      paid + due,
    );
    expect(detail.door.until).toContain('17:00');

    // The same tap again is the same change: nothing more held or taken.
    const again = await askChange(bookingId, body, token, 'dearer-3');
    expect(again.body).toMatchObject({ intentId: changed.body.intentId, state: 'confirmed' });
    await cloud.sweepNow();
    expect(running.payments.moves.length).toBe(movesBefore + 2);
  }, 240_000);

  it('quotes a dearer time of a booking that used a coupon as the store bills it, coupon kept', async () => {
    const { hub, cloud, api } = running;
    const storeId = hub.hub.store.getStore().id;
    const rooms = await hub.roomIds();
    const roomId = rooms[2] ?? rooms[0]!;
    // The store's coupon of ¥20 off, claimed by the customer online.
    const campaign = await hub.api(
      'POST',
      '/api/campaigns',
      {
        name: 'change with a coupon',
        kind: 'claim',
        couponName: '立减20元',
        coupon: { rule: { kind: 'amount', amountOff: 2000 } },
        claimFrom: '2026-11-01',
        claimTo: '2026-11-30',
        useDays: 30,
        perPerson: 1,
        totalLimit: 10,
      },
      STAFF,
    );
    expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
    const token = await payerToken();
    await until('the campaign on the store page', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', `/api/stores/${storeId}/campaigns`);
      return r.body.campaigns?.length > 0 ? true : undefined;
    });
    const claimed = await api(
      'POST',
      `/api/stores/${storeId}/coupons`,
      { campaignId: campaign.body.id },
      token,
    );
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(201);
    const [coupon] = await until('the coupon in my coupons', async () => {
      await cloud.cloud.follower.followNow();
      const list = (await api('GET', '/api/me/coupons', undefined, token)).body.coupons;
      return list?.length === 1 ? (list as { couponId: string }[]) : undefined;
    });
    const booked = await api(
      'POST',
      '/api/bookings',
      {
        storeId,
        roomId,
        start: at('18:00'),
        end: at('19:00'),
        partySize: 2,
        couponIds: [coupon!.couponId],
      },
      token,
    );
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const bookingId = booked.body.bookingId as string;
    await until('the paid booking with its coupon in the cloud', async () => {
      await cloud.cloud.follower.followNow();
      const d = await api('GET', `/api/orders/${bookingId}`, undefined, token);
      return d.body.booking?.status === 'paid' ? true : undefined;
    });
    const paid = hub.hub.records.get(bookingId).total;

    // The new time's price keeps the coupon's ¥20 off, as the store will bill it.
    const span = { start: at('18:00'), end: at('20:00') };
    const shown = await api(
      'GET',
      `/api/orders/${bookingId}/change/quote?${q(span)}`,
      undefined,
      token,
    );
    expect(shown.status, JSON.stringify(shown.body)).toBe(200);
    const lines = shown.body.quote.lines as { kind: string; amount: number }[];
    expect(lines.find((l) => l.kind === 'coupon')).toMatchObject({ amount: -2000 });
    const due = shown.body.due as number;
    expect(due).toBe((shown.body.quote.total as number) - paid);

    const changed = await askChange(
      bookingId,
      { ...span, expectedFee: 0, expectedDue: due },
      token,
      'coupon-dearer',
    );
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      state: 'confirmed',
      payment: { amount: due, state: 'captured' },
    });
    const store = await hub.api('GET', `/api/bookings/${bookingId}`, undefined, STAFF);
    expect(store.body).toMatchObject({ total: paid + due, paid: paid + due });
  }, 240_000);

  it('gives a refused or unanswered dearer change’s difference back exactly once', async () => {
    const { hub, cloud, api, proxy } = running;
    const rooms = await hub.roomIds();
    const [roomId] = rooms;
    const token = await payerToken();
    const { bookingId, paid } = await bookedOnline(token, roomId!, at('20:00'), at('21:00'));
    const span = { start: at('20:00'), end: at('22:00') };
    const quoteOf = async (id: string, asked: Record<string, string>) => {
      const r = await api('GET', `/api/orders/${id}/change/quote?${q(asked)}`, undefined, token);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.due).toBeGreaterThan(0);
      return r.body.due as number;
    };
    const due = await quoteOf(bookingId, span);

    // While the store is offline, someone takes 21:30 at its counter; the customer pays the
    // difference and the request waits for the store.
    await proxy.cut();
    const counter = await hub.api('POST', '/api/bookings', {
      roomId,
      start: at('21:30'),
      end: at('22:30'),
      partySize: 2,
      customer: { phone: '13900005606' },
    });
    expect(counter.status, JSON.stringify(counter.body)).toBe(201);
    const body = { ...span, expectedFee: 0, expectedDue: due };
    const waiting = await askChange(bookingId, body, token, 'refused-1');
    expect(waiting.status, JSON.stringify(waiting.body)).toBe(202);
    expect(waiting.body.payment).toMatchObject({ amount: due, state: 'authorised' });
    const intentId = waiting.body.intentId as string;
    const paymentId = `pay-${intentId}`;
    expect(movesOf(paymentId)).toEqual(['authorised']);

    // Back online, the store refuses it (the time is taken) and the difference goes back.
    await proxy.heal();
    const refused = await until('the store’s refusal', async () => {
      await cloud.cloud.follower.followNow();
      const v = await api('GET', `/api/intents/${intentId}`, undefined, token);
      return v.body.state === 'rejected' ? v.body : undefined;
    });
    expect(refused.reason).toMatch(/no longer free|taken/);
    expect(refused.payment).toMatchObject({ amount: due, state: 'released' });
    expect(movesOf(paymentId)).toEqual(['authorised', 'released']);
    const row = hub.hub.records.get(bookingId);
    expect([row.end_at, row.total]).toEqual([Date.parse(at('21:00')), paid]);
    const tz = hub.hub.store.getStore().timeZone;
    expect(hub.hub.ledger.entriesOf(bookingId, tz).map((e) => e.amount)).toEqual([paid]);

    // The answer replayed (settled again, the same tap again, swept): released once, no more.
    expect(await cloud.cloud.intents.settleAnswered(hub.hub.store.getStore().id, intentId)).toBe(
      false,
    );
    const again = await askChange(bookingId, body, token, 'refused-1');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ intentId, state: 'rejected' });
    await cloud.sweepNow();
    expect(movesOf(paymentId)).toEqual(['authorised', 'released']);

    // Unanswered: the store stays offline past the intent's expiry and the cloud gives the
    // difference back once; the store, back, refuses the expired intent and nothing moves again.
    const other = rooms[1] ?? roomId!;
    const second = await bookedOnline(token, other, at('19:00'), at('20:00'));
    const later = { start: at('19:00'), end: at('21:00') };
    const laterDue = await quoteOf(second.bookingId, later);
    await proxy.cut();
    const unanswered = await askChange(
      second.bookingId,
      { ...later, expectedFee: 0, expectedDue: laterDue },
      token,
      'unanswered-1',
    );
    expect(unanswered.status, JSON.stringify(unanswered.body)).toBe(202);
    const heldLate = `pay-${unanswered.body.intentId}`;
    hub.clock.advance(3 * 60_000);
    await cloud.sweepNow();
    await cloud.sweepNow();
    expect(movesOf(heldLate)).toEqual(['authorised', 'released']);
    const expired = await api('GET', `/api/intents/${unanswered.body.intentId}`, undefined, token);
    expect(expired.body).toMatchObject({ state: 'expired', payment: { state: 'released' } });
    await proxy.heal();
    const record = await until('the store’s word on the expired change', async () => {
      await cloud.cloud.follower.followNow();
      const r = await cloud.cloud.intents.byPayment(heldLate);
      return r?.lateAnswer ? r : undefined;
    });
    expect(record.lateAnswer).toMatchObject({ outcome: 'rejected' });
    await cloud.sweepNow();
    expect(movesOf(heldLate)).toEqual(['authorised', 'released']);
    expect(hub.hub.records.get(second.bookingId).end_at).toBe(Date.parse(at('20:00')));
  }, 240_000);
});
