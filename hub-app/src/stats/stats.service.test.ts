// The statistics read platform vouchers as the store met them: a booking paid by a Meituan or
// Douyin voucher shows under that platform with the voucher's face value and what the platform
// settles, and a redemption undone later shows its money going back, its face value no longer
// counted. The vouchers' own flow needs the cloud and the platforms' simulators (the e2e tests);
// here their rows are written as that flow writes them, on a real SQLite file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { seedDemoStore } from '../demo/seed';
import { createHub, type Hub } from '../hub';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const HOUR = 3_600_000;
let hub: Hub;
let clock: ManualClock;
let n = 0;

beforeEach(async () => {
  clock = new ManualClock(T0);
  hub = createHub({ dataDir: mkdtempSync(join(tmpdir(), 'stats-svc-')), clock });
  await seedDemoStore(hub);
});
afterEach(() => {
  hub.close();
});

/** A booking paid whole by a platform's voucher, as a redemption records it. */
function redeemed(
  source: 'meituan' | 'douyin',
  v: { covered: number; faceValue: number; settle: number },
): { booking: string; payment: string; redemption: string } {
  const i = n++;
  const room = hub.db.prepare('SELECT id FROM rooms ORDER BY sort LIMIT 1 OFFSET ?').pluck().get(i);
  const start = T0 + (i + 1) * 3 * HOUR;
  const ids = { booking: `b${i}`, payment: `p${i}`, redemption: `r${i}` };
  const now = clock.now();
  hub.db
    .prepare(
      `INSERT INTO bookings (id, number, room_id, status, start_at, end_at, block_start, block_end,
         party_size, customer_phone, total, lines, created_at, updated_at)
       VALUES (?, ?, ?, 'paid', ?, ?, ?, ?, 2, '13800138000', ?, '[]', ?, ?)`,
    )
    .run(ids.booking, `N${i}`, room, start, start + HOUR, start, start + HOUR, v.covered, now, now);
  hub.db
    .prepare(
      `INSERT INTO payments (id, booking_id, method, amount, received, status, created_at, paid_at)
       VALUES (?, ?, 'voucher', ?, ?, 'succeeded', ?, ?)`,
    )
    .run(ids.payment, ids.booking, v.covered, v.covered, now, now);
  hub.db
    .prepare(
      `INSERT INTO redemptions (id, request_id, source, voucher_key, masked_code, deal_id, deal_title,
         booking_id, use_kind, payment_id, face_value, settle_amount, covered, status, actor_kind,
         actor_id, at)
       VALUES (?, ?, ?, ?, '123******789', NULL, ?, ?, 'book', ?, ?, ?, ?, 'done', 'staff', 's', ?)`,
    )
    .run(
      ids.redemption,
      `req-${i}`,
      source,
      `${source}:${i}`,
      `${source} 2 小时`,
      ids.booking,
      ids.payment,
      v.faceValue,
      v.settle,
      v.covered,
      now,
    );
  hub.db
    .prepare(
      `INSERT INTO ledger (booking_id, kind, method, amount, payment_id, actor_kind, actor_id, at)
       VALUES (?, 'payment', 'voucher', ?, ?, 'staff', 's', ?)`,
    )
    .run(ids.booking, v.covered, ids.payment, now);
  return ids;
}

describe('platform vouchers in the statistics', () => {
  it('show under their platform with face value and settled amount, by deal too', () => {
    redeemed('meituan', { covered: 8800, faceValue: 12800, settle: 7600 });
    redeemed('meituan', { covered: 8800, faceValue: 12800, settle: 7600 });
    redeemed('douyin', { covered: 6000, faceValue: 9900, settle: 5400 });
    const v = hub.stats.all({ range: 'today' });
    expect(v.revenue.rows).toEqual([
      {
        channel: 'meituan',
        bookings: 17600,
        orders: 0,
        refunded: 0,
        net: 17600,
        faceValue: 25600,
        settled: 15200,
      },
      {
        channel: 'douyin',
        bookings: 6000,
        orders: 0,
        refunded: 0,
        net: 6000,
        faceValue: 9900,
        settled: 5400,
      },
    ]);
    expect(v.deals).toEqual([
      {
        source: 'meituan',
        dealId: null,
        dealTitle: 'meituan 2 小时',
        redeemed: 2,
        faceValue: 25600,
        settled: 15200,
      },
      {
        source: 'douyin',
        dealId: null,
        dealTitle: 'douyin 2 小时',
        redeemed: 1,
        faceValue: 9900,
        settled: 5400,
      },
    ]);
  });

  it('show an undone redemption as money back on the day it was undone', () => {
    const ids = redeemed('douyin', { covered: 6000, faceValue: 9900, settle: 5400 });
    clock.set(T0 + 24 * HOUR);
    hub.db
      .prepare(
        `INSERT INTO refunds (id, booking_id, payment_id, amount, purpose, reason, status, created_at, settled_at)
         VALUES ('rf1', ?, ?, 6000, 'cancel', '撤销核销', 'succeeded', ?, ?)`,
      )
      .run(ids.booking, ids.payment, clock.now(), clock.now());
    hub.db
      .prepare(
        `INSERT INTO ledger (booking_id, kind, method, amount, payment_id, refund_id, actor_kind, actor_id, at)
         VALUES (?, 'refund', 'voucher', -6000, ?, 'rf1', 'staff', 's', ?)`,
      )
      .run(ids.booking, ids.payment, clock.now());
    hub.db
      .prepare(`UPDATE redemptions SET status = 'undone', undone_at = ? WHERE id = ?`)
      .run(clock.now(), ids.redemption);
    const today = hub.stats.all({ range: 'today' });
    expect(today.revenue.rows).toEqual([
      expect.objectContaining({ channel: 'douyin', bookings: 0, refunded: 6000, net: -6000 }),
    ]);
    expect(today.refunds.rows).toEqual([
      { of: 'booking', purpose: 'cancel', count: 1, amount: 6000 },
    ]);
    // the day it was redeemed keeps its money in; an undone voucher is worth nothing there now
    const both = hub.stats.all({ range: '7d' });
    expect(both.revenue.rows).toEqual([
      expect.objectContaining({ channel: 'douyin', bookings: 6000, refunded: 6000, net: 0 }),
    ]);
    expect(both.deals).toEqual([]);
  });
});
