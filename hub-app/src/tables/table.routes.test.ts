// The staff's table routes over real HTTP: the owner alone sets the rules for tables, a bad body
// is a 4xx naming the field and changes nothing, random bodies never get a 5xx, and the counter's
// list of tables masks the players' phones.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intentDocId } from '@roomhub/shared-types';
import { answerIntent } from '../sync/intents';
import { as, at, STAFF, startTestHub, type TestHub } from '../../test/harness';

let h: TestHub;
beforeAll(async () => {
  h = await startTestHub();
});
afterAll(async () => {
  await h.close();
});

const good = {
  enabled: true,
  ageNotice: '未满18周岁请勿参与',
  hours: { from: '12:00', to: '02:00' },
};

describe('the rules for tables', () => {
  it('are the owner’s to set; a bad body names its field and changes nothing', async () => {
    expect((await h.api('PUT', '/api/tables/settings', good, as('cashier'))).status).toBe(403);
    const put = await h.api('PUT', '/api/tables/settings', good, STAFF);
    expect(put.status).toBe(200);
    expect(put.body).toEqual(good);
    const bad = await h.api(
      'PUT',
      '/api/tables/settings',
      { ...good, hours: { from: '25:00', to: '02:00' } },
      STAFF,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('hours.from');
    expect((await h.api('GET', '/api/tables/settings', undefined, as('manager'))).body).toEqual(
      good,
    );
  });

  it('never answer random bodies with a 5xx', async () => {
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          enabled: fc.oneof(fc.boolean(), fc.string()),
          ageNotice: fc.oneof(fc.string({ maxLength: 300 }), fc.integer()),
          hours: fc.oneof(
            fc.constant(null),
            fc.record({ from: fc.string(), to: fc.string() }),
            fc.record({
              from: fc.constantFrom('00:00', '12:00', '24:00'),
              to: fc.constantFrom('00:00', '02:00', '12:00'),
            }),
          ),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const r = await h.api('PUT', '/api/tables/settings', b, STAFF);
        expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
        if (r.status >= 400) expect(typeof r.body.error.code).toBe('string');
      }),
      { numRuns: 80 },
    );
  });

  it('lists the tables to the counter with the phones masked', async () => {
    await h.api('PUT', '/api/tables/settings', { ...good, hours: null }, STAFF);
    const roomId = h.hub.store.listRooms().find((r) => r.capacity >= 4)!.id;
    const total = h.hub.bookings.quote({ roomId, start: at('14:00'), end: at('16:00') }).total;
    const intentId = 'table-routes-1';
    const answer = await answerIntent(h.hub, {
      _id: intentDocId(intentId),
      type: 'intent',
      intentId,
      storeId: h.hub.store.getStore().id,
      customerId: 'c-routes',
      createdAt: new Date(h.clock.now()).toISOString(),
      kind: 'table_start',
      body: {
        booking: {
          roomId,
          start: at('14:00'),
          end: at('16:00'),
          partySize: 4,
          customer: { phone: '13800138123' },
        },
        seats: 4,
        deadline: at('13:00'),
        title: '四人麻将',
        name: '老王',
        payment: {
          paymentId: 'pay-routes-1',
          method: 'wechat',
          amount: total - 3 * Math.floor(total / 4),
        },
      },
    });
    expect(answer.outcome).toBe('confirmed');
    const list = await h.api('GET', '/api/tables', undefined, as('cashier'));
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({ status: 'open', seats: 4 });
    expect(list.body[0].players).toEqual([
      expect.objectContaining({ seat: 1, name: '老王', phone: '138****8123' }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain('c-routes');
    expect((await h.api('GET', '/api/tables', undefined, as('cleaner'))).status).toBe(403);
  });
});
