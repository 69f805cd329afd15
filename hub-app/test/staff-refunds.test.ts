// Money given back by staff, in full or in part, more than once, each part through the channel it
// came by and each a ledger entry with who did it; never more than was paid.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, at, startTestHub, type TestHub } from './harness';

let h: TestHub;
let rooms: string[];
let n = 0;

beforeAll(async () => {
  h = await startTestHub();
  rooms = await h.roomIds();
});
afterAll(async () => {
  await h.close();
});

/** A fresh booking in a slot nobody else took. */
const book = async () => {
  const i = n++;
  const r = await h.api('POST', '/api/bookings', {
    roomId: rooms[i % 4]!,
    start: at('14:00', Math.floor(i / 4)),
    end: at('16:00', Math.floor(i / 4)),
    partySize: 2,
    customer: { phone: `1380013${String(1000 + i)}` },
  });
  expect(r.body).toMatchObject({ status: 'pending_payment' });
  return r.body as { id: string; total: number };
};

const refund = (id: string, amount: number, who = as('cashier')) =>
  h.api('POST', `/api/bookings/${id}/refunds`, { amount, reason: '空调坏了' }, who);

describe('refunds by staff', () => {
  it('gives back part of an Alipay payment twice through Alipay, then refuses more than is left', async () => {
    const b = await book();
    const p = (await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'alipay' })).body;
    await h.alipay!.pay(p.id);

    const first = await refund(b.id, 1000);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject([
      { amount: 1000, method: 'alipay', purpose: 'staff', reason: '空调坏了' },
    ]);
    expect((await refund(b.id, 500, as('manager'))).status).toBe(201);
    await h.runJobs();
    const over = await refund(b.id, b.total - 1500 + 1);
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'refund_exceeds_paid', field: 'amount' });

    const trade = h.alipay!.trades().find((t) => t.outTradeNo === p.id)!;
    expect(trade.refunded).toBe(1500);
    const d = (await h.api('GET', `/api/bookings/${b.id}`)).body;
    expect(d.status).toBe('paid');
    const outs = d.ledger.filter((e: { kind: string }) => e.kind === 'refund');
    expect(outs.map((e: { amount: number }) => e.amount)).toEqual([-1000, -500]);
    expect(outs.every((e: { actor: { kind: string } }) => e.actor.kind === 'system')).toBe(true);
    expect(d.refunds.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'succeeded']);

    // The rest in full, then nothing is left.
    expect((await refund(b.id, b.total - 1500)).status).toBe(201);
    await h.runJobs();
    expect((await refund(b.id, 1)).body.error.code).toBe('nothing_to_refund');
  });

  it('hands cash back at once, recorded with the member of staff who did it', async () => {
    const b = await book();
    await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'cash' }, as('cashier'));
    const r = await refund(b.id, 700);
    expect(r.body[0]).toMatchObject({ method: 'cash', status: 'succeeded', amount: 700 });
    const d = (await h.api('GET', `/api/bookings/${b.id}`)).body;
    expect(d.ledger.at(-1)).toMatchObject({
      kind: 'refund',
      amount: -700,
      actor: { kind: 'staff', id: await h.staffId('cashier') },
    });
    expect((await refund(b.id, 100, as('cleaner'))).status).toBe(403);
  });

  it('never gives back more than was paid, whatever parts staff ask for', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 6 }),
        async (asks) => {
          const b = await book();
          await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'cash' }, as('cashier'));
          let left = b.total;
          for (const amount of asks) {
            const r = await refund(b.id, amount);
            if (amount <= left) {
              expect(r.status).toBe(201);
              left -= amount;
            } else {
              expect(r.status).toBe(left === 0 ? 409 : 422);
            }
          }
          const d = (await h.api('GET', `/api/bookings/${b.id}`)).body;
          // 0 - sum, not -sum: nothing given back is 0, not -0.
          const back =
            0 -
            d.ledger
              .filter((e: { kind: string }) => e.kind === 'refund')
              .reduce((s: number, e: { amount: number }) => s + e.amount, 0);
          expect(back).toBe(b.total - left);
          expect(back).toBeLessThanOrEqual(b.total);
          expect(d.paid).toBe(left);
        },
      ),
      { numRuns: 25 },
    );
  });
});
