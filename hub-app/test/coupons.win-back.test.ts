// Win-back campaigns through a real hub, the clock moved day by day with the scheduler's jobs run
// on the way: a campaign names how many days away a member must be (refused, naming absentDays,
// when missing for this kind or given for another); its daily job gives its coupon to each member
// whose last visit (a completed booking) is older than that, once per absence, so a member who
// comes back and stays away again is recalled again; an ended campaign gives nothing, and the job
// stops when no win-back campaign may still give. The coupon's document tells the cloud it is a
// recall.
import { couponDocId } from '@roomhub/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocument } from '../src/sync/documents';
import { as, at, CUSTOMER_ID_KEY, startTestHub, type TestHub } from './harness';

let h: TestHub;
let rooms: string[];
const MANAGER = as('manager');
const CASHIER = as('cashier');
const AWAY = '13900003001';
const REGULAR = '13900003002';
const JOB = 'coupons.win_back';

beforeAll(async () => {
  h = await startTestHub();
  rooms = await h.roomIds();
});
afterAll(async () => {
  await h.close();
});

const winBack = (over: Record<string, unknown> = {}) =>
  h.api(
    'POST',
    '/api/campaigns',
    {
      name: '老客召回',
      kind: 'win_back',
      couponName: '回来立减20元',
      coupon: { rule: { kind: 'amount', amountOff: 2000 } },
      claimFrom: '2026-11-23',
      claimTo: '2027-01-31',
      useDays: 14,
      perPerson: 5,
      absentDays: 7,
      ...over,
    },
    MANAGER,
  );

/** The store's day `d` (from 2026-11-23) has begun: the midnight jobs run. */
async function dayBegins(d: number): Promise<void> {
  h.clock.set(Date.parse(at('00:05', d)));
  await h.runJobs();
}

/** `phone` comes on day `d`: a walk-in booking paid, the door opened, finished (a visit). */
async function visit(phone: string, d: number, room = 0): Promise<void> {
  h.clock.set(Date.parse(at('10:00', d)));
  const b = await h.api('POST', '/api/bookings', {
    roomId: rooms[room]!,
    start: at('10:00', d),
    end: at('12:00', d),
    partySize: 2,
    customer: { phone },
  });
  expect(b.status).toBe(201);
  const paid = await h.api(
    'POST',
    `/api/bookings/${b.body.id}/payments`,
    { method: 'cash' },
    CASHIER,
  );
  expect(paid.status).toBeLessThan(300);
  expect((await h.api('POST', `/api/bookings/${b.body.id}/door`)).status).toBe(200);
  expect((await h.api('POST', `/api/bookings/${b.body.id}/finish`)).body.status).toBe('completed');
}

const couponsOf = async (phone: string, campaignId: string) =>
  (
    (await h.api('GET', `/api/coupons?phone=${phone}`, undefined, CASHIER)).body as {
      id: string;
      campaignId: string;
      name: string;
      status: string;
    }[]
  ).filter((c) => c.campaignId === campaignId);

describe('win-back campaigns', () => {
  it('are refused, naming absentDays, without their days away or with them on another kind', async () => {
    const missing = await winBack({ absentDays: undefined });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('absentDays');
    expect(missing.body.error.message).toContain('absentDays');
    const tooFew = await winBack({ absentDays: 3 });
    expect(tooFew.status).toBe(400);
    expect(tooFew.body.error.field).toBe('absentDays');
    const claim = await winBack({ kind: 'claim' });
    expect(claim.status).toBe(400);
    expect(claim.body.error.field).toBe('absentDays');
    expect(h.hub.scheduler.pending(JOB)).toEqual([]);
  });

  it('recall a member away past the days once per absence, again after they came back, never from an ended campaign', async () => {
    await visit(AWAY, 0, 0);
    await visit(REGULAR, 0, 1);
    const created = await winBack();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'win_back', absentDays: 7 });
    const id = created.body.id as string;
    expect(h.hub.scheduler.pending(JOB)[0]!.dueAt).toBe(Date.parse(at('00:00', 1)));

    // Seven whole days away is not yet past seven days; the eighth midnight recalls.
    for (let d = 1; d <= 7; d++) {
      await dayBegins(d);
      if (d === 4) await visit(REGULAR, 4, 1);
    }
    expect(await couponsOf(AWAY, id)).toEqual([]);
    await dayBegins(8);
    const first = await couponsOf(AWAY, id);
    expect(first).toMatchObject([{ name: '回来立减20元', status: 'available' }]);
    expect(await couponsOf(REGULAR, id)).toEqual([]);
    // Its document tells the cloud it is a recall.
    expect(buildDocument(h.hub, couponDocId(first[0]!.id), CUSTOMER_ID_KEY)).toMatchObject({
      type: 'coupon',
      winBack: true,
    });

    // The job runs every midnight; the same absence is recalled once. The member who came on day 4
    // is recalled on the twelfth.
    for (let d = 9; d <= 12; d++) {
      await dayBegins(d);
      if (d === 9) await visit(AWAY, 9, 0);
    }
    expect(await couponsOf(AWAY, id)).toHaveLength(1);
    expect(await couponsOf(REGULAR, id)).toHaveLength(1);

    // Away again since day 9: a second recall on the seventeenth midnight, not before.
    for (let d = 13; d <= 16; d++) await dayBegins(d);
    expect(await couponsOf(AWAY, id)).toHaveLength(1);
    await dayBegins(17);
    expect(await couponsOf(AWAY, id)).toHaveLength(2);
    expect(await couponsOf(REGULAR, id)).toHaveLength(1);

    // Another win-back campaign keeps the job running; the first ends and gives nothing more.
    const later = await winBack({ name: '久别重逢', absentDays: 60 });
    expect(later.status).toBe(201);
    const ended = await h.api('PATCH', `/api/campaigns/${id}`, { status: 'ended' }, MANAGER);
    expect(ended.body.status).toBe('ended');
    await visit(AWAY, 17, 0);
    for (let d = 18; d <= 27; d++) await dayBegins(d);
    expect(await couponsOf(AWAY, id)).toHaveLength(2);
    expect(await couponsOf(AWAY, later.body.id as string)).toEqual([]);
    expect(h.hub.scheduler.pending(JOB)).toHaveLength(1);
    const results = await h.api('GET', `/api/campaigns/${id}/results`, undefined, MANAGER);
    expect(results.body).toMatchObject({ issued: 3, claimed: 0, used: 0 });

    // No win-back campaign may give any more: the job stops.
    await h.api('PATCH', `/api/campaigns/${later.body.id}`, { status: 'ended' }, MANAGER);
    expect(h.hub.scheduler.pending(JOB)).toEqual([]);
  });
});
