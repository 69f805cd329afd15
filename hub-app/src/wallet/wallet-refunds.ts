// The unused principal of a wallet given back (the prepaid-card rules stores are held to): all of
// it or a part, in cash over the counter or each top-up's share the way it came (a channel refund
// sent by a job, retried until the gateway answers), the bonus that came with it taken back first
// and never below zero. A share the gateway refuses comes back into the wallet with the bonus
// taken back for it. Owns `wallet_refunds`; every movement goes through `WalletLedger`.
import {
  bonusTakenBack,
  DomainError,
  formatInstant,
  potsOf,
  takeFromLots,
  type Actor,
  type Clock,
  type WalletView,
} from '@roomhub/shared-types';
import type { z } from 'zod';
import type { WalletRefundSchema } from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { AfterCommit, WriteQueue } from '../db/write-queue';
import { ChannelError, channelFor, type Channels } from '../payments/channel';
import type { Scheduler } from '../scheduler/scheduler';
import type { WalletLedger } from './wallet-ledger';

export const WALLET_REFUND_JOB = 'wallet.refund';
const GATEWAY: Actor = { kind: 'system', id: 'payment-gateway' };

interface RefundRow {
  id: string;
  phone: string;
  lot: string;
  charge_id: string;
  method: 'wechat' | 'alipay' | 'unionpay';
  amount: number;
  reason: string;
  status: 'pending' | 'succeeded' | 'failed';
  channel_refund_id: string | null;
  last_error: string | null;
  created_at: number;
  /** The principal refund this share is part of (its wallet moves' ref). */
  operation: string | null;
}

export interface WalletRefundDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  writes: WriteQueue;
  scheduler: Scheduler;
  wallet: WalletLedger;
  channels: Channels;
  /** Expires the wallet's bonus that is due, before its pots are counted. */
  expire: (phone: string) => void;
  view: (phone: string) => WalletView;
}

export class WalletRefunds {
  constructor(private readonly d: WalletRefundDeps) {}

  /** The channel refunds' job. Call once. */
  register(): void {
    this.d.scheduler.on(WALLET_REFUND_JOB, (job) => this.executeRefund(job.ref));
  }

  /**
   * Gives the customer back the principal they paid and have not spent (all of it unless told):
   * in cash over the counter, or (`original`) each top-up's share the way it came, a QR top-up
   * through its channel (a job, retried until the gateway answers) and the rest in cash. The
   * bonus that came with it is taken back first, never below zero. Runs inside a write.
   */
  refundPrincipal(
    phone: string,
    input: z.output<typeof WalletRefundSchema>,
    actor: Actor,
    afterCommit: AfterCommit,
  ): WalletView {
    this.d.expire(phone);
    const lots = this.d.wallet.lots(phone);
    const pots = potsOf(lots);
    if (pots.principal <= 0) {
      throw new DomainError(
        'conflict',
        'wallet_nothing_to_refund',
        'this wallet holds no principal to give back',
      );
    }
    const amount = input.amount ?? pots.principal;
    if (amount > pots.principal) {
      throw new DomainError(
        'invalid',
        'wallet_refund_exceeds_principal',
        `only ${pots.principal} fen of principal is unused and refundable`,
        'amount',
      ).with({ amount: pots.principal });
    }
    const newestFirst = (pot: 'principal' | 'bonus') =>
      lots.filter((l) => l.pot === pot && l.left > 0).sort((a, b) => b.at - a.at);
    const id = this.d.newId();
    const back = bonusTakenBack(pots, amount);
    this.d.wallet.append(
      `takeback:${id}`,
      phone,
      'bonus_takeback',
      takeFromLots(newestFirst('bonus'), back),
      id,
      input.reason,
      actor,
      -1,
    );
    const shares = takeFromLots(newestFirst('principal'), amount);
    this.d.wallet.append(
      `refund:${id}`,
      phone,
      'principal_refund',
      shares,
      id,
      input.reason,
      actor,
      -1,
    );
    if (input.method === 'original') {
      const now = this.d.clock.now();
      for (const share of shares) {
        const top = this.d.wallet.topUpRow(share.lot);
        const chargeId = top?.source?.startsWith('charge:') ? top.source.slice(7) : null;
        if (!top || !chargeId || top.method === 'cash' || top.method === 'cloud') continue;
        const refundId = this.d.newId();
        this.d.db
          .prepare(
            `INSERT INTO wallet_refunds (id, phone, lot, charge_id, method, amount, reason, status, created_at, operation)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
          )
          .run(
            refundId,
            phone,
            share.lot,
            chargeId,
            top.method,
            share.amount,
            input.reason,
            now,
            id,
          );
        this.d.scheduler.schedule(WALLET_REFUND_JOB, refundId, now);
        afterCommit(() => this.d.scheduler.poke());
      }
    }
    return this.d.view(phone);
  }

  /**
   * Job: asks the gateway to return a principal refund the way its top-up came; idempotent by the
   * refund's id. A refusal puts the money back into the wallet (a correction), to go back in cash.
   */
  private async executeRefund(refundId: string): Promise<void> {
    const r = this.refundRow(refundId);
    if (!r || r.status !== 'pending') {
      await this.d.writes.run(() => this.d.scheduler.done(WALLET_REFUND_JOB, refundId));
      return;
    }
    const top = this.d.wallet.topUpRow(r.lot)!;
    const result = await channelFor(this.d.channels, r.method)
      .refund({
        paymentId: r.charge_id,
        refundId: r.id,
        amount: r.amount,
        paymentTotal: top.principal,
        reason: r.reason,
      })
      .catch((e: unknown) => {
        if (e instanceof ChannelError && e.code === 'gateway_rejected')
          return { status: 'failed' as const, channelRefundId: null, error: e.message };
        throw e;
      });
    if (result.status === 'pending') throw new Error('the gateway is still processing the refund');
    await this.d.writes.run(() => {
      if (this.refundRow(refundId)?.status !== 'pending') return;
      const now = this.d.clock.now();
      if (result.status === 'failed') {
        const error = 'error' in result ? result.error : 'refused by the gateway';
        this.d.db
          .prepare(
            `UPDATE wallet_refunds SET status = 'failed', last_error = ?, settled_at = ? WHERE id = ?`,
          )
          .run(error, now, refundId);
        this.d.wallet.append(
          `refund-failed:${refundId}`,
          r.phone,
          'correction',
          [{ lot: r.lot, pot: 'principal', amount: r.amount }],
          refundId,
          `the gateway refused the refund (${error}): back in the wallet, to give back in cash`,
          GATEWAY,
          1,
        );
        this.returnBonusTakenFor(r, error);
      } else {
        this.d.db
          .prepare(
            `UPDATE wallet_refunds SET status = 'succeeded', channel_refund_id = ?, settled_at = ? WHERE id = ?`,
          )
          .run(result.channelRefundId, now, refundId);
      }
      this.d.scheduler.done(WALLET_REFUND_JOB, refundId);
    });
  }

  /**
   * A share of a principal refund the gateway refused: the bonus taken back for it comes back too,
   * in proportion to the share, into the lots it was taken from; never more than was taken.
   * Inside the write that records the refusal.
   */
  private returnBonusTakenFor(r: RefundRow, error: string): void {
    if (!r.operation) return;
    const moves = this.d.db
      .prepare(
        `SELECT lot, pot, kind, amount FROM wallet_moves WHERE ref = ? AND kind IN ('bonus_takeback','principal_refund','correction')`,
      )
      .all(r.operation) as { lot: string; pot: string; kind: string; amount: number }[];
    // What earlier refused shares of this refund already gave back, lot by lot.
    const returned = new Map<string, number>();
    for (const m of moves) {
      if (m.kind === 'correction' && m.pot === 'bonus')
        returned.set(m.lot, (returned.get(m.lot) ?? 0) + m.amount);
    }
    const refunded = -moves
      .filter((m) => m.kind === 'principal_refund')
      .reduce((sum, m) => sum + m.amount, 0);
    const taken = moves.filter((m) => m.kind === 'bonus_takeback');
    const takenTotal = -taken.reduce((sum, m) => sum + m.amount, 0);
    if (refunded <= 0 || takenTotal <= 0) return;
    let back = Math.floor((takenTotal * r.amount) / refunded);
    const shares: { lot: string; pot: 'bonus'; amount: number }[] = [];
    for (const m of taken) {
      const part = Math.min(back, -m.amount - (returned.get(m.lot) ?? 0));
      if (part <= 0) continue;
      shares.push({ lot: m.lot, pot: 'bonus', amount: part });
      back -= part;
    }
    this.d.wallet.append(
      `bonus-back:${r.id}`,
      r.phone,
      'correction',
      shares,
      r.operation,
      `the gateway refused the refund (${error}): the bonus taken back for it is back too`,
      GATEWAY,
      1,
    );
  }

  private refundRow(id: string): RefundRow | undefined {
    return this.d.db.prepare('SELECT * FROM wallet_refunds WHERE id = ?').get(id) as
      RefundRow | undefined;
  }
}

/** A wallet's principal refunds sent through a channel, oldest first, for its view. */
export function channelRefundsOf(
  db: Db,
  phone: string,
  tz: string,
): {
  id: string;
  method: RefundRow['method'];
  amount: number;
  status: RefundRow['status'];
  createdAt: string;
}[] {
  return (
    db
      .prepare('SELECT * FROM wallet_refunds WHERE phone = ? ORDER BY created_at')
      .all(phone) as RefundRow[]
  ).map((r) => ({
    id: r.id,
    method: r.method,
    amount: r.amount,
    status: r.status,
    createdAt: formatInstant(r.created_at, tz),
  }));
}
