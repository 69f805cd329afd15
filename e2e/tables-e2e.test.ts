// Finding players (C14) through a real hub, the cloud service and CouchDB replication: four
// customers fill a table, each charged a share that adds up to the booking's price, and every one
// of them sees the door code; a table short of players is released at its deadline by the hub's
// scheduler and every share is paid back by the cloud; the owner's age notice and game hours
// reach the store page and refuse a table outside them before anything is charged. Random bodies
// on the new routes never get a 5xx.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, STAFF, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud } from './fixtures';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let storeId: string;
let roomId: string;
beforeAll(async () => {
  running = await startStoreAndCloud('tables-e2e', {
    intentWaitMs: 3_000,
    answerWaitMs: 5_000,
    // Seven customers sign in from this one address.
    smsLimits: { senderPerMinute: 20, senderPerHour: 50 },
  });
  const { hub, cloud, api } = running;
  storeId = hub.hub.store.getStore().id;
  roomId = hub.hub.store.listRooms().find((r) => r.capacity >= 4)!.id;
  await until('the store known to the cloud', async () => {
    await cloud.cloud.follower.followNow();
    const r = await api('GET', `/api/stores/${storeId}`);
    return r.status === 200 ? r : undefined;
  });
}, 60_000);
afterAll(async () => {
  await running?.close();
});

const phones = ['13800000041', '13800000042', '13800000043', '13800000044', '13800000045'];

describe('tables of players online', () => {
  it('four fill a table, each paying a share; a table short of players is refunded', async () => {
    const { hub, cloud, api, signIn, payments } = running;
    const tokens: string[] = [];
    for (const p of phones) tokens.push(await signIn(p));
    const start = await api(
      'POST',
      `/api/stores/${storeId}/tables`,
      {
        roomId,
        start: at('14:00'),
        end: at('16:00'),
        seats: 4,
        deadline: at('13:00'),
        title: '四人麻将',
        name: '老王',
        ageConfirmed: true,
      },
      tokens[0],
    );
    expect(start.status, JSON.stringify(start.body)).toBe(201);
    expect(start.body).toMatchObject({ kind: 'table_start', state: 'confirmed' });
    const tableId = start.body.tableId as string;
    const listed = await until('the table on the store page', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', `/api/stores/${storeId}/tables`);
      return r.body.tables?.find((t: { tableId: string }) => t.tableId === tableId);
    });
    expect(listed).toMatchObject({ seats: 4, seatsLeft: 3, status: 'open', title: '四人麻将' });
    expect(listed.players).toEqual([{ seat: 1, name: '老王' }]);
    const { share, starterShare, total } = listed as {
      share: number;
      starterShare: number;
      total: number;
    };
    expect(starterShare + 3 * share).toBe(total);
    expect(payments.payments.get(`pay-${start.body.intentId}`)).toMatchObject({
      state: 'captured',
      amount: starterShare,
    });

    for (const [i, name] of [
      [1, '小李'],
      [2, '阿强'],
      [3, '美美'],
    ] as const) {
      const joined = await api(
        'POST',
        `/api/stores/${storeId}/tables/${tableId}/join`,
        { name, ageConfirmed: true },
        tokens[i],
      );
      expect(joined.status, JSON.stringify(joined.body)).toBe(201);
      expect(payments.payments.get(`pay-${joined.body.intentId}`)).toMatchObject({
        state: 'captured',
        amount: share,
      });
    }
    const booking = hub.hub.views.detail(start.body.bookingId);
    expect(booking).toMatchObject({ status: 'paid', due: 0, total });

    // Every player sees the table filled and the same door code.
    const codes = new Set<string>();
    for (const token of tokens.slice(0, 4)) {
      const mine = await until('the filled table with its door code', async () => {
        await cloud.cloud.follower.followNow();
        const r = await api('GET', '/api/me/tables', undefined, token);
        const t = r.body.find?.((x: { tableId: string }) => x.tableId === tableId);
        return t?.door ? t : undefined;
      });
      expect(mine.status).toBe('filled');
      codes.add(mine.door.entryCode);
    }
    expect(codes.size).toBe(1);
    // A fifth is told the table is full, and charged nothing.
    const fifth = await api(
      'POST',
      `/api/stores/${storeId}/tables/${tableId}/join`,
      { name: '路人', ageConfirmed: true },
      tokens[4],
    );
    expect(fifth.status).toBe(409);
    expect(fifth.body.error.code).toBe('table_full');
    expect([...payments.payments.keys()]).toHaveLength(4);

    // A table of two that never fills: released at its deadline, both shares given back.
    const short = await api(
      'POST',
      `/api/stores/${storeId}/tables`,
      {
        roomId,
        start: at('18:00'),
        end: at('20:00'),
        seats: 4,
        deadline: at('12:00'),
        title: '四人麻将',
        name: '阿强',
        ageConfirmed: true,
      },
      tokens[2],
    );
    expect(short.status, JSON.stringify(short.body)).toBe(201);
    await until('the short table in the cloud', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', `/api/stores/${storeId}/tables/${short.body.tableId}`);
      return r.status === 200 ? r : undefined;
    });
    const second = await api(
      'POST',
      `/api/stores/${storeId}/tables/${short.body.tableId}/join`,
      { name: '美美', ageConfirmed: true },
      tokens[3],
    );
    expect(second.status).toBe(201);
    hub.clock.set(Date.parse(at('12:00')));
    await hub.runJobs();
    expect(hub.hub.views.detail(short.body.bookingId).status).toBe('cancelled');
    const paidBack = await until('both shares paid back', async () => {
      await cloud.sweepNow();
      const back = [...payments.refunds.values()];
      return back.length === 2 ? back : undefined;
    });
    expect(paidBack.map((r) => r.paymentId).sort()).toEqual(
      [`pay-${short.body.intentId}`, `pay-${second.body.intentId}`].sort(),
    );
    const mine = await until('the released table', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', '/api/me/tables', undefined, tokens[3]);
      const t = r.body.find?.((x: { tableId: string }) => x.tableId === short.body.tableId);
      return t?.status === 'released' && t.refunded ? t : undefined;
    });
    expect(mine.door).toBeNull();
    // The filled table kept every share.
    expect(
      [...payments.refunds.values()].some((r) => r.paymentId.includes(start.body.intentId)),
    ).toBe(false);
  }, 120_000);

  it('shows the owner’s age notice and refuses a table outside the game hours, charging nothing', async () => {
    const { hub, cloud, api, signIn, payments } = running;
    const put = await hub.api(
      'PUT',
      '/api/tables/settings',
      { enabled: true, ageNotice: '未满18周岁请勿参与', hours: { from: '19:00', to: '02:00' } },
      STAFF,
    );
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const page = await until('the notice on the store page', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', `/api/stores/${storeId}/tables`);
      return r.body.settings?.ageNotice ? r.body : undefined;
    });
    expect(page.settings).toEqual({
      enabled: true,
      ageNotice: '未满18周岁请勿参与',
      hours: { from: '19:00', to: '02:00' },
    });
    const token = await signIn('13800000046');
    const before = payments.payments.size;
    const outside = await api(
      'POST',
      `/api/stores/${storeId}/tables`,
      {
        roomId,
        start: at('16:00', 1),
        end: at('18:00', 1),
        seats: 4,
        deadline: at('15:00', 1),
        title: '四人麻将',
        name: '新人',
        ageConfirmed: true,
      },
      token,
    );
    expect(outside.status).toBe(409);
    expect(outside.body.error).toMatchObject({ code: 'outside_table_hours' });
    expect(payments.payments.size).toBe(before);
  }, 60_000);

  it('never answers a fuzzed body with a 5xx', async () => {
    const { api, signIn } = running;
    const token = await signIn('13800000047');
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          roomId: fc.oneof(fc.constant(roomId), fc.string()),
          start: fc.oneof(fc.constant(at('20:00', 2)), fc.string(), fc.integer()),
          end: fc.oneof(fc.constant(at('22:00', 2)), fc.string(), fc.constant(null)),
          seats: fc.oneof(fc.integer(), fc.double(), fc.string()),
          deadline: fc.oneof(fc.constant(at('19:00', 2)), fc.string()),
          title: fc.oneof(fc.constant('麻将'), fc.string()),
          name: fc.oneof(fc.constant('我'), fc.string()),
          ageConfirmed: fc.oneof(fc.boolean(), fc.string()),
        },
        { requiredKeys: [] },
      ),
    );
    const paths = [
      `/api/stores/${storeId}/tables`,
      `/api/stores/${storeId}/tables/nope/join`,
      '/api/stores/x/tables',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), body, async (path, b) => {
        const r = await api('POST', path, b, token);
        expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
        expect(r.status).not.toBe(401);
        if (r.status >= 400) expect(typeof r.body.error?.code).toBe('string');
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
