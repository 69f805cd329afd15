// Complaints over real HTTP and a real CouchDB-compatible server, the store's facts written as its
// hub writes them: a customer turns their conversation about their own order into a complaint
// (another's order, or no order, is refused; a conversation about another's is not even opened),
// the platform's order staff list it, read it with the conversation and the order, step in as
// 平台客服 and close it with an outcome in words; each step is in the platform's audit trail, the
// customer and the store's owner are told once, and a role without the right is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUD_DBS, storeDbName } from '@roomhub/shared-types';
import { bookingFact, seedStoreDocs } from '../../test/cloud-fixtures';
import { changeOwnerLink } from '../auth/owner-links';
import type { CouchDoc } from '../couch';
import { startPlatformCloud, type PlatformCloud } from '../platform/platform-test-cloud';

/** Thursday 2026-12-03, 10:00 in Shanghai. */
const T0 = Date.parse('2026-12-03T10:00:00+08:00');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const A = '13800007001';
const B = '13800007002';
const OWNER = '13800007009';
const STORE = 'cp1';

let p: PlatformCloud;
let owner: string;
let orderAdmin: string;
let analyst: string;
let userAdmin: string;
let tokenA: string;
let tokenB: string;
let customerA: string;

async function customer(phone: string) {
  await p.api('POST', '/api/auth/sms/send', { phone });
  const r = await p.api('POST', '/api/auth/sms/verify', { phone, code: p.sms.lastCode(phone) });
  return r.json as { token: string; customerId: string };
}

async function messagesOf(kind: string) {
  const docs = await p.couch.admin.byPrefix<CouchDoc & { kind: string; recipient: string }>(
    CLOUD_DBS.messages,
    'msg:',
  );
  return docs.filter((d) => d.kind === kind).map((d) => ({ recipient: d.recipient, d }));
}

beforeAll(async () => {
  p = await startPlatformCloud(T0, 'complaints');
  owner = await p.staff('13900007001', ['platform_owner']);
  orderAdmin = await p.staff('13900007002', ['order_admin']);
  analyst = await p.staff('13900007003', ['analyst']);
  userAdmin = await p.staff('13900007004', ['user_admin']);
  const a = await customer(A);
  tokenA = a.token;
  customerA = a.customerId;
  tokenB = (await customer(B)).token;
  const hub = await p.couch.hub(STORE);
  await seedStoreDocs(
    hub,
    {
      storeId: STORE,
      name: '茶隐·静安店',
      lat: 31.2,
      lng: 121.4,
      hours: { open: '09:00', close: '23:00' },
      rooms: [{ roomId: 'r1', style: 'tea', capacity: 4, workday: 6000 }],
    },
    T0,
  );
  await hub.put(
    storeDbName(STORE),
    bookingFact({
      storeId: STORE,
      bookingId: 'bk1',
      roomId: 'r1',
      start: iso(T0 - 3 * HOUR),
      end: iso(T0 - HOUR),
      amount: 12000,
      customerId: customerA,
      status: 'completed',
      at: iso(T0 - 3 * HOUR),
    }),
  );
  await changeOwnerLink(p.couch.admin, { phone: OWNER, add: [STORE] }, T0);
}, 60_000);
afterAll(async () => {
  await p?.close();
});

describe('a complaint', () => {
  let chatId: string;

  it('is filed by the customer on their own order’s conversation, once', async () => {
    const opened = await p.api(
      'POST',
      '/api/me/chats',
      { storeId: STORE, bookingId: 'bk1', text: '包间里有烟味，空调也坏了' },
      tokenA,
    );
    expect(opened.status).toBe(201);
    chatId = opened.json.chat.chatId;
    expect(opened.json.chat.complaint).toBe(false);

    const short = await p.api(
      'POST',
      `/api/me/chats/${STORE}/${chatId}/complaint`,
      { reason: '差' },
      tokenA,
    );
    expect(short.status).toBe(400);
    expect(short.json.error.field).toBe('reason');

    // Another customer neither sees the conversation nor complains in it.
    const stranger = await p.api(
      'POST',
      `/api/me/chats/${STORE}/${chatId}/complaint`,
      { reason: '我也要投诉这个订单' },
      tokenB,
    );
    expect(stranger.status).toBe(404);
    expect(stranger.json.error.code).toBe('chat_not_found');

    const filed = await p.api(
      'POST',
      `/api/me/chats/${STORE}/${chatId}/complaint`,
      { reason: '包间有烟味，空调坏了，要求退一半' },
      tokenA,
    );
    expect(filed.status).toBe(201);
    expect(filed.json.chat).toMatchObject({
      complaint: true,
      complaintCase: { status: 'open', reason: '包间有烟味，空调坏了，要求退一半' },
    });
    expect(filed.json.lines.at(-1)).toMatchObject({
      from: 'customer',
      text: '包间有烟味，空调坏了，要求退一半',
      note: 'complaint',
    });

    const again = await p.api(
      'POST',
      `/api/me/chats/${STORE}/${chatId}/complaint`,
      { reason: '再投诉一次试试' },
      tokenA,
    );
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('already_complaint');
  });

  it('is refused on someone else’s order, and on a conversation about no order', async () => {
    // A conversation about another's order is not opened at all (chats.ts); one that names it
    // all the same (opened before orders were checked there) is refused a complaint.
    const others = await p.api(
      'POST',
      '/api/me/chats',
      { storeId: STORE, bookingId: 'bk1', text: '这个订单我想问一下' },
      tokenB,
    );
    expect(others.status).toBe(422);
    expect(others.json.error).toMatchObject({ code: 'chat_order_unknown', field: 'bookingId' });
    const opened = await p.api(
      'POST',
      '/api/me/chats',
      { storeId: STORE, text: '这个订单我想问一下' },
      tokenB,
    );
    const chatId = opened.json.chat.chatId as string;
    const doc = await p.couch.cloud.get(CLOUD_DBS.chats, `chat:${STORE}:${chatId}`);
    await p.couch.cloud.put(CLOUD_DBS.chats, { ...doc!, bookingId: 'bk1' });
    const refused = await p.api(
      'POST',
      `/api/me/chats/${STORE}/${chatId}/complaint`,
      { reason: '冒充别人的订单投诉' },
      tokenB,
    );
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({ code: 'complaint_order_unknown', field: 'chatId' });

    const general = await p.api(
      'POST',
      '/api/me/chats',
      { storeId: STORE, text: '你们几点开门？' },
      tokenA,
    );
    const noOrder = await p.api(
      'POST',
      `/api/me/chats/${STORE}/${general.json.chat.chatId}/complaint`,
      { reason: '门店不回复消息' },
      tokenA,
    );
    expect(noOrder.status).toBe(422);
    expect(noOrder.json.error.code).toBe('complaint_needs_order');
  });

  it('is listed and read by the platform’s order staff with the conversation and the order', async () => {
    const list = await p.api('GET', '/api/platform/complaints', undefined, orderAdmin);
    expect(list.status).toBe(200);
    expect(list.json.complaints).toEqual([
      expect.objectContaining({
        storeId: STORE,
        storeName: '茶隐·静安店',
        chatId,
        bookingId: 'bk1',
        status: 'open',
        customer: '138****7001',
        platformLines: 0,
      }),
    ]);
    // The analyst reads; the user admin may not.
    expect((await p.api('GET', '/api/platform/complaints', undefined, analyst)).status).toBe(200);
    const denied = await p.api('GET', '/api/platform/complaints', undefined, userAdmin);
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('not_allowed');
    expect(
      (await p.api('GET', '/api/platform/complaints?status=closed', undefined, orderAdmin)).json
        .complaints,
    ).toEqual([]);

    const detail = await p.api(
      'GET',
      `/api/platform/complaints/${STORE}/${chatId}`,
      undefined,
      orderAdmin,
    );
    expect(detail.status).toBe(200);
    expect(detail.json.lines.map((l: { text: string }) => l.text)).toEqual([
      '包间里有烟味，空调也坏了',
      '包间有烟味，空调坏了，要求退一半',
    ]);
    expect(detail.json.order).toMatchObject({
      bookingId: 'bk1',
      storeName: '茶隐·静安店',
      status: 'completed',
      totals: { amount: 12000, paid: 12000, refunded: 0 },
    });
    const missing = await p.api(
      'GET',
      `/api/platform/complaints/${STORE}/nothing-here`,
      undefined,
      orderAdmin,
    );
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('complaint_not_found');
  });

  it('is stepped into as 平台客服 and closed with an outcome, audited, both sides told once', async () => {
    // The analyst reads but may not step in.
    const analystSays = await p.api(
      'POST',
      `/api/platform/complaints/${STORE}/${chatId}/lines`,
      { text: '我来看看' },
      analyst,
    );
    expect(analystSays.status).toBe(403);

    p.clock.set(T0 + 60_000);
    const said = await p.api(
      'POST',
      `/api/platform/complaints/${STORE}/${chatId}/lines`,
      { text: '您好，平台已介入，请门店说明当天包间情况。' },
      orderAdmin,
    );
    expect(said.status).toBe(201);
    expect(said.json.complaint).toMatchObject({
      status: 'joined',
      joinedAt: iso(T0 + 60_000),
      joinedBy: { phone: '13900007002' },
      platformLines: 1,
    });
    expect(said.json.lines.at(-1)).toMatchObject({
      from: 'platform',
      name: '平台客服',
      text: '您好，平台已介入，请门店说明当天包间情况。',
    });
    const second = await p.api(
      'POST',
      `/api/platform/complaints/${STORE}/${chatId}/lines`,
      { text: '门店已确认空调故障。' },
      orderAdmin,
    );
    expect(second.json.complaint).toMatchObject({ status: 'joined', platformLines: 2 });
    expect(second.json.complaint.joinedAt).toBe(iso(T0 + 60_000));

    // The customer sees the platform's lines, unread, and the complaint stepped into.
    const mine = await p.api('GET', '/api/me/chats', undefined, tokenA);
    expect(mine.json.chats.find((c: { chatId: string }) => c.chatId === chatId)).toMatchObject({
      unread: 2,
      complaintCase: { status: 'joined' },
    });

    const badOutcome = await p.api(
      'POST',
      `/api/platform/complaints/${STORE}/${chatId}/close`,
      { outcome: 'maybe', words: '门店退还一半费用' },
      orderAdmin,
    );
    expect(badOutcome.status).toBe(400);
    expect(badOutcome.json.error.field).toBe('outcome');

    p.clock.set(T0 + 120_000);
    const closed = await p.api(
      'POST',
      `/api/platform/complaints/${STORE}/${chatId}/close`,
      { outcome: 'upheld', words: '门店退还一半费用并致歉' },
      orderAdmin,
    );
    expect(closed.status).toBe(200);
    expect(closed.json.complaint).toMatchObject({
      status: 'closed',
      closed: { outcome: 'upheld', words: '门店退还一半费用并致歉', at: iso(T0 + 120_000) },
    });
    expect(closed.json.lines.at(-1)).toMatchObject({
      from: 'platform',
      name: '平台客服',
      note: 'complaint_closed',
    });

    for (const [method, path, body] of [
      ['lines', { text: '还有问题吗' }],
      ['close', { outcome: 'settled', words: '双方协商一致' }],
    ].map(([end, body]) => ['POST', `/api/platform/complaints/${STORE}/${chatId}/${end}`, body])) {
      const late = await p.api(method as string, path as string, body, orderAdmin);
      expect(late.status).toBe(409);
      expect(late.json.error.code).toBe('complaint_closed');
    }

    const view = await p.api('GET', `/api/me/chats/${STORE}/${chatId}`, undefined, tokenA);
    expect(view.json.chat.complaintCase).toEqual({
      status: 'closed',
      reason: '包间有烟味，空调坏了，要求退一半',
      filedAt: iso(T0),
      joinedAt: iso(T0 + 60_000),
      closed: { outcome: 'upheld', words: '门店退还一半费用并致歉', at: iso(T0 + 120_000) },
    });
    // Who decided is the platform's to know, not the customer's.
    expect(JSON.stringify(view.json)).not.toContain('13900007002');

    const closedList = await p.api(
      'GET',
      '/api/platform/complaints?status=closed',
      undefined,
      orderAdmin,
    );
    expect(closedList.json.complaints.map((c: { chatId: string }) => c.chatId)).toEqual([chatId]);

    const audit = await p.api('GET', '/api/platform/audit', undefined, owner);
    const lines = audit.json
      .filter((e: { action: string }) => e.action.startsWith('complaint.'))
      .map((e: { actor: string; action: string; target: string }) => `${e.actor} ${e.action}`)
      .sort();
    expect(lines).toEqual([
      '13900007002 complaint.close',
      '13900007002 complaint.join',
      '13900007002 complaint.say',
    ]);

    // Each side told once when the platform stepped in and once when it closed.
    const joined = await messagesOf('complaint_joined');
    expect(joined.map((m) => m.recipient)).toEqual([`c:${customerA}`]);
    expect(joined[0]!.d).toMatchObject({ title: '平台已介入投诉' });
    expect((await messagesOf('store_complaint_joined')).map((m) => m.recipient)).toEqual([
      `o:${OWNER}`,
    ]);
    const done = await messagesOf('complaint_closed');
    expect(done).toHaveLength(1);
    expect(JSON.stringify(done[0]!.d)).toContain('投诉属实');
    expect(JSON.stringify(done[0]!.d)).toContain('门店退还一半费用并致歉');
    expect(await messagesOf('store_complaint_closed')).toHaveLength(1);
    p.clock.set(T0);
  });
});
