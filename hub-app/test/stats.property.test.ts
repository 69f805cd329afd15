// The revenue the statistics show for any range of store days is the money ledger's sum over that
// range, whatever payments and refunds came in, in cash or by Alipay, on either side of midnight
// in Shanghai: the figure is counted from the ledger, and a day is the store's day, not UTC's.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let rooms: string[];
const CASHIER = as('cashier');
const MINUTE = 60_000;
const HALF_HOUR = 30 * MINUTE;

/** The store day of an instant, read by Intl rather than the hub's own conversions. */
const shanghaiDay = (ms: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(ms);
const iso = (ms: number) => new Date(ms).toISOString();

/** Every movement of money the test made: when, and how much (refunds negative). */
const moved: { at: number; amount: number }[] = [];
let made = 0;

beforeAll(async () => {
  h = await startTestHub();
  rooms = await h.roomIds();
});
afterAll(async () => {
  await h.close();
});

/** A booking a little after now, paid in full by cash at the counter or by Alipay. */
async function bookAndPay(method: 'cash' | 'alipay'): Promise<{ id: string; paid: number }> {
  const i = made++;
  const now = h.clock.now();
  const start = Math.ceil(now / HALF_HOUR) * HALF_HOUR + 60 * MINUTE;
  const b = await h.api('POST', '/api/bookings', {
    roomId: rooms[i % rooms.length]!,
    start: iso(start),
    end: iso(start + 60 * MINUTE),
    partySize: 2,
    customer: { phone: `139${String(10_000_000 + i)}` },
  });
  expect(b.status, JSON.stringify(b.body)).toBe(201);
  if (method === 'cash') {
    const p = await h.api('POST', `/api/bookings/${b.body.id}/payments`, { method }, CASHIER);
    expect(p.status, JSON.stringify(p.body)).toBe(201);
  } else {
    const p = await h.api('POST', `/api/bookings/${b.body.id}/payments`, { method });
    await h.alipay!.pay(p.body.id);
  }
  moved.push({ at: h.clock.now(), amount: b.body.total });
  return { id: b.body.id, paid: b.body.total };
}

async function refund(id: string, amount: number) {
  const r = await h.api(
    'POST',
    `/api/bookings/${id}/refunds`,
    { amount, reason: '顾客不满意' },
    CASHIER,
  );
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  // An Alipay refund is sent by a job and lands in the ledger when Alipay says done.
  await h.runJobs();
  moved.push({ at: h.clock.now(), amount: -amount });
}

const event = fc.record({
  /** Minutes since the last movement: at least an hour, so each room's slots never meet. */
  gap: fc.integer({ min: 60, max: 300 }),
  method: fc.constantFrom('cash' as const, 'alipay' as const),
  /** Minutes after paying that part of it goes back, if any: before the slot starts. */
  refundAfter: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
  refundPart: fc.double({ min: 0.01, max: 1, noNaN: true }),
});

describe('the revenue of a range', () => {
  it("equals the money ledger's sum over the range's store days, across midnight", async () => {
    let base = 1;
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: -120, max: 0 }),
        fc.nat(),
        fc.nat(),
        async (events, firstOffset, pickFrom, pickTo) => {
          // Each run starts two days on, its first payment between 21:00 and 03:00 in Shanghai.
          h.clock.set(Date.parse(at('22:00', base)) + firstOffset * MINUTE);
          base += 2;
          for (const e of events) {
            h.clock.advance(e.gap * MINUTE);
            const b = await bookAndPay(e.method);
            if (e.refundAfter !== null) {
              h.clock.advance(e.refundAfter * MINUTE);
              await refund(b.id, Math.max(1, Math.floor(b.paid * e.refundPart)));
            }
          }
          // Any range among the days money moved on so far, and the days either side.
          const days = [...new Set(moved.map((m) => shanghaiDay(m.at)))].sort();
          const from = days[pickFrom % days.length]!;
          const later = days.filter((d) => d >= from);
          const to = later[pickTo % later.length]!;
          const r = await h.api(
            'GET',
            `/api/stats?range=custom&from=${from}&to=${to}`,
            undefined,
            STAFF,
          );
          expect(r.status, JSON.stringify(r.body)).toBe(200);
          const expected = moved
            .filter((m) => shanghaiDay(m.at) >= from && shanghaiDay(m.at) <= to)
            .reduce((s, m) => s + m.amount, 0);
          const ledger = h.hub.db
            .prepare('SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE at >= ? AND at < ?')
            .pluck()
            .get(
              Date.parse(`${from}T00:00:00+08:00`),
              Date.parse(`${to}T00:00:00+08:00`) + 24 * 60 * MINUTE,
            ) as number;
          expect(ledger).toBe(expected);
          expect(r.body.revenue.total.net).toBe(expected);
          const byDay = r.body.revenueByDay as { date: string; net: number }[];
          expect(byDay.reduce((s, d) => s + d.net, 0)).toBe(expected);
          for (const d of byDay) {
            expect(d.net, d.date).toBe(
              moved.filter((m) => shanghaiDay(m.at) === d.date).reduce((s, m) => s + m.amount, 0),
            );
          }
          // Today and yesterday are the store's, too.
          const today = await h.api('GET', '/api/stats?range=today', undefined, STAFF);
          expect(today.body.revenue.total.net).toBe(
            moved
              .filter((m) => shanghaiDay(m.at) === shanghaiDay(h.clock.now()))
              .reduce((s, m) => s + m.amount, 0),
          );
        },
      ),
      // The hub keeps every run's money, so a smaller case cannot replay alone: no shrinking.
      { numRuns: 15, endOnFailure: true },
    );
  }, 180_000);
});
