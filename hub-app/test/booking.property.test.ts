// Random sequences of what customers, staff and the clock do, some of them at once over HTTP:
// never two live bookings overlapping in a room (buffer included), and the money always adds up,
// down to what the payment gateway itself holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { as, STAFF, startTestHub, T0, type TestHub } from './harness';

const SLOT = 30 * 60_000;
const FIRST = T0 + SLOT; // 10:30 on the test's Monday

type Op =
  | { kind: 'create'; room: number; slot: number; len: number; phone: number }
  | { kind: 'cash' | 'online' | 'cancel' | 'refund' | 'approve' | 'reject'; k: number }
  | { kind: 'change'; k: number; room: number; slot: number; len: number }
  | { kind: 'tick'; minutes: number };

const iso = (ms: number) => new Date(ms).toISOString();

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      room: fc.nat(2),
      slot: fc.nat(60),
      len: fc.integer({ min: 2, max: 6 }),
      phone: fc.nat(3),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom('cash' as const, 'online' as const),
      k: fc.nat(30),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'cancel' as const,
        'refund' as const,
        'approve' as const,
        'reject' as const,
      ),
      k: fc.nat(30),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('change' as const),
      k: fc.nat(30),
      room: fc.nat(2),
      slot: fc.nat(60),
      len: fc.integer({ min: 2, max: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      minutes: fc.integer({ min: 1, max: 40 }),
    }),
  },
);

async function run(h: TestHub, rooms: string[], ids: string[], o: Op): Promise<void> {
  const pick = (k: number) => ids[k % Math.max(ids.length, 1)];
  switch (o.kind) {
    case 'create': {
      const start = FIRST + o.slot * SLOT;
      const r = await h.api('POST', '/api/bookings', {
        roomId: rooms[o.room],
        start: iso(start),
        end: iso(start + o.len * SLOT),
        partySize: 2,
        customer: { phone: `1380000000${o.phone}` },
      });
      expect([201, 409, 422]).toContain(r.status);
      if (r.status === 201) ids.push(r.body.id);
      return;
    }
    case 'tick':
      h.clock.advance(o.minutes * 60_000);
      await h.runJobs();
      return;
  }
  const id = pick(o.k);
  if (!id) return;
  let r: { status: number; body: { id?: string } };
  switch (o.kind) {
    case 'cash':
      r = await h.api('POST', `/api/bookings/${id}/payments`, { method: 'cash' }, STAFF);
      break;
    case 'online':
      r = await h.api('POST', `/api/bookings/${id}/payments`, { method: 'wechat' });
      // Two taps at once get the same open payment (the hub reuses it); the second payer then finds
      // it already paid, as a customer scanning a paid QR would.
      if (r.status === 201) {
        await h.gateway!.pay(r.body.id!, { late: true }).catch((e: unknown) => {
          if (!/already paid/.test(String(e))) throw e;
        });
      }
      break;
    case 'cancel':
      r = await h.api('POST', `/api/bookings/${id}/cancel`, {});
      break;
    case 'refund':
      r = await h.api('POST', `/api/bookings/${id}/refund`, { reason: 'test' });
      break;
    case 'approve':
      r = await h.api('POST', `/api/bookings/${id}/refund/approve`, {}, STAFF);
      break;
    case 'reject':
      r = await h.api('POST', `/api/bookings/${id}/refund/reject`, { reason: 'test' }, STAFF);
      break;
    case 'change': {
      const start = FIRST + o.slot * SLOT;
      r = await h.api('POST', `/api/bookings/${id}/change`, {
        roomId: rooms[o.room],
        start: iso(start),
        end: iso(start + o.len * SLOT),
      });
      break;
    }
  }
  expect(r.status, JSON.stringify({ o, body: r.body })).toBeLessThan(500);
}

/** A booking that holds its room: a cancellation whose money is on its way back holds none. */
const holds = (b: string) =>
  `(${b}.status IN ('pending_payment','paid','in_use','completed','refunding')
    AND NOT (${b}.status = 'refunding' AND ${b}.refund_from_status IS NULL))`;

function checkInvariants(h: TestHub): void {
  const db = h.hub.db;
  const overlaps = db
    .prepare(
      `SELECT a.number AS a, b.number AS b FROM bookings a JOIN bookings b
         ON a.room_id = b.room_id AND a.id < b.id AND a.block_start < b.block_end AND b.block_start < a.block_end
       WHERE ${holds('a')} AND ${holds('b')}`,
    )
    .all();
  expect(overlaps).toEqual([]);
  const money = db
    .prepare(
      `SELECT b.number, b.status, b.total, b.changes,
         (SELECT COALESCE(SUM(amount), 0) FROM ledger l WHERE l.booking_id = b.id) AS net,
         (SELECT COALESCE(SUM(amount), 0) FROM payments p WHERE p.booking_id = b.id AND p.status = 'succeeded') AS paidIn,
         (SELECT COALESCE(SUM(amount), 0) FROM refunds r WHERE r.booking_id = b.id AND r.status = 'succeeded') AS paidOut,
         (SELECT COALESCE(SUM(amount), 0) FROM refunds r WHERE r.booking_id = b.id AND r.status IN ('pending','owed')) AS pending
       FROM bookings b`,
    )
    .all() as {
    number: string;
    status: string;
    total: number;
    changes: number;
    net: number;
    paidIn: number;
    paidOut: number;
    pending: number;
  }[];
  for (const m of money) {
    const label = JSON.stringify(m);
    expect(m.net, label).toBe(m.paidIn - m.paidOut); // the ledger is the payments and refunds, exactly
    expect(m.net - m.pending, label).toBeGreaterThanOrEqual(0);
    expect(m.net - m.pending, label).toBeLessThanOrEqual(m.total);
    if (m.status === 'paid' && m.changes === 0) expect(m.net - m.pending, label).toBe(m.total);
    if (m.status === 'pending_payment') expect(m.net - m.pending, label).toBeLessThan(m.total);
    if (m.status === 'refunded') expect(m.pending, label).toBe(0);
  }
}

describe('bookings under random concurrent use', () => {
  it('never double-books and never creates or loses money', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }),
        async (batches) => {
          const h = await startTestHub();
          try {
            const rooms = (await h.roomIds()).slice(0, 3);
            const ids: string[] = [];
            for (const batch of batches) {
              await Promise.all(batch.map((o) => run(h, rooms, ids, o)));
              checkInvariants(h);
            }
            // Let every hold expire and every refund reach the gateway, then compare with it.
            h.clock.advance(24 * 60 * 60_000);
            // Jobs that failed while the clock jumped under them come back after their back-off.
            for (let i = 0; i < 10 && h.hub.scheduler.pending().length > 0; i++) {
              await h.runJobs();
              h.clock.advance(15 * 60_000);
            }
            checkInvariants(h);
            // Cash a customer's cancellation left owed is handed over by a cashier.
            const owed = (await h.api('GET', '/api/refunds/owed', undefined, as('cashier'))).body;
            for (const r of owed.refunds as { id: string }[]) {
              const paid = await h.api('POST', `/api/refunds/${r.id}/pay-out`, {}, as('cashier'));
              expect(paid.status).toBe(200);
            }
            checkInvariants(h);
            const gw = h.gateway!;
            const taken = gw
              .charges()
              .reduce((s, c) => s + (c.state === 'SUCCESS' ? (c.payerTotal ?? 0) : 0), 0);
            const returned = gw.refunds().reduce((s, r) => s + r.amount, 0);
            const ledger = h.hub.db
              .prepare(`SELECT COALESCE(SUM(amount), 0) AS s FROM ledger WHERE method = 'wechat'`)
              .get() as { s: number };
            expect(ledger.s).toBe(taken - returned);
            const stuck = h.hub.db
              .prepare(`SELECT COUNT(*) AS n FROM refunds WHERE status <> 'succeeded'`)
              .get() as { n: number };
            expect(stuck.n).toBe(0);
          } finally {
            await h.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 240_000);
});
