// What each line of a tea-and-snacks order was charged: the order's discounts (order_discounts,
// negative fen) split across its lines in proportion to their amounts, whole fen, the remainder
// going one fen at a time to the lines with the largest fractions (the first line on a tie), so
// the lines always sum to the order's total. The sales ranking and the owner's products table
// count revenue by it. Pure: reads and writes nothing.

/** Each line's amount less its share of `discount` (fen, zero or negative), in the lines' order. */
export function chargedLines(amounts: readonly number[], discount: number): number[] {
  const subtotal = amounts.reduce((s, a) => s + a, 0);
  const off = Math.min(-discount, subtotal);
  if (!(off > 0) || subtotal <= 0) return [...amounts];
  const shares = amounts.map((a, i) => {
    const exact = (off * a) / subtotal;
    return { i, whole: Math.floor(exact), fraction: exact - Math.floor(exact) };
  });
  let left = off - shares.reduce((s, x) => s + x.whole, 0);
  for (const x of [...shares].sort((a, b) => b.fraction - a.fraction || a.i - b.i)) {
    if (left === 0) break;
    x.whole += 1;
    left -= 1;
  }
  return amounts.map((a, i) => a - shares[i]!.whole);
}

/** A line of an order that stands, with its order's discounts summed (fen, zero or negative). */
export interface SoldLine {
  orderId: string;
  itemId: string;
  name: string;
  quantity: number;
  amount: number;
  discount: number;
}

/** Quantity and revenue after discounts per item, from lines grouped by order in their order. */
export function revenueByItem(
  lines: readonly SoldLine[],
): Map<string, { itemId: string; name: string; quantity: number; revenue: number }> {
  const byOrder = new Map<string, SoldLine[]>();
  for (const l of lines) {
    const of = byOrder.get(l.orderId) ?? [];
    of.push(l);
    byOrder.set(l.orderId, of);
  }
  const byItem = new Map<
    string,
    { itemId: string; name: string; quantity: number; revenue: number }
  >();
  for (const of of byOrder.values()) {
    const charged = chargedLines(
      of.map((l) => l.amount),
      of[0]!.discount,
    );
    of.forEach((l, i) => {
      const r = byItem.get(l.itemId) ?? { itemId: l.itemId, name: l.name, quantity: 0, revenue: 0 };
      // An item renamed meanwhile is named as SQL's MAX would: the same name whatever the order.
      if (l.name > r.name) r.name = l.name;
      r.quantity += l.quantity;
      r.revenue += charged[i]!;
      byItem.set(l.itemId, r);
    });
  }
  return byItem;
}
