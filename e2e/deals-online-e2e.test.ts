// Our own deal bought online and used in the store, with a real hub, the cloud service and CouchDB
// replication through a TCP proxy the test can cut: the owner puts a deal on sale at the hub, the
// cloud lists it, a customer buys it, the voucher reaches the hub (kept with the buyer's phone),
// the cashier scans its QR with the store cut off from the cloud and it pays a booking, and once
// the line is back "my vouchers" shows it used. A refund of an unused voucher is marked at the
// store (it can never be redeemed there) before the cloud pays it back; a refund asked while the
// store is offline waits, and is refused when the store finds the voucher was used meanwhile.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';
import { startTcpProxy, type TcpProxy } from '@roomhub/cloud-sync/testing';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  startCloudService,
  type CloudService,
} from '@roomhub/cloud-service';
import {
  as,
  CLOUD_KEYS,
  CUSTOMER_ID_KEY,
  STAFF,
  startTestHub,
  type TestHub,
  until,
} from '@roomhub/hub-app/testing';
import {
  cloudApi,
  hubLink,
  JWT_SECRET,
  provisionerOn,
  signInBySms,
  startCouch,
  storeIdOf,
  tempDir,
  urlFor,
} from './fixtures';

let h: TestHub | null = null;
let couch: EmbeddedCouch | null = null;
let proxy: TcpProxy | null = null;
let cloud: CloudService | null = null;
afterEach(async () => {
  await cloud?.close();
  await h?.close();
  await proxy?.close();
  await couch?.close();
  [cloud, h, proxy, couch] = [null, null, null, null];
});

/** A hub behind a proxy the test can cut, its store's CouchDB, and the cloud service beside it. */
async function setUp() {
  couch = await startCouch('deals-e2e-');
  proxy = await startTcpProxy(Number(new URL(couch.url).port));
  const dataDir = tempDir('hub-deals-e2e-');
  const storeId = await storeIdOf(dataDir);
  const provisioner = provisionerOn(couch);
  const cloudUser = await provisioner.cloud();
  const hubUser = await provisioner.store(storeId);
  h = await startTestHub({
    dataDir,
    cloud: hubLink(proxy.url, hubUser),
  });
  const hub = h;
  const sms = new MemorySmsProvider();
  const payments = new SimulatedCloudChannel();
  cloud = await startCloudService({
    couchUrl: urlFor(couch.url, cloudUser.user, cloudUser.password!),
    jwtSecret: JWT_SECRET,
    // The keys the test hub holds: the vouchers and intents the cloud signs verify there.
    signingKey: CLOUD_KEYS.privateKey,
    customerIdKey: CUSTOMER_ID_KEY,
    sms,
    payments,
    clock: hub.clock,
    intentWaitMs: 1_500,
    sweepMs: 0,
    catalogueRefreshMs: 0,
    log: () => {},
  });
  const api = cloudApi(() => cloud!.url);
  const signIn = (phone: string) => signInBySms(api, sms, phone);
  return { hub, payments, api, signIn };
}

const CASHIER = as('cashier');

describe('our own deal bought online', () => {
  it('reaches the store, is redeemed there offline, and shows as used; refunds ask the store first', async () => {
    const { hub, payments, api, signIn } = await setUp();
    const storeId = hub.hub.store.getStore().id;

    // The owner puts a deal on sale at the hub; the cloud lists it once the hub has published it.
    const made = await hub.api(
      'POST',
      '/api/deals',
      {
        source: 'own',
        title: '任意包间 2 小时',
        entitlement: { kind: 'hours', minutes: 120, maxPartySize: 4 },
        price: 6800,
        originalPrice: 9600,
        validDays: 30,
        status: 'on_sale',
      },
      STAFF,
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const dealId = made.body.id as string;
    await until('the deal on sale in the cloud', async () => {
      await cloud!.cloud.follower.followNow();
      const r = await api('GET', `/api/stores/${storeId}/deals`);
      return r.body.deals?.some((d: { dealId: string }) => d.dealId === dealId) ? r : undefined;
    });

    // Bought online: the voucher is issued at once and the store learns it with the phone.
    const phone = '13800000021';
    const alice = await signIn(phone);
    const buy = () => api('POST', `/api/deals/${dealId}/purchases`, {}, alice);
    const first = await buy();
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const voucher = first.body.voucher;
    expect(voucher).toMatchObject({ status: 'valid', price: 6800, dealId, storeId });
    const kept = await until('the voucher at the store', async () =>
      hub.hub.vouchers.find(voucher.voucherId),
    );
    expect(kept).toMatchObject({ code: voucher.code, customer_phone: phone, issuer: 'cloud' });

    // The store is cut off from the cloud; the cashier scans the QR and it pays a booking.
    const rooms = await hub.roomIds();
    proxy!.cut();
    const redeemed = await hub.api(
      'POST',
      '/api/vouchers/redeem',
      {
        text: voucher.qr,
        use: { kind: 'book', roomId: rooms[0], partySize: 2 },
        requestId: randomUUID(),
      },
      CASHIER,
    );
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200);
    expect(redeemed.body.booking).toMatchObject({ status: 'paid', customer: { phone } });

    // Meanwhile the customer asks to refund a second voucher: the store is offline, it waits.
    const second = (await buy()).body.voucher;
    const third = (await buy()).body.voucher;
    const waiting = await api('POST', `/api/me/vouchers/${third.voucherId}/refund`, {}, alice);
    expect(waiting.status).toBe(202);
    expect(waiting.body.refund).toMatchObject({ state: 'asked' });
    // ...and the third, bought while the store was cut off, is scanned at the counter before the
    // store hears of it or its refund: its QR proves itself, the cashier types the phone.
    const used = await hub.api(
      'POST',
      '/api/vouchers/redeem',
      {
        text: third.qr,
        use: { kind: 'book', roomId: rooms[1], partySize: 2, customer: { phone } },
        requestId: randomUUID(),
      },
      CASHIER,
    );
    expect(used.status, JSON.stringify(used.body)).toBe(200);

    // The line is back: the store's ledger says the first was used, and it refuses the refund.
    proxy!.heal();
    const mine = await until('my vouchers up to date', async () => {
      await cloud!.sweepNow();
      const r = await api('GET', '/api/me/vouchers', undefined, alice);
      const byId = new Map(r.body.vouchers.map((v: { voucherId: string }) => [v.voucherId, v]));
      const a = byId.get(voucher.voucherId) as { status: string } | undefined;
      const c = byId.get(third.voucherId) as { refund: { state: string } | null } | undefined;
      return a?.status === 'used' && c?.refund?.state === 'rejected' ? byId : undefined;
    });
    expect(mine.get(third.voucherId)).toMatchObject({
      status: 'used',
      refund: { state: 'rejected', reason: 'the voucher has been used' },
    });
    expect(mine.get(second.voucherId)).toMatchObject({ status: 'valid', refund: null });
    const refusedNow = await api('POST', `/api/me/vouchers/${voucher.voucherId}/refund`, {}, alice);
    expect(refusedNow.status).toBe(409);
    expect(refusedNow.body.error.code).toBe('voucher_not_refundable');

    // The second, unused: the store marks it refunded, then the cloud pays it back, once.
    const refunded = await api('POST', `/api/me/vouchers/${second.voucherId}/refund`, {}, alice);
    expect(refunded.status, JSON.stringify(refunded.body)).toBe(200);
    expect(refunded.body).toMatchObject({ status: 'refunded', refund: { state: 'paid' } });
    expect(payments.refunds.get(`rf-${second.voucherId}`)).toEqual({
      paymentId: `dp-${second.voucherId}`,
      amount: 6800,
    });
    expect(payments.refunds.has(`rf-${third.voucherId}`)).toBe(false);
    expect(payments.refunds.has(`rf-${voucher.voucherId}`)).toBe(false);
    // It can never be redeemed at the store now.
    const late = await hub.api(
      'POST',
      '/api/vouchers/redeem',
      {
        text: second.qr,
        use: { kind: 'book', roomId: rooms[2], partySize: 2 },
        requestId: randomUUID(),
      },
      CASHIER,
    );
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('voucher_refunded');
  });
});
