// A member's discount on tea and snacks at the hub, without HTTP: a real SQLite file, a
// hand-driven clock. An order for a member's booking, at the counter or the kiosk, is priced less
// the level's percentage off items as a line of its own, rounded down to whole fen; a non-member's
// order, an order on its own and a level giving nothing off pay the menu's price. fast-check
// checks the total is never below zero nor above the menu's price, for any prices and percentage.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MemberLevelsPutSchema,
  MemberPatchSchema,
  MenuItemInputSchema,
  OrderCreateSchema,
  type Actor,
  type OrderView,
} from '@roomhub/shared-types';
import { ManualClock } from '../clock';
import { seedDemoStore } from '../demo/seed';
import { createHub, type Hub } from '../hub';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const cashier: Actor = { kind: 'staff', id: 's1', role: 'cashier' };
const kiosk: Actor = { kind: 'customer', id: 'kiosk:1', screen: { id: 'k1', kind: 'kiosk' } };
const MEMBER = '13800138000';
const STRANGER = '13900139000';

let hub: Hub;

beforeEach(async () => {
  hub = createHub({
    dataDir: mkdtempSync(join(tmpdir(), 'order-discounts-')),
    clock: new ManualClock(T0),
  });
  await seedDemoStore(hub);
});
afterEach(() => hub.close());

const w = <T>(fn: (ac: (f: () => void) => void) => T) => hub.writes.run(fn);

/** One level every member starts at, giving `itemPercentOff` off items; kept by id when changed. */
async function level(itemPercentOff: number, roomPercentOff = 0) {
  const id = hub.members.settingsView().levels[0]?.id;
  await w(() =>
    hub.members.putLevels(
      MemberLevelsPutSchema.parse({
        levels: [
          { ...(id ? { id } : {}), name: '金卡', threshold: 0, itemPercentOff, roomPercentOff },
        ],
      }),
      cashier,
    ),
  );
}

let nextRoom = 0;
beforeEach(() => {
  nextRoom = 0;
});
/** A booking paid in cash for `phone`: paying it makes the customer a member here. */
async function paidBooking(phone: string): Promise<string> {
  // Each in a room of its own, so no two meet across the store's cleaning buffer.
  const room = hub.store.listRooms()[nextRoom++]!.id;
  const b = await w((ac) =>
    hub.bookings.create(
      {
        roomId: room,
        start: '2026-11-23T11:00:00+08:00',
        end: '2026-11-23T12:00:00+08:00',
        partySize: 2,
        customer: { phone },
      },
      kiosk,
      ac,
    ),
  );
  await w((ac) => hub.payments.payCash(b.id, cashier, ac));
  return b.id;
}

async function menuItem(name: string, price: number) {
  const cat = await w(() => hub.menu.createCategory({ name: `茶饮${name}`, sort: 0 }));
  return w(() =>
    hub.menu.createItem(MenuItemInputSchema.parse({ categoryId: cat.id, name, price })),
  );
}

const order = (
  lines: { itemId: string; quantity: number }[],
  bookingId: string | null,
  actor: Actor = cashier,
): Promise<OrderView> =>
  w((ac) => hub.orders.place(OrderCreateSchema.parse({ bookingId, lines }), actor, ac));

const linesSum = (o: OrderView) => o.lines.reduce((s, l) => s + l.amount, 0);

describe('a member’s discount on tea and snacks', () => {
  it('takes the level’s 10% off a member’s order as its own line, and cash pays what is left', async () => {
    await level(10);
    const b = await paidBooking(MEMBER);
    const tea = await menuItem('龙井', 3800);
    const seeds = await menuItem('瓜子', 1250);
    const o = await order(
      [
        { itemId: tea.id, quantity: 2 },
        { itemId: seeds.id, quantity: 1 },
      ],
      b,
    );
    expect(linesSum(o)).toBe(8850);
    expect(o.discounts).toEqual([{ kind: 'member', name: '金卡', percentOff: 10, amount: -885 }]);
    expect(o.total).toBe(7965);
    expect(o.due).toBe(7965);
    const paid = await w((ac) => hub.orders.pay(o.id, { method: 'cash' }, cashier, ac));
    expect(paid).toMatchObject({ paid: 7965, due: 0 });
    // Read back as it was written, and never changed.
    expect(hub.orders.view(o.id).discounts).toEqual(o.discounts);
    expect(() => hub.db.prepare('UPDATE order_discounts SET amount = -1').run()).toThrow(
      /never changed/,
    );
  });

  it('rounds down to whole fen: the customer pays the fraction, never more off than the rule', async () => {
    await level(15);
    const b = await paidBooking(MEMBER);
    const tea = await menuItem('普洱', 999);
    const o = await order([{ itemId: tea.id, quantity: 1 }], b, { ...kiosk, proven: b });
    // 15% of 999 is 149.85 fen
    expect(o.discounts).toMatchObject([{ amount: -149 }]);
    expect(o.total).toBe(850);
  });

  it('gives a non-member, an order on its own and a level with nothing off the menu’s price', async () => {
    await level(10);
    const theirs = await paidBooking(MEMBER);
    // Paying made the stranger a member too; the manager takes the level away: no level, no price.
    const stranger = await paidBooking(STRANGER);
    await w(() =>
      hub.members.patch(
        STRANGER,
        MemberPatchSchema.parse({ levelId: null, reason: '不是本店会员' }),
        cashier,
      ),
    );
    const tea = await menuItem('龙井', 3800);
    const notMember = await order([{ itemId: tea.id, quantity: 1 }], stranger);
    expect(notMember).toMatchObject({ total: 3800, discounts: [] });
    const onItsOwn = await order([{ itemId: tea.id, quantity: 1 }], null);
    expect(onItsOwn).toMatchObject({ total: 3800, discounts: [] });
    await level(0, 20);
    const nothingOff = await order([{ itemId: tea.id, quantity: 1 }], theirs);
    expect(nothingOff).toMatchObject({ total: 3800, discounts: [] });
  });

  it('is never below zero nor above the menu’s price, for any prices and percentage (property)', async () => {
    await level(0);
    const b = await paidBooking(MEMBER);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            price: fc.integer({ min: 0, max: 1_000_000 }),
            quantity: fc.integer({ min: 1, max: 99 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.integer({ min: 0, max: 100 }),
        async (cart, percent) => {
          await level(percent);
          const items = await Promise.all(cart.map((c, i) => menuItem(`茶${i}`, c.price)));
          const o = await order(
            cart.map((c, i) => ({ itemId: items[i]!.id, quantity: c.quantity })),
            b,
          );
          const full = linesSum(o);
          expect(o.total).toBeGreaterThanOrEqual(0);
          expect(o.total).toBeLessThanOrEqual(full);
          expect(Number.isInteger(o.total)).toBe(true);
          expect(o.total).toBe(full - Math.floor((full * percent) / 100));
          expect(o.total - o.discounts.reduce((s, d) => s + d.amount, 0)).toBe(full);
          expect(o.discounts.length).toBe(full - o.total > 0 ? 1 : 0);
          if (o.total > 0) {
            const paid = await w((ac) => hub.orders.pay(o.id, { method: 'cash' }, cashier, ac));
            expect(paid.due).toBe(0);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
