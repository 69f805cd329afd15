// Customer-service chat across the store's hub, an embedded CouchDB and the cloud service (C13):
// a customer opens a conversation about their order; the store's customer-service staff member
// reads it through the hub and answers under their own name (audited); the customer sees the
// answer and what is unread on each side; a cashier may not read conversations, another customer
// cannot open this one, the owner answers from anywhere; a conversation is opened about the
// customer's own order at the store only, and the counter sees that order's number; with the
// hub's cloud link gone, the staff screen is told so in one sentence while the customer's line
// still reaches the cloud.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudChats } from '@roomhub/cloud-sync';
import type { ChatDetail, ChatList } from '@roomhub/shared-types';
import { putOwnerAccount, createCouchClient } from '@roomhub/cloud-service';
import { STAFF, at, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud } from './fixtures';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
const PHONE = '13800002222';

beforeAll(async () => {
  running = await startStoreAndCloud('chat');
  running.hub.hub.setChats(
    new CloudChats({
      cloudUrl: running.cloud.url,
      username: running.hubUser.user,
      password: running.hubUser.password!,
    }),
  );
}, 120_000);

afterAll(async () => {
  await running?.close();
});

describe('customer-service chat', () => {
  it('a customer asks, the store answers under a name, each sees what is unread', async () => {
    const { hub, api, signIn, cloud } = running;
    const storeId = hub.hub.store.getStore().id;
    await cloud.refreshCatalogue();
    const token = await signIn(PHONE);

    const bad = await api('POST', '/api/me/chats', { storeId, text: '   ' }, token);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('text');

    const opened = await api(
      'POST',
      '/api/me/chats',
      { storeId, text: '请问包间有麻将机吗？' },
      token,
    );
    expect(opened.status).toBe(201);
    const chatId = (opened.body as ChatDetail).chat.chatId;

    // The customer-service staff member sees it unread, with the customer's phone masked.
    const list = await hub.api('GET', '/api/chats', undefined, { 'x-test-as': 'customer_service' });
    expect(list.status).toBe(200);
    const chats = list.body as ChatList;
    expect(chats.unread).toBe(1);
    expect(chats.chats[0]).toMatchObject({
      chatId,
      customer: '138****2222',
      lastText: '请问包间有麻将机吗？',
    });

    const answer = await hub.api(
      'POST',
      `/api/chats/${chatId}/lines`,
      { text: '有的，每个包间都有自动麻将机。' },
      { 'x-test-as': 'customer_service' },
    );
    expect(answer.status).toBe(201);
    expect((answer.body as ChatDetail).chat.unread).toBe(0);

    // The customer's side: one unread line, from 赵客服; reading it clears it.
    const mine = await api('GET', '/api/me/chats', undefined, token);
    expect((mine.body as ChatList).unread).toBe(1);
    const read = await api('GET', `/api/me/chats/${storeId}/${chatId}`, undefined, token);
    const lines = (read.body as ChatDetail).lines;
    expect(lines.map((l) => [l.from, l.name ?? null, l.text])).toEqual([
      ['customer', null, '请问包间有麻将机吗？'],
      ['store', '赵客服', '有的，每个包间都有自动麻将机。'],
    ]);
    expect((read.body as ChatDetail).chat.unread).toBe(0);

    // The answer is in the store's audit log as the staff member's.
    const audit = await hub.api('GET', '/api/audit?limit=20', undefined, { 'x-test-as': 'owner' });
    expect(JSON.stringify(audit.body)).toContain('POST /api/chats/:chatId/lines');

    // A cashier does not read conversations; another customer cannot open this one.
    const cashier = await hub.api('GET', '/api/chats', undefined, { 'x-test-as': 'cashier' });
    expect(cashier.status).toBe(403);
    const stranger = await signIn('13800003333');
    const peek = await api('GET', `/api/me/chats/${storeId}/${chatId}`, undefined, stranger);
    expect(peek.status).toBe(404);
    const peekLine = await api(
      'POST',
      `/api/me/chats/${storeId}/${chatId}/lines`,
      { text: 'hi' },
      stranger,
    );
    expect(peekLine.status).toBe(404);

    // The owner answers from anywhere (the cloud), only for a store they run.
    await putOwnerAccount(createCouchClient(running.cloudUrl), {
      username: 'chat-owner',
      password: 'owner-password',
      storeIds: [storeId],
    });
    const login = await api('POST', '/api/owner/login', {
      username: 'chat-owner',
      password: 'owner-password',
    });
    const ownerToken = (login.body as { token: string }).token;
    const byOwner = await api(
      'POST',
      `/api/owner/stores/${storeId}/chats/${chatId}/lines`,
      { text: '欢迎来玩！' },
      ownerToken,
    );
    expect(byOwner.status).toBe(201);
    const elsewhere = await api(
      'GET',
      '/api/owner/stores/other-store/chats',
      undefined,
      ownerToken,
    );
    expect([403, 400]).toContain(elsewhere.status);
  });

  it('opens a conversation about the customer’s own order only, numbered at the counter', async () => {
    const { hub, api, signIn, cloud } = running;
    const storeId = hub.hub.store.getStore().id;
    const owner = '13800004444';
    // A few minutes on, so the codes texted for these sign-ins are not held back as too many.
    hub.clock.advance(5 * 60_000);
    // The customer's booking, made at the counter with their phone and paid there.
    const booked = await hub.api(
      'POST',
      '/api/bookings',
      {
        roomId: (await hub.roomIds())[0]!,
        start: at('14:00', 1),
        end: at('16:00', 1),
        partySize: 2,
        customer: { phone: owner },
      },
      STAFF,
    );
    expect(booked.status).toBe(201);
    const bookingId = booked.body.id as string;
    await hub.api('POST', `/api/bookings/${bookingId}/payments`, { method: 'cash' }, STAFF);
    const token = await signIn(owner);
    await until(
      'the order on the cloud',
      async () => {
        await cloud.sweepNow();
        const r = await api('GET', `/api/orders/${bookingId}`, undefined, token);
        return r.status === 200 ? r : undefined;
      },
      40_000,
    );

    // Another customer's conversation about it is refused, and so is an order the store never had,
    // in words, the Chinese sentence to a reader who asks for Chinese.
    const stranger = await signIn('13800005555');
    for (const [who, id] of [
      [stranger, bookingId],
      [token, 'no-such-booking'],
    ] as const) {
      const refused = await api(
        'POST',
        '/api/me/chats',
        { storeId, bookingId: id, text: '这个订单能改时间吗？' },
        who,
      );
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({
        code: 'chat_order_unknown',
        field: 'bookingId',
        message: expect.stringContaining('not one of yours at this store'),
      });
    }
    const inChinese = await fetch(`${cloud.url}/api/me/chats`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'accept-language': 'zh-CN,zh;q=0.9',
        authorization: `Bearer ${stranger}`,
      },
      body: JSON.stringify({ storeId, bookingId, text: '这个订单能改时间吗？' }),
    });
    expect(((await inChinese.json()) as { error: { message: string } }).error.message).toBe(
      '这笔订单不是你在这家门店的订单，请从你自己的订单页联系门店',
    );
    const strangers = await api('GET', '/api/me/chats', undefined, stranger);
    expect((strangers.body as ChatList).chats).toEqual([]);

    // The customer's own: opened, and the counter reads it with the order's number.
    const opened = await api(
      'POST',
      '/api/me/chats',
      { storeId, bookingId, text: '明天能晚半小时到吗？' },
      token,
    );
    expect(opened.status).toBe(201);
    const chatId = (opened.body as ChatDetail).chat.chatId;
    expect((opened.body as ChatDetail).chat.bookingId).toBe(bookingId);
    const desk = await hub.api('GET', '/api/chats', undefined, { 'x-test-as': 'customer_service' });
    expect((desk.body as ChatList).chats.find((c) => c.chatId === chatId)).toMatchObject({
      bookingId,
      bookingNumber: booked.body.number,
    });
    const read = await hub.api('GET', `/api/chats/${chatId}`, undefined, {
      'x-test-as': 'customer_service',
    });
    expect((read.body as ChatDetail).chat).toMatchObject({
      bookingId,
      bookingNumber: booked.body.number,
    });
  });

  it('tells the staff in one sentence when the store cannot reach the cloud', async () => {
    const { hub } = running;
    hub.hub.setChats(
      new CloudChats({
        cloudUrl: 'http://127.0.0.1:9',
        username: 'x',
        password: 'y',
        timeoutMs: 500,
      }),
    );
    const r = await hub.api('GET', '/api/chats', undefined, { 'x-test-as': 'customer_service' });
    expect(r.status).toBe(503);
    expect(JSON.stringify(r.body)).toContain('cannot be reached');
    hub.hub.setChats(undefined);
    const none = await hub.api('GET', '/api/chats', undefined, { 'x-test-as': 'customer_service' });
    expect(none.status).toBe(503);
  });
});
