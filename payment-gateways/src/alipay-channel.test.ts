// The Alipay client (through the Alipay SDK) against the simulated gateway over real HTTP: orders
// and refunds signed RSA2 both ways, notifications that verify only when genuine, payment codes
// charged at the counter with the query and cancel steps.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlipayChannel } from './alipay-channel';
import { ChannelError } from './charges';
import { generateAlipayKeys, startSimulatedAlipay } from './simulator/alipay-gateway';
import type { SimulatedAlipay } from './simulator/alipay-gateway';

let alipay: SimulatedAlipay;
let channel: AlipayChannel;
let notifyUrl: string;
let closeReceiver: () => Promise<void>;
let answer = 'success';
const received: string[] = [];

beforeAll(async () => {
  const app = express();
  app.post('/notify', express.text({ type: () => true }), (req, res) => {
    received.push(String(req.body));
    res.type('text').send(answer);
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  notifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
  closeReceiver = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  alipay = await startSimulatedAlipay({ retryDelaysMs: [10, 10] });
  channel = channelOf(alipay);
});

afterAll(async () => {
  await alipay.close();
  await closeReceiver();
});

function channelOf(
  a: SimulatedAlipay,
  over: Partial<{ alipayPublicKeyPem: string; appPrivateKeyPem: string }> = {},
) {
  return new AlipayChannel({
    gatewayUrl: a.gatewayUrl,
    appId: a.appId,
    appPrivateKeyPem: over.appPrivateKeyPem ?? a.appPrivateKeyPem,
    alipayPublicKeyPem: over.alipayPublicKeyPem ?? a.alipayPublicKeyPem,
    cashierBaseUrl: a.url,
  });
}

let n = 0;
const charge = (amount = 7600) => ({
  paymentId: `pay${++n}x${Date.now()}`,
  amount,
  description: 'Room booking 1',
  notifyUrl,
  expiresAt: Date.now() + 15 * 60_000,
});

describe('Alipay channel', () => {
  it('makes a QR order, is paid, and the signed notification verifies', async () => {
    const req = charge(1234);
    const ticket = await channel.createCharge(req);
    expect(ticket.qrPayload).toMatch(/^https:\/\/qr\.alipay\.com\//);
    await alipay.pay(req.paymentId);
    const body = received.at(-1)!;
    const note = channel.verifyNotification({}, body);
    expect(note).toMatchObject({ paymentId: req.paymentId, amount: 1234, state: 'SUCCESS' });
    const status = await channel.queryCharge(req.paymentId);
    expect(status).toMatchObject({
      state: 'SUCCESS',
      amount: 1234,
      channelTxnId: note.channelTxnId,
    });
  });

  it('refuses a forged or altered notification, and one for another app', async () => {
    const req = charge(500);
    await channel.createCharge(req);
    await alipay.pay(req.paymentId);
    const body = received.at(-1)!;
    const altered = body.replace('total_amount=5.00', 'total_amount=0.01');
    expect(() => channel.verifyNotification({}, altered)).toThrow(ChannelError);
    expect(() => channel.verifyNotification({}, 'out_trade_no=x&sign=Zm9v')).toThrow(
      'invalid signature',
    );
    const strangerKeys = await generateAlipayKeys();
    const stranger = await startSimulatedAlipay({ keys: strangerKeys });
    try {
      // Signed by a gateway whose key is not the one configured.
      const other = channelOf(stranger);
      const r = charge(500);
      await other.createCharge(r);
      await stranger.pay(r.paymentId).catch(() => undefined);
    } finally {
      await stranger.close();
    }
    expect(() => channel.verifyNotification({}, received.at(-1)!)).toThrow('invalid signature');
  });

  it('refuses an answer not signed by Alipay, and a request not signed by the app', async () => {
    const wrongKeys = await generateAlipayKeys();
    const { createPrivateKey, createPublicKey } = await import('node:crypto');
    const wrongPublic = createPublicKey(createPrivateKey(wrongKeys.alipayPrivateKeyPem))
      .export({ type: 'spki', format: 'pem' })
      .toString();
    await expect(
      channelOf(alipay, { alipayPublicKeyPem: wrongPublic }).createCharge(charge()),
    ).rejects.toMatchObject({
      code: 'gateway_unavailable',
    });
    await expect(
      channelOf(alipay, { appPrivateKeyPem: wrongKeys.appPrivateKeyPem }).createCharge(charge()),
    ).rejects.toMatchObject({
      code: 'gateway_rejected',
    });
  });

  it('tells a declined order by a closed notification, and retries an unacknowledged one', async () => {
    const req = charge();
    await channel.createCharge(req);
    answer = 'fail';
    await alipay.decline(req.paymentId);
    answer = 'success';
    const tries = alipay.deliveries().filter((d) => d.outTradeNo === req.paymentId);
    expect(tries).toHaveLength(3);
    expect(channel.verifyNotification({}, received.at(-1)!).state).toBe('CLOSED');
  });

  it('refunds in parts up to what was paid, each part once by its id', async () => {
    const req = charge(1000);
    await channel.createCharge(req);
    await alipay.pay(req.paymentId);
    const part = { paymentId: req.paymentId, paymentTotal: 1000, reason: 'test' };
    expect((await channel.refund({ ...part, refundId: 'r1', amount: 400 })).status).toBe(
      'succeeded',
    );
    expect((await channel.refund({ ...part, refundId: 'r1', amount: 400 })).status).toBe(
      'succeeded',
    );
    expect((await channel.refund({ ...part, refundId: 'r2', amount: 600 })).status).toBe(
      'succeeded',
    );
    await expect(channel.refund({ ...part, refundId: 'r3', amount: 1 })).rejects.toMatchObject({
      code: 'gateway_rejected',
    });
    expect(alipay.trades().find((t) => t.outTradeNo === req.paymentId)?.refunded).toBe(1000);
  });

  it('charges payment codes: paid at once, declined, paying then paid, reversed', async () => {
    const paid = await channel.chargeCode(
      { paymentId: `c${++n}`, amount: 300, description: 'd', authCode: alipay.payerCode() },
      notifyUrl,
    );
    expect(paid).toMatchObject({ state: 'SUCCESS', amount: 300 });

    const declined = channel.chargeCode(
      {
        paymentId: `c${++n}`,
        amount: 300,
        description: 'd',
        authCode: alipay.payerCode({ outcome: 'declined' }),
      },
      notifyUrl,
    );
    await expect(declined).rejects.toMatchObject({ gatewayCode: 'ACQ.BUYER_BALANCE_NOT_ENOUGH' });

    const id = `c${++n}`;
    const code = alipay.payerCode({ outcome: 'paying', paidAfterQueries: 2 });
    expect(
      (
        await channel.chargeCode(
          { paymentId: id, amount: 300, description: 'd', authCode: code },
          notifyUrl,
        )
      ).state,
    ).toBe('USERPAYING');
    expect((await channel.queryCharge(id)).state).toBe('USERPAYING');
    expect((await channel.queryCharge(id)).state).toBe('SUCCESS');
    // A code is used once.
    await expect(
      channel.chargeCode(
        { paymentId: `c${++n}`, amount: 300, description: 'd', authCode: code },
        notifyUrl,
      ),
    ).rejects.toMatchObject({ gatewayCode: 'ACQ.PAYMENT_AUTH_CODE_INVALID' });

    const stuck = `c${++n}`;
    await channel.chargeCode(
      {
        paymentId: stuck,
        amount: 300,
        description: 'd',
        authCode: alipay.payerCode({ outcome: 'paying' }),
      },
      notifyUrl,
    );
    expect(await channel.reverseCharge(stuck)).toBe('closed');
    expect((await channel.queryCharge(stuck)).state).toBe('CLOSED');
    expect(await channel.reverseCharge(id)).toBe('refunded');
  });

  it('leaves a dropped connection unknown: the charge was made and a query finds it', async () => {
    const id = `c${++n}`;
    const code = alipay.payerCode({ outcome: 'paid', dropConnection: true });
    await expect(
      channel.chargeCode({ paymentId: id, amount: 300, description: 'd', authCode: code }),
    ).rejects.toMatchObject({ code: 'gateway_unavailable' });
    expect((await channel.queryCharge(id)).state).toBe('SUCCESS');
  });
});
