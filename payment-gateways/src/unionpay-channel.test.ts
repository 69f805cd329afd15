// The UnionPay client against the simulated full-channel gateway over real HTTP: QR orders and
// refunds signed (signMethod 01) both ways, back-notifications that verify only when genuine,
// the gateway's signing certificate believed only when it chains to the configured intermediate
// and root (never a self-signed one, one under another root, an expired one or another
// company's), declines, a busy gateway, refunds up to what was paid.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnionPayChannel } from './unionpay-channel';
import {
  generateUnionPayKeys,
  startSimulatedUnionPay,
  type CertificateOptions,
  type SimulatedUnionPay,
  type UnionPayKeys,
} from './simulator/unionpay-gateway';

let gateway: SimulatedUnionPay;
let channel: UnionPayChannel;
let backUrl: string;
let closeReceiver: () => Promise<void>;
const received: string[] = [];
const clock = { now: () => Date.now() };
let otherKeys: UnionPayKeys;

beforeAll(async () => {
  const app = express();
  app.post('/notify', express.text({ type: () => true }), (req, res) => {
    received.push(String(req.body));
    res.send('ok');
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  backUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
  closeReceiver = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  gateway = await startSimulatedUnionPay({ retryDelaysMs: [10] });
  channel = channelOf(gateway);
  otherKeys = await generateUnionPayKeys();
});

afterAll(async () => {
  await gateway.close();
  await closeReceiver();
});

function channelOf(
  g: SimulatedUnionPay,
  over: Partial<{
    merchantPrivateKeyPem: string;
    rootCertPem: string;
    middleCertPem: string;
    clock: { now: () => number };
  }> = {},
) {
  return new UnionPayChannel({
    gatewayUrl: g.url,
    merId: g.merId,
    signCertId: g.signCertId,
    merchantPrivateKeyPem: over.merchantPrivateKeyPem ?? g.merchantPrivateKeyPem,
    gatewayRootCertPem: over.rootCertPem ?? g.rootCertPem,
    gatewayMiddleCertPem: over.middleCertPem ?? g.middleCertPem,
    cashierBaseUrl: g.url,
    clock: over.clock ?? clock,
  });
}

/** A gateway of `otherKeys` whose signing certificate is made as `signCert` says. */
async function withGateway(
  signCert: Partial<CertificateOptions>,
  run: (g: SimulatedUnionPay) => Promise<void>,
) {
  const g = await startSimulatedUnionPay({ keys: otherKeys, signCert, retryDelaysMs: [10] });
  try {
    await run(g);
  } finally {
    await g.close();
  }
}

let n = 0;
const charge = (amount = 7600) => ({
  paymentId: `up${++n}x${Date.now()}`,
  amount,
  description: 'Room booking 1',
  notifyUrl: backUrl,
  expiresAt: Date.now() + 15 * 60_000,
});

describe('UnionPay channel', () => {
  it('makes a QR order, is paid, and the signed back-notification verifies', async () => {
    const req = charge(1234);
    const startedAt = Date.now();
    const ticket = await channel.createCharge(req);
    expect(ticket.qrPayload).toMatch(/^https:\/\/qr\.95516\.com\//);
    expect(ticket.payUrl).toBe(`${gateway.url}/pay/${req.paymentId}`);
    expect((await channel.queryCharge(req.paymentId, startedAt)).state).toBe('USERPAYING');
    await gateway.pay(req.paymentId);
    const note = channel.verifyNotification({}, received.at(-1)!);
    expect(note).toMatchObject({ paymentId: req.paymentId, amount: 1234, state: 'SUCCESS' });
    expect(await channel.queryCharge(req.paymentId, startedAt)).toMatchObject({
      state: 'SUCCESS',
      amount: 1234,
      channelTxnId: note.channelTxnId,
    });
  });

  it('refuses a forged or altered notification, and one signed under another certificate', async () => {
    const req = charge(500);
    await channel.createCharge(req);
    await gateway.pay(req.paymentId);
    const body = received.at(-1)!;
    expect(() =>
      channel.verifyNotification({}, body.replace('txnAmt=500', 'txnAmt=50000')),
    ).toThrow('invalid signature');
    expect(() =>
      channel.verifyNotification({}, 'orderId=x&txnAmt=1&respCode=00&signature=Zm9v'),
    ).toThrow('invalid signature');
    const stranger = await startSimulatedUnionPay({ keys: await generateUnionPayKeys() });
    try {
      const r = charge(500);
      await channelOf(stranger).createCharge(r);
      await stranger.pay(r.paymentId);
    } finally {
      await stranger.close();
    }
    expect(() => channel.verifyNotification({}, received.at(-1)!)).toThrow('invalid signature');
  });

  it('refuses an answer signed under another root, and the gateway refuses a request the merchant did not sign', async () => {
    await withGateway({}, async (stranger) => {
      await expect(
        channelOf(gateway, {
          rootCertPem: stranger.rootCertPem,
          middleCertPem: stranger.middleCertPem,
        }).createCharge(charge()),
      ).rejects.toMatchObject({ code: 'bad_signature' });
    });
    await expect(
      channelOf(gateway, { merchantPrivateKeyPem: otherKeys.merchantPrivateKeyPem }).createCharge(
        charge(),
      ),
    ).rejects.toMatchObject({ code: 'gateway_rejected', gatewayCode: '11' });
  });

  it('believes a signing certificate only when it chains to the intermediate and root, is valid now and names UnionPay', async () => {
    // The same root and intermediate as the channel is given, but a self-signed signing certificate.
    await withGateway({ selfSigned: true }, async (forged) => {
      await expect(channelOf(forged).createCharge(charge())).rejects.toMatchObject({
        code: 'bad_signature',
      });
    });
    // Issued by the right intermediate to another company.
    await withGateway({ company: '某某科技有限公司' }, async (other) => {
      await expect(channelOf(other).createCharge(charge())).rejects.toMatchObject({
        code: 'bad_signature',
      });
    });
    await withGateway({}, async (genuine) => {
      expect((await channelOf(genuine).createCharge(charge())).qrPayload).toBeTruthy();
      // Past the certificate's last day, or before its first, nothing it signs is believed.
      const later = { now: () => Date.now() + 6 * 365 * 86_400_000 };
      await expect(
        channelOf(genuine, { clock: later }).createCharge(charge()),
      ).rejects.toMatchObject({ code: 'bad_signature' });
      const earlier = { now: () => Date.now() - 60 * 86_400_000 };
      await expect(
        channelOf(genuine, { clock: earlier }).createCharge(charge()),
      ).rejects.toMatchObject({ code: 'bad_signature' });
    });
    // An intermediate the root did not issue is a configuration that cannot verify anything.
    expect(() => channelOf(gateway, { middleCertPem: gateway.signCertPem })).toThrow(
      'intermediate certificate was not issued by the root',
    );
  });

  it('tells a declined payment by its signed notification, and a busy gateway as unknown', async () => {
    const req = charge();
    await channel.createCharge(req);
    await gateway.decline(req.paymentId);
    expect(channel.verifyNotification({}, received.at(-1)!).state).toBe('PAYERROR');
    gateway.failNext('order');
    await expect(channel.createCharge(charge())).rejects.toMatchObject({
      code: 'gateway_unavailable',
    });
    gateway.failNext('order', { httpStatus: 502 });
    await expect(channel.createCharge(charge())).rejects.toMatchObject({
      code: 'gateway_unavailable',
    });
  });

  it('refunds (txnType 04) in parts up to what was paid, each part once by its id', async () => {
    const req = charge(1000);
    await channel.createCharge(req);
    await gateway.pay(req.paymentId);
    const queryId = channel.verifyNotification({}, received.at(-1)!).channelTxnId;
    const part = {
      paymentId: req.paymentId,
      paymentTotal: 1000,
      reason: 'test',
      channelTxnId: queryId,
    };
    expect(
      await channel.refund({ ...part, refundId: `refund${n}a0001`, amount: 400 }),
    ).toMatchObject({
      status: 'succeeded',
    });
    expect(
      (await channel.refund({ ...part, refundId: `refund${n}a0001`, amount: 400 })).status,
    ).toBe('succeeded');
    expect(
      (await channel.refund({ ...part, refundId: `refund${n}b0002`, amount: 600 })).status,
    ).toBe('succeeded');
    await expect(
      channel.refund({ ...part, refundId: `refund${n}c0003`, amount: 1 }),
    ).rejects.toMatchObject({ code: 'gateway_rejected', gatewayCode: '37' });
    expect(gateway.orders().find((o) => o.orderId === req.paymentId)?.refunded).toBe(1000);
  });
});
