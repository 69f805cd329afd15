// The member wallet (C5, C11, O6, the wallet half of H1): top-up packages the owner sets, top-ups
// at the counter and those the cloud took online, paying a booking or an order out of the wallet
// (the bonus first), money of a wallet payment coming back to the wallet, the bonus expiring by
// its own rule (a daily job), and the stored value the store owes; the unused principal given back
// is wallet-refunds.ts.
// Owns `wallet_packages` and `wallet_settings`; every movement goes through `WalletLedger`, in the
// write of what it explains. Never writes the money ledger or a booking: it asks the payment
// service (`recordWalletPayment`) in the same write.
import {
  DomainError,
  formatInstant,
  localDateOf,
  nextLocalDate,
  instantAt,
  notFound,
  potsOf,
  splitSpend,
  takeFromLots,
  type Actor,
  type Clock,
  type WalletBalanceView,
  type WalletChargeView,
  type WalletLot,
  type WalletMode,
  type WalletOwedView,
  type WalletPackageView,
  type WalletSettingsView,
  type WalletView,
} from '@roomhub/shared-types';
import type { z } from 'zod';
import type {
  WalletPackageInputSchema,
  WalletPackagePatchSchema,
  WalletSettingsSchema,
  WalletTopUpSchema,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import {
  channelFor,
  openCharge,
  type ChargeNotification,
  type Channels,
} from '../payments/channel';
import type { Db } from '../db/database';
import type { AfterCommit, WriteQueue } from '../db/write-queue';
import type { Scheduler } from '../scheduler/scheduler';
import type { BookingRecords } from '../booking/booking-records';
import { assertCanAct } from '../booking/ownership';
import type { Ledger } from '../payments/ledger';
import type { PaymentService } from '../payments/payment.service';
import type { WalletLedger } from './wallet-ledger';
import type { Outbox } from '../sync/outbox';
import { channelRefundsOf } from './wallet-refunds';

export const WALLET_EXPIRY_JOB = 'wallet.bonus-expiry';

const DAY = 24 * 60 * 60_000;
const EXPIRY: Actor = { kind: 'system', id: 'wallet-expiry' };
/** How long the QR of a top-up at the counter can be paid. */
const CHARGE_MINUTES = 15;

interface ChargeRow {
  id: string;
  phone: string;
  package_id: string | null;
  principal: number;
  bonus: number;
  bonus_valid_days: number | null;
  method: 'wechat' | 'alipay' | 'unionpay';
  status: 'pending' | 'paid' | 'closed';
  pay_url: string | null;
  qr_payload: string | null;
  expires_at: number;
  actor_kind: Actor['kind'];
  actor_id: string;
}

interface PackageRow {
  id: string;
  name: string;
  pay: number;
  bonus: number;
  bonus_valid_days: number | null;
  active: 0 | 1;
}

/**
 * Told of every top-up credited, inside its write: the members domain counts it toward a level
 * (`MemberService.noteTopUp`). None until the members domain is wired.
 */
export type TopUpNoted = (phone: string, principalFen: number, actor: Actor) => void;

export interface WalletDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  writes: WriteQueue;
  scheduler: Scheduler;
  wallet: WalletLedger;
  records: BookingRecords;
  ledger: Ledger;
  payments: PaymentService;
  channels: Channels;
  /** Where a gateway posts its notification of a top-up's charge. */
  notifyUrl: (method: 'wechat' | 'alipay' | 'unionpay') => string;
  storeId: () => string;
  timeZone: () => string;
  /** The packages on sale are published with the store's profile, for topping up online. */
  outbox?: Outbox;
}

export class WalletService {
  private topUpNoted: TopUpNoted = () => undefined;

  constructor(private readonly d: WalletDeps) {}

  /** The members domain's hook, called in the write that credits a top-up. */
  onTopUp(fn: TopUpNoted): void {
    this.topUpNoted = fn;
  }

  /** The bonus expires by a daily job (the first run at once: days the hub was off count). */
  register(): void {
    this.d.scheduler.on(WALLET_EXPIRY_JOB, () => this.runExpiry());
    if (this.d.scheduler.pending(WALLET_EXPIRY_JOB).length === 0) {
      this.d.db.transaction(() =>
        this.d.scheduler.schedule(WALLET_EXPIRY_JOB, 'daily', this.d.clock.now()),
      )();
    }
  }

  // ---- packages ------------------------------------------------------------------------------

  packages(): WalletPackageView[] {
    const rows = this.d.db
      .prepare('SELECT * FROM wallet_packages ORDER BY pay, created_at')
      .all() as PackageRow[];
    return rows.map(packageView);
  }

  createPackage(input: z.output<typeof WalletPackageInputSchema>): WalletPackageView {
    const id = this.d.newId();
    const now = this.d.clock.now();
    this.d.db
      .prepare(
        `INSERT INTO wallet_packages (id, name, pay, bonus, bonus_valid_days, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.name,
        input.pay,
        input.bonus,
        input.bonusValidDays,
        input.active ? 1 : 0,
        now,
        now,
      );
    this.d.outbox?.markStoreProfile();
    return packageView(this.packageRow(id));
  }

  /** A package's name and whether it is sold; its money never changes (top-ups name it). */
  patchPackage(id: string, patch: z.output<typeof WalletPackagePatchSchema>): WalletPackageView {
    const row = this.packageRow(id);
    this.d.db
      .prepare('UPDATE wallet_packages SET name = ?, active = ?, updated_at = ? WHERE id = ?')
      .run(
        patch.name ?? row.name,
        patch.active === undefined ? row.active : patch.active ? 1 : 0,
        this.d.clock.now(),
        id,
      );
    this.d.outbox?.markStoreProfile();
    return packageView(this.packageRow(id));
  }

  private packageRow(id: string): PackageRow {
    const row = this.d.db.prepare('SELECT * FROM wallet_packages WHERE id = ?').get(id) as
      PackageRow | undefined;
    if (!row) throw notFound('package', id, 'packageId');
    return row;
  }

  // ---- top-ups -------------------------------------------------------------------------------

  /** What a top-up of a package (or of an amount, with no bonus) puts in the wallet. */
  private termsOf(input: { packageId?: string | undefined; amount?: number | undefined }) {
    if (input.packageId === undefined) {
      return { principal: input.amount!, bonus: 0, days: null, packageId: null };
    }
    const p = this.packageRow(input.packageId);
    if (!p.active) {
      throw new DomainError(
        'conflict',
        'wallet_package_inactive',
        `the package ${p.name} is no longer sold`,
        'packageId',
      );
    }
    return { principal: p.pay, bonus: p.bonus, days: p.bonus_valid_days, packageId: p.id };
  }

  /** A top-up paid in cash at the counter, credited at once. Runs inside a write. */
  topUpAtCounter(input: z.output<typeof WalletTopUpSchema>, actor: Actor): WalletView {
    if (actor.kind !== 'staff') {
      throw new DomainError('forbidden', 'cash_needs_staff', 'cash payments are taken by staff');
    }
    const t = this.termsOf(input);
    this.credit({
      phone: input.phone,
      packageId: t.packageId,
      principal: t.principal,
      bonus: t.bonus,
      bonusValidDays: t.days,
      method: 'cash',
      source: null,
      actor,
    });
    return this.view(input.phone);
  }

  /**
   * A top-up at the counter paid by the QR of an online channel: a pending charge first (so a
   * crash leaves a trace), then the gateway's order and its QR. Credited only when the gateway's
   * signed notification says it was paid (`notified`).
   */
  async startCharge(
    input: z.output<typeof WalletTopUpSchema> & { method: 'wechat' | 'alipay' | 'unionpay' },
    actor: Actor,
  ): Promise<WalletChargeView> {
    const channel = channelFor(this.d.channels, input.method);
    const charge = await this.d.writes.run(() => {
      const t = this.termsOf(input);
      const id = this.d.newId();
      const now = this.d.clock.now();
      this.d.db
        .prepare(
          `INSERT INTO wallet_charges (id, phone, package_id, principal, bonus, bonus_valid_days, method, status, expires_at, actor_kind, actor_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
        )
        .run(
          id,
          input.phone,
          t.packageId,
          t.principal,
          t.bonus,
          t.days,
          input.method,
          now + CHARGE_MINUTES * 60_000,
          actor.kind,
          actor.id,
          now,
        );
      return this.chargeRow(id);
    });
    const ticket = await openCharge(
      channel,
      {
        paymentId: charge.id,
        amount: charge.principal,
        description: 'Wallet top-up',
        notifyUrl: this.d.notifyUrl(input.method),
        expiresAt: charge.expires_at,
      },
      () =>
        this.d.writes.run(() =>
          this.d.db
            .prepare(
              `UPDATE wallet_charges SET status = 'closed' WHERE id = ? AND status = 'pending'`,
            )
            .run(charge.id),
        ),
    );
    return this.d.writes.run(() => {
      this.d.db
        .prepare('UPDATE wallet_charges SET pay_url = ?, qr_payload = ? WHERE id = ?')
        .run(ticket.payUrl, ticket.qrPayload, charge.id);
      return this.chargeView(this.chargeRow(charge.id));
    });
  }

  /**
   * A gateway's verified notification of a charge that may be a top-up's, inside the write that
   * records it: credited once (the charge's id names the top-up's source); undefined when the
   * charge is not a top-up.
   */
  notified(n: ChargeNotification): 'recorded' | 'duplicate' | 'closed' | undefined {
    const r = this.d.db.prepare('SELECT * FROM wallet_charges WHERE id = ?').get(n.paymentId) as
      ChargeRow | undefined;
    if (!r) return undefined;
    if (r.status === 'paid') return 'duplicate';
    if (n.state !== 'SUCCESS') {
      this.d.db.prepare(`UPDATE wallet_charges SET status = 'closed' WHERE id = ?`).run(r.id);
      return 'closed';
    }
    // Money that arrived is the customer's, even after the QR's time: credited all the same.
    this.d.db
      .prepare(
        `UPDATE wallet_charges SET status = 'paid', channel_txn_id = ?, paid_at = ? WHERE id = ?`,
      )
      .run(n.channelTxnId, n.paidAt, r.id);
    this.credit({
      phone: r.phone,
      packageId: r.package_id,
      principal: n.amount,
      bonus: n.amount === r.principal ? r.bonus : 0,
      bonusValidDays: r.bonus_valid_days,
      method: r.method,
      source: `charge:${r.id}`,
      actor: { kind: r.actor_kind, id: r.actor_id },
    });
    return 'recorded';
  }

  charge(id: string): WalletChargeView {
    return this.chargeView(this.chargeRow(id));
  }

  private chargeRow(id: string): ChargeRow {
    const r = this.d.db.prepare('SELECT * FROM wallet_charges WHERE id = ?').get(id) as
      ChargeRow | undefined;
    if (!r) throw notFound('payment', id);
    return r;
  }

  private chargeView(r: ChargeRow): WalletChargeView {
    return {
      id: r.id,
      phone: r.phone,
      principal: r.principal,
      bonus: r.bonus,
      method: r.method,
      status: r.status,
      payUrl: r.pay_url,
      qrPayload: r.qr_payload,
      expiresAt: formatInstant(r.expires_at, this.d.timeZone()),
    };
  }

  /**
   * Money the cloud took online for a top-up, credited once: the same cloud payment again changes
   * nothing (false). The package is the one the customer saw, as the cloud signed it. Runs inside a
   * write.
   */
  creditFromCloud(t: {
    phone: string;
    cloudPaymentId: string;
    principal: number;
    bonus: number;
    bonusValidDays: number | null;
    packageId: string | null;
    actor: Actor;
  }): boolean {
    return this.credit({
      phone: t.phone,
      packageId:
        t.packageId &&
        this.d.db.prepare('SELECT 1 FROM wallet_packages WHERE id = ?').get(t.packageId)
          ? t.packageId
          : null,
      principal: t.principal,
      bonus: t.bonus,
      bonusValidDays: t.bonusValidDays,
      method: 'cloud',
      source: `cloud:${t.cloudPaymentId}`,
      actor: t.actor,
    });
  }

  private credit(t: {
    phone: string;
    packageId: string | null;
    principal: number;
    bonus: number;
    bonusValidDays: number | null;
    method: 'cash' | 'cloud' | 'wechat' | 'alipay' | 'unionpay';
    source: string | null;
    actor: Actor;
  }): boolean {
    const now = this.d.clock.now();
    const { fresh } = this.d.wallet.topUp({
      id: this.d.newId(),
      phone: t.phone,
      packageId: t.packageId,
      principal: t.principal,
      bonus: t.bonus,
      method: t.method,
      source: t.source,
      bonusExpiresAt:
        t.bonus > 0 && t.bonusValidDays !== null ? now + t.bonusValidDays * DAY : null,
      actor: t.actor,
    });
    if (fresh) this.topUpNoted(t.phone, t.principal, t.actor);
    return fresh;
  }

  // ---- spending ------------------------------------------------------------------------------

  /**
   * Takes `amount` out of a wallet for what `ref` names, the bonus first; refused in words when
   * the wallet holds less. Idempotent by `moveId`. Runs inside a write.
   */
  spend(phone: string, amount: number, ref: string, moveId: string, actor: Actor): void {
    this.expireFor(phone);
    const lots = this.spendableLots(phone);
    const shares = splitSpend(lots, amount);
    if (!shares) {
      const { principal, bonus } = potsOf(lots);
      // A shared wallet's money kept at the owner's other stores was asked for first (bringIn).
      const elsewhere =
        this.settings().mode === 'shared'
          ? ': what it holds at the owner’s other stores could not be brought here now'
          : '';
      throw new DomainError(
        'conflict',
        'wallet_short',
        `the wallet holds ${principal + bonus} fen here, less than ${amount} fen${elsewhere}`,
        'phone',
      ).with({ amount: principal + bonus });
    }
    this.d.wallet.append(moveId, phone, 'spend', shares, ref, '', actor, -1);
  }

  /**
   * Gives `amount` of what `ref` spent back to the wallet, into the lots it came from (the last
   * taken first); a bonus whose time has passed expires again at once. Idempotent by `moveId`.
   */
  giveBack(ref: string, amount: number, moveId: string, reason: string, actor: Actor): void {
    const phone = this.phoneOfSpend(ref);
    const spent = this.d.wallet.spentBy(ref);
    const held = spent.reduce((s, l) => s + l.amount, 0);
    if (amount > held) {
      throw new DomainError(
        'conflict',
        'refund_exceeds_paid',
        `cannot refund ${amount} fen: only ${held} fen is refundable`,
        'amount',
      ).with({ amount: held });
    }
    const lots: WalletLot[] = spent.map((s) => ({ ...s, left: s.amount, expiresAt: null, at: 0 }));
    const shares = takeFromLots(lots, amount);
    this.d.wallet.append(moveId, phone, 'refund_in', shares, ref, reason, actor, 1);
    this.expireFor(phone);
  }

  /** The wallet a booking would be paid from, and what it owes: read before paying it. */
  dueOf(bookingId: string, phone: string | undefined): { phone: string; due: number } {
    const row = this.d.records.get(bookingId);
    return { phone: phone ?? row.customer_phone, due: this.d.ledger.balanceOf(row).due };
  }

  /**
   * Pays all a booking still owes out of its customer's wallet (or the phone named). Only staff
   * name a wallet by phone; anyone else (the kiosk) pays from the wallet of the member whose code
   * was shown (`shownCode`: that member's phone, the code taken in this same write).
   */
  payBooking(
    bookingId: string,
    phone: string | undefined,
    actor: Actor,
    afterCommit: AfterCommit,
    shownCode?: { phone: string },
  ): WalletView {
    if (actor.kind !== 'staff' && !shownCode) {
      throw new DomainError(
        'forbidden',
        'wallet_needs_staff',
        'a wallet is spent at the counter by staff',
      );
    }
    const row = this.d.records.get(bookingId);
    assertCanAct(row, actor);
    const who = shownCode?.phone ?? phone ?? row.customer_phone;
    const { due } = this.d.ledger.balanceOf(row);
    // The booking's ledger and the wallet's in one write: a short wallet undoes both.
    const paymentId = this.d.payments.recordWalletPayment(bookingId, due, actor, afterCommit);
    this.spend(who, due, paymentId, `pay:${paymentId}`, actor);
    return this.view(who);
  }

  /** The wallet a booking payment or an order was paid from. */
  private phoneOfSpend(ref: string): string {
    const r = this.d.db
      .prepare(`SELECT phone FROM wallet_moves WHERE ref = ? AND kind = 'spend' LIMIT 1`)
      .get(ref) as { phone: string } | undefined;
    if (!r) throw notFound('payment', ref);
    return r.phone;
  }

  /** What a spend may take from now, fen. */
  spendableTotal(phone: string): number {
    return this.spendableLots(phone).reduce((s, l) => s + l.left, 0);
  }

  /** The lots a spend may take from now: an expired bonus is not money any more. */
  spendableLots(phone: string): WalletLot[] {
    const now = this.d.clock.now();
    return this.d.wallet
      .lots(phone)
      .filter((l) => l.pot === 'principal' || l.expiresAt === null || l.expiresAt > now);
  }

  // ---- the bonus expiring --------------------------------------------------------------------

  /** Writes the expiry of every bonus whose time has passed; its wallet's, or every wallet's. */
  expireFor(phone?: string): number {
    const due = this.d.wallet
      .expiredBonus(this.d.clock.now())
      .filter((l) => phone === undefined || l.phone === phone);
    for (const l of due) {
      this.d.wallet.append(
        `expiry:${l.lot}:${this.d.newId()}`,
        l.phone,
        'expiry',
        [{ lot: l.lot, pot: 'bonus', amount: l.left }],
        null,
        'the bonus expired',
        EXPIRY,
        -1,
      );
    }
    return due.length;
  }

  /** The daily job: expires what is due and runs again at the next local midnight. */
  private async runExpiry(): Promise<void> {
    await this.d.writes.run(() => {
      this.expireFor();
      const tz = this.d.timeZone();
      const tomorrow = nextLocalDate(localDateOf(this.d.clock.now(), tz));
      this.d.scheduler.schedule(WALLET_EXPIRY_JOB, 'daily', instantAt(tomorrow, 0, tz));
    });
  }

  // ---- reading -------------------------------------------------------------------------------

  /** What a member's wallet holds: for the member list and the counter. */
  balanceOf(phone: string): WalletBalanceView {
    const { principal, bonus } = this.d.wallet.pots(phone);
    return { phone, principal, bonus, total: principal + bonus };
  }

  view(phone: string): WalletView {
    const tz = this.d.timeZone();
    return {
      ...this.balanceOf(phone),
      bonusExpiries: this.d.wallet
        .lots(phone)
        .filter((l) => l.pot === 'bonus' && l.left > 0)
        .map((l) => ({
          lot: l.lot,
          left: l.left,
          expiresAt: l.expiresAt === null ? null : formatInstant(l.expiresAt, tz),
        })),
      moves: this.d.wallet.moves(phone, tz),
      refunds: channelRefundsOf(this.d.db, phone, tz),
    };
  }

  /** The stored value the store owes its customers, principal and bonus apart. */
  owed(): WalletOwedView {
    return { storeId: this.d.storeId(), ...this.d.wallet.owed() };
  }

  settings(): WalletSettingsView {
    const r = this.d.db
      .prepare('SELECT mode, offline_allowance FROM wallet_settings WHERE id = 1')
      .get() as { mode: WalletMode; offline_allowance: number };
    return { mode: r.mode, offlineAllowance: r.offline_allowance };
  }

  setSettings(input: z.output<typeof WalletSettingsSchema>): WalletSettingsView {
    const now = this.settings();
    this.d.db
      .prepare(
        'UPDATE wallet_settings SET mode = ?, offline_allowance = ?, updated_at = ? WHERE id = 1',
      )
      .run(
        input.mode ?? now.mode,
        input.offlineAllowance ?? now.offlineAllowance,
        this.d.clock.now(),
      );
    return this.settings();
  }
}

function packageView(r: PackageRow): WalletPackageView {
  return {
    id: r.id,
    name: r.name,
    pay: r.pay,
    bonus: r.bonus,
    bonusValidDays: r.bonus_valid_days,
    active: r.active === 1,
  };
}
