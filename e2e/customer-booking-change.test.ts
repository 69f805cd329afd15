// A customer moves a paid booking from the phone (改期), over HTTP against the cloud service, an
// embedded CouchDB and a store's real hub on one clock: the cloud quotes the new time (its price,
// the change fee, what comes back) and refuses what it can tell at once (another customer's
// booking, a bad field named, a time someone else has, a dearer time); the store moves it by its
// change rules, the difference goes back as a refund on the booking's ledger, and "my orders"
// shows the new time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, STAFF, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud } from './fixtures';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;

beforeAll(async () => {
  running = await startStoreAndCloud('customer-booking-change');
}, 180_000);

afterAll(async () => {
  await running?.close();
});

const q = (o: Record<string, string>) => new URLSearchParams(o).toString();

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

    // A time someone else has, and a dearer time, are refused before anything is asked.
    const taken = await quote(token, { start: at('18:00'), end: at('19:00') });
    expect(taken.status, JSON.stringify(taken.body)).toBe(409);
    expect(taken.body.error.code).toBe('slot_taken');
    const dearer = await quote(token, { start: at('14:00'), end: at('17:00') });
    expect(dearer.status).toBe(409);
    expect(dearer.body.error.code).toBe('change_costs_more');

    // The quote: the new hour's price, no fee by the default rules, the rest comes back.
    const shown = await quote(token, hourSpan);
    expect(shown.status, JSON.stringify(shown.body)).toBe(200);
    const hour = shown.body.quote.total as number;
    expect(shown.body).toMatchObject({ fee: 0, paid, refund: paid - hour });
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
});
