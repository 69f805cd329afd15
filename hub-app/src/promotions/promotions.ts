// The owner's automatic promotions (O3): the only writer of `promotions`. Each change marks the
// store's profile for the cloud, which quotes with the same promotions. Decides nothing about a
// bill: the pure priceBill (shared-types pricing/discounts.ts) does.
import type { PromotionInputSchema } from '@roomhub/shared-types';
import {
  formatInstant,
  notFound,
  type Clock,
  type Promotion,
  type PromotionView,
} from '@roomhub/shared-types';
import type { z } from 'zod';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { Outbox } from '../sync/outbox';

interface PromotionRow {
  id: string;
  name: string;
  enabled: number;
  from_date: string;
  to_date: string;
  body: string;
  created_at: number;
  updated_at: number;
}

type PromotionInput = z.output<typeof PromotionInputSchema>;

export class Promotions {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly newId: NewId,
    private readonly outbox: Outbox,
    private readonly timeZone: () => string,
  ) {}

  /** Every promotion, newest first. */
  list(): PromotionView[] {
    const rows = this.db
      .prepare('SELECT * FROM promotions ORDER BY created_at DESC, id')
      .all() as PromotionRow[];
    return rows.map((r) => this.view(r));
  }

  get(id: string): PromotionView {
    const row = this.db.prepare('SELECT * FROM promotions WHERE id = ?').get(id) as
      PromotionRow | undefined;
    if (!row) throw notFound('promotion', id, 'id');
    return this.view(row);
  }

  /** The ones switched on: priceBill keeps those in force on the bill's date. */
  enabled(): Promotion[] {
    const rows = this.db
      .prepare('SELECT * FROM promotions WHERE enabled = 1 ORDER BY id')
      .all() as PromotionRow[];
    return rows.map((r) => promotionOf(r));
  }

  create(input: PromotionInput): PromotionView {
    this.assertItem(input);
    const id = this.newId();
    const now = this.clock.now();
    this.db
      .prepare(
        `INSERT INTO promotions (id, name, enabled, from_date, to_date, body, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, input.name, input.enabled ? 1 : 0, input.from, input.to, bodyOf(input), now, now);
    this.outbox.markStoreProfile();
    return this.get(id);
  }

  replace(id: string, input: PromotionInput): PromotionView {
    this.get(id);
    this.assertItem(input);
    this.db
      .prepare(
        `UPDATE promotions SET name = ?, enabled = ?, from_date = ?, to_date = ?, body = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        input.name,
        input.enabled ? 1 : 0,
        input.from,
        input.to,
        bodyOf(input),
        this.clock.now(),
        id,
      );
    this.outbox.markStoreProfile();
    return this.get(id);
  }

  /** The on/off switch. */
  switch(id: string, enabled: boolean): PromotionView {
    this.get(id);
    this.db
      .prepare('UPDATE promotions SET enabled = ?, updated_at = ? WHERE id = ?')
      .run(enabled ? 1 : 0, this.clock.now(), id);
    this.outbox.markStoreProfile();
    return this.get(id);
  }

  /** A bundle's tea set names an item on the menu: it is what the booking's order will bring. */
  private assertItem(input: PromotionInput): void {
    if (input.rule.kind !== 'bundle' || input.rule.item.itemId === undefined) return;
    const found = this.db
      .prepare('SELECT 1 FROM menu_items WHERE id = ?')
      .get(input.rule.item.itemId);
    if (!found) throw notFound('menu item', input.rule.item.itemId, 'rule.item.itemId');
  }

  private view(r: PromotionRow): PromotionView {
    const tz = this.timeZone();
    return {
      ...promotionOf(r),
      createdAt: formatInstant(r.created_at, tz),
      updatedAt: formatInstant(r.updated_at, tz),
    };
  }
}

const bodyOf = (p: PromotionInput) =>
  JSON.stringify({ rule: p.rule, scope: p.scope, stacking: p.stacking });

function promotionOf(r: PromotionRow): Promotion {
  const body = JSON.parse(r.body) as Pick<Promotion, 'rule' | 'scope' | 'stacking'>;
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled === 1,
    from: r.from_date,
    to: r.to_date,
    ...body,
  };
}
