// Online channels beside WeChat Pay, end to end through a real hub and each gateway's simulator:
// paid, declined, a forged notification refused, a replayed one credited once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, startTestHub, type TestHub } from './harness';

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
