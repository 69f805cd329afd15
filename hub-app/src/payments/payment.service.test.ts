// Refunds across several payments, without HTTP: newest payment first, never more than was paid,
// and the booking is called refunded only when every part has gone back.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { seedDemoStore } from '../demo/seed';
import { createHub, type Hub } from '../hub';
import type { OnlineChannel } from './channel';
import { REFUND_JOB } from './refunds';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const staff = { kind: 'staff', id: 's1' } as const;

/** A gateway that answers refunds as told, to see what the service does with each answer. */
class ScriptedChannel implements OnlineChannel {
  readonly method = 'wechat' as const;
  answer: 'ok' | 'down' | 'refuse' = 'ok';
  refunds: { refundId: string; amount: number }[] = [];
  async createCharge() {
    return { payUrl: 'http://pay.invalid/x', qrPayload: 'weixin://x' };
  }
  async refund(req: { refundId: string; amount: number }) {
    if (this.answer === 'down') throw new Error('connection refused');
    if (this.answer === 'refuse') return { status: 'failed' as const, channelRefundId: null };
    this.refunds.push({ refundId: req.refundId, amount: req.amount });
    return { status: 'succeeded' as const, channelRefundId: `R${this.refunds.length}` };
  }
  verifyNotification(): never {
    throw new Error('not used here');
  }
}

let hub: Hub;
let clock: ManualClock;
let channel: ScriptedChannel;

beforeEach(async () => {
  clock = new ManualClock(T0);
  channel = new ScriptedChannel();
  hub = createHub({
    dataDir: mkdtempSync(join(tmpdir(), 'payments-')),
    clock,
    channels: { wechat: channel },
  });
  await seedDemoStore(hub);
});
afterEach(() => hub.close());

/** A 7600 booking paid half online (as a verified notification records it), then the rest in cash. */
async function twoPayments(): Promise<string> {
  const room = hub.store.listRooms()[0]!.id;
  const b = await hub.writes.run((ac) =>
    hub.bookings.create(
      {
        roomId: room,
        start: '2026-11-23T14:00:00+08:00',
        end: '2026-11-23T16:00:00+08:00',
        partySize: 2,
        customer: { phone: '13800138000' },
      },
      staff,
      ac,
    ),
  );
  await hub.writes.run(() => {
    hub.db
      .prepare(
        `INSERT INTO payments (id, booking_id, method, amount, received, status, created_at, paid_at, channel_txn_id) VALUES ('p1', ?, 'wechat', 3800, 3800, 'succeeded', ?, ?, 'T1')`,
      )
      .run(b.id, T0, T0);
    hub.db
      .prepare(
        `INSERT INTO ledger (booking_id, kind, method, amount, payment_id, actor_kind, actor_id, at) VALUES (?, 'payment', 'wechat', 3800, 'p1', 'system', 'gw', ?)`,
      )
      .run(b.id, T0);
  });
  clock.advance(1_000);
  await hub.writes.run((ac) => hub.payments.payCash(b.id, staff, ac));
  expect(hub.views.detail(b.id)).toMatchObject({ status: 'paid', paid: 7600 });
  return b.id;
}

describe('refunds over several payments', () => {
  it('return the newest payment first and settle the booking when all parts are back', async () => {
    const id = await twoPayments();
    const cancelled = await hub.writes.run((ac) => hub.bookings.cancel(id, staff, null, ac));
    // Cash first (the newest payment), back at once over the counter; the online part waits.
    expect(cancelled.refunds.map((r) => [r.method, r.amount, r.status])).toEqual([
      ['cash', 3800, 'succeeded'],
      ['wechat', 3800, 'pending'],
    ]);
    expect(cancelled.status).toBe('refunding');
    channel.answer = 'down';
    await hub.scheduler.runDue();
    expect(hub.views.detail(id).status).toBe('refunding'); // the gateway is down: keep trying
    expect(hub.scheduler.pending('refund.execute')[0]?.attempts).toBe(1);
    channel.answer = 'ok';
    clock.advance(5_000);
    await hub.scheduler.runDue();
    const done = hub.views.detail(id);
    expect(done).toMatchObject({ status: 'refunded', paid: 0 });
    expect(channel.refunds).toHaveLength(1);
  });

  it('never refunds more than was paid', async () => {
    const id = await twoPayments();
    await hub.writes.run((ac) => hub.refundReview.request(id, { reason: 'x' }, staff, ac));
    await expect(
      hub.writes.run((ac) => hub.refundReview.approve(id, { amount: 7601 }, staff, ac)),
    ).rejects.toMatchObject({
      code: 'refund_exceeds_paid',
    });
    expect(hub.views.detail(id).refunds).toEqual([]); // the refused approval left nothing behind
  });

  it('keeps a refused refund visible for staff instead of retrying forever', async () => {
    const id = await twoPayments();
    channel.answer = 'refuse';
    await hub.writes.run((ac) => hub.bookings.cancel(id, staff, null, ac));
    await hub.scheduler.runDue();
    const b = hub.views.detail(id);
    expect(b.refunds.find((r) => r.method === 'wechat')).toMatchObject({ status: 'failed' });
    expect(b.history.at(-1)).toMatchObject({ action: 'refund_failed' });
    // No refund is left to retry (other domains' daily jobs are theirs).
    expect(hub.scheduler.pending(REFUND_JOB)).toEqual([]);
  });
});
