// An owner's remote price change is answered by the hub once: the owner changes a room's workday
// rate through the cloud's owner API (a `room_patch` intent), the hub applies it and the kiosk's
// quote follows; then the same intent reaches the hub again (the hub's line to CouchDB cut and
// healed, so replication starts over, and the intent document written anew with the same content)
// and the hub changes nothing more: one audit row, one price change. A later change made in the
// store stands, which a second application of the old intent would have undone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intentDocId, storeInboxDbName } from '@roomhub/shared-types';
import { as, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud, addOwner } from './fixtures';

const OWNER = '13700000031';
let running: Awaited<ReturnType<typeof startStoreAndCloud>>;

beforeAll(async () => {
  running = await startStoreAndCloud('price-once');
}, 120_000);
afterAll(async () => {
  await running?.close();
});

/** The kiosk's quote for two hours tomorrow (a Tuesday, a workday) in the room. */
const quote = async (roomId: string) => {
  const r = await running.hub.api('POST', '/api/quotes', {
    roomId,
    start: '2026-11-24T14:00:00+08:00',
    end: '2026-11-24T16:00:00+08:00',
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.total as number;
};

const workdayRate = async (roomId: string) => {
  const rooms = await running.hub.api('GET', '/api/rooms', undefined, as('owner'));
  return rooms.body.find((r: { id: string }) => r.id === roomId).pricePlan.rates.workday as number;
};

describe("an owner's remote price change", () => {
  it('is applied by the hub once, however often it arrives, and the quote follows', async () => {
    const { hub, api, sms, couch, proxy } = running;
    const storeId = hub.hub.store.getStore().id;
    await addOwner(couch.adminUrl, OWNER, storeId);
    hub.clock.advance(61_000);
    expect((await api('POST', '/api/auth/sms/send', { phone: OWNER })).status).toBe(202);
    const login = await api('POST', '/api/owner/login', {
      phone: OWNER,
      code: sms.lastCode(OWNER),
    });
    expect(login.status).toBe(200);
    const token = login.body.token as string;

    const [roomId] = await hub.roomIds();
    expect(await quote(roomId!)).toBe(7600); // 38 yuan an hour, two hours

    const rooms = await hub.api('GET', '/api/rooms', undefined, as('owner'));
    const rates = rooms.body.find((r: { id: string }) => r.id === roomId).pricePlan.rates;
    const asked = await api(
      'PATCH',
      `/api/owner/stores/${storeId}/rooms/${roomId}`,
      { pricePlan: { rates: { ...rates, workday: 4500 } } },
      token,
    );
    expect([200, 202], JSON.stringify(asked.body)).toContain(asked.status);
    const intentId = asked.body.intentId as string;
    const answer = await until('the hub answered the price change', async () => {
      const r = await api(
        'GET',
        `/api/owner/stores/${storeId}/intents/${intentId}`,
        undefined,
        token,
      );
      return r.body.state === 'waiting' ? undefined : r.body;
    });
    expect(answer.state, JSON.stringify(answer)).toBe('done');
    expect(await workdayRate(roomId!)).toBe(4500);
    expect(await quote(roomId!)).toBe(9000);

    // The store then changes the price itself: an old intent applied again would undo this.
    const local = await hub.api(
      'PATCH',
      `/api/rooms/${roomId}`,
      { pricePlan: { rates: { ...rates, workday: 5000 } } },
      as('owner'),
    );
    expect(local.status, JSON.stringify(local.body)).toBe(200);
    expect(await quote(roomId!)).toBe(10000);

    // The same intent again: replication cut and started over, and the document written anew.
    proxy.cut();
    await new Promise((r) => setTimeout(r, 2_000));
    proxy.heal();
    // As the cloud service's CouchDB user, the only writer of intents (credentials in a header).
    const admin = new URL(running.cloudUrl);
    const basic = `Basic ${Buffer.from(`${decodeURIComponent(admin.username)}:${decodeURIComponent(admin.password)}`).toString('base64')}`;
    admin.username = '';
    admin.password = '';
    const docUrl = `${admin.origin}/${storeInboxDbName(storeId)}/${encodeURIComponent(intentDocId(intentId))}`;
    const doc = (await (await fetch(docUrl, { headers: { authorization: basic } })).json()) as {
      _rev: string;
    };
    const rewritten = await fetch(docUrl, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: basic },
      body: JSON.stringify(doc),
    });
    expect(rewritten.status).toBe(201);
    const newRev = ((await rewritten.json()) as { rev: string }).rev;

    // Wait until the hub's replica holds the new revision, then give it time to act on it.
    const sync = await until(
      'the hub read the intent again',
      async () => {
        const s = await hub.api('GET', '/api/sync', undefined, as('owner'));
        return s.body.state === 'online' && s.body.pendingIn === 0 ? s.body : undefined;
      },
      30_000,
    );
    expect(sync).toBeDefined();
    await new Promise((r) => setTimeout(r, 3_000));
    expect(newRev).not.toBe(doc._rev);

    expect(await workdayRate(roomId!)).toBe(5000);
    expect(await quote(roomId!)).toBe(10000);
    const audit = await hub.api('GET', '/api/audit?action=room.patch', undefined, as('owner'));
    const remote = (audit.body as { action: string; target: string }[]).filter(
      (e) => e.action === 'room.patch' && e.target === roomId,
    );
    expect(remote).toHaveLength(1);
    // The cloud still says the one answer.
    const again = await api(
      'GET',
      `/api/owner/stores/${storeId}/intents/${intentId}`,
      undefined,
      token,
    );
    expect(again.body.state).toBe('done');
  }, 180_000);
});
