// Promotions and member prices on the minutes added to a booking, through a real hub: an extension
// in a percentage promotion's period and scope gets its discount as its own line; a once-a-booking
// offer (an amount off) is not given again; an extension taken back unpaid takes its discount line
// with it. The member's level is off an extension and off overtime as off the booking's time.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let room: string;

beforeEach(async () => {
  h = await startTestHub();
  room = (await h.roomIds())[0]!;
});
afterEach(async () => {
  await h.close();
});

const promotion = async (rule: Record<string, unknown>, scope: Record<string, unknown> = {}) => {
  const r = await h.api(
    'POST',
    '/api/promotions',
    { name: '冬日八折', from: '2026-11-01', to: '2026-11-30', rule, scope },
    as('manager'),
  );
  expect(r.status, JSON.stringify(r.body)).toBe(201);
};

async function paidBooking(phone = '13800138000', roomId = room): Promise<string> {
  const b = await h.api('POST', '/api/bookings', {
    roomId,
    start: at('14:00'),
    end: at('16:00'),
    partySize: 2,
    customer: { phone },
  });
  expect(b.status, JSON.stringify(b.body)).toBe(201);
  await h.api('POST', `/api/bookings/${b.body.id}/payments`, { method: 'cash' }, STAFF);
  return b.body.id;
}

type Line = { kind: string; amount: number; label: string };
const extensionLines = (lines: Line[]) => lines.filter((l) => l.kind === 'extension');

describe('an extension', () => {
  it('gets a percentage promotion in force as its own line, and loses it when taken back unpaid', async () => {
    await promotion({ kind: 'percent', percentOff: 20 });
    const id = await paidBooking();
    const before = (await h.api('GET', `/api/bookings/${id}`)).body;
    const ext = await h.api('POST', `/api/bookings/${id}/extend`, { minutes: 60 });
    expect(ext.status, JSON.stringify(ext.body)).toBe(201);
    expect(ext.body.amount).toBe(3800 - 760); // an hour at the weekday base rate, 20% off
    const b = (await h.api('GET', `/api/bookings/${id}`)).body;
    expect(b.due).toBe(3040);
    const added = b.lines.slice(before.lines.length) as Line[];
    expect(added.map((l) => [l.kind, l.amount])).toEqual([
      ['extension', 3800],
      ['promotion', -760],
    ]);
    expect(added[1]!.label).toContain('冬日八折');

    h.clock.advance(16 * 60_000); // the hold runs out unpaid
    await h.runJobs();
    const back = (await h.api('GET', `/api/bookings/${id}`)).body;
    expect(back).toMatchObject({ end: at('16:00'), due: 0, total: before.total });
    expect(back.lines).toEqual(before.lines);
  });

  it('outside the promotion scope, or under an amount off, costs its full price', async () => {
    await promotion({ kind: 'percent', percentOff: 20 }, { roomStyles: ['不存在的房型'] });
    await promotion({ kind: 'amount', amountOff: 1000 });
    const id = await paidBooking();
    const ext = await h.api('POST', `/api/bookings/${id}/extend`, { minutes: 60 });
    expect(ext.body.amount).toBe(3800);
    const b = (await h.api('GET', `/api/bookings/${id}`)).body;
    expect(extensionLines(b.lines)).toHaveLength(1);
    expect(b.lines.at(-1)).toMatchObject({ kind: 'extension', amount: 3800 });
  });
});

describe('a member’s level', () => {
  const MEMBER = '13700137000';
  /** Every member starts at a level with 10% off room time. */
  const goldLevel = async () => {
    const r = await h.api(
      'PUT',
      '/api/member-levels',
      { levels: [{ name: '金卡', threshold: 0, roomPercentOff: 10 }] },
      STAFF,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };

  it('is off an extension after the percentage promotion, each its own line', async () => {
    await goldLevel();
    await promotion({ kind: 'percent', percentOff: 20 });
    const id = await paidBooking(MEMBER); // paying makes the customer a member
    const before = (await h.api('GET', `/api/bookings/${id}`)).body;
    const ext = await h.api('POST', `/api/bookings/${id}/extend`, { minutes: 60 });
    expect(ext.status, JSON.stringify(ext.body)).toBe(201);
    // An hour is 38.00; 20% off is 30.40; 10% off that is 27.36.
    expect(ext.body.amount).toBe(2736);
    const b = (await h.api('GET', `/api/bookings/${id}`)).body;
    expect(b.lines.slice(before.lines.length).map((l: Line) => [l.kind, l.amount])).toEqual([
      ['extension', 3800],
      ['promotion', -760],
      ['member', -304],
    ]);
  });

  it('is off overtime, after the percentage promotion, each its own line', async () => {
    await goldLevel();
    await promotion({ kind: 'percent', percentOff: 20 });
    const id = await paidBooking(MEMBER);
    h.clock.set(Date.parse(at('14:00')));
    await h.runJobs();
    expect((await h.api('POST', `/api/bookings/${id}/door`)).status).toBe(200);
    h.clock.set(Date.parse(at('16:12')));
    await h.runJobs();
    const live = (await h.api('GET', '/api/sessions', undefined, STAFF)).body[0];
    // One 15-minute step at 38 yuan an hour is 9.50; 20% off is 7.60; 10% off that is 6.84.
    expect(live.overtime).toEqual({ minutes: 15, amount: 684 });
    const before = (await h.api('GET', `/api/bookings/${id}`)).body.lines.length as number;
    const done = await h.api('POST', `/api/bookings/${id}/finish`);
    expect(done.body).toMatchObject({ status: 'completed', due: 684 });
    expect(done.body.lines.slice(before).map((l: Line) => [l.kind, l.amount])).toEqual([
      ['overtime', 950],
      ['promotion', -190],
      ['member', -76],
    ]);
  });
});
