// Online channels beside WeChat Pay, end to end through a real hub and each gateway's simulator:
// paid, declined, a forged notification refused, a replayed one credited once, and a payment that
// comes too late (the booking's hold ran out meanwhile) given back through Alipay, or refused by
// UnionPay's gateway, whose order times out with the hold.
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

const detail = async (id: string) => (await h.api('GET', `/api/bookings/${id}`)).body;

describe('Alipay', () => {
  it('is paid through a QR order and its signed notification, once though it is sent twice', async () => {
    const b = await book();
    const start = await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'alipay' });
    expect(start.status).toBe(201);
    expect(start.body).toMatchObject({ method: 'alipay', status: 'pending' });
    expect(start.body.qrPayload).toMatch(/^https:\/\/qr\.alipay\.com\//);
    const again = await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'alipay' });
    expect(again.body.id).toBe(start.body.id);

    await h.alipay!.pay(start.body.id);
    await h.alipay!.resend(start.body.id);
    const d = await detail(b.id);
    expect(d.status).toBe('paid');
    expect(d.ledger).toHaveLength(1);
    expect(d.ledger[0]).toMatchObject({ method: 'alipay', amount: b.total });
    expect(h.alipay!.deliveries().every((x) => x.acknowledged)).toBe(true);
  });

  it('leaves the booking due when the payer declines', async () => {
    const b = await book();
    const p = (await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'alipay' })).body;
    await h.alipay!.decline(p.id);
    const d = await detail(b.id);
    expect(d.status).toBe('pending_payment');
    expect(d.ledger).toHaveLength(0);
    expect(d.payments[0]).toMatchObject({ id: p.id, status: 'closed' });
  });

  it('refuses a forged or altered notification', async () => {
    const b = await book();
    const p = (await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'alipay' })).body;
    const forged = new URLSearchParams({
      app_id: h.alipay!.appId,
      out_trade_no: p.id,
      trade_no: '2026112322000000000001',
      trade_status: 'TRADE_SUCCESS',
      total_amount: (b.total / 100).toFixed(2),
      gmt_payment: '2026-11-23 12:00:00',
      notify_time: '2026-11-23 12:00:00',
      sign_type: 'RSA2',
      sign: Buffer.from('forged').toString('base64'),
    }).toString();
    const r = await fetch(`${h.url}/api/payments/notify/alipay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: forged,
    });
    expect(r.status).toBe(422);
    expect(((await r.json()) as { error: unknown }).error).toEqual({
      code: 'bad_signature',
      message: 'invalid signature',
    });
    expect((await detail(b.id)).status).toBe('pending_payment');
  });
});

describe('UnionPay', () => {
  it('is paid through a QR order and its signed back-notification, once though it is sent twice', async () => {
    const b = await book();
    const start = await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'unionpay' });
    expect(start.status).toBe(201);
    expect(start.body).toMatchObject({ method: 'unionpay', status: 'pending' });
    expect(start.body.qrPayload).toMatch(/^https:\/\/qr\.95516\.com\//);

    await h.unionpay!.pay(start.body.id);
    await h.unionpay!.resend(start.body.id);
    const d = await detail(b.id);
    expect(d.status).toBe('paid');
    expect(d.ledger).toHaveLength(1);
    expect(d.ledger[0]).toMatchObject({ method: 'unionpay', amount: b.total });
    expect(h.unionpay!.deliveries().map((x) => x.status)).toEqual([200, 200]);
  });

  it('leaves the booking due when the bank declines', async () => {
    const b = await book();
    const p = (await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'unionpay' })).body;
    await h.unionpay!.decline(p.id);
    const d = await detail(b.id);
    expect(d.status).toBe('pending_payment');
    expect(d.ledger).toHaveLength(0);
    expect(d.payments[0]).toMatchObject({ id: p.id, status: 'closed' });
  });

  it('refuses a forged notification', async () => {
    const b = await book();
    const p = (await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'unionpay' })).body;
    const forged = new URLSearchParams({
      version: '5.1.0',
      encoding: 'UTF-8',
      signMethod: '01',
      certId: h.unionpay!.gatewayCertId,
      merId: h.unionpay!.merId,
      orderId: p.id,
      txnType: '01',
      txnAmt: String(b.total),
      queryId: '202611231200000000001',
      respCode: '00',
      signature: Buffer.from('forged').toString('base64'),
    }).toString();
    const r = await fetch(`${h.url}/api/payments/notify/unionpay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: forged,
    });
    expect(r.status).toBe(422);
    expect(((await r.json()) as { error: unknown }).error).toEqual({
      code: 'bad_signature',
      message: 'invalid signature',
    });
    expect((await detail(b.id)).status).toBe('pending_payment');
  });

  it('gives money back through UnionPay when staff refund part of it', async () => {
    const b = await book();
    const p = (await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'unionpay' })).body;
    await h.unionpay!.pay(p.id);
    const r = await h.api(
      'POST',
      `/api/bookings/${b.id}/refunds`,
      { amount: 1000, reason: '空调坏了' },
      as('cashier'),
    );
    expect(r.status).toBe(201);
    await h.runJobs();
    const d = await detail(b.id);
    expect(d.refunds).toMatchObject([{ method: 'unionpay', amount: 1000, status: 'succeeded' }]);
    expect(d.ledger.map((l: { amount: number }) => l.amount)).toEqual([b.total, -1000]);
    expect(h.unionpay!.orders().find((o) => o.orderId === p.id)?.refunded).toBe(1000);
  });
});

describe('a payment that comes after the hold ran out', () => {
  it('is given back through Alipay in full, once though Alipay tells it twice', async () => {
    const b = await book();
    const p = (await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'alipay' })).body;
    h.clock.advance(16 * 60_000);
    await h.runJobs();
    expect((await detail(b.id)).status).toBe('cancelled');
    await h.alipay!.pay(p.id);
    await h.runJobs(); // the refund job
    await h.alipay!.resend(p.id);
    await h.runJobs();
    const d = await detail(b.id);
    expect(d.status).toBe('cancelled');
    expect(d.ledger.map((l: { kind: string; amount: number }) => [l.kind, l.amount])).toEqual([
      ['payment', b.total],
      ['refund', -b.total],
    ]);
    expect(d.refunds).toMatchObject([
      { purpose: 'late_payment', method: 'alipay', status: 'succeeded' },
    ]);
    expect(d.refunds).toHaveLength(1);
    expect(d.paid).toBe(0);
    expect(h.alipay!.trades().find((t) => t.outTradeNo === p.id)?.refunded).toBe(b.total);
  });

  it('cannot happen through UnionPay: its order times out with the hold, and nothing is taken', async () => {
    const b = await book();
    const p = (await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'unionpay' })).body;
    h.clock.advance(16 * 60_000);
    await h.runJobs();
    await expect(h.unionpay!.pay(p.id)).rejects.toThrow(/timed out/);
    await h.runJobs();
    const d = await detail(b.id);
    expect(d.status).toBe('cancelled');
    expect(d.ledger).toEqual([]);
    expect(h.unionpay!.orders().find((o) => o.orderId === p.id)?.state).toBe('waiting');
  });
});
