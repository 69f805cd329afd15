// The store's owner and its customers through the cloud, with a real hub behind it, set up as
// `npm start` does (the store id asked of the hub's own script, the cloud and the store provisioned
// by the CouchDB admin, each part on its own user): the owner, linked to the store with
// `npm run owner`, sees the devices the hub reports; a customer sees what cancelling costs before
// confirming, and the answer says the fee kept and the refund, which the cloud pays back; and a
// booking in two steps: the store holds the slot, then the customer pays.
import { afterEach, describe, expect, it } from 'vitest';
import type { EmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  SimulatedWechatLogin,
  startCloudService,
  type CloudService,
} from '@roomhub/cloud-service';
import {
  at,
  CLOUD_KEYS,
  CUSTOMER_ID_KEY,
  startTestHub,
  type TestHub,
  until,
} from '@roomhub/hub-app/testing';
import {
  cloudApi,
  hubLink,
  JWT_SECRET,
  provisionerOn,
  startCouch,
  storeIdOf,
  tempDir,
  urlFor,
  addOwner,
} from './fixtures';

let h: TestHub | null = null;
let couch: EmbeddedCouch | null = null;
let cloud: CloudService | null = null;
afterEach(async () => {
  await cloud?.close();
  await h?.close();
  await couch?.close();
  [cloud, h, couch] = [null, null, null];
});

async function setUp() {
  couch = await startCouch('remote-view-');
  const dataDir = tempDir('hub-remote-view-');
  const storeId = await storeIdOf(dataDir);
  const provisioner = provisionerOn(couch);
  const cloudUser = await provisioner.cloud();
  const hubUser = await provisioner.store(storeId);
  h = await startTestHub({
    dataDir,
    cloud: hubLink(couch.url, hubUser),
  });
  const hub = h;
  const sms = new MemorySmsProvider();
  const payments = new SimulatedCloudChannel();
  cloud = await startCloudService({
    couchUrl: urlFor(couch.url, cloudUser.user, cloudUser.password!),
    jwtSecret: JWT_SECRET,
    signingKey: CLOUD_KEYS.privateKey,
    customerIdKey: CUSTOMER_ID_KEY,
    sms,
    payments,
    wechat: new SimulatedWechatLogin(),
    clock: hub.clock,
    confirmTimeoutMs: 10 * 60_000,
    answerWaitMs: 300,
    sweepMs: 0,
    catalogueRefreshMs: 0,
  });
  const api = cloudApi(() => cloud!.url);
  /** Texts a code to the phone (a minute after the last, past its limit) and returns it. */
  const codeFor = async (phone: string) => {
    hub.clock.advance(61_000);
    expect((await api('POST', '/api/auth/sms/send', { phone })).status).toBe(202);
    return sms.lastCode(phone)!;
  };
  /** An intent's answer: at once, or once the store has answered a 202. */
  const answered = async (r: Awaited<ReturnType<typeof api>>, token: string) =>
    r.status !== 202
      ? r.body
      : until('the store answered', async () => {
          const again = await api('GET', `/api/intents/${r.body.intentId}`, undefined, token);
          return again.body.state === 'waiting' ? undefined : again.body;
        });
  return { hub, storeId, payments, api, codeFor, answered, adminUrl: couch.adminUrl };
}

describe('the remote view and the store', () => {
  it("shows the owner the devices the store's hub reports", async () => {
    const { storeId, api, codeFor, adminUrl } = await setUp();
    const phone = '13700000001';
    await addOwner(adminUrl, phone, storeId);
    const login = await api('POST', '/api/owner/login', { phone, code: await codeFor(phone) });
    expect(login.status).toBe(200);
    const token = login.body.token as string;
    const devices = await until("the store's devices in the remote view", async () => {
      const r = await api('GET', `/api/owner/stores/${storeId}/devices`, undefined, token);
      return r.status === 200 && r.body.devices.length > 0 ? r.body : undefined;
    });
    expect(devices.storeId).toBe(storeId);
    expect(devices.updatedAt).not.toBeNull();
    expect(devices.devices[0]).toMatchObject({ ok: expect.any(Boolean) });
  });

  it('shows the customer the cancellation fee before confirming, and answers the fee and the refund', async () => {
    const { hub, storeId, payments, api, codeFor, answered } = await setUp();
    const phone = '13700000002';
    const verified = await api('POST', '/api/auth/sms/verify', {
      phone,
      code: await codeFor(phone),
    });
    const token = verified.body.token as string;
    const roomId = (await hub.roomIds())[0]!;
    // An hour before the start: the store's default rules keep 20 %.
    const asked = await until('the room published', async () => {
      const r = await api(
        'POST',
        '/api/bookings',
        { storeId, roomId, start: at('11:00'), end: at('12:00'), partySize: 2 },
        token,
      );
      return r.status === 404 ? undefined : r;
    });
    const booked = await answered(asked, token);
    expect(booked.state).toBe('confirmed');
    const bookingId = booked.bookingId as string;
    const paid = booked.payment.amount as number;
    const fee = Math.floor(paid * 0.2);

    const order = await until('the booking in my orders', async () => {
      const r = await api('GET', `/api/orders/${bookingId}`, undefined, token);
      return r.status === 200 && r.body.booking.status === 'paid' ? r.body : undefined;
    });
    expect(order.ifNow.cancel).toEqual({ fee, refund: paid - fee, feePercent: 20 });
    expect(order.terms.cancellation).toEqual([
      { minNoticeMinutes: 120, feePercent: 0 },
      { minNoticeMinutes: 0, feePercent: 20 },
    ]);
    // The store's own view of the booking says the same.
    expect(hub.hub.views.detail(bookingId).ifNow.cancel).toEqual(order.ifNow.cancel);

    // Confirmed with a fee that is not the one in force: refused before anything is asked.
    const stale = await api('POST', `/api/orders/${bookingId}/cancel`, { expectedFee: 0 }, token);
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'fee_changed', field: 'expectedFee' });
    expect(stale.body.error.message).toContain(`${fee} fen`);

    const cancel = await api(
      'POST',
      `/api/orders/${bookingId}/cancel`,
      { expectedFee: fee },
      token,
    );
    expect([200, 202]).toContain(cancel.status);
    expect(await answered(cancel, token)).toMatchObject({ state: 'done', fee, refund: paid - fee });
    await until('the refund paid by the cloud', async () => {
      await cloud!.sweepNow();
      return payments.refunds.size > 0 ? true : undefined;
    });
    expect([...payments.refunds.values()].map((r) => r.amount)).toEqual([paid - fee]);
  });

  it('books in two steps, as at the counter: the store holds the slot, then the customer pays', async () => {
    const { hub, storeId, payments, api, codeFor, answered } = await setUp();
    const signIn = async (phone: string) =>
      (await api('POST', '/api/auth/sms/verify', { phone, code: await codeFor(phone) })).body
        .token as string;
    const [alice, bob] = [await signIn('13700000003'), await signIn('13700000004')];
    const roomId = (await hub.roomIds())[0]!;
    const span = { storeId, roomId, start: at('14:00'), end: at('16:00'), partySize: 2 };
    const asked = await until('the room published', async () => {
      const r = await api('POST', '/api/bookings/hold', span, alice);
      return r.status === 404 ? undefined : r;
    });
    const held = await answered(asked, alice);
    expect(held).toMatchObject({
      state: 'held',
      holdUntil: expect.stringMatching(/\+08:00$/),
      price: expect.any(Number),
    });
    const bookingId = held.bookingId as string;
    expect(hub.hub.views.detail(bookingId)).toMatchObject({ status: 'pending_payment' });
    // Someone else asking for the held slot is refused before paying anything.
    const second = await answered(await api('POST', '/api/bookings/hold', span, bob), bob);
    expect(second.state).toBe('rejected');
    expect(payments.moves).toEqual([]);

    const paid = await answered(
      await api('POST', `/api/orders/${bookingId}/pay`, undefined, alice),
      alice,
    );
    expect(paid).toMatchObject({ state: 'confirmed', bookingId, payment: { amount: held.price } });
    expect(hub.hub.views.detail(bookingId)).toMatchObject({ status: 'paid', due: 0 });
    // Paying again is the same payment, not a second one.
    const again = await api('POST', `/api/orders/${bookingId}/pay`, undefined, alice);
    expect(again.body.intentId).toBe(paid.intentId);
    await until('the payment taken', async () => {
      await cloud!.sweepNow();
      const p = payments.payments.get(`pay-${paid.intentId}`);
      return p?.state === 'captured' ? p : undefined;
    });
    expect(payments.moves.filter((m) => m.to === 'authorised')).toHaveLength(1);

    // Paid in two steps, cancelled hours ahead: the cloud pays the whole price back.
    const order = await until('the paid booking in my orders', async () => {
      const r = await api('GET', `/api/orders/${bookingId}`, undefined, alice);
      return r.status === 200 && r.body.booking.status === 'paid' ? r.body : undefined;
    });
    expect(order.ifNow.cancel).toEqual({ fee: 0, refund: held.price, feePercent: 0 });
    const cancelled = await answered(
      await api('POST', `/api/orders/${bookingId}/cancel`, { expectedFee: 0 }, alice),
      alice,
    );
    expect(cancelled).toMatchObject({ state: 'done', fee: 0, refund: held.price });
    await until('the refund paid by the cloud', async () => {
      await cloud!.sweepNow();
      return payments.refunds.size > 0 ? true : undefined;
    });
    expect([...payments.refunds.values()]).toEqual([
      { paymentId: `pay-${paid.intentId}`, amount: held.price },
    ]);
  });
});
