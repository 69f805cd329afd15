// The hub and its store's database in the cloud, over real HTTP to the embedded CouchDB-compatible
// server, through a TCP proxy the test can cut: facts go up exactly once, intents come down and
// are answered exactly once, and a partition loses nothing and books nothing twice.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';
import { startTcpProxy, type TcpProxy } from '@roomhub/cloud-sync/testing';
import {
  answerDocId,
  DEVICES_HEALTH_ID,
  bookingDocId,
  customerIdForPhone,
  intentDocId,
  storeDbName,
  storeInboxDbName,
} from '@roomhub/shared-types';
import { answerIntent } from '../src/sync/intents';
import { at, STAFF, startTestHub, type TestHub, until } from './harness';

let h: TestHub | null = null;
let couch: { url: string; close(): Promise<void> } | null = null;
let proxy: TcpProxy | null = null;
afterEach(async () => {
  await h?.close();
  await proxy?.close();
  await couch?.close();
  h = null;
  proxy = null;
  couch = null;
});

async function setUp(viaProxy: boolean) {
  couch = await startEmbeddedCouch({ dir: mkdtempSync(join(tmpdir(), 'cloud-')) });
  const port = Number(new URL(couch.url).port);
  proxy = viaProxy ? await startTcpProxy(port) : null;
  h = await startTestHub({
    cloud: { couchUrl: proxy ? proxy.url : couch.url, stallMs: 1_500, pollMs: 200 },
  });
  const db = `${couch.url}/${storeDbName(h.hub.store.getStore().id)}`;
  const inbox = `${couch.url}/${storeInboxDbName(h.hub.store.getStore().id)}`;
  const get = async (id: string) => {
    const r = await fetch(`${db}/${encodeURIComponent(id)}`);
    return r.ok ? ((await r.json()) as Record<string, unknown>) : undefined;
  };
  /** Writes an intent into the store's inbox, as the cloud service does. */
  const put = async (doc: { _id: string }) => {
    const r = await fetch(`${inbox}/${encodeURIComponent(doc._id)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(doc),
    });
    if (!r.ok) throw new Error(`PUT ${doc._id}: ${r.status} ${await r.text()}`);
  };
  return { db, get, put };
}

function bookingRequest(
  storeId: string,
  roomId: string,
  start: string,
  end: string,
  amount: number,
  customer = 'c1',
) {
  const intentId = randomUUID();
  return {
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId,
    customerId: customer,
    createdAt: new Date().toISOString(),
    kind: 'booking_request',
    body: {
      booking: { roomId, start, end, partySize: 2, customer: { phone: '13800138000' } },
      payment: { paymentId: `pay-${intentId}`, method: 'wechat', amount },
    },
  };
}

describe('cloud sync', () => {
  it('publishes a kiosk booking and its payment, and confirms an online request once', async () => {
    const c = await setUp(false);
    const hub = h!;
    const [room, other] = await hub.roomIds();
    const b = await hub.api('POST', '/api/bookings', {
      roomId: room,
      start: at('14:00'),
      end: at('16:00'),
      partySize: 2,
      customer: { phone: '13800138000' },
    });
    await hub.api('POST', `/api/bookings/${b.body.id}/payments`, { method: 'cash' }, STAFF);
    const doc = await until('the booking in the cloud', async () => {
      const d = await c.get(bookingDocId(b.body.id));
      return d?.status === 'paid' ? d : undefined;
    });
    expect(doc).toMatchObject({
      type: 'booking',
      roomId: room,
      totals: { amount: 7600, paid: 7600, refunded: 0 },
    });
    // The owner's remote view reads each device's health from here.
    const health = await until("the devices' health in the cloud", () => c.get(DEVICES_HEALTH_ID));
    expect(health).toMatchObject({ type: 'devices_health' });
    expect((health.devices as unknown[]).length).toBeGreaterThan(0);

    const storeId = hub.hub.store.getStore().id;
    const intent = bookingRequest(storeId, other!, at('14:00'), at('15:00'), 4800);
    await c.put(intent);
    const answer = await until('the answer', () => c.get(answerDocId(intent.intentId)));
    expect(answer).toMatchObject({ outcome: 'confirmed' });
    const booked = hub.hub.views.detail(answer.bookingId as string);
    expect(booked).toMatchObject({ status: 'paid', paid: 4800 });

    // The same intent handed over again (a restart between the decision and its publication).
    const again = await answerIntent(hub.hub, intent as never);
    expect(again).toEqual({ outcome: 'confirmed', bookingId: answer.bookingId });
    expect((await hub.api('GET', `/api/bookings?roomId=${other}`)).body).toHaveLength(1);
  });

  it('publishes a kiosk booking under its phone’s customer id, and leaves its door and refund to the store', async () => {
    const c = await setUp(false);
    const hub = h!;
    const [room] = await hub.roomIds();
    const phone = '13900139000';
    const b = await hub.api('POST', '/api/bookings', {
      roomId: room,
      start: at('14:00'),
      end: at('16:00'),
      partySize: 2,
      customer: { phone },
    });
    await hub.api('POST', `/api/bookings/${b.body.id}/payments`, { method: 'cash' }, STAFF);
    const doc = await until('the kiosk booking in the cloud', async () => {
      const d = await c.get(bookingDocId(b.body.id));
      return d?.status === 'paid' ? d : undefined;
    });
    // The cloud derives the same id from the phone a customer signs in with.
    expect(doc.customerId).toBe(customerIdForPhone(phone));

    const storeId = hub.hub.store.getStore().id;
    const refundIntent = (customerId: string) => {
      const intentId = randomUUID();
      return {
        _id: intentDocId(intentId),
        type: 'intent',
        intentId,
        storeId,
        customerId,
        createdAt: new Date().toISOString(),
        kind: 'refund_request',
        body: { bookingId: b.body.id as string, reason: 'plans changed' },
      };
    };
    const stranger = refundIntent(customerIdForPhone('13700137000'));
    await c.put(stranger);
    expect(await until('the answer', () => c.get(answerDocId(stranger.intentId)))).toMatchObject({
      outcome: 'rejected',
      reason: 'no such booking for this customer',
    });
    expect(hub.hub.views.detail(b.body.id).status).toBe('paid');

    // The phone typed at the kiosk is not verified: the customer who signs in with it sees the
    // booking, but a mistyped number must not hand a stranger the door or a cancellation.
    const own = refundIntent(customerIdForPhone(phone));
    await c.put(own);
    expect(await until('the answer', () => c.get(answerDocId(own.intentId)))).toMatchObject({
      outcome: 'rejected',
      reason: expect.stringContaining('booked at the store'),
    });
    expect(hub.hub.views.detail(b.body.id).status).toBe('paid');
  });

  it('loses nothing and books nothing twice across a partition', async () => {
    const c = await setUp(true);
    const hub = h!;
    const [room] = await hub.roomIds();
    const storeId = hub.hub.store.getStore().id;
    await until('the store published', () => c.get('profile:store'));

    proxy!.cut();
    // At the kiosk, while the internet is down.
    const kiosk = await hub.api('POST', '/api/bookings', {
      roomId: room,
      start: at('14:00'),
      end: at('15:00'),
      partySize: 2,
      customer: { phone: '13800138000' },
    });
    expect(kiosk.status).toBe(201);
    // Online, two customers ask for the same later slot, and one asks for the kiosk's slot.
    const first = bookingRequest(storeId, room!, at('18:00'), at('19:00'), 4600, 'c1');
    const second = bookingRequest(storeId, room!, at('18:00'), at('19:00'), 4600, 'c2');
    const clash = bookingRequest(storeId, room!, at('14:00'), at('15:00'), 3800, 'c3');
    for (const i of [first, second, clash]) await c.put(i);
    await new Promise((r) => setTimeout(r, 500));
    expect(await c.get(bookingDocId(kiosk.body.id))).toBeUndefined();

    proxy!.heal();
    const answers = await until('three answers', async () => {
      const all = await Promise.all(
        [first, second, clash].map((i) => c.get(answerDocId(i.intentId))),
      );
      return all.every(Boolean) ? all : undefined;
    });
    expect(answers.map((a) => a!.outcome).sort()).toEqual(['confirmed', 'rejected', 'rejected']);
    expect(answers[2]).toMatchObject({ outcome: 'rejected' });
    await until('the kiosk booking in the cloud', () => c.get(bookingDocId(kiosk.body.id)));

    const rows = hub.hub.db.prepare('SELECT COUNT(*) AS n FROM bookings').get() as { n: number };
    expect(rows.n).toBe(2);
    const answered = hub.hub.db.prepare('SELECT COUNT(*) AS n FROM intent_answers').get() as {
      n: number;
    };
    expect(answered.n).toBe(3);
    const all = (await (
      await fetch(`${c.db}/_all_docs?startkey="answer:"&endkey="answer:\ufff0"`)
    ).json()) as { rows: unknown[] };
    expect(all.rows).toHaveLength(3);
  });
});
