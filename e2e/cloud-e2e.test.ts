// Customer, cloud and store together over real HTTP: the cloud service takes requests and money,
// the hub decides, CouchDB replication carries both ways through a TCP proxy the test can cut.
// While the store is offline customers are told so and wait; when it comes back every request is
// answered once, the slot goes to one customer only, and each payment is captured or released once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';
import { startTcpProxy, type TcpProxy } from '@roomhub/cloud-sync/testing';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  SimulatedWechatLogin,
  startCloudService,
  type CloudService,
} from '@roomhub/cloud-service';
import { at, startTestHub, type TestHub, until } from '@roomhub/hub-app/testing';

let h: TestHub | null = null;
let couch: { url: string; close(): Promise<void> } | null = null;
let proxy: TcpProxy | null = null;
let cloud: CloudService | null = null;
afterEach(async () => {
  await cloud?.close();
  await h?.close();
  await proxy?.close();
  await couch?.close();
  [cloud, h, proxy, couch] = [null, null, null, null];
});

describe('customer, cloud and store', () => {
  it('keeps the customer waiting while the store is offline, then answers every request once', async () => {
    couch = await startEmbeddedCouch({ dir: mkdtempSync(join(tmpdir(), 'cloud-e2e-')) });
    proxy = await startTcpProxy(Number(new URL(couch.url).port));
    h = await startTestHub({ cloud: { couchUrl: proxy.url, stallMs: 1_500, pollMs: 200 } });
    const hub = h;
    const sms = new MemorySmsProvider();
    const payments = new SimulatedCloudChannel();
    cloud = await startCloudService({
      couchUrl: couch.url,
      jwtSecret: 'a-test-secret-that-is-long-enough-for-hs256',
      sms,
      payments,
      wechat: new SimulatedWechatLogin(),
      clock: hub.clock, // one clock for the store and the cloud in this test
      confirmTimeoutMs: 10 * 60_000,
      answerWaitMs: 300,
      sweepMs: 0,
      catalogueRefreshMs: 0,
    });
    const api = async (method: string, path: string, body?: unknown, token?: string) => {
      const r = await fetch(cloud!.url + path, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: r.status, body: (await r.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const signIn = async (phone: string) => {
      await api('POST', '/api/auth/sms/send', { phone });
      return (await api('POST', '/api/auth/sms/verify', { phone, code: sms.lastCode(phone) })).body
        .token as string;
    };

    // The store publishes itself; the cloud lists it near the customer.
    const storeId = hub.hub.store.getStore().id;
    await until('the store in the catalogue', async () => {
      await cloud!.refreshCatalogue();
      const r = await api('GET', '/api/stores?lat=31.23&lng=121.45');
      return r.body.stores?.length ? r.body.stores : undefined;
    });
    const room = (await hub.roomIds())[0]!;
    const [alice, bob, carol] = await Promise.all(
      ['13800000001', '13800000002', '13800000003'].map(signIn),
    );

    proxy.cut();
    const kiosk = await hub.api('POST', '/api/bookings', {
      roomId: room,
      start: at('14:00'),
      end: at('15:00'),
      partySize: 2,
      customer: { phone: '13900000000' },
    });
    expect(kiosk.status).toBe(201);
    const ask = (token: string, start: string, end: string) =>
      api(
        'POST',
        '/api/bookings',
        { storeId, roomId: room, start: at(start), end: at(end), partySize: 2 },
        token,
      );
    const [a, b, c] = [
      await ask(alice!, '18:00', '19:00'),
      await ask(bob!, '18:00', '19:00'),
      await ask(carol!, '14:00', '15:00'),
    ];
    for (const r of [a, b, c]) {
      expect(r.status).toBe(202);
      expect(r.body).toMatchObject({ state: 'waiting' });
    }

    proxy.heal();
    const states = await until('every request answered', async () => {
      const asked = [
        { r: a, token: alice! },
        { r: b, token: bob! },
        { r: c, token: carol! },
      ];
      const all = await Promise.all(
        asked.map(({ r, token }) =>
          api('GET', `/api/intents/${r.body.intentId}`, undefined, token),
        ),
      );
      const s = all.map((x) => x.body.state as string);
      return s.every((x) => x !== 'waiting') ? all.map((x) => x.body) : undefined;
    });
    expect(states.map((s) => s.state).sort()).toEqual(['confirmed', 'rejected', 'rejected']);
    expect(states[2]!.state).toBe('rejected'); // the kiosk had that slot first

    // Money: captured for the one confirmed, released for the two refused, each exactly once.
    await until('payments settled', async () => {
      await cloud!.sweepNow();
      const st = states.map(
        (s) => payments.payments.get(s.payment?.paymentId ?? '')?.state ?? s.payment?.state,
      );
      return st.filter((x) => x === 'captured').length === 1 &&
        st.filter((x) => x === 'released').length === 2
        ? st
        : undefined;
    });
    const moves = payments.moves.map((m) => `${m.paymentId}:${m.to}`);
    expect(new Set(moves).size).toBe(moves.length);

    // The store: two bookings in the room, none overlapping; the confirmed one is paid.
    const confirmed = states.find((s) => s.state === 'confirmed')!;
    expect(hub.hub.views.detail(confirmed.bookingId)).toMatchObject({ status: 'paid', paid: 4600 });
    expect((await hub.api('GET', `/api/bookings?roomId=${room}`)).body).toHaveLength(2);

    // The winner cancels online, hours ahead: the store refunds in full, and the cloud pays the
    // money back through its own channel, once however often it sweeps.
    const winner = [alice, bob][states.findIndex((s) => s.state === 'confirmed')]!;
    const cancel = await until('the cancellation answered', async () => {
      await cloud!.refreshCatalogue();
      const r = await api(
        'POST',
        `/api/orders/${confirmed.bookingId}/cancel`,
        { reason: '行程有变' },
        winner,
      );
      return r.status < 500 && r.body.state !== 'waiting' ? r : undefined;
    });
    expect(cancel.body.state).toBe('done');
    expect(hub.hub.views.detail(confirmed.bookingId)).toMatchObject({
      status: 'refunded',
      paid: 0,
    });
    const refunded = await until('the refund paid by the cloud', async () => {
      const r = await cloud!.sweepNow();
      return payments.refunds.size > 0 ? r : undefined;
    });
    expect(refunded.refunded).toBe(1);
    const captured = [...payments.payments.values()].filter((p) => p.state === 'captured');
    expect(captured).toHaveLength(1);
    expect([...payments.refunds.values()]).toEqual([
      { paymentId: captured[0]!.paymentId, amount: 4600 },
    ]);
    expect((await cloud!.sweepNow()).refunded).toBe(0);
    expect(payments.refunds.size).toBe(1);
  });
});
