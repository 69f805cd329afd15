// One voucher, redeemed at once from everywhere a store redeems: a scanner firing twice, two
// cashiers, a retry after a timeout, the kiosk and the counter. Exactly one redemption, one
// voucher payment, one booking, whatever the order the hub sees them in. And the real path a
// cashier's scanner takes: a serial line (a pseudo-terminal pair) to the scan event to redeem.
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { socatAvailable, startPtyPair, type PtyPair } from '@roomhub/firmware-bridge/simulator';
import { as, at, STAFF, startTestHub, type TestHub } from './harness';

const allDay = {
  source: 'own',
  title: '任意时段 2 小时',
  entitlement: { kind: 'hours', minutes: 120 },
  price: 6800,
  status: 'on_sale',
};

describe('a voucher redeemed from several places at once', () => {
  let h: TestHub;
  let rooms: string[];
  let dealId: string;
  let day = 0;
  beforeAll(async () => {
    h = await startTestHub();
    rooms = await h.roomIds();
    dealId = (await h.api('POST', '/api/deals', allDay, STAFF)).body.id;
  });
  afterAll(async () => {
    await h.close();
  });

  it('is redeemed exactly once', async () => {
    const caller = fc.constantFrom('cashier', 'manager', 'kiosk') as fc.Arbitrary<
      'cashier' | 'manager' | 'kiosk'
    >;
    // Each attempt: who, which room it asks for, and whether it repeats an earlier request id.
    const attempt = fc.record({
      who: caller,
      room: fc.nat(5),
      retryOf: fc.option(fc.nat(5), { nil: undefined }),
      typed: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(attempt, { minLength: 2, maxLength: 6 }), async (attempts) => {
        day += 1;
        h.clock.set(Date.parse(at('14:00', day)));
        const sold = await h.api(
          'POST',
          '/api/vouchers',
          { dealId, customer: { phone: '13912345678' } },
          as('cashier'),
        );
        expect(sold.status).toBe(201);
        const ids = attempts.map(() => randomUUID());
        const answers = await Promise.all(
          attempts.map((a, i) =>
            h.api(
              'POST',
              '/api/vouchers/redeem',
              {
                text: a.typed && a.who !== 'kiosk' ? sold.body.code : sold.body.qr,
                use: {
                  kind: 'book',
                  roomId: rooms[a.room],
                  partySize: 2,
                  customer: { phone: '13912345678' },
                },
                requestId: a.retryOf !== undefined && a.retryOf < i ? ids[a.retryOf] : ids[i],
              },
              as(a.who),
            ),
          ),
        );
        for (const r of answers) {
          expect([200, 409], JSON.stringify(r.body)).toContain(r.status);
          if (r.status === 409) expect(r.body.error.code).toBe('voucher_used');
        }
        const won = answers.filter((r) => r.status === 200);
        expect(won.length).toBeGreaterThanOrEqual(1);
        expect(new Set(won.map((r) => r.body.id)).size).toBe(1);
        const rows = h.hub.db
          .prepare(
            `SELECT r.booking_id, r.status FROM redemptions r JOIN vouchers v ON v.id = r.voucher_key WHERE v.code = ?`,
          )
          .all(sold.body.code) as { booking_id: string; status: string }[];
        expect(rows).toEqual([{ booking_id: won[0]!.body.bookingId, status: 'done' }]);
        const paid = h.hub.db
          .prepare(`SELECT COUNT(*) AS n FROM ledger WHERE booking_id = ? AND method = 'voucher'`)
          .get(rows[0]!.booking_id) as { n: number };
        expect(paid.n).toBe(1);
        // No booking was left behind by a refused attempt.
        const made = h.hub.db
          .prepare(`SELECT COUNT(*) AS n FROM bookings WHERE start_at = ?`)
          .get(Date.parse(at('14:00', day))) as { n: number };
        expect(made.n).toBe(1);
      }),
      { numRuns: 25 },
    );
  });
});

describe.runIf(socatAvailable())("the cashier's scanner", () => {
  let h: TestHub | null = null;
  let pty: PtyPair | null = null;
  afterEach(async () => {
    await h?.close();
    await pty?.close();
  });

  it('firing twice on one voucher redeems it once', async () => {
    pty = await startPtyPair();
    const dir = mkdtempSync(join(tmpdir(), 'scanners-'));
    const file = join(dir, 'scanners.json');
    writeFileSync(file, JSON.stringify({ serial: [{ path: pty.b, baudRate: 115200 }] }));
    h = await startTestHub({ scannersFile: file });
    const hub = h;
    const rooms = await hub.roomIds();
    const dealId = (await hub.api('POST', '/api/deals', allDay, STAFF)).body.id;
    const sold = await hub.api(
      'POST',
      '/api/vouchers',
      { dealId, customer: { phone: '13912345678' } },
      as('cashier'),
    );
    // The counter screen: every scan it is told of becomes a redemption for the room picked.
    const answers: Promise<{ status: number; body: { id?: string; error?: { code: string } } }>[] =
      [];
    hub.hub.events.subscribe((e) => {
      if (e.type !== 'scan') return;
      answers.push(
        hub.api(
          'POST',
          '/api/vouchers/redeem',
          {
            text: e.scan.text,
            use: { kind: 'book', roomId: rooms[2], partySize: 2 },
            requestId: randomUUID(),
          },
          as('cashier'),
        ),
      );
    });
    const fd = openSync(pty.a, 'w');
    writeSync(fd, `${sold.body.qr}\r\n${sold.body.qr}\r\n`);
    closeSync(fd);
    const until = Date.now() + 5000;
    while (answers.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(answers).toHaveLength(2);
    const settled = await Promise.all(answers);
    expect(settled.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(settled.find((a) => a.status === 409)!.body.error!.code).toBe('voucher_used');
    const list = await hub.api('GET', '/api/vouchers/redemptions', undefined, as('cashier'));
    expect(list.body).toHaveLength(1);
    expect(list.body[0].status).toBe('done');
  });
});
