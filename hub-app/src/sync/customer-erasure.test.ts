// A customer who deleted their account with the platform: the store, told by the cloud's signed
// `customer_erasure` intent, erases their phone and name on its bookings, their booking events and
// their member record, keeps every ledger sum as it was, audits it, and answers the same when the
// intent is handed over again. Another customer's records are untouched.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customerIdForPhone, IntentDocSchema, intentDocId } from '@roomhub/shared-types';
import { answerIntent } from './intents';
import { at, CUSTOMER_ID_KEY, startTestHub, STAFF, type TestHub } from '../../test/harness';

const PHONE = '13800138000';
const OTHER = '13900139000';
const ID = customerIdForPhone(PHONE, CUSTOMER_ID_KEY);

let h: TestHub;
beforeEach(async () => {
  h = await startTestHub();
});
afterEach(async () => {
  await h.close();
});

function intent(customerId: string, kind: string, body: Record<string, unknown>) {
  const intentId = randomUUID();
  return IntentDocSchema.parse({
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId: h.hub.store.getStore().id,
    customerId,
    createdAt: new Date(h.clock.now()).toISOString(),
    kind,
    body,
  });
}

async function bookOnline(phone: string, start: string, end: string): Promise<string> {
  const [roomId] = await h.roomIds();
  const quote = await h.api('POST', '/api/quotes', { roomId, start, end });
  const answer = await answerIntent(
    h.hub,
    intent(customerIdForPhone(phone, CUSTOMER_ID_KEY), 'booking_request', {
      booking: {
        roomId,
        start,
        end,
        partySize: 2,
        customer: { phone, name: phone === PHONE ? '张三' : '李四' },
      },
      payment: { paymentId: `pay-${randomUUID()}`, method: 'wechat', amount: quote.body.total },
    }),
    CUSTOMER_ID_KEY,
  );
  expect(answer.outcome).toBe('confirmed');
  return answer.bookingId!;
}

const count = (sql: string, ...args: unknown[]) =>
  h.hub.db
    .prepare(sql)
    .pluck()
    .get(...args) as number;
const ledgerSum = () => count('SELECT COALESCE(SUM(amount), 0) FROM ledger');

describe('a customer erased at the cloud’s request', () => {
  it('loses their phone and name on bookings and members; the ledger sums stay', async () => {
    const mine = await bookOnline(PHONE, at('11:00'), at('12:00'));
    // a refund request of theirs leaves their phone as the actor of a booking event
    expect(
      await answerIntent(
        h.hub,
        intent(ID, 'refund_request', { bookingId: mine, reason: '行程有变' }),
        CUSTOMER_ID_KEY,
      ),
    ).toMatchObject({ outcome: 'done' });
    await bookOnline(PHONE, at('14:00'), at('15:00'));
    const theirs = await bookOnline(OTHER, at('16:00'), at('17:00'));
    expect(
      await answerIntent(h.hub, intent(ID, 'member_join', { phone: PHONE, name: '张三' })),
    ).toEqual({ outcome: 'done' });
    // a pot of tea the counter sold them at their member price
    const cat = await h.api('POST', '/api/menu/categories', { name: '茶饮' }, STAFF);
    const tea = await h.api(
      'POST',
      '/api/menu/items',
      { categoryId: cat.body.id, name: '龙井', price: 3800 },
      STAFF,
    );
    const order = await h.api(
      'POST',
      '/api/orders',
      { lines: [{ itemId: tea.body.id, quantity: 1 }], memberPhone: PHONE },
      STAFF,
    );
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    expect(count('SELECT COUNT(*) FROM orders WHERE member_phone = ?', PHONE)).toBe(1);
    const sumBefore = ledgerSum();
    expect(sumBefore).toBeGreaterThan(0);
    expect(count('SELECT COUNT(*) FROM bookings WHERE customer_phone = ?', PHONE)).toBe(2);
    expect(count('SELECT COUNT(*) FROM booking_events WHERE actor_id = ?', PHONE)).toBeGreaterThan(
      0,
    );

    const erase = intent(ID, 'customer_erasure', { customerIds: [ID] });
    expect(await answerIntent(h.hub, erase, CUSTOMER_ID_KEY)).toEqual({ outcome: 'done' });

    const spelled = `%${PHONE}%`;
    expect(count('SELECT COUNT(*) FROM bookings WHERE customer_phone LIKE ?', spelled)).toBe(0);
    expect(count("SELECT COUNT(*) FROM bookings WHERE customer_name = '张三'")).toBe(0);
    expect(count('SELECT COUNT(*) FROM booking_events WHERE actor_id LIKE ?', spelled)).toBe(0);
    expect(count('SELECT COUNT(*) FROM members WHERE phone LIKE ?', spelled)).toBe(0);
    expect(count("SELECT COUNT(*) FROM members WHERE name = '张三'")).toBe(0);
    expect(count('SELECT COUNT(*) FROM orders WHERE member_phone LIKE ?', spelled)).toBe(0);
    // the store's accounts stay as they were, the bookings with them
    expect(ledgerSum()).toBe(sumBefore);
    expect(count('SELECT COUNT(*) FROM bookings')).toBe(3);
    // the other customer is untouched
    expect(h.hub.records.find(theirs)?.customer_phone).toBe(OTHER);
    expect(count('SELECT COUNT(*) FROM members WHERE phone = ?', OTHER)).toBe(1);
    // staff see the erasure in the audit log
    const audit = await h.api('GET', '/api/audit?action=customer.erase', undefined, STAFF);
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).toContain('"bookings":2');
    // handed over again: the first answer, nothing done twice
    expect(await answerIntent(h.hub, erase, CUSTOMER_ID_KEY)).toEqual({ outcome: 'done' });
    expect(count("SELECT COUNT(*) FROM audit_log WHERE action = 'customer.erase'")).toBe(1);
  });
});
