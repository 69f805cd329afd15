// The member wallet's ledger: every movement of stored value, append-only (the schema's triggers
// refuse an edit, a delete, and any lot going below zero). The only writer of `wallet_moves` and
// `wallet_topups`. A wallet's money is kept in lots (one per top-up), each with a principal pot
// and a bonus pot; a balance is always this ledger's sum, never a stored number. Each movement has
// an id and is written once: the same id again changes nothing. Call it inside the write of what
// the movement explains. Decides nothing about who may spend: the wallet service does.
import {
  formatInstant,
  type Actor,
  type Clock,
  type LotShare,
  type WalletLot,
  type WalletMoveKind,
  type WalletMoveView,
  type WalletPots,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';

export interface TopUpRow {
  id: string;
  phone: string;
  package_id: string | null;
  principal: number;
  bonus: number;
  method: 'cash' | 'wechat' | 'alipay' | 'unionpay' | 'cloud' | 'moved';
  source: string | null;
  bonus_expires_at: number | null;
  at: number;
  /** Money brought from the owner's other store: that store. */
  moved_from: string | null;
}

export interface NewTopUp {
  id: string;
  phone: string;
  packageId: string | null;
  principal: number;
  bonus: number;
  method: TopUpRow['method'];
  source: string | null;
  bonusExpiresAt: number | null;
  actor: Actor;
  /** Money brought from the owner's other store (method `moved`): that store. */
  movedFrom?: string;
}

interface MoveRow {
  seq: number;
  id: string;
  phone: string;
  lot: string;
  pot: 'principal' | 'bonus';
  kind: WalletMoveKind;
  amount: number;
  ref: string | null;
  reason: string;
  actor_kind: Actor['kind'];
  actor_id: string;
  at: number;
}

export class WalletLedger {
  private moved: (phone: string) => void = () => undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Told, inside the write, of every wallet that moved: what the hub publishes follows it. */
  onMoved(fn: (phone: string) => void): void {
    this.moved = fn;
  }

  /** A top-up and its two movements; the same `source` again returns the first one. */
  topUp(t: NewTopUp): { topUp: TopUpRow; fresh: boolean } {
    if (t.source) {
      const known = this.db
        .prepare('SELECT * FROM wallet_topups WHERE source = ?')
        .get(t.source) as TopUpRow | undefined;
      if (known) return { topUp: known, fresh: false };
    }
    const now = this.clock.now();
    this.db
      .prepare(
        `INSERT INTO wallet_topups (id, phone, package_id, principal, bonus, method, source, bonus_expires_at, actor_kind, actor_id, at, moved_from)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        t.id,
        t.phone,
        t.packageId,
        t.principal,
        t.bonus,
        t.method,
        t.source,
        t.bonusExpiresAt,
        t.actor.kind,
        t.actor.id,
        now,
        t.movedFrom ?? null,
      );
    const shares: LotShare[] = [{ lot: t.id, pot: 'principal', amount: t.principal }];
    if (t.bonus > 0) shares.push({ lot: t.id, pot: 'bonus', amount: t.bonus });
    this.append(`topup:${t.id}`, t.phone, 'topup', shares, null, '', t.actor, 1);
    return { topUp: this.topUpRow(t.id)!, fresh: true };
  }

  /**
   * Appends one movement split over lots, each share signed by `sign`. Idempotent by `id`: a
   * movement already written is not written again (false).
   */
  append(
    id: string,
    phone: string,
    kind: WalletMoveKind,
    shares: readonly LotShare[],
    ref: string | null,
    reason: string,
    actor: Actor,
    sign: 1 | -1,
  ): boolean {
    if (this.has(id)) return false;
    const now = this.clock.now();
    const insert = this.db.prepare(
      `INSERT INTO wallet_moves (id, phone, lot, pot, kind, amount, ref, reason, actor_kind, actor_id, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // The movement's own id goes on its first share that moves money: `has(id)` finds it.
    shares
      .filter((s) => s.amount > 0)
      .forEach((s, i) => {
        insert.run(
          i === 0 ? id : `${id}#${i}`,
          phone,
          s.lot,
          s.pot,
          kind,
          sign * s.amount,
          ref,
          reason,
          actor.kind,
          actor.id,
          now,
        );
      });
    this.moved(phone);
    return true;
  }

  has(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM wallet_moves WHERE id = ?').get(id) !== undefined;
  }

  /** Every lot of a wallet with what is left in it. */
  lots(phone: string): WalletLot[] {
    return (
      this.db
        .prepare(
          `SELECT m.lot AS lot, m.pot AS pot, SUM(m.amount) AS left,
                  CASE WHEN m.pot = 'bonus' THEN t.bonus_expires_at END AS expiresAt, t.at AS at
             FROM wallet_moves m JOIN wallet_topups t ON t.id = m.lot
            WHERE m.phone = ? GROUP BY m.lot, m.pot`,
        )
        .all(phone) as WalletLot[]
    ).map((l) => ({ ...l, left: l.left }));
  }

  pots(phone: string): WalletPots {
    const r = this.db
      .prepare(
        `SELECT COALESCE(SUM(CASE WHEN pot = 'principal' THEN amount END), 0) AS principal,
                COALESCE(SUM(CASE WHEN pot = 'bonus' THEN amount END), 0) AS bonus
           FROM wallet_moves WHERE phone = ?`,
      )
      .get(phone) as WalletPots;
    return { principal: r.principal, bonus: r.bonus };
  }

  /** What a spend took from each lot, less what has come back of it since. */
  spentBy(ref: string): LotShare[] {
    return this.db
      .prepare(
        `SELECT lot, pot, -SUM(amount) AS amount FROM wallet_moves
          WHERE ref = ? AND kind IN ('spend','refund_in') GROUP BY lot, pot HAVING SUM(amount) < 0
          ORDER BY MIN(seq) DESC`,
      )
      .all(ref) as LotShare[];
  }

  /** Bonus lots past their expiry with something left, as of `now`. */
  expiredBonus(now: number): { phone: string; lot: string; left: number }[] {
    return this.db
      .prepare(
        `SELECT m.phone AS phone, m.lot AS lot, SUM(m.amount) AS left
           FROM wallet_moves m JOIN wallet_topups t ON t.id = m.lot
          WHERE m.pot = 'bonus' AND t.bonus_expires_at IS NOT NULL AND t.bonus_expires_at <= ?
          GROUP BY m.lot HAVING SUM(m.amount) > 0`,
      )
      .all(now) as { phone: string; lot: string; left: number }[];
  }

  /** The store's stored value owed to its customers, by pot, and how many wallets hold any. */
  owed(): { principal: number; bonus: number; wallets: number } {
    const r = this.db
      .prepare(
        `SELECT COALESCE(SUM(CASE WHEN pot = 'principal' THEN amount END), 0) AS principal,
                COALESCE(SUM(CASE WHEN pot = 'bonus' THEN amount END), 0) AS bonus,
                (SELECT COUNT(*) FROM (SELECT phone FROM wallet_moves GROUP BY phone HAVING SUM(amount) > 0)) AS wallets
           FROM wallet_moves`,
      )
      .get() as { principal: number; bonus: number; wallets: number };
    return r;
  }

  topUpRow(id: string): TopUpRow | undefined {
    return this.db.prepare('SELECT * FROM wallet_topups WHERE id = ?').get(id) as
      TopUpRow | undefined;
  }

  moves(phone: string, timeZone: string): WalletMoveView[] {
    const rows = this.db
      .prepare('SELECT * FROM wallet_moves WHERE phone = ? ORDER BY seq')
      .all(phone) as MoveRow[];
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      pot: r.pot,
      amount: r.amount,
      lot: r.lot,
      ref: r.ref,
      reason: r.reason,
      actor: { kind: r.actor_kind, id: r.actor_id },
      at: formatInstant(r.at, timeZone),
    }));
  }
}
