// The client against the simulated gateway over real HTTP: what the hub and the cloud rely on is
// that a notification verifies only when it is genuine, and that retries are safe by id.

import { createPrivateKey, createPublicKey } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelError } from './charges';
import type { ChargeRequest } from './charges';
import { WechatPayChannel } from './wechat-channel';
import type { WechatPayChannelOptions } from './wechat-channel';
import { startSimulatedGateway } from './simulator/gateway';
import type { SimulatedGateway } from './simulator/gateway';

const T0 = Date.parse('2025-03-01T12:00:00+08:00');
let time = T0;
const clock = { now: () => time };

interface Received {
  headers: Record<string, string | undefined>;
  body: string;
}

let gateway: SimulatedGateway;
let channel: WechatPayChannel;
let notifyUrl: string;
let closeReceiver: () => Promise<void>;
const received: Received[] = [];

beforeAll(async () => {
  // Stands in for the merchant's notify endpoint: it keeps the raw body, as the merchant must.
  const app = express();
  app.post('/payments/notify', express.text({ type: () => true }), (req, res) => {
    const headers: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      headers[key] = Array.isArray(value) ? value.join(', ') : value;
    }
    received.push({ headers, body: String(req.body) });
    res.status(204).end();
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  notifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/payments/notify`;
  closeReceiver = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  gateway = await startSimulatedGateway({ clock, retryDelaysMs: [10, 10] });
  channel = new WechatPayChannel(options());
});

afterAll(async () => {
  await gateway.close();
  await closeReceiver();
});

function options(overrides: Partial<WechatPayChannelOptions> = {}): WechatPayChannelOptions {
  return {
    gatewayUrl: gateway.url,
    platformPublicKeyPem: gateway.platformPublicKeyPem,
    platformSerial: gateway.platformSerial,
    apiV3Key: gateway.apiV3Key,
    merchant: gateway.merchant,
    clock,
    ...overrides,
  };
}

let seq = 0;
function charge(overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    paymentId: `PAY${Date.now().toString(36)}${(seq++).toString().padStart(4, '0')}`,
    amount: 4800,
    description: '麻将房 M2 三小时',
    notifyUrl,
    expiresAt: time + 15 * 60_000,
    ...overrides,
  };
}

async function paidNotification(req: ChargeRequest, amount?: number): Promise<Received> {
  await channel.createCharge(req);
  const before = received.length;
  await gateway.pay(req.paymentId, amount === undefined ? {} : { amount });
  const note = received[before];
  if (note === undefined) throw new Error('no notification arrived');
  return note;
}

async function channelError(work: () => unknown): Promise<ChannelError> {
  try {
    await work();
  } catch (err) {
    if (err instanceof ChannelError) return err;
    throw err;
  }
  throw new Error('expected a ChannelError');
}

describe('createCharge', () => {
  it('returns the cashier page and the code_url, the same for the same payment id', async () => {
    const req = charge();
    const ticket = await channel.createCharge(req);
    expect(ticket).toEqual({
      payUrl: `${gateway.url}/pay/${req.paymentId}`,
      qrPayload: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=\w+$/),
    });
    expect(await channel.createCharge(req)).toEqual(ticket);
    expect(gateway.charges().find((c) => c.outTradeNo === req.paymentId)).toMatchObject({
      total: 4800,
      timeExpire: req.expiresAt,
    });

    const phone = new WechatPayChannel(options({ publicBaseUrl: 'http://192.168.1.20:8090/' }));
    expect((await phone.createCharge(req)).payUrl).toBe(
      `http://192.168.1.20:8090/pay/${req.paymentId}`,
    );
  });

  it('maps a refusal to gateway_rejected and a fault or dead gateway to gateway_unavailable', async () => {
    const req = charge();
    await channel.createCharge(req);
    expect((await channelError(() => channel.createCharge({ ...req, amount: 1 }))).code).toBe(
      'gateway_rejected',
    );

    gateway.failNext('charge', 503);
    expect((await channelError(() => channel.createCharge(charge()))).code).toBe(
      'gateway_unavailable',
    );
    gateway.failNext('charge', 400);
    expect((await channelError(() => channel.createCharge(charge()))).code).toBe(
      'gateway_rejected',
    );

    const dead = new WechatPayChannel(options({ gatewayUrl: 'http://127.0.0.1:9' }));
    expect((await channelError(() => dead.createCharge(charge()))).code).toBe(
      'gateway_unavailable',
    );
  });

  it('refuses an answer signed by anyone but the configured platform key', async () => {
    // Any other RSA key will do: the merchant's is at hand.
    const otherKey = createPublicKey(createPrivateKey(gateway.merchant.privateKeyPem));
    const fooled = new WechatPayChannel(
      options({
        platformPublicKeyPem: otherKey.export({ type: 'spki', format: 'pem' }).toString(),
      }),
    );
    expect((await channelError(() => fooled.createCharge(charge()))).code).toBe('bad_signature');
  });
});

describe('verifyNotification', () => {
  it('verifies and decrypts a genuine notification', async () => {
    const req = charge();
    const note = await paidNotification(req);
    const verified = channel.verifyNotification(note.headers, note.body);
    expect(verified).toEqual({
      paymentId: req.paymentId,
      channelTxnId: gateway.charges().find((c) => c.outTradeNo === req.paymentId)?.transactionId,
      amount: 4800,
      paidAt: T0,
      state: 'SUCCESS',
    });
  });

  it('credits the order total even when a platform coupon paid part of it', async () => {
    const c = charge();
    const note = await paidNotification(c, 4700);
    expect(channel.verifyNotification(note.headers, note.body).amount).toBe(c.amount);
  });

  it('refuses a tampered body, signature, serial, or a stale timestamp', async () => {
    const note = await paidNotification(charge());
    const { headers, body } = note;
    const tamperedBody = body.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESs"');
    expect(tamperedBody).not.toBe(body);
    const signature = headers['wechatpay-signature'] ?? '';
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;

    const cases: Array<[Record<string, string | undefined>, string]> = [
      [headers, tamperedBody],
      [{ ...headers, 'wechatpay-signature': flipped }, body],
      [{ ...headers, 'wechatpay-signature': undefined }, body],
      [{ ...headers, 'wechatpay-serial': 'PUB_KEY_ID_0' }, body],
      [{ ...headers, 'wechatpay-nonce': 'another' }, body],
    ];
    // Whatever is wrong, the error says no more than that: not which serial or key we expect.
    const refused = { code: 'bad_signature', message: 'invalid signature' };
    for (const [h, b] of cases) {
      expect(() => channel.verifyNotification(h, b)).toThrow(expect.objectContaining(refused));
    }

    time = T0 + 5 * 60_000 + 1_000;
    try {
      expect(() => channel.verifyNotification(headers, body)).toThrow(
        expect.objectContaining(refused),
      );
    } finally {
      time = T0;
    }
  });

  it('refuses a genuine notification it cannot decrypt or read', async () => {
    const note = await paidNotification(charge());
    const wrongKey = new WechatPayChannel(options({ apiV3Key: 'x'.repeat(32) }));
    expect(() => wrongKey.verifyNotification(note.headers, note.body)).toThrow(
      expect.objectContaining({
        code: 'bad_notification',
        message: expect.stringMatching(/API v3 key/),
      }),
    );
  });

  it('sees the same payload when the gateway re-delivers, so the merchant can dedupe', async () => {
    const req = charge();
    const first = await paidNotification(req);
    await gateway.resend(req.paymentId);
    const again = received.at(-1);
    expect(again?.body).toBe(first.body);
    expect(channel.verifyNotification(again?.headers ?? {}, again?.body ?? '')).toEqual(
      channel.verifyNotification(first.headers, first.body),
    );
  });
});

describe('queryCharge and closeCharge', () => {
  it('reads an order as the gateway has it: waiting, paid, refunded', async () => {
    const req = charge({ amount: 6000 });
    await channel.createCharge(req);
    expect(await channel.queryCharge(req.paymentId)).toEqual({
      paymentId: req.paymentId,
      state: 'NOTPAY',
      channelTxnId: null,
      amount: 6000,
      paidAt: null,
    });
    await gateway.pay(req.paymentId);
    const paid = await channel.queryCharge(req.paymentId);
    expect(paid).toEqual({
      paymentId: req.paymentId,
      state: 'SUCCESS',
      channelTxnId: gateway.charges().find((c) => c.outTradeNo === req.paymentId)?.transactionId,
      amount: 6000,
      paidAt: T0,
    });
    await channel.refund({
      paymentId: req.paymentId,
      refundId: `${req.paymentId}-R1`,
      amount: 1000,
      paymentTotal: 6000,
      reason: '提前结束',
    });
    expect(await channel.queryCharge(req.paymentId)).toEqual({ ...paid, state: 'REFUND' });

    const unknown = await channelError(() => channel.queryCharge('NOSUCHORDER1'));
    expect(unknown).toMatchObject({ code: 'gateway_rejected', gatewayCode: 'ORDER_NOT_EXIST' });
    gateway.failNext('query', 500);
    expect((await channelError(() => channel.queryCharge(req.paymentId))).code).toBe(
      'gateway_unavailable',
    );
  });

  it('closes an unpaid order for good, again too, and says so of one found paid', async () => {
    const req = charge();
    await channel.createCharge(req);
    expect(await channel.closeCharge(req.paymentId)).toBe('closed');
    expect(await channel.closeCharge(req.paymentId)).toBe('closed');
    expect((await channel.queryCharge(req.paymentId)).state).toBe('CLOSED');
    await expect(gateway.pay(req.paymentId)).rejects.toThrow('订单已关闭');
    expect(await channelError(() => channel.createCharge(req))).toMatchObject({
      code: 'gateway_rejected',
      gatewayCode: 'ORDER_CLOSED',
    });

    const paid = charge();
    await paidNotification(paid);
    expect(await channel.closeCharge(paid.paymentId)).toBe('paid');
    expect((await channel.queryCharge(paid.paymentId)).state).toBe('SUCCESS');

    // A close whose answer was lost is simply asked again.
    const lost = charge();
    await channel.createCharge(lost);
    gateway.failNext('close', 503, { afterApplying: true });
    expect((await channelError(() => channel.closeCharge(lost.paymentId))).code).toBe(
      'gateway_unavailable',
    );
    expect(await channel.closeCharge(lost.paymentId)).toBe('closed');
  });
});

describe('refund', () => {
  it('is idempotent by refund id', async () => {
    const req = charge({ amount: 6000 });
    await paidNotification(req);
    const ask = {
      paymentId: req.paymentId,
      refundId: `${req.paymentId}-R1`,
      amount: 2000,
      paymentTotal: 6000,
      reason: '提前结束',
    };
    const first = await channel.refund(ask);
    expect(first).toEqual({ status: 'succeeded', channelRefundId: expect.stringMatching(/^\d+$/) });
    expect(await channel.refund(ask)).toEqual(first);
    expect(gateway.charges().find((c) => c.outTradeNo === req.paymentId)?.refunded).toBe(2000);
  });

  it('is rejected beyond the paid total, and unavailable on a gateway fault', async () => {
    const req = charge({ amount: 6000 });
    await paidNotification(req);
    const ask = {
      paymentId: req.paymentId,
      refundId: `${req.paymentId}-R1`,
      amount: 6001,
      paymentTotal: 6000,
      reason: '多退',
    };
    const over = await channelError(() => channel.refund(ask));
    expect(over.code).toBe('gateway_rejected');
    expect(over.message).toMatch(/超过订单可退金额/);

    gateway.failNext('refund', 502, { afterApplying: true });
    const lost = await channelError(() => channel.refund({ ...ask, amount: 6000 }));
    expect(lost.code).toBe('gateway_unavailable');
    // The effect happened; retrying with the same refund id finds it instead of refunding twice.
    expect(await channel.refund({ ...ask, amount: 6000 })).toMatchObject({ status: 'succeeded' });
    expect(gateway.refunds().filter((r) => r.outTradeNo === req.paymentId)).toHaveLength(1);
  });
});

describe('chargeCode and reverseCharge (付款码支付, API v3 codepay)', () => {
  let k = 0;
  const code = (authCode: string, amount = 300) => ({
    paymentId: `code-${++k}-${Date.now()}`,
    amount,
    description: 'Room booking 2',
    authCode,
  });

  it('charges a code paid at once, and the same order again is no second charge', async () => {
    const req = code(gateway.payerCode());
    expect(req.authCode).toMatch(/^1[0-5]\d{16}$/);
    const paid = await channel.chargeCode(req);
    expect(paid).toMatchObject({ state: 'SUCCESS', amount: 300 });
    expect(paid.channelTxnId).toMatch(/^4200/);
    expect(await channel.chargeCode(req)).toMatchObject({ channelTxnId: paid.channelTxnId });
    expect(gateway.charges().filter((c) => c.outTradeNo === req.paymentId)).toHaveLength(1);
  });

  it('refuses a declined or used code with WeChat’s own code', async () => {
    await expect(
      channel.chargeCode(code(gateway.payerCode({ outcome: 'declined' }))),
    ).rejects.toMatchObject({ code: 'gateway_rejected', gatewayCode: 'NOTENOUGH' });
    const used = gateway.payerCode();
    await channel.chargeCode(code(used));
    await expect(channel.chargeCode(code(used))).rejects.toMatchObject({
      gatewayCode: 'AUTH_CODE_INVALID',
    });
  });

  it('says USERPAYING while the payer confirms, then the query finds it paid', async () => {
    const req = code(gateway.payerCode({ outcome: 'paying', paidAfterQueries: 2 }));
    expect((await channel.chargeCode(req)).state).toBe('USERPAYING');
    expect((await channel.queryCharge(req.paymentId)).state).toBe('USERPAYING');
    expect((await channel.queryCharge(req.paymentId)).state).toBe('SUCCESS');
    // Reversing a paid code charge gives the money back whole.
    expect(await channel.reverseCharge(req.paymentId)).toBe('refunded');
    expect(gateway.charges().find((c) => c.outTradeNo === req.paymentId)).toMatchObject({
      reversed: true,
      refunded: 300,
    });
  });

  it('reverses a charge the payer never confirmed, and one the gateway never saw', async () => {
    const req = code(gateway.payerCode({ outcome: 'paying' }));
    await channel.chargeCode(req);
    expect(await channel.reverseCharge(req.paymentId)).toBe('closed');
    expect((await channel.queryCharge(req.paymentId)).state).toBe('REVOKED');
    expect(await channel.reverseCharge('never-sent-1')).toBe('closed');
  });

  it('leaves a dropped connection unknown: the charge was made and a query finds it', async () => {
    const req = code(gateway.payerCode({ outcome: 'paid', dropConnection: true }));
    await expect(channel.chargeCode(req)).rejects.toMatchObject({ code: 'gateway_unavailable' });
    expect((await channel.queryCharge(req.paymentId)).state).toBe('SUCCESS');
  });
});
