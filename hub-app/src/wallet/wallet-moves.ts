// A wallet shared across the owner's stores (C11, H1; the rules in shared-types' shared-wallet.ts):
// each fen is kept at one store and spent only there, and money moves between stores only by the
// holding store writing it out. Before this store spends a shared wallet it holds too little of,
// it asks the cloud to bring the rest (and what the owner wants kept at hand) from the owner's
// other stores (`bringIn`); the cloud asks each holding store in turn with a `wallet_move`
// intent, which that store answers by writing the money out (`moveOut`). What arrives is written
// in here lot by lot, each bonus keeping its expiry, once per holding store's answer. A move the
// cloud could not finish while the cashier waited is asked again by a job until every holding
// store has answered, so money written out there is always written in here. Offline, this store
// spends only what it holds. Owns `wallet_transfers`; every movement goes through WalletLedger.
import {
  DomainError,
  formatInstant,
  parseInstant,
  splitSpend,
  toBringIn,
  type Actor,
  type LotShare,
  type MovedLot,
  type WalletMoveAnswer,
  type WalletMoveRequest,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { WriteQueue } from '../db/write-queue';
import { logger } from '../log';
import type { Scheduler } from '../scheduler/scheduler';
import type { WalletLedger } from './wallet-ledger';
import type { WalletService } from './wallet.service';

export const WALLET_MOVE_JOB = 'wallet.move-ask';

/** How soon a move the cloud did not finish is asked again (then backing off to 10 minutes). */
const ASK_AGAIN_MS = 10_000;
/** The most one move asks for (the move's own limit): more than any wallet holds. */
const MOST_ASKED = 10_000_000;
/** The most lots one answer gives up (what an answer document carries); the rest stays here. */
const MAX_LOTS = 150;

/**
 * The cloud's side (cloud-sync's `CloudWalletMoves`): the parts of the move the owner's other
 * stores answered so far; throws when the cloud cannot be reached.
 */
export interface WalletMoveClient {
  move(req: WalletMoveRequest): Promise<WalletMoveAnswer>;
}

export interface WalletMovesDeps {
  db: Db;
  newId: NewId;
  now: () => number;
  writes: WriteQueue;
  scheduler: Scheduler;
  ledger: WalletLedger;
  wallet: WalletService;
  client: () => WalletMoveClient | undefined;
  timeZone: () => string;
  /** Told, inside the write, that money of a wallet arrived here: its customer joins the store. */
  arrived?: (phone: string, actor: Actor) => void;
}

interface TransferRow {
  id: string;
  phone: string;
  amount: number;
  status: 'asking' | 'settled';
  brought: number;
  actor_kind: Actor['kind'];
  actor_id: string;
}

export class WalletMoves {
  constructor(private readonly d: WalletMovesDeps) {}

  register(): void {
    this.d.scheduler.on(WALLET_MOVE_JOB, async (job) => {
      const row = this.row(job.ref);
      if (!row || row.status === 'settled') {
        await this.d.writes.run(() => this.d.scheduler.done(WALLET_MOVE_JOB, job.ref));
        return;
      }
      const settled = await this.ask(row);
      // Not every holding store has answered: the scheduler asks again, backing off.
      if (!settled) throw new Error('a holding store has not answered the wallet move yet');
    });
  }

  /**
   * Before this store spends `need` fen of a shared wallet: brings what it lacks (and what the
   * owner wants kept at hand) from the owner's other stores, as far as they answer in time.
   * Nothing for a wallet of this store alone, one that holds enough here, or with no cloud; the
   * spend that follows refuses if the wallet is still short.
   */
  async bringIn(phone: string, need: number, actor: Actor): Promise<void> {
    const { mode, offlineAllowance } = this.d.wallet.settings();
    if (mode !== 'shared' || !this.d.client()) return;
    const amount = toBringIn(need, this.d.wallet.spendableTotal(phone), offlineAllowance);
    if (amount === 0) return;
    await this.request(phone, Math.min(amount, MOST_ASKED), actor);
  }

  /**
   * Before this store gives a shared wallet's principal back: brings all of the wallet the
   * owner's other stores hold, as far as they answer in time, so the customer is refunded here
   * what they paid at any of the stores. What a store offline still holds arrives later (the
   * move is asked again) and is refunded then. Nothing for a wallet of this store alone.
   */
  async bringAll(phone: string, actor: Actor): Promise<void> {
    if (this.d.wallet.settings().mode !== 'shared' || !this.d.client()) return;
    await this.request(phone, MOST_ASKED, actor);
  }

  private async request(phone: string, amount: number, actor: Actor): Promise<void> {
    const row = await this.d.writes.run(() => {
      const id = this.d.newId();
      const now = this.d.now();
      this.d.db
        .prepare(
          `INSERT INTO wallet_transfers (id, phone, amount, status, actor_kind, actor_id, created_at)
           VALUES (?, ?, ?, 'asking', ?, ?, ?)`,
        )
        .run(id, phone, amount, actor.kind, actor.id, now);
      // Asked again if the answer is lost with the line or the hub stops mid-way.
      this.d.scheduler.schedule(WALLET_MOVE_JOB, id, now + ASK_AGAIN_MS);
      return this.row(id)!;
    });
    await this.ask(row);
  }

  /** Asks the cloud for the move and writes in what has arrived; true once it is settled. */
  private async ask(row: TransferRow): Promise<boolean> {
    const client = this.d.client();
    if (!client) return false;
    let answer: WalletMoveAnswer;
    try {
      answer = await client.move({ moveId: row.id, phone: row.phone, amount: row.amount });
    } catch (e) {
      logger().warn(
        { moveId: row.id, err: e instanceof Error ? e.message : String(e) },
        'a shared wallet could not be brought from the owner’s other stores now: asked again later',
      );
      return false;
    }
    if (answer.moveId !== row.id) return false;
    return this.d.writes.run(() => this.settle(row, answer));
  }

  /** Writes in each part a holding store gave up, once by its intent. Runs inside a write. */
  private settle(row: TransferRow, answer: WalletMoveAnswer): boolean {
    const actor: Actor = { kind: row.actor_kind, id: row.actor_id };
    let brought = 0;
    for (const part of answer.parts) {
      if (part.state !== 'done') continue;
      part.lots.forEach((l, i) => {
        if (l.principal + l.bonus <= 0) return;
        brought += l.principal + l.bonus;
        this.d.ledger.topUp({
          id: this.d.newId(),
          phone: row.phone,
          packageId: null,
          principal: l.principal,
          bonus: l.bonus,
          method: 'moved',
          source: `wmove:${part.intentId}:${i}`,
          bonusExpiresAt: l.bonusExpiresAt === null ? null : parseInstant(l.bonusExpiresAt),
          actor,
          movedFrom: part.fromStoreId,
        });
      });
    }
    if (brought > 0) this.d.arrived?.(row.phone, actor);
    const now = this.d.now();
    this.d.db
      .prepare(
        `UPDATE wallet_transfers SET brought = ?, status = ?, settled_at = ? WHERE id = ? AND status = 'asking'`,
      )
      .run(brought, answer.settled ? 'settled' : 'asking', answer.settled ? now : null, row.id);
    if (answer.settled) this.d.scheduler.done(WALLET_MOVE_JOB, row.id);
    // The bonus of a lot that arrived already past its time expires here at once.
    this.d.wallet.expireFor(row.phone);
    return answer.settled;
  }

  /**
   * Another store of the owner asks for up to `amount` fen of this wallet (a `wallet_move`
   * intent): written out of this store's lots, the bonus first, and answered with the lots given
   * up. Refused when this store keeps its wallets to itself or holds none of it. Inside a write.
   */
  moveOut(intentId: string, phone: string, amount: number, toStoreId: string): MovedLot[] {
    if (this.d.wallet.settings().mode !== 'shared') {
      throw new DomainError(
        'conflict',
        'wallet_not_shared',
        'this store keeps its wallets to itself: its wallets are spent here only',
      );
    }
    this.d.wallet.expireFor(phone);
    const lots = this.d.wallet.spendableLots(phone);
    const held = lots.reduce((s, l) => s + l.left, 0);
    const take = Math.min(amount, held);
    if (take <= 0) {
      throw new DomainError(
        'conflict',
        'wallet_empty_here',
        'this store holds none of this wallet',
      );
    }
    const shares = atMostLots(splitSpend(lots, take)!, MAX_LOTS);
    const ref = moveRef(intentId);
    this.d.ledger.append(
      ref,
      phone,
      'move_out',
      shares,
      ref,
      `moved to store ${toStoreId}`,
      { kind: 'system', id: `wallet-move:${toStoreId}` },
      -1,
    );
    return this.lotsOf(shares);
  }

  /** What a move this store answered gave up (its answer told again). */
  movedOutBy(intentId: string): MovedLot[] {
    const shares = this.d.db
      .prepare(
        `SELECT lot, pot, -SUM(amount) AS amount FROM wallet_moves
          WHERE ref = ? AND kind = 'move_out' GROUP BY lot, pot ORDER BY MIN(seq)`,
      )
      .all(moveRef(intentId)) as LotShare[];
    return this.lotsOf(shares);
  }

  /** Shares grouped into lots, each bonus with the expiry its top-up gave it. */
  private lotsOf(shares: readonly LotShare[]): MovedLot[] {
    const byLot = new Map<string, MovedLot>();
    for (const s of shares) {
      let lot = byLot.get(s.lot);
      if (!lot) {
        const top = this.d.ledger.topUpRow(s.lot);
        const expires = top?.bonus_expires_at ?? null;
        lot = {
          principal: 0,
          bonus: 0,
          bonusExpiresAt: expires === null ? null : formatInstant(expires, this.d.timeZone()),
        };
        byLot.set(s.lot, lot);
      }
      if (s.pot === 'principal') lot.principal += s.amount;
      else lot.bonus += s.amount;
    }
    return [...byLot.values()].map((l) => (l.bonus > 0 ? l : { ...l, bonusExpiresAt: null }));
  }

  private row(id: string): TransferRow | undefined {
    return this.d.db.prepare('SELECT * FROM wallet_transfers WHERE id = ?').get(id) as
      TransferRow | undefined;
  }
}

const moveRef = (intentId: string) => `wmove:${intentId}`;

/** The shares of the first `max` lots only: one answer carries no more (the rest stays here). */
function atMostLots(shares: readonly LotShare[], max: number): LotShare[] {
  const lots = new Set<string>();
  const out: LotShare[] = [];
  for (const s of shares) {
    if (!lots.has(s.lot) && lots.size >= max) continue;
    lots.add(s.lot);
    out.push(s);
  }
  return out;
}
