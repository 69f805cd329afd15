// The store's notices across the store's hub, an embedded CouchDB and the cloud service (C13): a
// booking paid at the counter reaches the cloud, which makes a 新预订 notice in the store's own
// inbox; a manager signed in at the hub reads it there (with the order's number as the counter
// reads it out) and marks it read (audited, under the message's id), then all of them; a cashier is
// refused; the owner's own remote inbox keeps its copy unread; with the hub's cloud link gone, the
// dashboard is told so in one sentence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudStoreInbox } from '@roomhub/cloud-sync';
import type { InboxView } from '@roomhub/shared-types';
import { STAFF, at, until } from '@roomhub/hub-app/testing';
import { createCouchClient, putOwnerAccount } from '@roomhub/cloud-service';
import { startStoreAndCloud } from './fixtures';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
const MANAGER = { 'x-test-as': 'manager' };
const OWNER = 'store-messages-owner';

beforeAll(async () => {
  running = await startStoreAndCloud('store-messages');
  running.hub.hub.setInbox(
    new CloudStoreInbox({
      cloudUrl: running.cloud.url,
      username: running.hubUser.user,
      password: running.hubUser.password!,
    }),
  );
}, 120_000);

afterAll(async () => {
  await running?.close();
});

describe("the store's notices at the hub", () => {
  it('a booking paid at the store is a 新预订 notice a manager reads and marks read', async () => {
    const { hub, cloud, api } = running;
    const storeId = hub.hub.store.getStore().id;
    await putOwnerAccount(createCouchClient(running.cloudUrl), {
      username: OWNER,
      password: 'owner-password',
      storeIds: [storeId],
    });
    const booked = await hub.api(
      'POST',
      '/api/bookings',
      {
        roomId: (await hub.roomIds())[0]!,
        start: at('14:00', 1),
        end: at('16:00', 1),
        partySize: 2,
        customer: { phone: '13800006161' },
      },
      STAFF,
    );
    expect(booked.status).toBe(201);
    const bookingId = booked.body.id as string;
    const paid = await hub.api(
      'POST',
      `/api/bookings/${bookingId}/payments`,
      { method: 'cash' },
      STAFF,
    );
    expect(paid.status).toBeLessThan(300);

    const inbox = await until(
      'the notice in the store’s inbox',
      async () => {
        await cloud.sweepNow();
        const r = await hub.api('GET', '/api/messages', undefined, MANAGER);
        expect(r.status).toBe(200);
        const view = r.body as InboxView;
        return view.messages.some((m) => m.bookingId === bookingId) ? view : undefined;
      },
      40_000,
    );
    const notice = inbox.messages.find((m) => m.bookingId === bookingId)!;
    expect(notice).toMatchObject({
      kind: 'new_booking',
      title: '新预订',
      storeId,
      read: false,
      bookingNumber: booked.body.number,
    });
    expect(inbox.unread).toBeGreaterThanOrEqual(1);

    // A cashier neither reads nor marks the store's notices.
    const cashier = await hub.api('GET', '/api/messages', undefined, { 'x-test-as': 'cashier' });
    expect(cashier.status).toBe(403);
    const cashierMark = await hub.api('POST', '/api/messages/read', undefined, {
      'x-test-as': 'cashier',
    });
    expect(cashierMark.status).toBe(403);

    // The manager marks it read, for the store.
    const read = await hub.api(
      'POST',
      `/api/messages/${encodeURIComponent(notice.id)}/read`,
      undefined,
      MANAGER,
    );
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ unread: inbox.unread - 1 });
    const after = (await hub.api('GET', '/api/messages', undefined, STAFF)).body as InboxView;
    expect(after.messages.find((m) => m.id === notice.id)?.read).toBe(true);
    const none = await hub.api('POST', '/api/messages/no-such-message/read', undefined, MANAGER);
    expect(none.status).toBe(404);
    const all = await hub.api('POST', '/api/messages/read', undefined, MANAGER);
    expect(all.body).toEqual({ unread: 0 });

    // Each mark is in the store's audit log as the manager's, naming the message.
    const audit = await hub.api('GET', '/api/audit?limit=20', undefined, STAFF);
    const entries = audit.body as {
      action: string;
      target: string | null;
      actor: { role: string };
    }[];
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'POST /api/messages/:id/read',
          target: notice.id,
          actor: expect.objectContaining({ role: 'manager' }),
        }),
        expect.objectContaining({ action: 'POST /api/messages/read' }),
      ]),
    );

    // The owner's own inbox in the cloud is theirs: still unread there.
    const login = await api('POST', '/api/owner/login', {
      username: OWNER,
      password: 'owner-password',
    });
    const ownerToken = (login.body as { token: string }).token;
    const remote = await api('GET', '/api/owner/messages', undefined, ownerToken);
    expect(remote.status).toBe(200);
    expect(
      (remote.body as InboxView).messages.find((m) => m.bookingId === bookingId),
    ).toMatchObject({ kind: 'new_booking', read: false });
  }, 120_000);

  it('says in one sentence when the store cannot reach the cloud', async () => {
    const { hub } = running;
    hub.hub.setInbox(
      new CloudStoreInbox({
        cloudUrl: 'http://127.0.0.1:9',
        username: 'x',
        password: 'y',
        timeoutMs: 500,
      }),
    );
    const r = await hub.api('GET', '/api/messages', undefined, MANAGER);
    expect(r.status).toBe(503);
    expect(JSON.stringify(r.body)).toContain('cannot be reached');
    hub.hub.setInbox(undefined);
    const none = await hub.api('GET', '/api/messages', undefined, {
      ...MANAGER,
      'accept-language': 'zh-CN',
    });
    expect(none.status).toBe(503);
    expect((none.body as { error: { message: string } }).error.message).toBe(
      '这家店还没有连上云端，门店消息保存在云端',
    );
  });
});
