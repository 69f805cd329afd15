// Customer, cloud and store together over real HTTP: the cloud service takes requests and money,
// the hub decides, CouchDB replication carries both ways through a TCP proxy the test can cut.
// Set up as `npm start` does it: the hub's store id asked first, the cloud and the store
// provisioned by the admin, each part given only its own CouchDB user, and the cloud's signing key
// and the customer id key shared by the cloud and the hub.
// While the store is offline customers are told so and wait; when it comes back every request is
// answered once, the slot goes to one customer only, and each payment is captured or released once.
// Only what the cloud itself did moves money: an intent written straight into the inbox (with the
// cloud's CouchDB password but not its signing key) books nothing, and a refund fact a hub writes
// into its store's database (or another store's hub into its own) pays nothing out.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';
import type { TcpProxy } from '@roomhub/cloud-sync/testing';
import { SimulatedWechatLogin, type CloudService } from '@roomhub/cloud-service';
import {
  answerDocId,
  intentDocId,
  ledgerDocId,
  storeDbName,
  storeInboxDbName,
} from '@roomhub/shared-types';
import { at, STAFF, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud, urlFor } from './fixtures';

let running: Awaited<ReturnType<typeof startStoreAndCloud>> | null = null;
let couch: EmbeddedCouch | null = null;
let proxy: TcpProxy | null = null;
let cloud: CloudService | null = null;
afterEach(async () => {
  await running?.close();
  [running, couch, proxy, cloud] = [null, null, null, null];
});

/**
 * A hub behind a proxy the test can cut, its store's CouchDB, and a cloud service beside it, set
 * up as `npm start` does (fixtures' `startStoreAndCloud`), with WeChat sign-in and quick answers.
 */
async function setUp() {
  const logged: unknown[] = [];
  running = await startStoreAndCloud('cloud-e2e', {
    wechat: new SimulatedWechatLogin(),
    confirmTimeoutMs: 10 * 60_000,
    answerWaitMs: 300,
    log: (error) => logged.push(error),
  });
  ({ couch, proxy, cloud } = running);
  const { hub, payments, api, signIn, provisioner, cloudUrl, hubUser } = running;
  return {
    hub,
    payments,
    logged,
    api,
    signIn,
    provisioner,
    /** The cloud's CouchDB user, and the store's hub's (not through the proxy). */
    cloudUrl,
    hubUrl: urlFor(running.couch.url, hubUser.user, hubUser.password!),
  };
}

/** A fetch of CouchDB as the user whose credentials `asUrl` carries. */
function fetchAs(asUrl: string, path: string, init: RequestInit = {}): Promise<Response> {
  const u = new URL(asUrl);
  const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  u.username = '';
  u.password = '';
  return fetch(`${u.toString().replace(/\/+$/, '')}/${path}`, {
    ...init,
    headers: {
      ...(init.headers as Record<string, string> | undefined),
      authorization: `Basic ${Buffer.from(pair).toString('base64')}`,
    },
  });
}

describe('customer, cloud and store', () => {
  it('keeps the customer waiting while the store is offline, then answers every request once', async () => {
    const { hub, payments, api, signIn } = await setUp();

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

    proxy!.cut();
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

    proxy!.heal();
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
    expect(
      (await hub.api('GET', `/api/bookings?roomId=${room}`, undefined, STAFF)).body,
    ).toHaveLength(2);

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

  it("shows a customer the membership the store keeps for their phone, and no one else's", async () => {
    const { hub, api, signIn } = await setUp();
    const room = (await hub.roomIds())[0]!;
    const phone = '13800000021';
    const booked = await hub.api('POST', '/api/bookings', {
      roomId: room,
      start: at('14:00'),
      end: at('15:00'),
      partySize: 2,
      customer: { phone },
    });
    expect(booked.status).toBe(201);
    await hub.api('POST', `/api/bookings/${booked.body.id}/payments`, { method: 'cash' }, STAFF);
    const member = (await hub.api('GET', `/api/members/${phone}`, undefined, STAFF)).body;
    const gift = await hub.api(
      'POST',
      `/api/members/${member.id}/points`,
      { points: 120, reason: '开业送积分', requestId: 'opening-gift' },
      STAFF,
    );
    expect(gift.status, JSON.stringify(gift.body)).toBe(201);

    const [mine, stranger] = await Promise.all([signIn(phone), signIn('13800000022')]);
    const memberships = await until('my membership in the cloud', async () => {
      await cloud!.cloud.follower.followNow();
      const r = await api('GET', '/api/me/memberships', undefined, mine!);
      return r.body.memberships?.[0]?.points === 120 ? r.body.memberships : undefined;
    });
    expect(memberships).toEqual([
      expect.objectContaining({ storeId: hub.hub.store.getStore().id, points: 120, visits: 0 }),
    ]);
    expect(JSON.stringify(memberships)).not.toContain(phone);
    expect(memberships[0]).not.toHaveProperty('customerId');
    const none = await api('GET', '/api/me/memberships', undefined, stranger!);
    expect(none.body).toEqual({ memberships: [] });
    expect((await api('GET', '/api/me/memberships')).status).toBe(401);
  });

  it("charges a member online their level's price, as the store will: confirmed, not refused as a changed price", async () => {
    const { hub, api, signIn } = await setUp();
    const storeId = hub.hub.store.getStore().id;
    const room = (await hub.roomIds())[0]!;
    const levels = await hub.api(
      'PUT',
      '/api/member-levels',
      {
        levels: [
          {
            name: '银卡',
            threshold: 0,
            roomPercentOff: 10,
            itemPercentOff: 0,
            extraBookingDays: 7,
            birthdayPoints: 0,
          },
        ],
      },
      STAFF,
    );
    expect(levels.status, JSON.stringify(levels.body)).toBe(200);
    const phone = '13800000031';
    const first = await hub.api('POST', '/api/bookings', {
      roomId: room,
      start: at('10:00'),
      end: at('11:00'),
      partySize: 2,
      customer: { phone },
    });
    await hub.api('POST', `/api/bookings/${first.body.id}/payments`, { method: 'cash' }, STAFF);
    const token = (await signIn(phone))!;
    await until('the level in the cloud', async () => {
      await cloud!.cloud.follower.followNow();
      const r = await api('GET', '/api/me/memberships', undefined, token);
      return r.body.memberships?.[0]?.level?.name === '银卡' ? r : undefined;
    });
    await cloud!.refreshCatalogue();
    const plain = await api('POST', '/api/quotes', {
      storeId,
      roomId: room,
      start: at('18:00'),
      end: at('20:00'),
    });
    expect(plain.status, JSON.stringify(plain.body)).toBe(200);
    const asked = await api(
      'POST',
      '/api/bookings',
      { storeId, roomId: room, start: at('18:00'), end: at('20:00'), partySize: 2 },
      token,
    );
    const answer = await until('the booking answered', async () => {
      const r = await api('GET', `/api/intents/${asked.body.intentId}`, undefined, token);
      return r.body.state !== 'waiting' ? r.body : undefined;
    });
    expect(answer.state, JSON.stringify(answer)).toBe('confirmed');
    const booked = hub.hub.views.detail(answer.bookingId);
    const memberLine = booked.lines.find((l: { kind: string }) => l.kind === 'member');
    expect(memberLine?.amount).toBe(-Math.round(plain.body.quote.total * 0.1));
    expect(booked).toMatchObject({ status: 'paid', total: booked.paid });
    expect(booked.total).toBe(plain.body.quote.total + memberLine!.amount);

    // An hour more online is priced with the level too, as the store prices it: confirmed.
    await until('the booking in the cloud', async () => {
      await cloud!.cloud.follower.followNow();
      const r = await api('GET', `/api/orders/${answer.bookingId}`, undefined, token);
      return r.status === 200 ? r : undefined;
    });
    const more = await api(
      'GET',
      `/api/orders/${answer.bookingId}/extend/quote?end=${encodeURIComponent(at('21:00'))}`,
      undefined,
      token,
    );
    expect(more.status, JSON.stringify(more.body)).toBe(200);
    const lines = more.body.lines as { kind: string; amount: number }[];
    const hour = lines.find((l) => l.kind === 'extension')!.amount;
    expect(lines.find((l) => l.kind === 'member')?.amount).toBe(-Math.floor(hour * 0.1));
    const extended = await api(
      'POST',
      `/api/orders/${answer.bookingId}/extend`,
      { end: at('21:00') },
      token,
    );
    const extAnswer = await until('the extension answered', async () => {
      const r = await api('GET', `/api/intents/${extended.body.intentId}`, undefined, token);
      return r.body.state !== 'waiting' ? r.body : undefined;
    });
    expect(extAnswer.state, JSON.stringify(extAnswer)).toBe('confirmed');
    expect(extAnswer.payment).toMatchObject({ amount: more.body.total });
    expect(hub.hub.views.detail(answer.bookingId).lines.at(-1)).toMatchObject({ kind: 'member' });

    // The level's longer booking window holds online too: days past the store's own.
    const farDay = hub.hub.store.getStore().rules.advanceDays + 3;
    const far = await api(
      'POST',
      '/api/bookings',
      { storeId, roomId: room, start: at('18:00', farDay), end: at('20:00', farDay), partySize: 2 },
      token,
    );
    expect(far.status, JSON.stringify(far.body)).not.toBe(422);
    const farAnswer = await until('the far booking answered', async () => {
      const r = await api('GET', `/api/intents/${far.body.intentId}`, undefined, token);
      return r.body.state !== 'waiting' ? r.body : undefined;
    });
    expect(farAnswer.state, JSON.stringify(farAnswer)).toBe('confirmed');
  });

  it('moves money only for what the cloud did: forged intents and refund facts pay nothing', async () => {
    const { hub, payments, logged, api, signIn, provisioner, cloudUrl, hubUrl } = await setUp();
    const storeId = hub.hub.store.getStore().id;
    const room = (await hub.roomIds())[0]!;
    // Each forgery is written with the credentials of someone who may write there: a hub into its
    // store's database, the cloud's CouchDB user (its password, not its signing key) into an inbox.
    const couchPut = async (
      asUrl: string,
      db: string,
      doc: { _id: string } & Record<string, unknown>,
    ) => {
      const r = await fetchAs(asUrl, `${db}/${encodeURIComponent(doc._id)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(doc),
      });
      if (!r.ok) throw new Error(`PUT ${db}/${doc._id}: ${r.status} ${await r.text()}`);
    };
    const couchGet = async (db: string, id: string) => {
      const r = await fetchAs(cloudUrl, `${db}/${encodeURIComponent(id)}`);
      return r.ok ? ((await r.json()) as Record<string, unknown>) : undefined;
    };

    // A real booking online, paid, then cancelled: the cloud pays it back once.
    await until('the store in the catalogue', async () => {
      await cloud!.refreshCatalogue();
      const r = await api('GET', `/api/stores/${storeId}`);
      return r.status === 200 ? r : undefined;
    });
    const alice = await signIn('13800000011');
    const asked = await api(
      'POST',
      '/api/bookings',
      { storeId, roomId: room, start: at('18:00'), end: at('19:00'), partySize: 2 },
      alice,
    );
    expect([201, 202]).toContain(asked.status);
    const booked = await until('the booking confirmed', async () => {
      await cloud!.sweepNow();
      const r = await api('GET', `/api/intents/${asked.body.intentId}`, undefined, alice);
      return r.body.state === 'confirmed' && r.body.payment?.state === 'captured'
        ? r.body
        : undefined;
    });
    const paymentId = `pay-${booked.intentId}`;
    const db = storeDbName(storeId);
    const ledger = async () =>
      (
        (await (
          await fetchAs(
            cloudUrl,
            `${db}/_all_docs?include_docs=true&startkey="ledger:"&endkey="ledger:\ufff0"`,
          )
        ).json()) as { rows: { doc: Record<string, unknown> & { _id: string } }[] }
      ).rows.map((r) => r.doc);
    const payment = await until('the payment in the cloud', async () =>
      (await ledger()).find((d) => d.kind === 'payment'),
    );
    expect(payment).toMatchObject({ method: 'cloud', paymentRef: paymentId, amount: 4600 });

    // Forged refund facts, as a hub (or whoever holds its CouchDB password) may write them into its
    // store's database, while the cloud still holds all of the payment: its payment entry turned
    // into a refund for another booking, the same in another store's database by that store's
    // hub, one for more than was paid, one naming a payment the cloud never took.
    const forge = (bookingId: string, entryId: string, change: object = {}) => {
      const { _rev: _r, ...rest } = payment;
      return {
        ...rest,
        _id: ledgerDocId(bookingId, entryId),
        bookingId,
        entryId,
        kind: 'refund',
        amount: -4600,
        ...change,
      };
    };
    await couchPut(hubUrl, db, forge('someone-else', 'forged-1'));
    const other = await provisioner.store('other-store');
    const otherHubUrl = urlFor(couch!.url, other.user, other.password!);
    await couchPut(otherHubUrl, storeDbName('other-store'), {
      ...forge(booked.bookingId, 'forged-2'),
      storeId: 'other-store',
    });
    await couchPut(hubUrl, db, forge(booked.bookingId, 'forged-3', { amount: -99_999 }));
    await couchPut(hubUrl, db, forge(booked.bookingId, 'forged-4', { paymentRef: 'pay-made-up' }));
    expect((await cloud!.sweepNow()).refunded).toBe(0);
    expect(payments.refunds.size).toBe(0);
    expect(logged.filter((e) => String(e).includes('refused'))).toHaveLength(4);

    // The customer cancels: the hub's own refund fact is paid, once; a copy of it pays nothing.
    const cancel = await until('the cancellation answered', async () => {
      const r = await api('POST', `/api/orders/${booked.bookingId}/cancel`, {}, alice);
      return r.status < 500 && r.body.state !== 'waiting' ? r : undefined;
    });
    expect(cancel.body.state).toBe('done');
    await until('the refund paid', async () => {
      await cloud!.sweepNow();
      return payments.refunds.size === 1 ? true : undefined;
    });
    const refund = (await ledger()).find(
      (d) =>
        d.kind === 'refund' &&
        d.bookingId === booked.bookingId &&
        !String(d.entryId).startsWith('forged'),
    )!;
    const { _rev: _r, ...copied } = refund;
    await couchPut(hubUrl, db, {
      ...copied,
      _id: ledgerDocId(booked.bookingId, 'copied'),
      entryId: 'copied',
    });
    expect((await cloud!.sweepNow()).refunded).toBe(0);
    expect([...payments.refunds.values()]).toEqual([{ paymentId, amount: 4600 }]);

    // An intent written straight into the inbox with a made-up payment, by someone who has the
    // cloud's CouchDB password but not its signing key: nothing is booked, and the cloud, which
    // never held that payment, moves nothing.
    const movesBefore = payments.moves.length;
    const intentId = randomUUID();
    await couchPut(cloudUrl, storeInboxDbName(storeId), {
      _id: intentDocId(intentId),
      type: 'intent',
      intentId,
      storeId,
      customerId: 'c-mallory',
      createdAt: new Date(hub.clock.now()).toISOString(),
      kind: 'booking_request',
      body: {
        booking: {
          roomId: room,
          start: at('20:00'),
          end: at('21:00'),
          partySize: 2,
          customer: { phone: '13900000099' },
        },
        payment: { paymentId: 'pay-made-up', method: 'wechat', amount: 4600 },
      },
    });
    const answer = await until('the forged intent answered', () =>
      couchGet(db, answerDocId(intentId)),
    );
    expect(answer).toMatchObject({ outcome: 'rejected', reason: 'invalid signature' });
    await cloud!.sweepNow();
    expect(payments.moves.length).toBe(movesBefore);
    expect(
      (await hub.api('GET', `/api/bookings?roomId=${room}`, undefined, STAFF)).body,
    ).toHaveLength(1);
  });
});
