// Tables of players answered as the cloud's intents arrive, on a real SQLite file with a
// hand-driven clock: four players fill a table and the booking is paid with a share each; a table
// short of players is released at its deadline by the scheduler, every share refunded in the
// ledger; refusals leave nothing behind.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bookingDocId,
  intentDocId,
  splitShares,
  tableDocId,
  TABLE_SETTINGS_ID,
  type AnswerBody,
  type TableDoc,
} from '@roomhub/shared-types';
import { ManualClock } from '../clock';
import { seedDemoStore } from '../demo/seed';
import { createHub, type Hub } from '../hub';
import { answerIntent } from '../sync/intents';
import { buildDocument } from '../sync/documents';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const at = (hhmm: string) => `2026-11-23T${hhmm}:00+08:00`;

let hub: Hub;
let clock: ManualClock;
let room: string;

beforeEach(async () => {
  clock = new ManualClock(T0);
  hub = createHub({ dataDir: mkdtempSync(join(tmpdir(), 'tables-')), clock });
  await seedDemoStore(hub);
  room = hub.store.listRooms().find((r) => r.capacity >= 4)!.id;
});
afterEach(() => hub.close());

function intent(kind: string, customerId: string, body: Record<string, unknown>) {
  const intentId = randomUUID();
  return {
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId: hub.store.getStore().id,
    customerId,
    createdAt: new Date(clock.now()).toISOString(),
    kind,
    body,
  } as never;
}

const pay = (amount: number) => ({ paymentId: `pay-${randomUUID()}`, method: 'wechat', amount });

/** What the table costs for the span, split in four, as the cloud would quote it. */
function priceOf(start: string, end: string, seats = 4) {
  const total = hub.bookings.quote({ roomId: room, start, end }).total;
  return { total, ...splitShares(total, seats) };
}

async function startTable(
  customerId: string,
  opts: { start?: string; end?: string; deadline?: string; amount?: number; seats?: number } = {},
) {
  const start = opts.start ?? at('14:00');
  const end = opts.end ?? at('16:00');
  const seats = opts.seats ?? 4;
  const price = priceOf(start, end, seats);
  const i = intent('table_start', customerId, {
    booking: { roomId: room, start, end, partySize: seats, customer: { phone: '13800138000' } },
    seats,
    deadline: opts.deadline ?? at('13:00'),
    title: '四人麻将',
    name: `p-${customerId}`,
    payment: pay(opts.amount ?? price.starterShare),
  });
  const answer = await answerIntent(hub, i);
  return { answer, tableId: (i as { intentId: string }).intentId, price };
}

const join_ = (tableId: string, customerId: string, amount: number): Promise<AnswerBody> =>
  answerIntent(
    hub,
    intent('table_join', customerId, {
      tableId,
      phone: `1390000${customerId.padStart(4, '0').slice(-4)}`,
      name: `p-${customerId}`,
      payment: pay(amount),
    }),
  );

const tableDoc = (tableId: string) =>
  buildDocument(hub, tableDocId(tableId), undefined) as TableDoc;
const ledgerOf = (bookingId: string) => hub.ledger.entriesOf(bookingId, 'Asia/Shanghai');

describe('a table of four', () => {
  it('fills with a share from each player: the booking is paid and the door code is out', async () => {
    const { answer, tableId, price } = await startTable('c1');
    expect(answer).toMatchObject({ outcome: 'confirmed' });
    const bookingId = answer.bookingId!;
    // Held until the deadline, not the store's usual hold time.
    expect(hub.views.detail(bookingId)).toMatchObject({
      status: 'pending_payment',
      holdExpiresAt: at('13:00'),
    });
    expect(tableDoc(tableId)).toMatchObject({ status: 'open', seats: 4, share: price.share });

    for (const c of ['c2', 'c3']) {
      expect(await join_(tableId, c, price.share)).toEqual({ outcome: 'confirmed', bookingId });
    }
    // Still open with one seat left; a player cannot take two seats.
    expect(await join_(tableId, 'c2', price.share)).toMatchObject({ outcome: 'rejected' });
    expect(hub.views.detail(bookingId).status).toBe('pending_payment');
    expect(await join_(tableId, 'c4', price.share)).toEqual({ outcome: 'confirmed', bookingId });

    expect(hub.views.detail(bookingId)).toMatchObject({ status: 'paid', due: 0 });
    const doc = tableDoc(tableId);
    expect(doc.status).toBe('filled');
    expect(doc.players.map((p) => [p.seat, p.share, p.refunded])).toEqual([
      [1, price.starterShare, false],
      [2, price.share, false],
      [3, price.share, false],
      [4, price.share, false],
    ]);
    // Each share is its own cloud payment in the ledger; together they are the price.
    const payments = ledgerOf(bookingId).filter((l) => l.kind === 'payment');
    expect(payments).toHaveLength(4);
    expect(payments.reduce((s, l) => s + l.amount, 0)).toBe(price.total);
    const booking = buildDocument(hub, bookingDocId(bookingId), undefined) as {
      door?: { entryCode: string };
    };
    expect(booking.door?.entryCode).toMatch(/^\d{6}$/);

    // A fifth player is told the table is full; nothing more is taken.
    expect(await join_(tableId, 'c5', price.share)).toMatchObject({
      outcome: 'rejected',
      reason: 'this table is full',
    });
    expect(ledgerOf(bookingId).filter((l) => l.kind === 'payment')).toHaveLength(4);
    // Passing the deadline later changes nothing for a filled table.
    clock.set(Date.parse(at('13:00')));
    await hub.scheduler.runDue();
    expect(hub.views.detail(bookingId).status).toBe('paid');
  });

  it('short of players at the deadline is released and every share refunded', async () => {
    const { answer, tableId, price } = await startTable('c1');
    const bookingId = answer.bookingId!;
    expect(await join_(tableId, 'c2', price.share)).toMatchObject({ outcome: 'confirmed' });
    // Every job due on the way runs; a minute before the deadline the table is still open.
    clock.set(Date.parse(at('13:00')) - 60_000);
    await hub.scheduler.runDue();
    expect(tableDoc(tableId).status).toBe('open');
    clock.set(Date.parse(at('13:00')));
    await hub.scheduler.runDue();

    expect(hub.views.detail(bookingId).status).toBe('cancelled');
    const doc = tableDoc(tableId);
    expect(doc.status).toBe('released');
    expect(doc.players.every((p) => p.refunded)).toBe(true);
    const refunds = ledgerOf(bookingId).filter((l) => l.kind === 'refund');
    expect(refunds.map((l) => l.amount).sort()).toEqual([-price.starterShare, -price.share].sort());
    // The room is free again: another table can have the same time.
    const again = await startTable('c9', { deadline: at('13:30') });
    expect(again.answer.outcome).toBe('confirmed');
    // A late player is refused and charged nothing.
    expect(await join_(tableId, 'c3', price.share)).toMatchObject({ outcome: 'rejected' });
  });
});

describe('refusals leave nothing behind', () => {
  it('a wrong share, a deadline after the start, a taken room, the owner’s hours', async () => {
    const count = () =>
      (hub.db.prepare('SELECT COUNT(*) AS n FROM bookings').get() as { n: number }).n;
    const before = count();
    const price = priceOf(at('14:00'), at('16:00'));
    const wrong = await startTable('c1', { amount: price.starterShare - 1 });
    expect(wrong.answer).toMatchObject({ outcome: 'rejected' });
    expect(wrong.answer.reason).toContain(`${price.starterShare} fen`);
    const late = await startTable('c1', { deadline: at('15:00') });
    expect(late.answer.reason).toContain('no later than the start');
    expect(count()).toBe(before);
    expect(hub.tables.list()).toEqual([]);

    const first = await startTable('c1');
    expect(first.answer.outcome).toBe('confirmed');
    // The same room and time for a second table: the booking rules refuse the double booking.
    const second = await startTable('c2', { start: at('15:00'), end: at('17:00') });
    expect(second.answer).toMatchObject({ outcome: 'rejected' });
    // A share of the wrong amount is refused and the seat stays free.
    expect(await join_(first.tableId, 'c3', price.share + 1)).toMatchObject({
      outcome: 'rejected',
    });
    expect(tableDoc(first.tableId).players).toHaveLength(1);

    // The owner's game hours and the store's switch.
    await hub.writes.run(() =>
      hub.tables.setSettings(
        { enabled: true, ageNotice: '未满18周岁请勿参与', hours: { from: '18:00', to: '02:00' } },
        { kind: 'staff', id: 'o1', role: 'owner' },
      ),
    );
    expect(buildDocument(hub, TABLE_SETTINGS_ID, undefined)).toMatchObject({
      ageNotice: '未满18周岁请勿参与',
      hours: { from: '18:00', to: '02:00' },
    });
    const outside = await startTable('c4', { start: at('17:00'), end: at('19:00') });
    expect(outside.answer.reason).toContain('from 18:00 to 02:00');
    const inside = await startTable('c4', {
      start: at('20:00'),
      end: at('22:00'),
      deadline: at('19:00'),
    });
    expect(inside.answer.outcome).toBe('confirmed');
    expect(hub.audit.list({ action: 'tables.settings', limit: 5 }, 'Asia/Shanghai')).toHaveLength(
      1,
    );
  });
});
