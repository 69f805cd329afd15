// Penalties other than suspension, seen from the customer's side over real HTTP and a real
// CouchDB-compatible server: a merchant hidden from search (限制曝光) is missing from "stores near"
// and the recommendations while its page still opens, and back once the period is over; a store
// that takes no bookings online (暂停线上接单) refuses a booking request with a clear message and
// takes one once the penalty is lifted; a warning costs the rating; each is audited with its
// reason, and only the merchant admins and the platform owner set them.
import { REGISTRY_DB } from '@roomhub/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, callApi, seedStoreDocs } from '../../test/cloud-fixtures';
import { startPlatformCloud, type PlatformCloud } from './platform-test-cloud';

const T0 = Date.parse('2026-12-01T10:00:00+08:00');
const M = '13800009001';
let p: PlatformCloud;
let admin: string;
let analyst: string;
let owner: string;
let customer: string;

const near = async () =>
  (await p.api('GET', '/api/stores?lat=31.23&lng=121.47')).json.stores.map(
    (s: { storeId: string }) => s.storeId,
  );
const picks = async () =>
  (
    await p.api('GET', '/api/me/recommendations?lat=31.23&lng=121.47', undefined, customer)
  ).json.recommendations.map((r: { storeId: string }) => r.storeId);
const book = () =>
  callApi(
    p.service.url,
    'POST',
    '/api/bookings',
    {
      storeId: 'pn',
      roomId: 'r1',
      partySize: 2,
      start: '2026-12-02T14:00:00+08:00',
      end: '2026-12-02T16:00:00+08:00',
    },
    {
      ...bearer(customer),
      'Idempotency-Key': `k-${Math.random().toString(36).slice(2)}`,
      'Accept-Language': 'zh-CN',
    },
  );

beforeAll(async () => {
  p = await startPlatformCloud(T0, 'platform-penalties');
  admin = await p.staff('13900006001', ['merchant_admin']);
  analyst = await p.staff('13900006002', ['analyst']);
  owner = await p.staff('13900006003', ['platform_owner']);
  await seedStoreDocs(
    p.couch.writers,
    {
      storeId: 'pn',
      name: '清茶小筑',
      lat: 31.23,
      lng: 121.47,
      hours: { open: '00:00', close: '24:00' },
      rooms: [{ roomId: 'r1', style: 'tea', capacity: 4, workday: 6000 }],
    },
    p.clock.now(),
  );
  await p.service.sweepNow();
  await p.service.refreshCatalogue();
  // An approved merchant running the store (what approving its application writes).
  await p.couch.admin.put(REGISTRY_DB, {
    _id: `merchant:${M}`,
    type: 'merchant',
    phone: M,
    name: '清茶小筑',
    contactPhone: M,
    storeIds: ['pn', 'px'],
    applicationIds: [],
    approvedAt: new Date(T0).toISOString(),
  });
  await p.api('POST', '/api/auth/sms/send', { phone: '13800009101' });
  customer = (
    await p.api('POST', '/api/auth/sms/verify', {
      phone: '13800009101',
      code: p.sms.lastCode('13800009101'),
    })
  ).json.token;
}, 60_000);
afterAll(async () => {
  await p?.close();
});

describe("a merchant's penalties", () => {
  it('hides its stores from stores near and the recommendations for the period, pages still open', async () => {
    expect(await near()).toContain('pn');
    expect(await picks()).toContain('pn');
    const hidden = await p.api(
      'POST',
      `/api/platform/merchants/${M}/penalties`,
      {
        kind: 'hidden',
        reason: '虚假宣传，限制曝光两小时',
        until: '2026-12-01T12:00:00+08:00',
      },
      admin,
    );
    expect(hidden.status).toBe(201);
    expect(hidden.json).toMatchObject({
      kind: 'hidden',
      storeIds: ['pn', 'px'],
      storeId: null,
      state: 'active',
      until: '2026-12-01T04:00:00.000Z',
    });
    expect(await near()).not.toContain('pn');
    expect(await picks()).not.toContain('pn');
    expect((await p.api('GET', '/api/stores/pn')).status).toBe(200);
    // Its customers can still quote and book its rooms.
    const quote = await p.api('POST', '/api/quotes', {
      storeId: 'pn',
      roomId: 'r1',
      start: '2026-12-02T14:00:00+08:00',
      end: '2026-12-02T16:00:00+08:00',
    });
    expect(quote.status).toBe(200);

    p.clock.set(Date.parse('2026-12-01T12:00:00+08:00'));
    expect(await near()).toContain('pn');
    expect(await picks()).toContain('pn');
    const list = await p.api('GET', `/api/platform/merchants/${M}/penalties`, undefined, analyst);
    expect(list.json.map((x: { state: string }) => x.state)).toEqual(['ended']);
  });

  it('refuses new bookings online while suspended online, and takes them once lifted', async () => {
    const paused = await p.api(
      'POST',
      `/api/platform/merchants/${M}/penalties`,
      { kind: 'no_online_booking', storeId: 'pn', reason: '多次爽约，暂停线上接单' },
      owner,
    );
    expect(paused.status).toBe(201);
    expect(paused.json).toMatchObject({ storeIds: ['pn'], storeId: 'pn', until: null });
    const refused = await book();
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'online_booking_paused', field: 'storeId' });
    expect(refused.json.error.message).toContain('暂停线上接单');
    // Starting a table of players books the room online too.
    const table = await callApi(
      p.service.url,
      'POST',
      '/api/stores/pn/tables',
      {
        roomId: 'r1',
        start: '2026-12-02T14:00:00+08:00',
        end: '2026-12-02T16:00:00+08:00',
        seats: 4,
        deadline: '2026-12-02T13:00:00+08:00',
        title: '四人麻将',
        name: '小王',
        ageConfirmed: true,
      },
      { ...bearer(customer), 'Idempotency-Key': 'table-start-1' },
    );
    expect(table.json.error).toMatchObject({ code: 'online_booking_paused', field: 'storeId' });
    expect(table.status).toBe(409);
    expect(table.json.error.code).toBe('online_booking_paused');
    // Still listed: this penalty hides nothing.
    expect(await near()).toContain('pn');

    const lifted = await p.api(
      'POST',
      `/api/platform/merchants/${M}/penalties/${paused.json.penaltyId}/lift`,
      { reason: '商家已整改' },
      admin,
    );
    expect(lifted.status).toBe(200);
    expect(lifted.json).toMatchObject({ state: 'lifted', lifted: { reason: '商家已整改' } });
    const again = await p.api(
      'POST',
      `/api/platform/merchants/${M}/penalties/${paused.json.penaltyId}/lift`,
      { reason: '再解除一次' },
      admin,
    );
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('penalty_not_in_force');
    const taken = await book();
    expect([201, 202]).toContain(taken.status);
  }, 30_000);

  it('counts a warning against the rating, and lets only the merchant admins and the owner set one', async () => {
    const refused = await p.api(
      'POST',
      `/api/platform/merchants/${M}/penalties`,
      { kind: 'warning', reason: '卫生不达标' },
      analyst,
    );
    expect(refused.status).toBe(403);
    const warned = await p.api(
      'POST',
      `/api/platform/merchants/${M}/penalties`,
      { kind: 'warning', reason: '卫生不达标，请一周内整改' },
      admin,
    );
    expect(warned.status).toBe(201);
    const merchants = await p.api('GET', '/api/platform/merchants', undefined, analyst);
    const m = merchants.json.find((x: { phone: string }) => x.phone === M);
    expect(m.rating.warnings).toBe(1);

    const audit = await p.api('GET', '/api/platform/audit', undefined, owner);
    const lines = audit.json.map(
      (e: { action: string; target: string; reason: string }) =>
        `${e.action} ${e.target} ${e.reason}`,
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        `penalty.hidden merchant:${M} 虚假宣传，限制曝光两小时`,
        'penalty.no_online_booking store:pn 多次爽约，暂停线上接单',
        'penalty.lift store:pn 商家已整改',
        `penalty.warning merchant:${M} 卫生不达标，请一周内整改`,
      ]),
    );
  });

  it('names the field and the rule of a bad penalty', async () => {
    const backwards = await p.api(
      'POST',
      `/api/platform/merchants/${M}/penalties`,
      {
        kind: 'hidden',
        reason: '测试',
        from: '2026-12-03T10:00:00+08:00',
        until: '2026-12-02T10:00:00+08:00',
      },
      admin,
    );
    expect(backwards.status).toBe(400);
    expect(backwards.json.error.field).toBe('until');
    const other = await p.api(
      'POST',
      `/api/platform/merchants/${M}/penalties`,
      { kind: 'hidden', storeId: 'zz', reason: '测试一下' },
      admin,
    );
    expect(other.status).toBe(422);
    expect(other.json.error).toMatchObject({ code: 'store_not_merchants', field: 'storeId' });
    const kind = await p.api(
      'POST',
      `/api/platform/merchants/${M}/penalties`,
      { kind: 'fine', reason: '罚款' },
      admin,
    );
    expect(kind.status).toBe(400);
    expect(kind.json.error.field).toBe('kind');
    const nobody = await p.api(
      'GET',
      '/api/platform/merchants/13800009999/penalties',
      undefined,
      admin,
    );
    expect(nobody.status).toBe(404);
  });
});
