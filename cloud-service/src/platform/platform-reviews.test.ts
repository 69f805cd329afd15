// Review before showing, seen from the customer's side: a store's hub publishes rooms (with its
// own CouchDB user, as in a store), the platform owner turns the gate on, and the customer's
// store list and store page show only what a reviewer approved (nor can a room never approved be
// quoted, booked, put on a table or recommended); a change waits, with the last
// approved version still shown, until approved; a refusal carries its notes; a suspended store
// disappears. All over real HTTP and a real CouchDB-compatible server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DealDocSchema,
  EntitlementSchema,
  MENU_DOC_ID,
  MenuDocSchema,
  dealDocId,
  entitlementRev,
  storeDbName,
} from '@roomhub/shared-types';
import {
  bearer,
  bookingFact,
  callApi,
  phoneId,
  seedStoreDocs,
  SH,
} from '../../test/cloud-fixtures';
import { authorizationOf } from '../../test/test-couch';
import { putOwnerAccount } from '../auth/owners';
import type { CouchDoc } from '../couch';
import { startPlatformCloud, type PlatformCloud } from './platform-test-cloud';

const T0 = Date.parse('2026-12-01T10:00:00+08:00');
let p: PlatformCloud;
let owner: string;
let reviewer: string;
let analyst: string;

const seed = (name: string) =>
  seedStoreDocs(
    p.couch.writers,
    {
      storeId: 'rv',
      name: '茶语小馆',
      lat: 31.23,
      lng: 121.47,
      hours: { open: '00:00', close: '24:00' },
      rooms: [
        { roomId: 'r1', style: 'tea', capacity: 4, workday: 6000 },
        { roomId: 'r2', style: 'mahjong', capacity: 4, workday: 8000 },
      ],
    },
    p.clock.now(),
  ).then(async () => {
    // The hub renames its first room (what an owner does on the dashboard).
    const hub = await p.couch.hub('rv');
    const doc = await hub.get('store-rv', 'profile:room:r1');
    await hub.put('store-rv', { ...doc!, name });
    await p.service.sweepNow();
  });

/** A customer signed in with a texted code. */
async function customer(phone: string): Promise<string> {
  await p.api('POST', '/api/auth/sms/send', { phone });
  const res = await p.api('POST', '/api/auth/sms/verify', { phone, code: p.sms.lastCode(phone) });
  expect(res.status).toBe(200);
  return res.json.token as string;
}

/** A customer's call that takes an Idempotency-Key, as the customer's pages send it. */
const asCustomer = (token: string, method: string, path: string, body: unknown) =>
  callApi(p.service.url, method, path, body, {
    ...bearer(token),
    'Idempotency-Key': `k-${path.length}-${Math.random().toString(36).slice(2)}`,
  });

const customerRooms = async () => {
  const page = await p.api('GET', '/api/stores/rv');
  return page.status === 200 ? page.json.rooms.map((r: { name: string }) => r.name) : page.status;
};
const listed = async () =>
  (await p.api('GET', '/api/stores?lat=31.23&lng=121.47')).json.stores.flatMap(
    (s: { storeId: string; rooms: { name: string }[] }) =>
      s.storeId === 'rv' ? s.rooms.map((r) => r.name) : [],
  );

beforeAll(async () => {
  p = await startPlatformCloud(T0, 'platform-reviews');
  owner = await p.staff('13900002001', ['platform_owner']);
  reviewer = await p.staff('13900002002', ['merchant_admin']);
  analyst = await p.staff('13900002003', ['analyst']);
  await seed('清风');
  await p.service.refreshCatalogue();
}, 60_000);
afterAll(async () => {
  await p?.close();
});

/** Publishes a deal on sale as the store's hub does, and lets the cloud's follower read it. */
async function publishDeal(price: number) {
  const hub = await p.couch.hub('rv');
  const entitlement = EntitlementSchema.parse({
    kind: 'hours',
    minutes: 180,
    dayTypes: ['workday'],
    roomStyles: ['mahjong'],
    maxPartySize: 4,
  });
  const existing = await hub.get(storeDbName('rv'), dealDocId('d1'));
  const doc = DealDocSchema.parse({
    _id: dealDocId('d1'),
    type: 'deal',
    storeId: 'rv',
    dealId: 'd1',
    source: 'own',
    platformDealId: null,
    title: '棋牌室 3 小时',
    description: '',
    photos: [],
    entitlement,
    rev: entitlementRev(entitlement),
    price,
    originalPrice: 17400,
    groupSize: 1,
    groupHours: 24,
    validDays: 30,
    perCustomerLimit: null,
    stock: null,
    refundAnyTime: true,
    refundOnExpiry: true,
    status: 'on_sale',
    updatedAt: new Date(p.clock.now()).toISOString(),
  });
  await hub.put(storeDbName('rv'), {
    ...doc,
    ...(existing?._rev ? { _rev: existing._rev } : {}),
  } as CouchDoc);
  await p.service.sweepNow();
}

/** Publishes the store's menu as its hub does: a tea (its name given) and a snack. */
async function publishMenu(teaName: string, teaPrice: number) {
  const hub = await p.couch.hub('rv');
  const existing = await hub.get(storeDbName('rv'), MENU_DOC_ID);
  const item = (itemId: string, name: string, price: number) => ({
    itemId,
    name,
    description: `${name}，现泡`,
    photos: [],
    price,
    specs: [],
    available: true,
  });
  const doc = MenuDocSchema.parse({
    _id: MENU_DOC_ID,
    type: 'menu',
    storeId: 'rv',
    categories: [
      { categoryId: 'tea', name: '茶饮', items: [item('p1', teaName, teaPrice)] },
      { categoryId: 'snack', name: '小食', items: [item('p2', '瓜子', 1200)] },
    ],
    updatedAt: new Date(p.clock.now()).toISOString(),
  });
  await hub.put(storeDbName('rv'), {
    ...doc,
    ...(existing?._rev ? { _rev: existing._rev } : {}),
  } as CouchDoc);
  await p.service.sweepNow();
}

const menuShown = async () =>
  (await p.api('GET', '/api/stores/rv/menu')).json.categories.flatMap(
    (c: { name: string; items: { name: string; price: number }[] }) =>
      c.items.map((i) => `${c.name} ${i.name} ${i.price}`),
  );

const dealsShown = async () =>
  (await p.api('GET', '/api/stores/rv/deals')).json.deals.map(
    (d: { dealId: string; price: number }) => `${d.dealId} ${d.price}`,
  );

describe('review before showing', () => {
  it('shows every room while the gate is off, and none unreviewed once it is on', async () => {
    expect(await customerRooms()).toEqual(['清风', 'Room r2']);
    expect(await listed()).toEqual(['清风', 'Room r2']);
    const on = await p.api(
      'PUT',
      '/api/platform/review-gate',
      { on: true, reason: 'rooms are reviewed from December' },
      owner,
    );
    expect(on.status).toBe(200);
    expect(await customerRooms()).toEqual([]);
    expect(await listed()).toEqual([]);
    const day = await p.api('GET', '/api/stores/rv/rooms/r1/availability?date=2026-12-02');
    expect(day.status).toBe(404);
  });

  it('keeps a room never approved off every other customer page: quote, booking, table, picks', async () => {
    const token = await customer('13800007701');
    const span = { start: '2026-12-02T14:00:00+08:00', end: '2026-12-02T16:00:00+08:00' };
    for (const roomId of ['r1', 'r2']) {
      const quote = await p.api('POST', '/api/quotes', { storeId: 'rv', roomId, ...span });
      expect(quote.status).toBe(404);
      expect(quote.json.error.field).toBe('roomId');
      const booking = await asCustomer(token, 'POST', '/api/bookings', {
        storeId: 'rv',
        roomId,
        partySize: 2,
        ...span,
      });
      expect(booking.status).toBe(404);
      expect(booking.json.error.field).toBe('roomId');
      const table = await asCustomer(token, 'POST', '/api/stores/rv/tables', {
        roomId,
        ...span,
        seats: 4,
        deadline: '2026-12-02T13:00:00+08:00',
        title: '四人麻将',
        name: '小王',
        ageConfirmed: true,
      });
      expect(table.status).toBe(404);
      expect(table.json.error.field).toBe('roomId');
    }
    const picks = await p.api(
      'GET',
      '/api/me/recommendations?lat=31.23&lng=121.47',
      undefined,
      token,
    );
    expect(picks.status).toBe(200);
    expect(
      picks.json.recommendations.filter((r: { storeId: string }) => r.storeId === 'rv'),
    ).toEqual([]);
  });

  it('shows a room once approved, and keeps the approved version while a change waits', async () => {
    const queue = await p.api('GET', '/api/platform/reviews', undefined, reviewer);
    expect(queue.json.gateOn).toBe(true);
    const r1 = queue.json.pending.find((x: { itemId: string }) => x.itemId === 'r1');
    expect(r1).toMatchObject({ storeName: '茶语小馆', current: { name: '清风' }, approved: null });
    const ok = await p.api(
      'POST',
      '/api/platform/reviews',
      { storeId: 'rv', kind: 'room', itemId: 'r1', hash: r1.hash, decision: 'approve' },
      reviewer,
    );
    expect(ok.status).toBe(200);
    expect(await customerRooms()).toEqual(['清风']);
    expect(await listed()).toEqual(['清风']);
    const span = { start: '2026-12-02T14:00:00+08:00', end: '2026-12-02T16:00:00+08:00' };
    expect(
      (await p.api('POST', '/api/quotes', { storeId: 'rv', roomId: 'r1', ...span })).status,
    ).toBe(200);
    expect(
      (await p.api('POST', '/api/quotes', { storeId: 'rv', roomId: 'r2', ...span })).status,
    ).toBe(404);
    const picks = await p.api(
      'GET',
      '/api/me/recommendations?lat=31.23&lng=121.47',
      undefined,
      await customer('13800007702'),
    );
    expect(
      picks.json.recommendations
        .filter((r: { storeId: string; kind: string }) => r.storeId === 'rv' && r.kind === 'room')
        .map((r: { roomId: string }) => r.roomId),
    ).toEqual(['r1']);

    // The owner renames the room: customers still see the approved name.
    await seed('明月 VIP');
    expect(await customerRooms()).toEqual(['清风']);
    expect(await listed()).toEqual(['清风']);
    const again = await p.api('GET', '/api/platform/reviews?storeId=rv', undefined, reviewer);
    const change = again.json.pending.find((x: { itemId: string }) => x.itemId === 'r1');
    expect(change).toMatchObject({ current: { name: '明月 VIP' }, approved: { name: '清风' } });

    const noNotes = await p.api(
      'POST',
      '/api/platform/reviews',
      { storeId: 'rv', kind: 'room', itemId: 'r1', hash: change.hash, decision: 'refuse' },
      reviewer,
    );
    expect(noNotes.status).toBe(400);
    expect(noNotes.json.error.field).toBe('notes');
    const refused = await p.api(
      'POST',
      '/api/platform/reviews',
      {
        storeId: 'rv',
        kind: 'room',
        itemId: 'r1',
        hash: change.hash,
        decision: 'refuse',
        notes: '房间名不能含“VIP”以外的夸大用语，请附实拍照片',
      },
      reviewer,
    );
    expect(refused.status).toBe(200);
    expect(await customerRooms()).toEqual(['清风']);
    const after = await p.api('GET', '/api/platform/reviews?storeId=rv', undefined, reviewer);
    expect(
      after.json.pending.find((x: { itemId: string }) => x.itemId === 'r1').refusedNotes,
    ).toMatch(/实拍照片/);

    // A stale hash (the room changed since the reviewer looked) is refused, changing nothing.
    await seed('明月');
    const stale = await p.api(
      'POST',
      '/api/platform/reviews',
      { storeId: 'rv', kind: 'room', itemId: 'r1', hash: change.hash, decision: 'approve' },
      reviewer,
    );
    expect(stale.status).toBe(409);
    expect(await customerRooms()).toEqual(['清风']);
  });

  it('neither shows nor sells a deal until it is approved exactly as it stands', async () => {
    await publishDeal(9900);
    expect(await dealsShown()).toEqual([]);
    expect((await p.api('GET', '/api/deals/d1')).status).toBe(404);
    const queue = await p.api('GET', '/api/platform/reviews?storeId=rv', undefined, reviewer);
    const deal = queue.json.pending.find((x: { kind: string }) => x.kind === 'deal');
    expect(deal).toMatchObject({ itemId: 'd1', current: { price: 9900 }, approved: null });
    const ok = await p.api(
      'POST',
      '/api/platform/reviews',
      { storeId: 'rv', kind: 'deal', itemId: 'd1', hash: deal.hash, decision: 'approve' },
      reviewer,
    );
    expect(ok.status).toBe(200);
    expect(await dealsShown()).toEqual(['d1 9900']);

    // The store raises the price: the deal is off the page and cannot be bought until approved.
    await publishDeal(12900);
    expect(await dealsShown()).toEqual([]);
    await p.api('POST', '/api/auth/sms/send', { phone: '13800009999' });
    const customer = await p.api('POST', '/api/auth/sms/verify', {
      phone: '13800009999',
      code: p.sms.lastCode('13800009999'),
    });
    const buy = await fetch(`${p.service.url}/api/deals/d1/purchases`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${customer.json.token}`,
        'idempotency-key': 'review-gate-buy-0001',
      },
      body: JSON.stringify({ method: 'wechat' }),
    });
    expect(buy.status).toBe(404);
  });

  it('shows and sells a product only once approved, its approved words kept while a change waits', async () => {
    await publishMenu('茉莉花茶', 3800);
    expect(await menuShown()).toEqual([]);
    const queue = await p.api('GET', '/api/platform/reviews?storeId=rv', undefined, reviewer);
    const tea = queue.json.pending.find(
      (x: { kind: string; itemId: string }) => x.kind === 'product' && x.itemId === 'p1',
    );
    expect(tea).toMatchObject({
      current: { name: '茉莉花茶', description: '茉莉花茶，现泡', photos: [] },
      approved: null,
    });
    const ok = await p.api(
      'POST',
      '/api/platform/reviews',
      { storeId: 'rv', kind: 'product', itemId: 'p1', hash: tea.hash, decision: 'approve' },
      reviewer,
    );
    expect(ok.status).toBe(200);
    // Only the approved tea; the snacks' category, with nothing approved in it, is not shown.
    expect(await menuShown()).toEqual(['茶饮 茉莉花茶 3800']);

    // The store renames it and raises its price: the approved name stays, the price is the store's.
    await publishMenu('茉莉花茶（特级大红袍风味）', 4200);
    expect(await menuShown()).toEqual(['茶饮 茉莉花茶 4200']);
    const changed = (
      await p.api('GET', '/api/platform/reviews?storeId=rv', undefined, reviewer)
    ).json.pending.find((x: { kind: string; itemId: string }) => x.itemId === 'p1');
    expect(changed).toMatchObject({
      kind: 'product',
      current: { name: '茉莉花茶（特级大红袍风味）' },
      approved: { name: '茉莉花茶' },
    });

    // A customer with a booking here cannot order the snack nobody approved.
    const phone = '13800007777';
    const hub = await p.couch.hub('rv');
    const start = new Date(p.clock.now() + 3_600_000).toISOString();
    const end = new Date(p.clock.now() + 3 * 3_600_000).toISOString();
    await hub.put(
      storeDbName('rv'),
      bookingFact({
        storeId: 'rv',
        bookingId: 'b-tea',
        roomId: 'r1',
        start,
        end,
        amount: 6000,
        customerId: phoneId(phone),
        at: new Date(p.clock.now()).toISOString(),
      }),
    );
    await p.service.sweepNow();
    await p.api('POST', '/api/auth/sms/send', { phone });
    const customer = await p.api('POST', '/api/auth/sms/verify', {
      phone,
      code: p.sms.lastCode(phone),
    });
    const order = await p.api(
      'POST',
      '/api/stores/rv/tea-orders',
      { bookingId: 'b-tea', lines: [{ itemId: 'p2', quantity: 1, specs: {} }] },
      customer.json.token,
    );
    expect(order.status).toBe(404);
    expect(order.json.error).toMatchObject({
      code: 'menu_item_not_found',
      field: 'lines.0.itemId',
    });
  });

  it("tells the store's owner and its hub where each room, deal and product stands, with the notes", async () => {
    const queue = await p.api('GET', '/api/platform/reviews?storeId=rv', undefined, reviewer);
    const snack = queue.json.pending.find((x: { itemId: string }) => x.itemId === 'p2');
    const sentBack = await p.api(
      'POST',
      '/api/platform/reviews',
      {
        storeId: 'rv',
        kind: 'product',
        itemId: 'p2',
        hash: snack.hash,
        decision: 'refuse',
        notes: '请上传瓜子的实物照片',
      },
      reviewer,
    );
    expect(sentBack.status).toBe(200);

    await putOwnerAccount(p.couch.cloud, {
      username: 'rv-owner',
      password: 'owner-password',
      storeIds: ['rv'],
    });
    await putOwnerAccount(p.couch.cloud, {
      username: 'other-owner',
      password: 'owner-password',
      storeIds: ['elsewhere'],
    });
    const login = async (username: string) =>
      (await p.api('POST', '/api/owner/login', { username, password: 'owner-password' })).json
        .token as string;
    const byOwner = await p.api(
      'GET',
      '/api/owner/stores/rv/reviews',
      undefined,
      await login('rv-owner'),
    );
    expect(byOwner.status).toBe(200);
    expect(byOwner.json.gateOn).toBe(true);
    const line = (i: {
      kind: string;
      itemId: string;
      state: string;
      shown: string;
      notes: string | null;
      earlierNotes: string | null;
    }) => `${i.kind} ${i.itemId} ${i.state} ${i.shown} ${i.notes ?? '-'} ${i.earlierNotes ?? '-'}`;
    expect(byOwner.json.items.map(line).sort()).toEqual(
      [
        'deal d1 waiting none - -',
        'product p1 waiting earlier - -',
        'product p2 sent_back none 请上传瓜子的实物照片 -',
        'room r1 waiting earlier - 房间名不能含“VIP”以外的夸大用语，请附实拍照片',
        'room r2 waiting none - -',
      ].sort(),
    );
    expect(byOwner.json.items.find((i: { itemId: string }) => i.itemId === 'p2')).toMatchObject({
      name: '瓜子',
      decidedAt: new Date(p.clock.now()).toISOString(),
    });

    // The store's own hub reads the same, signed in with its CouchDB user.
    const hubRes = await fetch(`${p.service.url}/api/hub/reviews`, {
      headers: { authorization: authorizationOf(await p.couch.hubUrl('rv')) },
    });
    expect(hubRes.status).toBe(200);
    expect(((await hubRes.json()) as { items: unknown[] }).items).toEqual(byOwner.json.items);

    // Approved as it stands, an item says so.
    const r2 = queue.json.pending.find((x: { itemId: string }) => x.itemId === 'r2');
    await p.api(
      'POST',
      '/api/platform/reviews',
      {
        storeId: 'rv',
        kind: 'room',
        itemId: 'r2',
        hash: r2.hash,
        decision: 'approve',
        notes: '照片清晰',
      },
      reviewer,
    );
    const after = await p.api(
      'GET',
      '/api/owner/stores/rv/reviews',
      undefined,
      await login('rv-owner'),
    );
    expect(after.json.items.find((i: { itemId: string }) => i.itemId === 'r2')).toMatchObject({
      state: 'approved',
      shown: 'this',
      notes: '照片清晰',
    });

    // Another owner's account, or nobody, reads nothing of this store.
    const other = await p.api(
      'GET',
      '/api/owner/stores/rv/reviews',
      undefined,
      await login('other-owner'),
    );
    expect(other.status).toBe(403);
    expect(other.json.error.code).toBe('not_your_store');
    expect((await p.api('GET', '/api/owner/stores/rv/reviews')).status).toBe(401);
    expect((await fetch(`${p.service.url}/api/hub/reviews`)).status).toBe(401);
  });

  it('lets only reviewers decide, and audits every decision', async () => {
    const denied = await p.api(
      'POST',
      '/api/platform/reviews',
      { storeId: 'rv', kind: 'room', itemId: 'r2', hash: 'x'.repeat(22), decision: 'approve' },
      analyst,
    );
    expect(denied.status).toBe(403);
    const audit = await p.api('GET', '/api/platform/audit', undefined, owner);
    const actions = audit.json.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['review_gate.on', 'review.approve', 'review.refuse']),
    );
  });

  it('hides a suspended store from customers until the suspension is lifted', async () => {
    const suspended = await p.api(
      'PUT',
      '/api/platform/stores/rv/limit',
      { suspended: true, reason: '消防许可过期' },
      reviewer,
    );
    expect(suspended.status).toBe(200);
    expect(await customerRooms()).toBe(404);
    expect((await p.api('GET', '/api/stores?lat=31.23&lng=121.47')).json.stores).toEqual([]);
    await p.api(
      'PUT',
      '/api/platform/stores/rv/limit',
      { suspended: false, reason: '已补交消防许可' },
      reviewer,
    );
    // r2 was approved as it stands in the owner's test above.
    expect(await customerRooms()).toEqual(['清风', 'Room r2']);
    expect(SH).toBe('Asia/Shanghai');
  });
});
