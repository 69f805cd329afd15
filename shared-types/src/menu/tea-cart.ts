// A cart of tea and snacks priced from the menu a store published (C8), the same way the store's
// hub prices an order (hub-app/src/menu/menu.ts `priceLine`): the item's price plus the delta of
// the choice taken in each spec, the default where none was chosen. The phone shows these lines
// and the cloud holds this total; the hub prices the order again and refuses it if it differs. A
// member's level takes its percentage off the items as a line of its own (`orderDiscounts`), at
// the counter, the kiosk and on the phone alike. Pure: no I/O.
import type { OrderDiscountView } from '../api/menu';
import { DomainError, notFound } from '../errors';
import { memberItemOff, type MemberDiscount } from '../members/member-perks';
import type { MenuDoc } from '../sync/documents';

export type MenuDocItem = MenuDoc['categories'][number]['items'][number];

export interface TeaCartLineInput {
  itemId: string;
  quantity: number;
  specs: Record<string, string>;
}

export interface TeaCartLine {
  itemId: string;
  name: string;
  /** The choices taken, in the item's order of specs. */
  specs: { spec: string; choice: string; priceDelta: number }[];
  unitPrice: number;
  quantity: number;
  amount: number;
}

/** Every item of the menu by id. */
export function menuItems(menu: Pick<MenuDoc, 'categories'>): Map<string, MenuDocItem> {
  return new Map(menu.categories.flatMap((c) => c.items.map((i) => [i.itemId, i] as const)));
}

/**
 * Prices each line of a cart from the menu, less the member's discount on items when `member`
 * names the customer's level; refuses, naming the line's field, an item not on the
 * menu, one sold out, an unknown spec or choice and a spec left open with no default.
 */
export function priceTeaCart(
  menu: Pick<MenuDoc, 'categories'>,
  lines: readonly TeaCartLineInput[],
  member: MemberDiscount | null = null,
): { lines: TeaCartLine[]; discounts: OrderDiscountView[]; total: number } {
  const items = menuItems(menu);
  const priced = lines.map((line, i) => {
    const field = `lines.${i}`;
    const item = items.get(line.itemId);
    if (!item) {
      throw notFound('menu_item', line.itemId, `${field}.itemId`);
    }
    if (!item.available) {
      throw new DomainError(
        'conflict',
        'item_sold_out',
        `${item.name} is sold out today`,
        `${field}.itemId`,
      ).with({ name: item.name });
    }
    for (const name of Object.keys(line.specs)) {
      if (!item.specs.some((g) => g.name === name)) {
        throw new DomainError(
          'invalid',
          'spec_unknown',
          `${item.name} has no spec called ${name}`,
          `${field}.specs`,
        ).with({ name: item.name, spec: name });
      }
    }
    const specs = item.specs.map((g) => {
      const chosen = line.specs[g.name] ?? g.defaultChoice;
      if (chosen === null || chosen === undefined) {
        throw new DomainError(
          'invalid',
          'spec_choice_needed',
          `choose the ${g.name} of ${item.name}`,
          `${field}.specs.${g.name}`,
        ).with({ name: item.name, spec: g.name });
      }
      const choice = g.choices.find((c) => c.name === chosen);
      if (!choice) {
        throw new DomainError(
          'invalid',
          'spec_choice_unknown',
          `${item.name} has no ${g.name} "${chosen}": choose one of ${g.choices.map((c) => c.name).join(', ')}`,
          `${field}.specs.${g.name}`,
        ).with({ name: item.name, spec: g.name, choice: chosen });
      }
      return { spec: g.name, choice: choice.name, priceDelta: choice.priceDelta };
    });
    const unitPrice = Math.max(0, item.price + specs.reduce((s, c) => s + c.priceDelta, 0));
    return {
      itemId: item.itemId,
      name: item.name,
      specs,
      unitPrice,
      quantity: line.quantity,
      amount: unitPrice * line.quantity,
    };
  });
  const subtotal = priced.reduce((s, l) => s + l.amount, 0);
  const discounts = orderDiscounts(subtotal, member);
  return {
    lines: priced,
    discounts,
    total: subtotal + discounts.reduce((s, d) => s + d.amount, 0),
  };
}

/**
 * The discount lines of an order of items costing `subtotal` fen for a customer of `member`'s
 * level: its percentage off items (memberItemOff), none when it takes nothing off.
 */
export function orderDiscounts(
  subtotal: number,
  member: MemberDiscount | null | undefined,
): OrderDiscountView[] {
  if (!member) return [];
  const off = memberItemOff(subtotal, member.itemPercentOff);
  return off > 0
    ? [{ kind: 'member', name: member.level, percentOff: member.itemPercentOff, amount: -off }]
    : [];
}
