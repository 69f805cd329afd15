// Tea and snacks without HTTP: a real SQLite file, a hand-driven clock. Concurrent orders, cash
// and refunds go through the write queue as the routes send them, and fast-check checks that the
// stock is always its ledger's sum and never below zero, that no order is paid more than its total
// and that no refund gives back more than was paid.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MenuItemInputSchema,
  OrderCreateSchema,
  type Actor,
  type HubEvent,
} from '@roomhub/shared-types';
import { ManualClock } from '../clock';
import { seedDemoStore } from '../demo/seed';
import { createHub, type Hub } from '../hub';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const cashier: Actor = { kind: 'staff', id: 's1', role: 'cashier' };
const kiosk: Actor = { kind: 'customer', id: 'kiosk:1', screen: { id: 'k1', kind: 'kiosk' } };

let hub: Hub;
let clock: ManualClock;
let events: HubEvent[];

beforeEach(async () => {
  clock = new ManualClock(T0);
  hub = createHub({ dataDir: mkdtempSync(join(tmpdir(), 'menu-svc-')), clock });
  await seedDemoStore(hub);
  events = [];
  hub.events.subscribe((e) => events.push(e));
});
afterEach(() => hub.close());

const w = <T>(fn: (ac: (f: () => void) => void) => T) => hub.writes.run(fn);

async function setUp() {
  const cat = await w(() => hub.menu.createCategory({ name: '茶饮', sort: 0 }));
  const tea = await w(() =>
    hub.menu.createItem(
      MenuItemInputSchema.parse({
        categoryId: cat.id,
        name: '龙井',
        price: 3800,
        specs: [
          {
            name: '杯型',
            kind: 'size',
            choices: [{ name: '中杯' }, { name: '大杯', priceDelta: 800 }],
            defaultChoice: '中杯',
          },
          { name: '温度', kind: 'temperature', choices: [{ name: '热' }, { name: '冰' }] },
        ],
      }),
    ),
  );
  const seeds = await w(() =>
    hub.menu.createItem(
      MenuItemInputSchema.parse({
        categoryId: cat.id,
        name: '瓜子',
        price: 1200,
        stockTracked: true,
        lowStockAt: 3,
      }),
    ),
  );
  return { tea, seeds };
}

const order = (lines: unknown[], bookingId: string | null = null, actor: Actor = cashier) =>
  w((ac) => hub.orders.place(OrderCreateSchema.parse({ bookingId, lines }), actor, ac));

describe('an order', () => {
  it('is priced from the menu with the specs chosen, whatever the client says', async () => {
    const { tea } = await setUp();
    const o = await order([{ itemId: tea.id, quantity: 2, specs: { 杯型: '大杯', 温度: '冰' } }]);
    expect(o.total).toBe(2 * (3800 + 800));
    expect(o.lines[0]!.specs).toEqual([
      { spec: '杯型', choice: '大杯', priceDelta: 800 },
      { spec: '温度', choice: '冰', priceDelta: 0 },
    ]);
    expect(o.number).toBe('001');
    expect(events.at(-1)).toMatchObject({ type: 'order.status', orderId: o.id, status: 'placed' });
  });

  it('refuses a spec left open with no default, and a choice the item has not got', async () => {
    const { tea } = await setUp();
    await expect(order([{ itemId: tea.id, quantity: 1 }])).rejects.toMatchObject({
      code: 'spec_choice_needed',
      field: 'lines.0.specs.温度',
    });
    await expect(
      order([{ itemId: tea.id, quantity: 1, specs: { 温度: '温' } }]),
    ).rejects.toMatchObject({ code: 'spec_choice_unknown' });
  });

  it('refuses an item switched sold out, and one whose stock has run out', async () => {
    const { tea, seeds } = await setUp();
    await w(() => hub.menu.patchItem(tea.id, { soldOut: true }));
    await expect(
      order([{ itemId: tea.id, quantity: 1, specs: { 温度: '热' } }]),
    ).rejects.toMatchObject({
      code: 'item_sold_out',
    });
    await expect(order([{ itemId: seeds.id, quantity: 1 }])).rejects.toMatchObject({
      code: 'out_of_stock',
      field: 'lines.0.quantity',
    });
    expect(hub.db.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 0 });
  });

  it('goes to a room only from the kiosk holding its booking, never on its own', async () => {
    const { seeds } = await setUp();
    await w((ac) =>
      hub.stock.append(
        {
          itemId: seeds.id,
          kind: 'received',
          quantity: 5,
          orderId: null,
          reason: '',
          actor: cashier,
        },
        ac,
      ),
    );
    await expect(order([{ itemId: seeds.id, quantity: 1 }], null, kiosk)).rejects.toMatchObject({
      code: 'order_needs_booking',
    });
  });

  it('takes cash up to its total, gives back up to what was paid, and says who and why', async () => {
    const { tea } = await setUp();
    const o = await order([{ itemId: tea.id, quantity: 1, specs: { 温度: '热' } }]);
    await expect(
      w((ac) => hub.orders.pay(o.id, { method: 'cash', amount: 5000 }, cashier, ac)),
    ).rejects.toMatchObject({ code: 'order_overpaid', field: 'amount' });
    await expect(
      w((ac) => hub.orders.pay(o.id, { method: 'cash' }, kiosk, ac)),
    ).rejects.toMatchObject({ code: 'cash_needs_staff' });
    const paid = await w((ac) => hub.orders.pay(o.id, { method: 'cash' }, cashier, ac));
    expect(paid).toMatchObject({ paid: 3800, due: 0 });
    await expect(
      w((ac) => hub.orders.refund(o.id, { reason: '太凉' }, cashier, ac)),
    ).rejects.toMatchObject({ code: 'order_not_now' });
    await w((ac) => hub.orders.prepare(o.id, cashier, ac));
    await w((ac) => hub.orders.deliver(o.id, cashier, ac));
    const half = await w((ac) =>
      hub.orders.refund(o.id, { amount: 1900, reason: '泡得太淡' }, cashier, ac),
    );
    expect(half).toMatchObject({ status: 'delivered', refunded: 1900 });
    await expect(
      w((ac) => hub.orders.refund(o.id, { amount: 2000, reason: 'x' }, cashier, ac)),
    ).rejects.toMatchObject({ code: 'refund_over_paid', field: 'amount' });
    const all = await w((ac) => hub.orders.refund(o.id, { reason: '客人不满意' }, cashier, ac));
    expect(all).toMatchObject({ status: 'refunded', paid: 3800, refunded: 3800, due: 0 });
    expect(all.money.map((m) => [m.kind, m.amount, m.reason])).toEqual([
      ['payment', 3800, null],
      ['refund', -1900, '泡得太淡'],
      ['refund', -1900, '客人不满意'],
    ]);
    expect(() => hub.db.prepare('DELETE FROM order_money').run()).toThrow(/append-only/);
  });

  it('cancelled, gives its cash back and puts its items back on the shelf', async () => {
    const { seeds } = await setUp();
    await w((ac) =>
      hub.stock.append(
        {
          itemId: seeds.id,
          kind: 'received',
          quantity: 5,
          orderId: null,
          reason: '',
          actor: cashier,
        },
        ac,
      ),
    );
    const o = await order([{ itemId: seeds.id, quantity: 2 }]);
    await w((ac) => hub.orders.pay(o.id, { method: 'cash' }, cashier, ac));
    expect(hub.stock.balance(seeds.id)).toBe(3);
    const c = await w((ac) => hub.orders.cancel(o.id, '客人走了', cashier, ac));
    expect(c).toMatchObject({ status: 'cancelled', paid: 2400, refunded: 2400, due: 0 });
    expect(hub.stock.balance(seeds.id)).toBe(5);
  });
});

describe('stock', () => {
  it('is the ledger: received, sold, wasted, counted, and tells the screens once it falls low', async () => {
    const { seeds } = await setUp();
    const move = (kind: 'received' | 'wasted' | 'counted', quantity: number) =>
      w((ac) =>
        hub.stock.append(
          { itemId: seeds.id, kind, quantity, orderId: null, reason: 'x', actor: cashier },
          ac,
        ),
      );
    await move('received', 10);
    await order([{ itemId: seeds.id, quantity: 6 }]);
    expect(events.filter((e) => e.type === 'stock.low')).toEqual([]);
    await move('wasted', -1);
    expect(events.filter((e) => e.type === 'stock.low')).toMatchObject([
      { balance: 3, lowStockAt: 3 },
    ]);
    await order([{ itemId: seeds.id, quantity: 1 }]);
    expect(events.filter((e) => e.type === 'stock.low')).toHaveLength(1);
    const counted = await move('counted', 7);
    expect(counted).toMatchObject({ kind: 'counted', quantity: 5, balance: 7 });
    await move('wasted', -5);
    expect(events.filter((e) => e.type === 'stock.low')).toHaveLength(2);
    await expect(move('wasted', -3)).rejects.toMatchObject({ code: 'out_of_stock' });
    expect(hub.stock.movesOf(seeds.id).map((m) => m.kind)).toEqual([
      'received',
      'sold',
      'wasted',
      'sold',
      'counted',
      'wasted',
    ]);
    expect(() => hub.db.prepare('UPDATE stock_moves SET quantity = 100').run()).toThrow(
      /append-only/,
    );
  });

  it('ranks sales by quantity and by revenue, cancelled orders left out', async () => {
    const { tea, seeds } = await setUp();
    await w((ac) =>
      hub.stock.append(
        {
          itemId: seeds.id,
          kind: 'received',
          quantity: 20,
          orderId: null,
          reason: '',
          actor: cashier,
        },
        ac,
      ),
    );
    await order([{ itemId: seeds.id, quantity: 5 }]);
    await order([{ itemId: tea.id, quantity: 2, specs: { 温度: '热' } }]);
    const gone = await order([{ itemId: tea.id, quantity: 9, specs: { 温度: '热' } }]);
    await w((ac) => hub.orders.cancel(gone.id, '点错了', cashier, ac));
    const q = { from: '2026-11-23', to: '2026-11-23' };
    expect(hub.orders.ranking({ ...q, by: 'quantity' }).map((r) => [r.name, r.quantity])).toEqual([
      ['瓜子', 5],
      ['龙井', 2],
    ]);
    expect(hub.orders.ranking({ ...q, by: 'revenue' }).map((r) => [r.name, r.revenue])).toEqual([
      ['龙井', 7600],
      ['瓜子', 6000],
    ]);
  });
});

describe('under concurrent operations (property)', () => {
  it('stock equals its ledger and stays at or above zero; paid never over total; refunds never over paid', async () => {
    const { seeds } = await setUp();
    type Op =
      | { op: 'receive'; n: number }
      | { op: 'waste'; n: number }
      | { op: 'count'; n: number }
      | { op: 'order'; n: number }
      | { op: 'pay'; i: number; amount: number }
      | { op: 'refund'; i: number; amount: number }
      | { op: 'deliver'; i: number }
      | { op: 'cancel'; i: number };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constant('receive' as const), n: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ op: fc.constant('waste' as const), n: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ op: fc.constant('count' as const), n: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ op: fc.constant('order' as const), n: fc.integer({ min: 1, max: 4 }) }),
      fc.record({
        op: fc.constant('pay' as const),
        i: fc.nat(9),
        amount: fc.integer({ min: 1, max: 6000 }),
      }),
      fc.record({
        op: fc.constant('refund' as const),
        i: fc.nat(9),
        amount: fc.integer({ min: 1, max: 6000 }),
      }),
      fc.record({ op: fc.constant('deliver' as const), i: fc.nat(9) }),
      fc.record({ op: fc.constant('cancel' as const), i: fc.nat(9) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArb, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }),
        async (rounds) => {
          const ids: string[] = [];
          for (const round of rounds) {
            // each round's operations arrive together, as from several screens at once
            await Promise.allSettled(
              round.map((o) => {
                const id = 'i' in o ? ids[o.i % Math.max(ids.length, 1)] : undefined;
                switch (o.op) {
                  case 'receive':
                  case 'waste':
                  case 'count':
                    return w((ac) =>
                      hub.stock.append(
                        {
                          itemId: seeds.id,
                          kind:
                            o.op === 'receive'
                              ? 'received'
                              : o.op === 'waste'
                                ? 'wasted'
                                : 'counted',
                          quantity: o.op === 'waste' ? -o.n : o.n,
                          orderId: null,
                          reason: '',
                          actor: cashier,
                        },
                        ac,
                      ),
                    );
                  case 'order':
                    return order([{ itemId: seeds.id, quantity: o.n }]).then((v) => ids.push(v.id));
                  case 'pay':
                    return id
                      ? w((ac) =>
                          hub.orders.pay(id, { method: 'cash', amount: o.amount }, cashier, ac),
                        )
                      : null;
                  case 'refund':
                    return id
                      ? w((ac) =>
                          hub.orders.refund(id, { amount: o.amount, reason: 'r' }, cashier, ac),
                        )
                      : null;
                  case 'deliver':
                    return id ? w((ac) => hub.orders.deliver(id, cashier, ac)) : null;
                  case 'cancel':
                    return id ? w((ac) => hub.orders.cancel(id, 'c', cashier, ac)) : null;
                }
              }),
            );
            const moves = hub.stock.movesOf(seeds.id);
            const sum = moves.reduce((s, m) => s + m.quantity, 0);
            expect(hub.stock.balance(seeds.id)).toBe(sum);
            expect(moves.every((m) => m.balance >= 0)).toBe(true);
            // what left the shelf for orders is exactly what the standing orders hold
            const held = hub.orders
              .list({})
              .filter((o) => o.status !== 'cancelled')
              .reduce((s, o) => s + o.lines[0]!.quantity, 0);
            expect(0 - moves.filter((m) => m.orderId).reduce((s, m) => s + m.quantity, 0)).toBe(
              held,
            );
            for (const o of hub.orders.list({})) {
              expect(o.paid).toBeLessThanOrEqual(o.total);
              expect(o.refunded).toBeLessThanOrEqual(o.paid);
              expect(o.paid).toBe(
                o.money.filter((m) => m.kind === 'payment').reduce((s, m) => s + m.amount, 0),
              );
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
