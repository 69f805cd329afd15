// The hub publishes its statistics per store day: the recent days at start, then only the days a
// change touches, each again when something in it changes (a refund days later of a booking), and
// never a day whose figures did not change. The documents are built as the replicator builds them,
// from a real SQLite file; the booking's money is written as the payment flow writes it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatsDayDocSchema, type StatsDayDoc } from '@roomhub/shared-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { seedDemoStore } from '../demo/seed';
import { createHub, type Hub } from '../hub';
import { buildDocument } from '../sync/documents';
import { StatsPublisher } from './stats-publisher';
import { statsDayFigures } from './stats-day';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const HOUR = 3_600_000;
let hub: Hub;
let clock: ManualClock;
let publisher: StatsPublisher;

beforeEach(async () => {
  clock = new ManualClock(T0);
  hub = createHub({ dataDir: mkdtempSync(join(tmpdir(), 'stats-pub-')), clock });
  await seedDemoStore(hub);
  hub.db.prepare('DELETE FROM outbox').run();
  publisher = new StatsPublisher({
    db: hub.db,
    clock,
    writes: hub.writes,
    outbox: hub.outbox,
    timeZone: () => hub.store.getStore().timeZone,
    figures: (date) => statsDayFigures(hub.stats, hub.energy, date),
    backfillDays: 2,
  });
});
afterEach(() => {
  publisher.stop();
  hub.close();
});

const marked = () =>
  hub.db
    .prepare(`SELECT DISTINCT doc_id FROM outbox WHERE doc_id LIKE 'stats:%' ORDER BY doc_id`)
    .pluck()
    .all() as string[];
const doc = (date: string) =>
  StatsDayDocSchema.parse(buildDocument(hub, `stats:day:${date}`, undefined)) as StatsDayDoc;

/** A two-hour booking at 14:00 today paid 12800 by WeChat, as the payment flow records it. */
function paidBooking(): { booking: string; payment: string } {
  const room = hub.db.prepare('SELECT id FROM rooms ORDER BY sort LIMIT 1').pluck().get();
  const start = T0 + 4 * HOUR;
  const now = clock.now();
  hub.db
    .prepare(
      `INSERT INTO bookings (id, number, room_id, status, start_at, end_at, block_start, block_end,
         party_size, customer_phone, total, lines, created_at, updated_at)
       VALUES ('b1', 'N1', ?, 'paid', ?, ?, ?, ?, 2, '13800138000', 12800, '[]', ?, ?)`,
    )
    .run(room, start, start + 2 * HOUR, start, start + 2 * HOUR, now, now);
  hub.db
    .prepare(
      `INSERT INTO booking_events (booking_id, action, from_status, to_status, actor_kind, actor_id, at)
       VALUES ('b1', 'pay', 'pending', 'paid', 'customer', 'c', ?)`,
    )
    .run(now);
  hub.db
    .prepare(
      `INSERT INTO payments (id, booking_id, method, amount, received, status, created_at, paid_at)
       VALUES ('p1', 'b1', 'wechat', 12800, 12800, 'succeeded', ?, ?)`,
    )
    .run(now, now);
  hub.db
    .prepare(
      `INSERT INTO ledger (booking_id, kind, method, amount, payment_id, actor_kind, actor_id, at)
       VALUES ('b1', 'payment', 'wechat', 12800, 'p1', 'customer', 'c', ?)`,
    )
    .run(now);
  return { booking: 'b1', payment: 'p1' };
}

describe('the statistics published per store day', () => {
  it('publishes the recent days at start, then nothing while nothing changes', async () => {
    expect(await publisher.publish()).toEqual(['2026-11-21', '2026-11-22', '2026-11-23']);
    expect(marked()).toEqual([
      'stats:day:2026-11-21',
      'stats:day:2026-11-22',
      'stats:day:2026-11-23',
    ]);
    clock.set(T0 + 10 * 60_000);
    expect(await publisher.publish()).toEqual([]);
    const today = doc('2026-11-23');
    expect(today).toMatchObject({ type: 'stats_day', date: '2026-11-23', net: 0, received: 0 });
    expect(today.roomCount).toBeGreaterThan(0);
    expect(today.hourMinutes).toHaveLength(24);
  });

  it("publishes a day again when its figures change, a late refund on the booking's day too", async () => {
    await publisher.publish();
    paidBooking();
    clock.set(T0 + 60_000);
    expect(await publisher.publish()).toEqual(['2026-11-23']);
    const paid = doc('2026-11-23');
    expect(paid.revenue).toEqual([
      {
        channel: 'wechat',
        bookings: 12800,
        orders: 0,
        refunded: 0,
        net: 12800,
        faceValue: null,
        settled: null,
      },
    ]);
    expect(paid.bookings).toEqual([{ status: 'paid', count: 1, total: 12800 }]);
    expect(paid.rooms.reduce((h, r) => h + r.hours, 0)).toBe(2);
    expect(paid.hourMinutes[14]).toBe(60);
    expect(paid.hourMinutes[15]).toBe(60);
    expect(paid.slots).toEqual([{ hour: 14, bookings: 1, hours: 2 }]);
    // The figures equal the statistics' own for the day.
    const own = hub.stats.all({ range: 'today' });
    expect(paid.net).toBe(own.revenue.total.net);

    // Three days later the booking is refunded in part: that day's money, and the booking's day.
    clock.set(T0 + 3 * 24 * HOUR);
    hub.db
      .prepare(
        `INSERT INTO refunds (id, booking_id, payment_id, amount, purpose, reason, status, created_at, settled_at)
         VALUES ('rf1', 'b1', 'p1', 3000, 'staff', '空调坏了', 'succeeded', ?, ?)`,
      )
      .run(clock.now(), clock.now());
    hub.db
      .prepare(
        `INSERT INTO ledger (booking_id, kind, method, amount, payment_id, refund_id, actor_kind, actor_id, at)
         VALUES ('b1', 'refund', 'wechat', -3000, 'p1', 'rf1', 'staff', 's', ?)`,
      )
      .run(clock.now());
    hub.db
      .prepare(
        `INSERT INTO booking_events (booking_id, action, from_status, to_status, actor_kind, actor_id, at)
         VALUES ('b1', 'refund', 'completed', 'completed', 'staff', 's', ?)`,
      )
      .run(clock.now());
    hub.db.prepare('DELETE FROM outbox').run();
    expect(await publisher.publish()).toEqual(['2026-11-26']);
    expect(doc('2026-11-26')).toMatchObject({ received: 0, refunded: 3000, net: -3000 });
    expect(doc('2026-11-26').refunds).toEqual([
      { of: 'booking', purpose: 'staff', count: 1, amount: 3000 },
    ]);

    // The booking's status changes on its own day: that day is published again, once.
    hub.db.prepare(`UPDATE bookings SET status = 'completed' WHERE id = 'b1'`).run();
    clock.set(clock.now() + 60_000);
    hub.db
      .prepare(
        `INSERT INTO booking_events (booking_id, action, from_status, to_status, actor_kind, actor_id, at)
         VALUES ('b1', 'complete', 'paid', 'completed', 'system', 'scheduler', ?)`,
      )
      .run(clock.now());
    expect(await publisher.publish()).toEqual(['2026-11-23']);
    expect(doc('2026-11-23').bookings).toEqual([{ status: 'completed', count: 1, total: 12800 }]);
    expect(await publisher.publish()).toEqual([]);
    expect(marked()).toEqual(['stats:day:2026-11-23', 'stats:day:2026-11-26']);
  });
});
