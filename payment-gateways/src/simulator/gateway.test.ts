// The simulated gateway over real HTTP, checked against the protocol itself: requests are signed
// and notifications decrypted here by hand, not through the channel under test elsewhere.

import { createDecipheriv, createPrivateKey, randomUUID, sign, verify } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateGatewayKeys, startSimulatedGateway } from './gateway';
import type { GatewayKeys, SimulatedGateway } from './gateway';

const T0 = Date.parse('2025-03-01T12:00:00+08:00');
let time = T0;
const clock = { now: () => time };

interface Received {
  headers: Record<string, string | undefined>;
  body: string;
}

async function startReceiver() {
  const received: Received[] = [];
  let answers: number[] = [];
  const app = express();
  app.post('/notify', express.text({ type: () => true }), (req, res) => {
    const headers: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      headers[key] = Array.isArray(value) ? value.join(', ') : value;
    }
    received.push({ headers, body: String(req.body) });
    const status = answers.shift() ?? 204;
    if (status === 204) res.status(204).end();
    else res.status(status).json({ code: 'FAIL', message: 'not now' });
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    notifyUrl: `http://127.0.0.1:${port}/notify`,
    received,
    /** Statuses for the next deliveries, then 204 again. */
    answerNext(statuses: number[]) {
      answers = [...statuses];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let keys: GatewayKeys;
let gateway: SimulatedGateway;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver();
  keys = await generateGatewayKeys();
  gateway = await startSimulatedGateway({ clock, keys, retryDelaysMs: [10, 10, 10, 10] });
});

afterAll(async () => {
  await gateway.close();
  await receiver.close();
});

/**
 * A request signed as a merchant signs it: the method, the path with its query string, and the
 * body (empty for a GET). `sent` is what goes on the wire, when a test forges a body.
 */
async function signedRequest(
  method: 'GET' | 'POST',
  path: string,
  payload?: unknown,
  gw: SimulatedGateway = gateway,
  sent: unknown = payload,
) {
  const body = payload === undefined ? '' : JSON.stringify(payload);
  const timestamp = String(Math.floor(time / 1000));
  const nonce = randomUUID().replaceAll('-', '');
  const signature = sign(
    'sha256',
    Buffer.from(`${method}\n${path}\n${timestamp}\n${nonce}\n${body}\n`),
    createPrivateKey(gw.merchant.privateKeyPem),
  ).toString('base64');
  const res = await fetch(`${gw.url}${path}`, {
    method,
    headers: {
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      authorization:
        `WECHATPAY2-SHA256-RSA2048 mchid="${gw.merchant.mchid}",nonce_str="${nonce}",` +
        `signature="${signature}",timestamp="${timestamp}",serial_no="${gw.merchant.serialNo}"`,
    },
    ...(method === 'POST' ? { body: JSON.stringify(sent) } : {}),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function signedPost(
  path: string,
  payload: unknown,
  gw: SimulatedGateway = gateway,
  sent: unknown = payload,
) {
  const res = await signedRequest('POST', path, payload, gw, sent);
  return { ...res, json: JSON.parse(res.text) as never };
}

async function signedGet(pathWithQuery: string) {
  const res = await signedRequest('GET', pathWithQuery);
  return { ...res, json: JSON.parse(res.text) as never };
}

let seq = 0;
function native(overrides: { total?: number; expiresInMs?: number; id?: string } = {}) {
  const id = overrides.id ?? `P${Date.now().toString(36)}${(seq++).toString().padStart(4, '0')}`;
  const expire = new Date(time + (overrides.expiresInMs ?? 15 * 60_000) + 8 * 3_600_000);
  return {
    appid: gateway.merchant.appid,
    mchid: gateway.merchant.mchid,
    description: '茶室 A01 两小时',
    out_trade_no: id,
    time_expire: `${expire.toISOString().slice(0, 19)}+08:00`,
    notify_url: receiver.notifyUrl,
    amount: { total: overrides.total ?? 1250, currency: 'CNY' },
  };
}

function decryptNotification(body: string): Record<string, unknown> {
  const envelope = JSON.parse(body) as {
    resource: { ciphertext: string; nonce: string; associated_data: string };
  };
  const sealed = Buffer.from(envelope.resource.ciphertext, 'base64');
  const decipher = createDecipheriv(
    'aes-256-gcm',
    Buffer.from(gateway.apiV3Key),
    Buffer.from(envelope.resource.nonce),
  );
  decipher.setAAD(Buffer.from(envelope.resource.associated_data));
  decipher.setAuthTag(sealed.subarray(-16));
  const plain = Buffer.concat([decipher.update(sealed.subarray(0, -16)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
}

describe('native orders', () => {
  it('answers the same code_url for the same out_trade_no, signed by the platform key', async () => {
    const order = native();
    const first = await signedPost('/v3/pay/transactions/native', order);
    const again = await signedPost('/v3/pay/transactions/native', order);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      code_url: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=/),
    });
    expect(again.json).toEqual(first.json);

    const h = (name: string) => first.headers.get(name) ?? '';
    expect(h('wechatpay-serial')).toBe(gateway.platformSerial);
    const message = `${h('wechatpay-timestamp')}\n${h('wechatpay-nonce')}\n${first.text}\n`;
    expect(
      verify(
        'sha256',
        Buffer.from(message),
        gateway.platformPublicKeyPem,
        Buffer.from(h('wechatpay-signature'), 'base64'),
      ),
    ).toBe(true);
  });

  it('refuses a different amount for an existing out_trade_no', async () => {
    const order = native();
    await signedPost('/v3/pay/transactions/native', order);
    const res = await signedPost('/v3/pay/transactions/native', {
      ...order,
      amount: { total: 1, currency: 'CNY' },
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('1250'),
    });
  });

  it('refuses ids WeChat Pay would refuse, and unsigned or badly signed requests', async () => {
    const tooLong = await signedPost('/v3/pay/transactions/native', native({ id: randomUUID() }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.json).toMatchObject({
      code: 'PARAM_ERROR',
      message: expect.stringContaining('out_trade_no'),
    });

    const unsigned = await fetch(`${gateway.url}/v3/pay/transactions/native`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(native()),
    });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ code: 'SIGN_ERROR' });

    const order = native();
    const forged = await signedPost('/v3/pay/transactions/native', order, gateway, {
      ...order,
      amount: { total: 1, currency: 'CNY' },
    });
    expect(forged.status).toBe(401);
    expect(forged.json).toMatchObject({ code: 'SIGN_ERROR' });
  });
});

describe('cashier page and notifications', () => {
  it('shows the amount in yuan and, once confirmed, posts a signed, encrypted notification', async () => {
    const order = native({ total: 1250 });
    await signedPost('/v3/pay/transactions/native', order);
    const page = await fetch(`${gateway.url}/pay/${order.out_trade_no}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('模拟支付');
    expect(html).toContain('12.50 元');
    expect(html).toContain('确认支付');

    const before = receiver.received.length;
    const confirm = await fetch(`${gateway.url}/pay/${order.out_trade_no}/confirm`, {
      method: 'POST',
    });
    expect(await confirm.text()).toContain('支付成功');
    await vi.waitFor(() => expect(receiver.received.length).toBe(before + 1));

    const note = receiver.received[before]!;
    const h = note.headers;
    expect(h['wechatpay-serial']).toBe(gateway.platformSerial);
    expect(Math.abs(Number(h['wechatpay-timestamp']) - time / 1000)).toBeLessThan(1);
    expect(
      verify(
        'sha256',
        Buffer.from(`${h['wechatpay-timestamp']}\n${h['wechatpay-nonce']}\n${note.body}\n`),
        gateway.platformPublicKeyPem,
        Buffer.from(h['wechatpay-signature'] ?? '', 'base64'),
      ),
    ).toBe(true);
    expect(JSON.parse(note.body)).toMatchObject({
      event_type: 'TRANSACTION.SUCCESS',
      resource_type: 'encrypt-resource',
      resource: {
        algorithm: 'AEAD_AES_256_GCM',
        associated_data: 'transaction',
        nonce: expect.stringMatching(/^\w{12}$/),
      },
    });
    expect(decryptNotification(note.body)).toMatchObject({
      out_trade_no: order.out_trade_no,
      transaction_id: expect.stringMatching(/^\d{28}$/),
      trade_state: 'SUCCESS',
      amount: { total: 1250, payer_total: 1250, currency: 'CNY' },
      success_time: '2025-03-01T12:00:00+08:00',
    });

    const paidAgain = await fetch(`${gateway.url}/pay/${order.out_trade_no}`);
    expect(await paidAgain.text()).toContain('订单已支付');
    const reorder = await signedPost('/v3/pay/transactions/native', order);
    expect(reorder.json).toMatchObject({ code: 'ORDERPAID' });
  });

  it('refuses payment after time_expire unless a late payment is forced', async () => {
    const order = native({ expiresInMs: 60_000 });
    await signedPost('/v3/pay/transactions/native', order);
    time += 61_000;
    try {
      const page = await fetch(`${gateway.url}/pay/${order.out_trade_no}`);
      expect(page.status).toBe(410);
      expect(await page.text()).toContain('订单已过期');
      const confirm = await fetch(`${gateway.url}/pay/${order.out_trade_no}/confirm`, {
        method: 'POST',
      });
      expect(confirm.status).toBe(410);
      await expect(gateway.pay(order.out_trade_no)).rejects.toThrow('订单已过期');
      expect(gateway.charges().find((c) => c.outTradeNo === order.out_trade_no)?.state).toBe(
        'NOTPAY',
      );

      const before = receiver.received.length;
      await gateway.pay(order.out_trade_no, { late: true });
      expect(receiver.received.length).toBe(before + 1);
      expect(gateway.charges().find((c) => c.outTradeNo === order.out_trade_no)).toMatchObject({
        state: 'SUCCESS',
        late: true,
      });
    } finally {
      time = T0;
    }
  });

  it('retries with back-off until the merchant acknowledges, and resends the same body', async () => {
    const order = native();
    await signedPost('/v3/pay/transactions/native', order);
    const before = receiver.received.length;
    receiver.answerNext([500, 503]);
    await gateway.pay(order.out_trade_no);

    const tries = receiver.received.slice(before);
    expect(tries).toHaveLength(3);
    expect(new Set(tries.map((t) => t.body)).size).toBe(1);
    expect(
      gateway
        .deliveries()
        .filter((d) => d.outTradeNo === order.out_trade_no)
        .map((d) => d.status),
    ).toEqual([500, 503, 204]);

    await gateway.resend(order.out_trade_no);
    expect(receiver.received.at(-1)?.body).toBe(tries[0]?.body);
    expect(receiver.received.at(-1)?.headers['wechatpay-nonce']).not.toBe(
      tries[0]?.headers['wechatpay-nonce'],
    );
  });

  it('gives up after a bounded number of tries when the merchant is unreachable', async () => {
    const order = { ...native(), notify_url: 'http://127.0.0.1:9/notify' };
    await signedPost('/v3/pay/transactions/native', order);
    await gateway.pay(order.out_trade_no);
    const tries = gateway.deliveries().filter((d) => d.outTradeNo === order.out_trade_no);
    expect(tries.map((d) => d.status)).toEqual([null, null, null, null, null]);
  });

  it('stops retrying on close()', async () => {
    const gw = await startSimulatedGateway({ clock, keys, retryDelaysMs: [10, 60_000, 60_000] });
    const order = native();
    await signedPost('/v3/pay/transactions/native', order, gw);
    receiver.answerNext([500, 500, 500]);
    const paying = gw.pay(order.out_trade_no);
    await vi.waitFor(() => expect(gw.deliveries()).toHaveLength(2));
    const started = Date.now();
    await gw.close();
    await paying;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(gw.deliveries()).toHaveLength(2);
    receiver.answerNext([]);
  });

  it('pays by itself after autoPayDelayMs', async () => {
    const gw = await startSimulatedGateway({ clock, keys, autoPayDelayMs: 10 });
    try {
      const order = native();
      await signedPost('/v3/pay/transactions/native', order, gw);
      await vi.waitFor(() => expect(gw.deliveries()).toHaveLength(1));
      expect(gw.charges()[0]?.state).toBe('SUCCESS');
    } finally {
      await gw.close();
    }
  });
});

describe('queries and closes', () => {
  const query = (id: string, mchid = gateway.merchant.mchid) =>
    signedGet(`/v3/pay/transactions/out-trade-no/${id}?mchid=${mchid}`);
  const close = (id: string) =>
    signedPost(`/v3/pay/transactions/out-trade-no/${id}/close`, { mchid: gateway.merchant.mchid });

  it('answers an order by out_trade_no, signed, only to a signed request naming its mchid', async () => {
    const order = native({ total: 2200 });
    await signedPost('/v3/pay/transactions/native', order);
    const waiting = await query(order.out_trade_no);
    expect(waiting.status).toBe(200);
    expect(waiting.json).toMatchObject({
      out_trade_no: order.out_trade_no,
      trade_state: 'NOTPAY',
      amount: { total: 2200, currency: 'CNY' },
    });
    expect(waiting.json).not.toHaveProperty('transaction_id');
    const h = (name: string) => waiting.headers.get(name) ?? '';
    expect(
      verify(
        'sha256',
        Buffer.from(`${h('wechatpay-timestamp')}\n${h('wechatpay-nonce')}\n${waiting.text}\n`),
        gateway.platformPublicKeyPem,
        Buffer.from(h('wechatpay-signature'), 'base64'),
      ),
    ).toBe(true);

    await gateway.pay(order.out_trade_no);
    expect((await query(order.out_trade_no)).json).toMatchObject({
      trade_state: 'SUCCESS',
      transaction_id: expect.stringMatching(/^\d{28}$/),
      success_time: '2025-03-01T12:00:00+08:00',
    });
    expect((await query(order.out_trade_no, '1900000002')).status).toBe(400);
    expect((await query('NOSUCHORDER')).json).toMatchObject({ code: 'ORDER_NOT_EXIST' });
    const unsigned = await fetch(
      `${gateway.url}/v3/pay/transactions/out-trade-no/${order.out_trade_no}?mchid=${gateway.merchant.mchid}`,
    );
    expect(unsigned.status).toBe(401);
  });

  it('closes an unpaid order with a signed 204, refuses a paid one, and no one pays a closed one', async () => {
    const order = native();
    await signedPost('/v3/pay/transactions/native', order);
    const closed = await fetch(
      `${gateway.url}/v3/pay/transactions/out-trade-no/${order.out_trade_no}/close`,
      { method: 'POST' },
    );
    expect(closed.status).toBe(401);
    const closeOnce = () =>
      signedRequest('POST', `/v3/pay/transactions/out-trade-no/${order.out_trade_no}/close`, {
        mchid: gateway.merchant.mchid,
      });
    const res = await closeOnce();
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers.get('wechatpay-signature')).toBeTruthy();
    expect((await query(order.out_trade_no)).json).toMatchObject({ trade_state: 'CLOSED' });
    expect((await closeOnce()).status).toBe(204);
    await expect(gateway.pay(order.out_trade_no)).rejects.toThrow('订单已关闭');
    const page = await fetch(`${gateway.url}/pay/${order.out_trade_no}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('订单已关闭');

    const paid = native();
    await signedPost('/v3/pay/transactions/native', paid);
    await gateway.pay(paid.out_trade_no);
    const refused = await close(paid.out_trade_no);
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ code: 'ORDERPAID' });
  });
});

describe('refunds', () => {
  async function paidOrder(total: number) {
    const order = native({ total });
    await signedPost('/v3/pay/transactions/native', order);
    await gateway.pay(order.out_trade_no);
    return order.out_trade_no;
  }

  const refund = (outTradeNo: string, outRefundNo: string, amount: number, total: number) =>
    signedPost('/v3/refund/domestic/refunds', {
      out_trade_no: outTradeNo,
      out_refund_no: outRefundNo,
      reason: '超时未到店',
      amount: { refund: amount, total, currency: 'CNY' },
    });

  it('is idempotent by out_refund_no and tracks the sum per charge', async () => {
    const id = await paidOrder(3000);
    const first = await refund(id, `${id}-R1`, 1000, 3000);
    const again = await refund(id, `${id}-R1`, 1000, 3000);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ out_refund_no: `${id}-R1`, status: 'SUCCESS' });
    expect(again.json).toEqual(first.json);

    const second = await refund(id, `${id}-R2`, 2000, 3000);
    expect(second.status).toBe(200);
    expect(gateway.charges().find((c) => c.outTradeNo === id)?.refunded).toBe(3000);
    expect(gateway.refunds().filter((r) => r.outTradeNo === id)).toHaveLength(2);
  });

  it('refuses a refund beyond what is left, a wrong total, an unpaid or unknown charge', async () => {
    const id = await paidOrder(3000);
    await refund(id, `${id}-R1`, 2500, 3000);
    const over = await refund(id, `${id}-R2`, 501, 3000);
    expect(over.status).toBe(400);
    expect(over.json).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('500'),
    });
    expect((await refund(id, `${id}-R3`, 100, 2999)).status).toBe(400);
    expect((await refund(id, `${id}-R1`, 100, 3000)).status).toBe(400);

    const unpaid = native();
    await signedPost('/v3/pay/transactions/native', unpaid);
    expect((await refund(unpaid.out_trade_no, 'R-unpaid', 100, 1250)).status).toBe(400);
    expect((await refund('NOSUCHORDER', 'R-unknown', 100, 1250)).status).toBe(404);
  });
});

describe('failNext', () => {
  it('answers the queued status once per call, before or after applying the request', async () => {
    gateway.failNext('charge', 503);
    const order = native();
    const failed = await signedPost('/v3/pay/transactions/native', order);
    expect(failed.status).toBe(503);
    expect(failed.json).toMatchObject({ code: 'SYSTEM_ERROR' });
    expect(gateway.charges().some((c) => c.outTradeNo === order.out_trade_no)).toBe(false);
    expect((await signedPost('/v3/pay/transactions/native', order)).status).toBe(200);

    await gateway.pay(order.out_trade_no);
    gateway.failNext('refund', 500, { afterApplying: true });
    const lost = await signedPost('/v3/refund/domestic/refunds', {
      out_trade_no: order.out_trade_no,
      out_refund_no: `${order.out_trade_no}-R`,
      amount: { refund: 100, total: 1250, currency: 'CNY' },
    });
    expect(lost.status).toBe(500);
    expect(gateway.refunds().filter((r) => r.outTradeNo === order.out_trade_no)).toHaveLength(1);
  });
});
