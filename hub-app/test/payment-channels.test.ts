// The owner's payment channels (O11) through a real hub with its payment stand-ins: what each way
// to pay runs on (never a credential), switching one off at the kiosk or the counter, the screens
// no longer offered it (and told so live), the hub refusing it there in words (a booking, a
// change's difference, a wallet top-up), and every switch in the audit log.
import type { HubEvent } from '@roomhub/shared-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, at, startTestHub, type TestHub } from './harness';

let h: TestHub;
let room: string;

beforeEach(async () => {
  h = await startTestHub();
  room = (await h.roomIds())[0]!;
});
afterEach(async () => {
  await h.close();
});

const OWNER = as('owner');
const MANAGER = as('manager');
const CASHIER = as('cashier');

const book = async () =>
  (
    await h.api('POST', '/api/bookings', {
      roomId: room,
      start: at('14:00'),
      end: at('16:00'),
      partySize: 2,
      customer: { phone: '13800138000', name: '王女士' },
    })
  ).body as { id: string; total: number };

describe('payment channels', () => {
  it('lists each way to pay with its gateway and where it is offered, and no secret', async () => {
    const r = await h.api('GET', '/api/payment-channels', undefined, MANAGER);
    expect(r.status).toBe(200);
    const byChoice = Object.fromEntries((r.body as { choice: string }[]).map((c) => [c.choice, c]));
    // At the counter a QR of the store's channel pays a wallet top-up: it has a switch there too.
    expect(byChoice.wechat).toMatchObject({
      kind: 'simulator',
      reachable: true,
      kiosk: 'on',
      counter: 'on',
    });
    expect(byChoice.cash).toMatchObject({ kind: 'store', kiosk: 'not_offered', counter: 'on' });
    expect(byChoice.payment_code).toMatchObject({ kiosk: 'on', counter: 'on' });
    expect(byChoice.wallet).toMatchObject({ kind: 'store', kiosk: 'on', counter: 'on' });
    const text = JSON.stringify(r.body);
    for (const secret of ['PRIVATE KEY', 'mchid', 'apiV3Key', 'appId', 'merId']) {
      expect(text).not.toContain(secret);
    }
  });

  it('switched off at the kiosk: not listed there, refused there in words, audited', async () => {
    const off = await h.api('PUT', '/api/payment-channels/kiosk/alipay', { on: false }, OWNER);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ surface: 'kiosk', choice: 'alipay', on: false });

    const kioskMethods = await h.api('GET', '/api/payment-methods', undefined, as('kiosk'));
    expect(kioskMethods.body.methods).not.toContain('alipay');
    expect(kioskMethods.body.methods).toContain('wechat');

    const b = await book();
    const refused = await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'alipay' });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'method_switched_off', field: 'method' });
    expect(refused.body.error.message).toContain('switched off at the kiosk');
    // Nothing was written for the refused payment.
    const d = (await h.api('GET', `/api/bookings/${b.id}`)).body;
    expect(d.status).toBe('pending_payment');

    // WeChat Pay is still taken at the kiosk.
    const wechat = await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'wechat' });
    expect(wechat.status).toBe(201);

    const audit = await h.api('GET', '/api/audit?action=payment_channel.switch', undefined, OWNER);
    expect(audit.body.error).toBeUndefined();
    const rows = audit.body as {
      action: string;
      target: string;
      before: unknown;
      after: unknown;
    }[];
    const switches = rows.filter((e) => e.action === 'payment_channel.switch');
    expect(switches).toHaveLength(1);
    expect(switches[0]).toMatchObject({
      target: 'kiosk:alipay',
      before: { on: true },
      after: { on: false },
    });

    const list = await h.api('GET', '/api/payment-channels', undefined, OWNER);
    expect(list.body.find((c: { choice: string }) => c.choice === 'alipay')).toMatchObject({
      kiosk: 'off',
    });
  });

  it('cash switched off at the counter: the cashier is refused, and on again it is taken', async () => {
    await h.api('PUT', '/api/payment-channels/counter/cash', { on: false }, OWNER);
    const counter = await h.api('GET', '/api/payment-methods', undefined, CASHIER);
    expect(counter.body.methods).toEqual(['payment_code', 'wallet']);
    const b = await book();
    const refused = await h.api(
      'POST',
      `/api/bookings/${b.id}/payments`,
      { method: 'cash' },
      CASHIER,
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('method_switched_off');
    await h.api('PUT', '/api/payment-channels/counter/cash', { on: true }, OWNER);
    const paid = await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'cash' }, CASHIER);
    expect(paid.status).toBe(201);
  });

  it('refuses a switch a manager asks for, the wallet, or a surface it does not know', async () => {
    const manager = await h.api(
      'PUT',
      '/api/payment-channels/kiosk/wechat',
      { on: false },
      MANAGER,
    );
    expect(manager.status).toBe(403);
    const wallet = await h.api('PUT', '/api/payment-channels/kiosk/wallet', { on: false }, OWNER);
    expect(wallet.status).toBe(422);
    expect(wallet.body.error).toMatchObject({ code: 'method_not_switchable', field: 'choice' });
    const where = await h.api('PUT', '/api/payment-channels/h5/wechat', { on: false }, OWNER);
    expect(where.status).toBe(400);
    expect(where.body.error.field).toContain('surface');
    const body = await h.api('PUT', '/api/payment-channels/kiosk/wechat', { on: 'no' }, OWNER);
    expect(body.status).toBe(400);
    expect(body.body.error.field).toContain('on');
    // Nothing was switched by any of them.
    const methods = await h.api('GET', '/api/payment-methods', undefined, as('kiosk'));
    expect(methods.body.methods).toContain('wechat');
  });

  it('tells the kiosk what the counter takes, and the screens hear of each switch once it is made', async () => {
    const heard: HubEvent[] = [];
    const off = h.hub.events.subscribe((e) => {
      if (e.type === 'payment.channels') heard.push(e);
    });
    const before = await h.api('GET', '/api/payment-methods', undefined, as('kiosk'));
    expect(before.body).toMatchObject({
      surface: 'kiosk',
      counter: ['cash', 'payment_code', 'wallet'],
      topUps: [],
    });
    await h.api('PUT', '/api/payment-channels/counter/cash', { on: false }, OWNER);
    await h.api('PUT', '/api/payment-channels/counter/payment_code', { on: false }, OWNER);
    const after = await h.api('GET', '/api/payment-methods', undefined, as('kiosk'));
    // Nothing left at the counter but the wallet: the kiosk no longer sends anyone there.
    expect(after.body.counter).toEqual(['wallet']);
    expect(after.body.methods).toContain('payment_code');
    off();
    expect(heard).toMatchObject([
      { surface: 'counter', choice: 'cash', on: false },
      { surface: 'counter', choice: 'payment_code', on: false },
    ]);
    // A refused switch changes nothing, and nobody is told of it.
    await h.api('PUT', '/api/payment-channels/counter/wallet', { on: false }, OWNER);
    expect(heard).toHaveLength(2);
  });

  it('covers wallet top-ups at the counter: cash or a QR switched off is refused in words, and audited', async () => {
    const phone = '13600136000';
    const methods = async () =>
      (await h.api('GET', '/api/payment-methods', undefined, CASHIER)).body.topUps;
    expect(await methods()).toEqual(['cash', 'wechat', 'alipay', 'unionpay']);

    await h.api('PUT', '/api/payment-channels/counter/cash', { on: false }, OWNER);
    await h.api('PUT', '/api/payment-channels/counter/alipay', { on: false }, OWNER);
    expect(await methods()).toEqual(['wechat', 'unionpay']);

    const cash = await h.api('POST', '/api/wallet/top-ups', { phone, amount: 10000 }, CASHIER);
    expect(cash.status).toBe(422);
    expect(cash.body.error).toMatchObject({ code: 'method_switched_off', field: 'method' });
    expect(cash.body.error.message).toBe(
      'cash is switched off at the counter by the store: choose one of wechat, unionpay',
    );
    const alipay = await h.api(
      'POST',
      '/api/wallet/top-ups',
      { phone, amount: 10000, method: 'alipay' },
      CASHIER,
    );
    expect(alipay.status).toBe(422);
    expect(alipay.body.error.code).toBe('method_switched_off');
    // Nothing was credited or started by either, and the member's wallet stays empty.
    const w = await h.api('GET', `/api/wallets/${phone}`, undefined, CASHIER);
    expect(w.body).toMatchObject({ total: 0 });
    expect(w.body.moves).toHaveLength(0);

    // WeChat Pay still fills it, and cash again once it is switched back on.
    const qr = await h.api(
      'POST',
      '/api/wallet/top-ups',
      { phone, amount: 10000, method: 'wechat' },
      CASHIER,
    );
    expect(qr.status, JSON.stringify(qr.body)).toBe(201);
    expect(qr.body.qrPayload).toBeTruthy();
    await h.api('PUT', '/api/payment-channels/counter/cash', { on: true }, OWNER);
    const again = await h.api('POST', '/api/wallet/top-ups', { phone, amount: 10000 }, CASHIER);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ principal: 10000 });

    // Each refused top-up is in the audit log as the cashier's, refused with its code.
    const audit = await h.api('GET', '/api/audit', undefined, OWNER);
    const refused = (
      audit.body as { action: string; outcome: string; after: { code?: string } | null }[]
    ).filter((e) => e.outcome === 'refused' && e.after?.code === 'method_switched_off');
    expect(refused).toHaveLength(2);
  });

  it('takes no difference of a dearer change in cash switched off; a change costing nothing more goes ahead', async () => {
    const b = await book();
    await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'cash' }, CASHIER);
    await h.api('PUT', '/api/payment-channels/counter/cash', { on: false }, OWNER);
    const dearer = await h.api(
      'POST',
      `/api/bookings/${b.id}/change`,
      { start: at('14:00'), end: at('17:00'), collect: 'cash' },
      CASHIER,
    );
    expect(dearer.status).toBe(422);
    expect(dearer.body.error).toMatchObject({ code: 'method_switched_off', field: 'method' });
    const same = await h.api('GET', `/api/bookings/${b.id}`, undefined, CASHIER);
    expect(same.body).toMatchObject({ total: b.total, paid: b.total, due: 0 });
    const moved = await h.api(
      'POST',
      `/api/bookings/${b.id}/change`,
      { start: at('15:00'), end: at('17:00'), collect: 'cash' },
      CASHIER,
    );
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ paid: b.total, due: 0 });
  });
});
