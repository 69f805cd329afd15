// Tea and snacks ordered from the customer's phone (C8), through a real hub, the cloud service and
// CouchDB replication behind a TCP proxy the test can cut: the store's menu reaches the cloud with
// its specs, prices and what is sold out; a customer with a booking orders a cart, paid online;
// the store places the order through its own menu and stock (the counted item taken off the shelf
// as a ledger entry), the cloud takes the money, and the counter's queue has it; the customer sees
// it made and delivered. An item the cloud already shows sold out is refused before any money is
// held; one that sells out while the store is cut off is refused by the store in words once the
// line is back, and the money goes back. Tea paid on the phone and given back at the counter (in
// part, then the rest, or called off) goes back through the cloud that took it, once per refund,
// even when the line was cut as the cashier gave it; a refund the cloud's records do not bear out
// is never paid. A member's tea is charged at their level's price, as the store prices it.
// Fuzzed bodies on the new routes never get a 5xx.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { orderDocId, OrderDocSchema, storeDbName } from '@roomhub/shared-types';
import { at, STAFF, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud } from './fixtures';

let running: Awaited<ReturnType<typeof startStoreAndCloud>> | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

const PHONE = '13800000815';

/** A store with a menu (a tea with two pot sizes, seeds counted with one on the shelf), a customer booked online. */
async function storeWithMenuAndBooking() {
  running = await startStoreAndCloud('tea-online', { intentWaitMs: 1_500, answerWaitMs: 5_000 });
  const { hub, cloud, api, signIn } = running;
  const storeId = hub.hub.store.getStore().id;
  const [roomId] = await hub.roomIds();
  const teas = await hub.api('POST', '/api/menu/categories', { name: '茶饮', sort: 0 }, STAFF);
  const snacks = await hub.api('POST', '/api/menu/categories', { name: '小食', sort: 1 }, STAFF);
  const tea = await hub.api(
    'POST',
    '/api/menu/items',
    {
      categoryId: teas.body.id,
      name: '茉莉花茶',
      price: 3800,
      description: '福州茉莉，一壶可续水',
      specs: [
        {
          name: '壶型',
          kind: 'size',
          choices: [
            { name: '小壶', priceDelta: 0 },
            { name: '大壶', priceDelta: 1000 },
          ],
          defaultChoice: '小壶',
        },
      ],
    },
    STAFF,
  );
  expect(tea.status, JSON.stringify(tea.body)).toBe(201);
  const seeds = await hub.api(
    'POST',
    '/api/menu/items',
    { categoryId: snacks.body.id, name: '瓜子', price: 1200, stockTracked: true },
    STAFF,
  );
  expect(seeds.status, JSON.stringify(seeds.body)).toBe(201);
  const received = await hub.api(
    'POST',
    `/api/stock/${seeds.body.id}`,
    { kind: 'received', quantity: 1 },
    STAFF,
  );
  expect(received.status, JSON.stringify(received.body)).toBe(201);
  const token = await signIn(PHONE);
  const booking = await until('the store known and the room booked online', async () => {
    await cloud.cloud.follower.followNow();
    const r = await api(
      'POST',
      '/api/bookings',
      { storeId, roomId, start: at('10:30'), end: at('12:00'), partySize: 2 },
      token,
    );
    return r.status === 201 ? r.body : undefined;
  });
  return {
    ...running,
    storeId,
    token,
    bookingId: booking.bookingId as string,
    teaId: tea.body.id as string,
    seedsId: seeds.body.id as string,
  };
}

describe('tea and snacks from the phone', () => {
  it('places the order at the store, takes the money once, and shows the store’s status', async () => {
    const { hub, api, payments, proxy, cloud, storeId, token, bookingId, teaId, seedsId } =
      await storeWithMenuAndBooking();
    // The menu as the phone reads it, signed out too: specs, prices, and the seeds in stock.
    const menu = await until('the menu in the cloud', async () => {
      const r = await api('GET', `/api/stores/${storeId}/menu`);
      return r.body.categories?.length === 2 ? r.body : undefined;
    });
    expect(menu.categories.map((c: { name: string }) => c.name)).toEqual(['茶饮', '小食']);
    expect(menu.categories[0].items[0]).toMatchObject({
      itemId: teaId,
      name: '茉莉花茶',
      price: 3800,
      available: true,
      specs: [{ name: '壶型', defaultChoice: '小壶' }],
    });
    expect(menu.categories[1].items[0]).toMatchObject({ itemId: seedsId, available: true });
    // What is on the shelf is the owner's to read, not the customer's.
    const seeds = menu.categories[1].items[0];
    expect([seeds.stock, seeds.lowStockAt, seeds.soldOut]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);

    // Two large pots and the seeds: 2 x 48.00 + 12.00, held, placed by the store, taken.
    const order = (body: unknown, key: string) =>
      fetch(`${cloud.url}/api/stores/${storeId}/tea-orders`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any })); // eslint-disable-line @typescript-eslint/no-explicit-any
    const cart = {
      bookingId,
      lines: [
        { itemId: teaId, quantity: 2, specs: { 壶型: '大壶' } },
        { itemId: seedsId, quantity: 1 },
      ],
      note: '少放点冰糖',
    };
    const placed = await order(cart, 'tea-key-1');
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body).toMatchObject({ kind: 'tea_order', state: 'confirmed', bookingId });
    const orderId = placed.body.orderId as string;
    expect(payments.payments.get(`pay-${placed.body.intentId}`)).toMatchObject({
      state: 'captured',
      amount: 10800,
    });
    // At the counter: the order in the queue, for the booking's room, paid by WeChat Pay.
    const queue = (await hub.api('GET', '/api/orders', undefined, STAFF)).body as {
      id: string;
      status: string;
      total: number;
      paid: number;
      due: number;
      note: string;
      roomId: string | null;
      lines: { name: string; quantity: number; amount: number }[];
      money: { method: string; amount: number }[];
    }[];
    const counter = queue.find((o) => o.id === orderId)!;
    expect(counter).toMatchObject({
      status: 'placed',
      total: 10800,
      paid: 10800,
      due: 0,
      note: '少放点冰糖',
      roomId: hub.hub.records.get(bookingId).room_id,
    });
    expect(counter.lines.map((l) => [l.name, l.quantity, l.amount])).toEqual([
      ['茉莉花茶', 2, 9600],
      ['瓜子', 1, 1200],
    ]);
    expect(counter.money).toEqual([expect.objectContaining({ method: 'wechat', amount: 10800 })]);
    // The seeds left the shelf as a ledger entry: none left.
    const stock = (await hub.api('GET', `/api/stock/${seedsId}`, undefined, STAFF)).body;
    expect(JSON.stringify(stock)).toContain('"sold"');
    expect(hub.hub.stock.balance(seedsId)).toBe(0);

    // The same tap again is the same order: nothing more placed or taken.
    const again = await order(cart, 'tea-key-1');
    expect(again.body.intentId).toBe(placed.body.intentId);
    expect((await hub.api('GET', '/api/orders', undefined, STAFF)).body).toHaveLength(1);

    // The phone's menu now says the seeds are sold out, and an order of them is refused at once,
    // before anything is held.
    await until('the seeds sold out online', async () => {
      const r = await api('GET', `/api/stores/${storeId}/menu`);
      return r.body.categories[1].items[0].available === false ? true : undefined;
    });
    const soldOut = await order(
      { bookingId, lines: [{ itemId: seedsId, quantity: 1 }] },
      'tea-key-2',
    );
    expect(soldOut.status).toBe(409);
    expect(soldOut.body.error).toMatchObject({ code: 'item_sold_out', field: 'lines.0.itemId' });

    // The counter makes it and brings it: the phone sees each step.
    await hub.api('POST', `/api/orders/${orderId}/prepare`, {}, STAFF);
    await until('made, on the phone', async () => {
      const r = await api('GET', `/api/me/tea-orders?bookingId=${bookingId}`, undefined, token);
      return r.body.orders?.[0]?.order?.status === 'prepared' ? true : undefined;
    });
    await hub.api('POST', `/api/orders/${orderId}/deliver`, {}, STAFF);
    const mine = await until('delivered, on the phone', async () => {
      const r = await api('GET', `/api/me/tea-orders?bookingId=${bookingId}`, undefined, token);
      return r.body.orders?.[0]?.order?.status === 'delivered' ? r.body : undefined;
    });
    expect(mine.orders[0]).toMatchObject({
      state: 'confirmed',
      amount: 10800,
      payment: 'captured',
      order: { orderId, totals: { amount: 10800, paid: 10800, refunded: 0 } },
    });

    // Cut off, the store sells its last pot of tea at the counter (the owner counts it in and
    // out); the phone's order waits, and once the line is back the store refuses it in words and
    // the money goes back.
    await hub.api('PATCH', `/api/menu/items/${teaId}`, { stockTracked: true }, STAFF);
    await until('the tea counted, sold out online', async () => {
      const r = await api('GET', `/api/stores/${storeId}/menu`);
      return r.body.categories[0].items[0].available === false ? true : undefined;
    });
    await hub.api('POST', `/api/stock/${teaId}`, { kind: 'received', quantity: 1 }, STAFF);
    await until('one pot in stock online', async () => {
      const r = await api('GET', `/api/stores/${storeId}/menu`);
      return r.body.categories[0].items[0].available === true ? true : undefined;
    });
    proxy.cut();
    const sold = await hub.api(
      'POST',
      '/api/orders',
      { lines: [{ itemId: teaId, quantity: 1 }] },
      STAFF,
    );
    expect(sold.status, JSON.stringify(sold.body)).toBe(201);
    const waiting = await order(
      { bookingId, lines: [{ itemId: teaId, quantity: 1 }] },
      'tea-key-3',
    );
    expect(waiting.status, JSON.stringify(waiting.body)).toBe(202);
    expect(payments.payments.get(`pay-${waiting.body.intentId}`)?.state).toBe('authorised');
    proxy.heal();
    const refused = await until('the store refused the sold-out tea', async () => {
      const r = await api('GET', `/api/intents/${waiting.body.intentId}`, undefined, token);
      return r.body.state !== 'waiting' ? r.body : undefined;
    });
    expect(refused).toMatchObject({ state: 'rejected' });
    expect(refused.reason).toBe('茉莉花茶 is sold out');
    await until('the money given back', async () => {
      await cloud.sweepNow();
      return payments.payments.get(`pay-${waiting.body.intentId}`)?.state === 'released'
        ? true
        : undefined;
    });
    // Nothing of the refused order stands at the store: the two orders, the shelf at zero.
    expect((await hub.api('GET', '/api/orders', undefined, STAFF)).body).toHaveLength(2);
    expect(hub.hub.stock.balance(teaId)).toBe(0);
  }, 120_000);

  it('gives tea paid on the phone back at the counter through the cloud, once per refund', async () => {
    const { hub, api, payments, proxy, cloud, storeId, token, bookingId, teaId, seedsId } =
      await storeWithMenuAndBooking();
    await until('the menu in the cloud', async () => {
      const r = await api('GET', `/api/stores/${storeId}/menu`);
      return r.body.categories?.length === 2 ? true : undefined;
    });
    // A small pot and the seeds, 38.00 + 12.00, paid on the phone.
    const placed = await api(
      'POST',
      `/api/stores/${storeId}/tea-orders`,
      {
        bookingId,
        lines: [
          { itemId: teaId, quantity: 1 },
          { itemId: seedsId, quantity: 1 },
        ],
      },
      token,
    );
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const orderId = placed.body.orderId as string;
    const paymentId = `pay-${placed.body.intentId}`;
    expect(payments.payments.get(paymentId)).toMatchObject({ state: 'captured', amount: 5000 });
    const refundsOf = () =>
      [...payments.refunds.values()].filter((r) => r.paymentId === paymentId).map((r) => r.amount);

    // The seeds were damp: the cashier gives their 12.00 back while the line to the cloud is cut.
    // The store records it at once; the money waits for the line.
    await hub.api('POST', `/api/orders/${orderId}/deliver`, {}, STAFF);
    proxy.cut();
    const part = await hub.api(
      'POST',
      `/api/orders/${orderId}/refund`,
      { amount: 1200, reason: '瓜子受潮' },
      STAFF,
    );
    expect(part.status, JSON.stringify(part.body)).toBe(200);
    expect(part.body).toMatchObject({ status: 'delivered', paid: 5000, refunded: 1200 });
    expect(part.body.money.at(-1)).toMatchObject({
      kind: 'refund',
      method: 'wechat',
      amount: -1200,
      reason: '瓜子受潮',
      actor: { kind: 'staff' },
    });
    await cloud.cloud.follower.followNow();
    expect(refundsOf()).toEqual([]);
    proxy.heal();
    await until('the 12.00 paid back by the cloud', async () => {
      await cloud.cloud.follower.followNow();
      return refundsOf().length === 1 ? true : undefined;
    });
    expect(refundsOf()).toEqual([1200]);

    // Then the rest, all of it: the order is refunded, and the cloud pays back the 38.00.
    const rest = await hub.api(
      'POST',
      `/api/orders/${orderId}/refund`,
      { reason: '客人不满意' },
      STAFF,
    );
    expect(rest.status, JSON.stringify(rest.body)).toBe(200);
    expect(rest.body).toMatchObject({ status: 'refunded', refunded: 5000 });
    await until('the 38.00 paid back too', async () => {
      await cloud.cloud.follower.followNow();
      return refundsOf().length === 2 ? true : undefined;
    });
    expect(refundsOf()).toEqual([1200, 3800]);
    // Nothing more is owed back: the store refuses a third refund in words.
    const third = await hub.api(
      'POST',
      `/api/orders/${orderId}/refund`,
      { amount: 100, reason: '再退' },
      STAFF,
    );
    expect(third.status).toBe(409);

    // The phone says so.
    const mine = await until('refunded, on the phone', async () => {
      const r = await api('GET', `/api/me/tea-orders?bookingId=${bookingId}`, undefined, token);
      return r.body.orders?.[0]?.order?.status === 'refunded' ? r.body : undefined;
    });
    expect(mine.orders[0].order.totals).toEqual({ amount: 5000, paid: 5000, refunded: 5000 });

    // Read again and again (another pass, a second instance), each refund is paid once.
    const doc = OrderDocSchema.parse(
      await cloud.cloud.couch.get(storeDbName(storeId), orderDocId(orderId)),
    );
    await cloud.cloud.follower.followNow();
    expect(await cloud.cloud.refunds.payOrder(doc)).toBe(0);
    expect(refundsOf()).toEqual([1200, 3800]);
    // A refund entry the cloud's records do not bear out is never paid: one more than was
    // captured, or one naming another booking than the order was placed for.
    const refund = doc.money.find((m) => m.kind === 'refund')!;
    const more = { ...refund, entryId: '999999', amount: -500 };
    expect(await cloud.cloud.refunds.payOrder({ ...doc, money: [...doc.money, more] })).toBe(0);
    const elsewhere = { ...refund, entryId: '999998' };
    expect(
      await cloud.cloud.refunds.payOrder({
        ...doc,
        bookingId: 'another-booking',
        money: [elsewhere],
      }),
    ).toBe(0);
    expect(refundsOf()).toEqual([1200, 3800]);

    // Another pot, called off at the counter before it is made: its 38.00 goes back the same way.
    const second = await api(
      'POST',
      `/api/stores/${storeId}/tea-orders`,
      { bookingId, lines: [{ itemId: teaId, quantity: 1 }] },
      token,
    );
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const secondPayment = `pay-${second.body.intentId}`;
    const cancelled = await hub.api(
      'POST',
      `/api/orders/${second.body.orderId}/cancel`,
      { reason: '茶叶用完了' },
      STAFF,
    );
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', refunded: 3800 });
    await until('the called-off pot paid back', async () => {
      await cloud.cloud.follower.followNow();
      return [...payments.refunds.values()].some((r) => r.paymentId === secondPayment)
        ? true
        : undefined;
    });
    expect(
      [...payments.refunds.values()].filter((r) => r.paymentId === secondPayment),
    ).toMatchObject([{ amount: 3800 }]);

    // At the store: each refund is an entry of the order's ledger, and each is in the audit log
    // as the staff member's.
    const audit = await hub.api('GET', '/api/audit', undefined, STAFF);
    const refunds = (audit.body as { action: string; target: string; outcome: string }[]).filter(
      (e) => e.action === 'POST /api/orders/:id/refund' && e.target === orderId,
    );
    expect(refunds.map((e) => e.outcome).sort()).toEqual(['done', 'done', 'refused']);
  }, 120_000);

  it('charges a member’s tea on the phone at their level’s price, as the store prices it', async () => {
    const { hub, api, payments, cloud, storeId, token, bookingId, teaId } =
      await storeWithMenuAndBooking();
    // Every member is at 金卡 now, with 10% off items; the customer booked online is one.
    const levels = await hub.api(
      'PUT',
      '/api/member-levels',
      { levels: [{ name: '金卡', threshold: 0, itemPercentOff: 10 }] },
      STAFF,
    );
    expect(levels.status, JSON.stringify(levels.body)).toBe(200);
    await until('the level in the cloud', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', '/api/me/memberships', undefined, token);
      return r.body.memberships?.[0]?.level?.name === '金卡' ? true : undefined;
    });
    await until('the menu in the cloud', async () => {
      const r = await api('GET', `/api/stores/${storeId}/menu`);
      return r.body.categories?.length === 2 ? true : undefined;
    });
    // A large pot, 48.00, less 10%: 43.20 held and taken, confirmed by the store, not refused as
    // a changed price.
    const placed = await api(
      'POST',
      `/api/stores/${storeId}/tea-orders`,
      { bookingId, lines: [{ itemId: teaId, quantity: 1, specs: { 壶型: '大壶' } }] },
      token,
    );
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body).toMatchObject({ state: 'confirmed' });
    expect(payments.payments.get(`pay-${placed.body.intentId}`)).toMatchObject({
      state: 'captured',
      amount: 4320,
    });
    const orderId = placed.body.orderId as string;
    const counter = (await hub.api('GET', `/api/orders/${orderId}`, undefined, STAFF)).body;
    expect(counter).toMatchObject({
      total: 4320,
      paid: 4320,
      due: 0,
      discounts: [{ kind: 'member', name: '金卡', percentOff: 10, amount: -480 }],
    });
    // The phone's order shows the store's line too.
    const mine = await until('the order on the phone', async () => {
      const r = await api('GET', `/api/me/tea-orders?bookingId=${bookingId}`, undefined, token);
      return r.body.orders?.[0]?.order ? r.body : undefined;
    });
    expect(mine.orders[0]).toMatchObject({
      amount: 4320,
      order: {
        orderId,
        discounts: [{ name: '金卡', amount: -480 }],
        totals: { amount: 4320, paid: 4320 },
      },
    });
  }, 120_000);

  it('refuses a booking not the customer’s, and never answers a fuzzed body with a 5xx', async () => {
    const { hub, api, signIn, storeId, bookingId, teaId, token } = await storeWithMenuAndBooking();
    await until('the menu in the cloud', async () => {
      const r = await api('GET', `/api/stores/${storeId}/menu`);
      return r.body.categories?.length === 2 ? true : undefined;
    });
    // Another customer cannot order to this booking's room: it is not theirs to name.
    const other = await signIn('13800000816');
    const notTheirs = await api(
      'POST',
      `/api/stores/${storeId}/tea-orders`,
      { bookingId, lines: [{ itemId: teaId, quantity: 1 }] },
      other,
    );
    expect(notTheirs).toMatchObject({
      status: 404,
      body: { error: { code: 'booking_not_found', field: 'bookingId' } },
    });
    // Bad specs are named by their field.
    const badSpec = await api(
      'POST',
      `/api/stores/${storeId}/tea-orders`,
      { bookingId, lines: [{ itemId: teaId, quantity: 1, specs: { 壶型: '超大壶' } }] },
      token,
    );
    expect(badSpec).toMatchObject({
      status: 422,
      body: { error: { code: 'spec_choice_unknown', field: 'lines.0.specs.壶型' } },
    });
    const line = fc.record(
      {
        itemId: fc.oneof(fc.constant(teaId), fc.string(), fc.integer()),
        quantity: fc.oneof(fc.integer({ min: -3, max: 120 }), fc.double(), fc.string()),
        specs: fc.oneof(
          fc.constant({ 壶型: '大壶' }),
          fc.dictionary(fc.string(), fc.string()),
          fc.string(),
        ),
      },
      { requiredKeys: [] },
    );
    const anyJson = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          bookingId: fc.oneof(fc.constant(bookingId), fc.string(), fc.constant(null)),
          lines: fc.oneof(fc.array(line, { maxLength: 32 }), fc.string()),
          note: fc.oneof(fc.string({ maxLength: 300 }), fc.integer()),
        },
        { requiredKeys: [] },
      ),
    );
    const targets = [`/api/stores/${storeId}/tea-orders`, '/api/stores/nowhere/tea-orders'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), anyJson, async (url, body) => {
        const res = await api('POST', url, body, token);
        expect(res.status, `${url} ${JSON.stringify(body)}`).toBeLessThan(500);
        if (res.status >= 400 && res.status !== 409) {
          expect(res.body.error.code).toEqual(expect.any(String));
        }
      }),
      { numRuns: 80 },
    );
    for (const q of ['bookingId=', 'x=1']) {
      expect((await api('GET', `/api/me/tea-orders?${q}`, undefined, token)).status).toBe(400);
    }
    expect((await api('GET', '/api/stores/nowhere/menu')).status).toBeGreaterThanOrEqual(400);
    expect((await api('GET', '/api/stores/nowhere/menu')).status).toBeLessThan(500);
    // Whatever was sent, every order the store holds is a whole one, paid in full.
    const orders = (await hub.api('GET', '/api/orders', undefined, STAFF)).body as {
      total: number;
      paid: number;
    }[];
    for (const o of orders) expect(o.paid).toBe(o.total);
  }, 180_000);
});
