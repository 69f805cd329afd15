// Our own deal bought online and used in the store, with a real hub, the cloud service and CouchDB
// replication through a TCP proxy the test can cut: the owner puts a deal on sale at the hub, the
// cloud lists it, a customer buys it, the voucher reaches the hub (kept with the buyer's phone),
// the cashier scans its QR with the store cut off from the cloud and it pays a booking, and once
// the line is back "my vouchers" shows it used. A refund of an unused voucher is marked at the
// store (it can never be redeemed there) before the cloud pays it back; a refund asked while the
// store is offline waits, and is refused when the store finds the voucher was used meanwhile.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudDealStock } from '@roomhub/cloud-sync';
import { startTcpProxy, type TcpProxy } from '@roomhub/cloud-sync/testing';
import type { CloudService } from '@roomhub/cloud-service';
import { as, until } from '@roomhub/hub-app/testing';
import { putDealOnSale, startStoreAndCloud, untilDealInCloud } from './fixtures';

let running: Awaited<ReturnType<typeof startStoreAndCloud>> | null = null;
let proxy: TcpProxy | null = null;
let cloud: CloudService | null = null;
let cloudProxy: TcpProxy | null = null;
afterEach(async () => {
  await cloudProxy?.close();
  await running?.close();
  [running, proxy, cloud, cloudProxy] = [null, null, null, null];
});

/** A hub behind a proxy the test can cut, its store's CouchDB, and the cloud service beside it. */
async function setUp() {
  running = await startStoreAndCloud('deals-e2e', { intentWaitMs: 1_500 });
  ({ proxy, cloud } = running);
  return running;
}

const CASHIER = as('cashier');

describe('our own deal bought online', () => {
  it('reaches the store, is redeemed there offline, and shows as used; refunds ask the store first', async () => {
    const { hub, payments, api, signIn } = await setUp();
    const storeId = hub.hub.store.getStore().id;

    // The owner puts a deal on sale at the hub; the cloud lists it once the hub has published it.
    const dealId = await putDealOnSale(hub);
    await untilDealInCloud(cloud!, api, storeId, dealId);

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

describe('the one stock of a deal, sold online and in the store', () => {
  it('never sells the last one twice; with the cloud cut, the counter sells only deals with no limit', async () => {
    const { hub, api, signIn, hubUser } = await setUp();
    const storeId = hub.hub.store.getStore().id;
    // The store's hub reaches the cloud's API through a line the test can cut.
    cloudProxy = await startTcpProxy(Number(new URL(cloud!.url).port));
    hub.hub.setDealStock(
      new CloudDealStock({
        cloudUrl: cloudProxy.url,
        username: hubUser.user,
        password: hubUser.password!,
        timeoutMs: 2_000,
      }),
    );
    const newDeal = (title: string, stock: number | null) =>
      putDealOnSale(hub, {
        source: 'own',
        title,
        entitlement: { kind: 'hours', minutes: 120, maxPartySize: 4 },
        price: 6800,
        validDays: 30,
        ...(stock === null ? {} : { stock }),
        status: 'on_sale',
      });
    const limited = await newDeal('限量 2 份', 2);
    await untilDealInCloud(cloud!, api, storeId, limited);
    const sell = (dealId: string, phone = '13800000031') =>
      hub.api('POST', '/api/vouchers', { dealId, customer: { phone } }, CASHIER);

    // One sold at the counter, one online: the stock is gone for both.
    const atCounter = await sell(limited);
    expect(atCounter.status, JSON.stringify(atCounter.body)).toBe(201);
    const alice = await signIn('13800000032');
    const online = await api('POST', `/api/deals/${limited}/purchases`, {}, alice);
    expect(online.status, JSON.stringify(online.body)).toBe(201);
    const bob = await signIn('13800000033');
    const third = await api('POST', `/api/deals/${limited}/purchases`, {}, bob);
    expect(third.status, JSON.stringify(third.body)).toBe(409);
    expect(third.body.error.code).toBe('deal_sold_out');
    // The store has not heard of the online sale yet, or has: refused either way.
    const again = await sell(limited, '13800000034');
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    expect(again.body.error.code).toBe('deal_sold_out');
    expect(hub.hub.vouchers.salesTotal()).toBe(6800);

    // The cloud cut off: a deal with a stock waits for the line, one with none sells.
    const more = await newDeal('限量 5 份', 5);
    const open = await newDeal('不限量', null);
    cloudProxy.cut();
    const waits = await sell(more);
    expect(waits.status, JSON.stringify(waits.body)).toBe(503);
    expect(waits.body.error).toMatchObject({ code: 'deal_stock_offline', field: 'dealId' });
    const sold = await sell(open);
    expect(sold.status, JSON.stringify(sold.body)).toBe(201);
    cloudProxy.heal();
    const back = await sell(more);
    expect(back.status, JSON.stringify(back.body)).toBe(201);

    // At the kiosk the place is taken when the QR is shown, and given back if it is not paid.
    const one = await newDeal('限量 1 份', 1);
    const order = (phone: string) =>
      hub.api('POST', '/api/vouchers/orders', { dealId: one, customer: { phone } });
    const kioskFirst = await order('13800000035');
    expect(kioskFirst.status, JSON.stringify(kioskFirst.body)).toBe(201);
    const kioskSecond = await order('13800000036');
    expect(kioskSecond.status, JSON.stringify(kioskSecond.body)).toBe(409);
    expect(kioskSecond.body.error.code).toBe('deal_sold_out');
    hub.clock.advance(16 * 60_000);
    await hub.runJobs();
    expect((await hub.api('GET', `/api/vouchers/orders/${kioskFirst.body.id}`)).body.status).toBe(
      'closed',
    );
    const kioskThird = await order('13800000036');
    expect(kioskThird.status, JSON.stringify(kioskThird.body)).toBe(201);
    await hub.gateway!.pay(kioskThird.body.id);
    const paid = await hub.api('GET', `/api/vouchers/orders/${kioskThird.body.id}`);
    expect(paid.body.status).toBe('paid');
    await untilDealInCloud(cloud!, api, storeId, one);
    const late = await api('POST', `/api/deals/${one}/purchases`, {}, bob);
    expect(late.status, JSON.stringify(late.body)).toBe(409);
    expect(late.body.error.code).toBe('deal_sold_out');
  });
});
