// A wallet topped up online, through a real hub, the cloud service and CouchDB replication behind
// a TCP proxy the test can cut: the customer pays in the cloud, the store credits the package
// with its own bonus and the cloud takes the money; with the store cut off the top-up waits and is
// credited once when the line is back; a top-up the store refuses (a price it does not sell)
// gives the money back; a repeated request (the same idempotency key) credits nothing more.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { storeDbName } from '@roomhub/shared-types';
import { as, at, STAFF, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud } from './fixtures';

let running: Awaited<ReturnType<typeof startStoreAndCloud>> | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

describe('a wallet topped up online', () => {
  it('is credited once by the store, waits while it is offline, and refused money goes back', async () => {
    running = await startStoreAndCloud('wallet-e2e', { intentWaitMs: 1_500, answerWaitMs: 5_000 });
    const { couch, proxy, hub, cloud, payments, api, signIn } = running;
    const storeId = hub.hub.store.getStore().id;
    const phone = '13800000031';
    const token = await signIn(phone);
    await until('the store known to the cloud', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', `/api/stores/${storeId}`);
      return r.status === 200 ? r : undefined;
    });
    const pkg = await hub.api(
      'POST',
      '/api/wallet/packages',
      { name: '充200送100', pay: 20000, bonus: 10000, bonusValidDays: 90 },
      STAFF,
    );
    const wallet = async () =>
      (await hub.api('GET', `/api/wallets/${phone}`, undefined, as('cashier'))).body as {
        principal: number;
        bonus: number;
      };
    const topUp = (body: unknown, key: string) =>
      fetch(`${cloud.url}/api/stores/${storeId}/wallet/top-ups`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any })); // eslint-disable-line @typescript-eslint/no-explicit-any

    // Online: credited at once with the store's bonus; the cloud takes the money.
    const first = await topUp({ packageId: pkg.body.id, amount: 20000 }, 'wallet-k1');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ kind: 'wallet_topup', state: 'confirmed' });
    expect(await wallet()).toMatchObject({ principal: 20000, bonus: 10000 });
    expect(payments.payments.get(`pay-${first.body.intentId}`)?.state).toBe('captured');
    // The same request again is the same top-up: nothing more is credited or taken.
    const again = await topUp({ packageId: pkg.body.id, amount: 20000 }, 'wallet-k1');
    expect(again.body.intentId).toBe(first.body.intentId);
    expect(await wallet()).toMatchObject({ principal: 20000, bonus: 10000 });

    // A price the store does not sell the package at: refused, the money given back.
    const wrong = await topUp({ packageId: pkg.body.id, amount: 100 }, 'wallet-k2');
    expect(wrong.status).toBe(409);
    expect(payments.payments.get(`pay-${wrong.body.intentId}`)?.state).toBe('released');

    // The store cut off: the top-up waits, and is credited once when the line is back.
    proxy.cut();
    const waiting = await topUp({ amount: 5000 }, 'wallet-k3');
    expect(waiting.status).toBe(202);
    expect(await wallet()).toMatchObject({ principal: 20000 });
    // Meanwhile the store keeps working: the wallet pays a booking at the counter (the bonus first).
    const room = (await hub.roomIds())[0]!;
    const booking = await hub.api('POST', '/api/bookings', {
      roomId: room,
      start: at('15:00'),
      end: at('16:00'),
      partySize: 2,
      customer: { phone },
    });
    expect(booking.status).toBe(201);
    const price = booking.body.total as number;
    const paid = await hub.api(
      'POST',
      `/api/bookings/${booking.body.id}/wallet-payments`,
      {},
      as('cashier'),
    );
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    const fromBonus = Math.min(price, 10000);
    expect(paid.body).toMatchObject({
      principal: 20000 - (price - fromBonus),
      bonus: 10000 - fromBonus,
    });
    proxy.heal();
    await until('the waiting top-up credited', async () => {
      const w = await wallet();
      return w.principal === 25000 - (price - fromBonus) ? w : undefined;
    });
    await until('the cloud took the money', async () => {
      await cloud.sweepNow();
      return payments.payments.get(`pay-${waiting.body.intentId}`)?.state === 'captured'
        ? true
        : undefined;
    });
    expect(await wallet()).toMatchObject({
      principal: 25000 - (price - fromBonus),
      bonus: 10000 - fromBonus,
    });
    // The wallet payment made offline reached the cloud with the booking's ledger.
    await until('the wallet payment in the cloud', async () => {
      const admin = new URL(couch.adminUrl);
      const auth = Buffer.from(
        `${decodeURIComponent(admin.username)}:${decodeURIComponent(admin.password)}`,
      ).toString('base64');
      const r = await fetch(
        `${admin.origin}/${storeDbName(storeId)}/_all_docs?include_docs=true&startkey="ledger:"&endkey="ledger:\ufff0"`,
        { headers: { authorization: `Basic ${auth}` } },
      );
      const rows = ((await r.json()) as { rows: { doc: { bookingId: string; method: string } }[] })
        .rows;
      return rows.some((x) => x.doc.bookingId === booking.body.id && x.doc.method === 'wallet')
        ? true
        : undefined;
    });
  }, 90_000);

  it('never answers a fuzzed top-up with a 5xx, and credits exactly the top-ups it accepted', async () => {
    running = await startStoreAndCloud('wallet-fuzz', { intentWaitMs: 1_500, answerWaitMs: 5_000 });
    const { hub, cloud, payments, api, signIn } = running;
    const storeId = hub.hub.store.getStore().id;
    const phone = '13800000032';
    const token = await signIn(phone);
    await until('the store known to the cloud', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', `/api/stores/${storeId}`);
      return r.status === 200 ? r : undefined;
    });
    const pkg = await hub.api(
      'POST',
      '/api/wallet/packages',
      { name: '充100送20', pay: 10000, bonus: 2000 },
      STAFF,
    );
    let key = 0;
    let credited = 0;
    const body = fc.oneof(
      fc.jsonValue(),
      fc.string(),
      fc.record(
        {
          packageId: fc.oneof(fc.constant(pkg.body.id), fc.string(), fc.integer()),
          amount: fc.oneof(
            fc.constant(10000),
            fc.integer({ min: -5, max: 3000 }),
            fc.double(),
            fc.string(),
          ),
          extra: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const r = await fetch(`${cloud.url}/api/stores/${storeId}/wallet/top-ups`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'idempotency-key': `wallet-fuzz-${key++}`,
          },
          body: typeof b === 'string' ? b : JSON.stringify(b),
        });
        const json = (await r.json()) as {
          error?: { code: string; message: string };
          intentId?: string;
        };
        expect(r.status, JSON.stringify(b)).toBeLessThan(500);
        if (r.status === 201) {
          credited += (b as { amount: number }).amount;
        } else if (r.status >= 400) {
          expect(json.error?.code).toMatch(/^[a-z_]+$/);
          expect(json.error?.message).toBeTruthy();
          // A refused top-up keeps none of the customer's money.
          if (json.intentId) {
            expect(payments.payments.get(`pay-${json.intentId}`)?.state).not.toBe('captured');
          }
        }
      }),
      { numRuns: 40 },
    );
    const w = (await hub.api('GET', `/api/wallets/${phone}`, undefined, as('cashier'))).body as {
      principal?: number;
    };
    expect(w.principal ?? 0).toBe(credited);
  }, 180_000);
});
