// The owner's products table and the menu's sales ranking count what each line was charged: a
// member's order ranks with its discounted revenue, the discount split across its lines in
// proportion and rounded so the lines sum to the order's total, and the table's revenue equals
// what the tea orders' money ledger took in the range. A real SQLite file, a hand-driven clock.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MemberLevelsPutSchema,
  MenuItemInputSchema,
  OrderCreateSchema,
  StatsQuerySchema,
  type Actor,
} from '@roomhub/shared-types';
import { ManualClock } from '../clock';
import { seedDemoStore } from '../demo/seed';
import { createHub, type Hub } from '../hub';
import { chargedLines } from '../menu/line-revenue';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const cashier: Actor = { kind: 'staff', id: 's1', role: 'cashier' };
const kiosk: Actor = { kind: 'customer', id: 'kiosk:1', screen: { id: 'k1', kind: 'kiosk' } };

let hub: Hub;
beforeEach(async () => {
  hub = createHub({
    dataDir: mkdtempSync(join(tmpdir(), 'stats-products-')),
    clock: new ManualClock(T0),
  });
  await seedDemoStore(hub);
});
afterEach(() => hub.close());

const w = <T>(fn: (ac: (f: () => void) => void) => T) => hub.writes.run(fn);

async function menuItem(name: string, price: number) {
  const cat = await w(() => hub.menu.createCategory({ name: `茶饮${name}`, sort: 0 }));
  return w(() =>
    hub.menu.createItem(MenuItemInputSchema.parse({ categoryId: cat.id, name, price })),
  );
}

describe('revenue per product after discounts', () => {
  it('ranks a member’s order by what was charged and sums to the tea ledger of the range', async () => {
    const id = hub.members.settingsView().levels[0]?.id;
    await w(() =>
      hub.members.putLevels(
        MemberLevelsPutSchema.parse({
          levels: [
            {
              ...(id ? { id } : {}),
              name: '金卡',
              threshold: 0,
              itemPercentOff: 10,
              roomPercentOff: 0,
            },
          ],
        }),
        cashier,
      ),
    );
    const room = hub.store.listRooms()[0]!.id;
    const booking = await w((ac) =>
      hub.bookings.create(
        {
          roomId: room,
          start: '2026-11-23T11:00:00+08:00',
          end: '2026-11-23T12:00:00+08:00',
          partySize: 2,
          customer: { phone: '13800138000' },
        },
        kiosk,
        ac,
      ),
    );
    await w((ac) => hub.payments.payCash(booking.id, cashier, ac));
    const tea = await menuItem('龙井', 3333);
    const seeds = await menuItem('瓜子', 1250);
    const place = (bookingId: string | null, lines: { itemId: string; quantity: number }[]) =>
      w((ac) => hub.orders.place(OrderCreateSchema.parse({ bookingId, lines }), cashier, ac));
    // 2 x 33.33 + 12.50 = 79.16, 10% off is 7.91 (rounded down): in proportion 龙井 6.661167 and
    // 瓜子 1.24883, so 龙井 takes 6.66 and 瓜子, the larger fraction, 1.25: together 7.91.
    const member = await place(booking.id, [
      { itemId: tea.id, quantity: 2 },
      { itemId: seeds.id, quantity: 1 },
    ]);
    expect(member.total).toBe(7125);
    const walkIn = await place(null, [{ itemId: seeds.id, quantity: 2 }]);
    for (const o of [member, walkIn]) {
      await w((ac) => hub.orders.pay(o.id, { method: 'cash' }, cashier, ac));
    }
    // A cancelled order counts nowhere.
    const called = await place(null, [{ itemId: tea.id, quantity: 1 }]);
    await w((ac) => hub.orders.cancel(called.id, '点错了', cashier, ac));

    const products = hub.stats.all(StatsQuerySchema.parse({ range: 'today' })).products;
    expect(products).toEqual([
      { itemId: seeds.id, name: '瓜子', quantity: 3, revenue: 1250 - 125 + 2500 },
      { itemId: tea.id, name: '龙井', quantity: 2, revenue: 6666 - 666 },
    ]);
    const ledger = hub.db.prepare('SELECT SUM(amount) FROM order_money').pluck().get() as number;
    expect(products.reduce((s, p) => s + p.revenue, 0)).toBe(ledger);
    expect(ledger).toBe(7125 + 2500);

    const ranking = hub.orders.ranking({ from: '2026-11-23', to: '2026-11-23', by: 'revenue' });
    expect(ranking).toEqual([
      { itemId: tea.id, name: '龙井', quantity: 2, revenue: 6000 },
      { itemId: seeds.id, name: '瓜子', quantity: 3, revenue: 3625 },
    ]);
  });

  it('splits a discount so the lines sum to the order’s total exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 100 }),
        (amounts, percent) => {
          const subtotal = amounts.reduce((s, a) => s + a, 0);
          const off = Math.floor((subtotal * percent) / 100);
          const charged = chargedLines(amounts, -off);
          expect(charged.reduce((s, a) => s + a, 0)).toBe(subtotal - off);
          charged.forEach((c, i) => {
            expect(c).toBeGreaterThanOrEqual(0);
            expect(c).toBeLessThanOrEqual(amounts[i]!);
            // Within a fen of its exact share.
            expect(Math.abs(amounts[i]! - c - (off * amounts[i]!) / (subtotal || 1))).toBeLessThan(
              1,
            );
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
