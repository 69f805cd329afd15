// Our own vouchers as this store knows them (C12, H1): those it sold itself at the counter (cash,
// signed by this hub), those the cloud sold for this store (signed by the cloud, learnt when
// first scanned or sent down), and those moved here from another store of the owner (signed anew
// by the cloud for this store, carrying what they bought). Owns `vouchers` and the append-only
// `voucher_sales` ledger of the money a sale here took in and gave back. Finds a voucher by its QR
// (checked by its signature, no network needed) or its typed code (found in this table); moves
// one away when the cloud asks for another store (never once used or refunded); never redeems:
// redemptions.ts does.
import { randomInt } from 'node:crypto';
import {
  DomainError,
  EntitlementSchema,
  entitlementRev,
  formatInstant,
  assertDealOnSale,
  maskVoucherCode,
  newVoucherCode,
  notFound,
  isVoucherQr,
  readVoucherQr,
  voucherCodeChecks,
  voucherQrText,
  VoucherPassSchema,
  type Actor,
  type Clock,
  type DealView,
  type Entitlement,
  type VoucherMoved,
  type VoucherPass,
  type VoucherStatus,
  type VoucherView,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { StoreService } from '../store/store.service';
import type { Deals } from './deals';
import type { VoucherKeys } from './voucher-keys';

const DAY = 24 * 60 * 60 * 1000;

export interface VoucherRow {
  id: string;
  code: string;
  deal_id: string;
  store_id: string;
  issuer: 'cloud' | 'hub';
  pass: string;
  customer_phone: string | null;
  price: number;
  valid_from: number;
  valid_until: number;
  refunded_at: number | null;
  created_at: number;
  /** The store it was moved to: never redeemable here again. */
  moved_to: string | null;
  moved_at: number | null;
  /** The store it was moved here from; `rules` is then what it bought there (JSON). */
  moved_from: string | null;
  rules: string | null;
}

/** The home store's answer to a move: done, or why not with the error code the asker is told. */
export type MoveAnswer = { ok: true } | { ok: false; code: string; reason: string };

/** Why a voucher in this state cannot move: the code the asking store answers with. */
const CANNOT_MOVE: Partial<Record<VoucherStatus, string>> = {
  used: 'voucher_used',
  refunded: 'voucher_refunded',
  expired: 'voucher_expired',
  moved: 'voucher_moved',
};

export interface OwnVoucherDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  store: StoreService;
  deals: Deals;
  keys: VoucherKeys;
  timeZone: () => string;
}

export class OwnVouchers {
  constructor(private readonly d: OwnVoucherDeps) {}

  /** A voucher of our own deal sold at the counter for cash. Runs inside a write. */
  sell(input: { dealId: string; customer: { phone: string } }, actor: Actor): VoucherView {
    if (actor.kind !== 'staff') {
      throw new DomainError('forbidden', 'cash_needs_staff', 'cash payments are taken by staff');
    }
    const deal = this.d.deals.get(input.dealId);
    this.assertSellable(deal, input.customer.phone);
    return this.view(this.issue(deal, input.customer.phone, 'cash', deal.price, actor));
  }

  /**
   * Issues a voucher of `deal` paid `amount` by `method`: signed by this hub, on the sales
   * ledger in the same write. Runs inside a write.
   */
  issue(
    deal: DealView,
    phone: string,
    method: 'cash' | 'wechat',
    amount: number,
    actor: Actor,
  ): VoucherRow {
    const now = this.d.clock.now();
    const id = this.d.newId();
    const pass = this.d.keys.sign({
      type: 'voucher',
      id,
      code: this.newCode(),
      store: this.d.store.getStore().id,
      dealId: deal.id,
      rev: deal.rev,
      price: amount,
      validFrom: Math.floor(now / 1000),
      validUntil: Math.floor((now + deal.validDays * DAY) / 1000),
      issuer: 'hub',
    });
    this.insert(pass, phone);
    if (amount > 0) {
      this.d.db
        .prepare(
          `INSERT INTO voucher_sales (voucher_id, kind, method, amount, actor_kind, actor_id, at) VALUES (?, 'sale', ?, ?, ?, ?, ?)`,
        )
        .run(id, method, amount, actor.kind, actor.id, now);
    }
    return this.row(id);
  }

  /**
   * The voucher a scanned QR or a typed code names. A QR must carry a valid signature of its
   * issuer and be this store's; a first-seen cloud voucher is remembered. A typed code is found
   * in this store's table only (a voucher the store has not seen yet needs its QR).
   */
  resolve(text: string): VoucherRow {
    const t = text.trim();
    const pass = readVoucherQr(t);
    if (isVoucherQr(t)) {
      const here = this.d.store.getStore().id;
      if (pass && pass.store !== here) {
        // Another store's pass of a voucher moved here since: this store decides it now.
        const moved = this.find(pass.id);
        if (moved && moved.store_id === here) return moved;
      }
      // Another hub's own signature cannot be checked here: only its store can tell.
      const checkable = pass && (pass.store === here || pass.issuer === 'cloud');
      if (!pass || (checkable && !this.d.keys.check(pass))) {
        throw new DomainError(
          'invalid',
          'voucher_forged',
          'this voucher QR is not genuine: its signature does not check',
          'text',
        );
      }
      if (pass.store !== here) throw otherStore();
      const known = this.find(pass.id);
      if (known) return known;
      this.insert(pass, null);
      return this.row(pass.id);
    }
    if (/^\d{12}$/.test(t)) {
      if (!voucherCodeChecks(t)) {
        throw new DomainError(
          'bad_input',
          'voucher_code_typo',
          'this code does not check: a digit was probably mistyped',
          'text',
        );
      }
      const row = this.d.db.prepare('SELECT * FROM vouchers WHERE code = ?').get(t) as
        VoucherRow | undefined;
      if (row) return row;
    }
    throw new DomainError(
      'not_found',
      'voucher_not_found',
      'no voucher of this store has this code; scan its QR instead',
      'text',
    ).with({}, 'voucher_not_found_here');
  }

  /** A voucher the cloud sold for this store, sent down before anyone scanned it. */
  accept(pass: VoucherPass, customerPhone: string | null): void {
    if (!this.d.keys.check(pass)) return;
    if (pass.store !== this.d.store.getStore().id || this.find(pass.id)) return;
    this.insert(pass, customerPhone);
  }

  /**
   * Another store of the owner asks for the voucher (the cloud's `voucher_move`): moved there,
   * never redeemable here again, when it is this store's, genuine, and neither used, refunded nor
   * expired here; a cloud voucher this store never saw is learnt first, so its QR is refused here
   * afterwards. Asked again for the same store, the same yes. Runs inside a write.
   */
  moveOut(pass: VoucherPass, to: string): MoveAnswer {
    const here = this.d.store.getStore().id;
    if (pass.store !== here || to === here || !this.d.keys.check(pass)) {
      return { ok: false, code: 'voucher_forged', reason: 'not a genuine voucher of this store' };
    }
    if (!this.find(pass.id)) this.insert(pass, null);
    const row = this.row(pass.id);
    if (row.moved_to === to) return { ok: true };
    const status = this.status(row);
    const code = CANNOT_MOVE[status];
    if (code) return { ok: false, code, reason: `the voucher is ${status} at its home store` };
    this.d.db
      .prepare('UPDATE vouchers SET moved_to = ?, moved_at = ? WHERE id = ?')
      .run(to, this.d.clock.now(), pass.id);
    return { ok: true };
  }

  /**
   * A voucher of another store of the owner, moved here: kept with the pass the cloud signed for
   * this store and what it bought, and redeemable here (offline too) from now on. Runs inside a
   * write; the same voucher again is the one kept.
   */
  moveIn(moved: VoucherMoved, from: string): VoucherRow {
    const { pass } = moved;
    const here = this.d.store.getStore().id;
    if (pass.store !== here || pass.issuer !== 'cloud' || !this.d.keys.check(pass)) {
      throw new DomainError(
        'invalid',
        'voucher_forged',
        "the cloud's answer is not a voucher signed for this store",
        'text',
      );
    }
    const entitlement = EntitlementSchema.parse(moved.entitlement);
    if (entitlementRev(entitlement) !== pass.rev) {
      throw new DomainError(
        'conflict',
        'voucher_deal_unknown',
        'what the voucher bought does not match its rules version',
        'text',
      );
    }
    const known = this.find(pass.id);
    if (known && known.store_id === here && known.moved_to === null) return known;
    const rules = JSON.stringify({ title: moved.title, entitlement });
    if (!known) this.insert(pass, moved.phone);
    // Moved back here after it went away: the new pass and rules replace the old.
    this.d.db
      .prepare(
        `UPDATE vouchers SET pass = ?, store_id = ?, moved_to = NULL, moved_at = NULL, moved_from = ?, rules = ?,
           customer_phone = COALESCE(customer_phone, ?) WHERE id = ?`,
      )
      .run(JSON.stringify(pass), here, from, rules, moved.phone, pass.id);
    return this.row(pass.id);
  }

  /** What the voucher bought: its deal's rules at the version it names. */
  bought(row: VoucherRow): { title: string; entitlement: Entitlement } {
    // Moved here from another store: what it bought came with it.
    if (row.rules) return JSON.parse(row.rules) as { title: string; entitlement: Entitlement };
    const pass = this.passOf(row);
    const rules = this.d.deals.revision(pass.dealId, pass.rev);
    if (!rules) {
      throw new DomainError(
        'conflict',
        'voucher_deal_unknown',
        'this store does not know the deal this voucher was sold for',
        'text',
      );
    }
    return rules;
  }

  /** Whether a pass is signed by whoever it says sold it (this hub's own, or the cloud's). */
  genuine(pass: VoucherPass): boolean {
    return this.d.keys.check(pass);
  }

  passOf(row: VoucherRow): VoucherPass {
    return VoucherPassSchema.parse(JSON.parse(row.pass));
  }

  status(row: VoucherRow, now = this.d.clock.now()): VoucherStatus {
    if (row.refunded_at !== null) return 'refunded';
    if (row.moved_to !== null) return 'moved';
    const used = this.d.db
      .prepare(
        `SELECT 1 FROM redemptions WHERE voucher_key = ? AND status IN ('done','queued','refund_via_platform')`,
      )
      .get(row.id);
    if (used) return 'used';
    return now >= row.valid_until ? 'expired' : 'valid';
  }

  /** Gives a voucher sold here back for cash (随时退), when its deal allows it and it is unused. */
  refundSale(id: string, actor: Actor): VoucherView {
    const { method } = this.assertRefundable(id);
    if (method !== 'cash') {
      throw new DomainError(
        'conflict',
        'voucher_refund_by_channel',
        'this voucher was paid online: it is refunded to where it was paid from',
      );
    }
    this.markRefunded(id, 'cash', actor);
    return this.view(this.row(id));
  }

  /**
   * Whether a voucher sold here may be given back for its money now, and how it was paid;
   * throws why not (used, an online purchase of the cloud's, the deal's terms).
   */
  assertRefundable(id: string): { row: VoucherRow; method: 'cash' | 'wechat' } {
    const row = this.row(id);
    const status = this.status(row);
    if (status !== 'valid' && status !== 'expired') {
      throw new DomainError(
        'conflict',
        'voucher_not_refundable',
        `this voucher is ${status} and cannot be refunded`,
      ).with({ status });
    }
    if (row.issuer !== 'hub') {
      throw new DomainError(
        'conflict',
        'voucher_refund_online',
        'this voucher was bought online: the customer refunds it in their vouchers page',
      );
    }
    const deal = this.d.deals.find(row.deal_id);
    const allowed = status === 'valid' ? deal?.refundAnyTime : deal?.refundOnExpiry;
    if (!allowed) {
      throw new DomainError(
        'conflict',
        'voucher_not_refundable',
        `this deal's terms do not refund a voucher that is ${status}`,
      ).with({ status });
    }
    const sale = this.d.db
      .prepare(`SELECT method FROM voucher_sales WHERE voucher_id = ? AND kind = 'sale'`)
      .get(id) as { method: 'cash' | 'wechat' } | undefined;
    return { row, method: sale?.method ?? 'cash' };
  }

  /** The voucher refunded: never redeemable again, its money out on the sales ledger. */
  markRefunded(id: string, method: 'cash' | 'wechat', actor: Actor): void {
    const row = this.row(id);
    if (row.refunded_at !== null) return;
    const now = this.d.clock.now();
    this.d.db.prepare('UPDATE vouchers SET refunded_at = ? WHERE id = ?').run(now, id);
    if (row.price > 0) {
      this.d.db
        .prepare(
          `INSERT INTO voucher_sales (voucher_id, kind, method, amount, actor_kind, actor_id, at) VALUES (?, 'refund', ?, ?, ?, ?, ?)`,
        )
        .run(id, method, -row.price, actor.kind, actor.id, now);
    }
  }

  /**
   * The cloud asks to refund a voucher it sold (the customer's 随时退, or 过期退 on expiry): the
   * store, which alone knows whether it was used, marks it refunded so it can never be redeemed,
   * or says why not. The cloud moves the money. Runs inside a write; idempotent.
   */
  refundForCloud(pass: VoucherPass): { ok: true } | { ok: false; reason: string } {
    if (!this.d.keys.check(pass) || pass.store !== this.d.store.getStore().id) {
      return { ok: false, reason: 'not a voucher of this store signed by the cloud' };
    }
    // Learnt first if never seen, so its QR can never be redeemed here afterwards.
    if (!this.find(pass.id)) this.insert(pass, null);
    const row = this.row(pass.id);
    if (row.refunded_at !== null) return { ok: true };
    const status = this.status(row);
    if (status === 'used') return { ok: false, reason: 'the voucher has been used' };
    if (status === 'moved') {
      return { ok: false, reason: 'the voucher was moved to another store of the owner' };
    }
    this.d.db
      .prepare('UPDATE vouchers SET refunded_at = ? WHERE id = ?')
      .run(this.d.clock.now(), pass.id);
    return { ok: true };
  }

  /** The store's take from vouchers it sold: the sales ledger's sum. */
  salesTotal(): number {
    return (
      this.d.db.prepare('SELECT COALESCE(SUM(amount), 0) AS s FROM voucher_sales').get() as {
        s: number;
      }
    ).s;
  }

  /** The id of this store's voucher with a typed code, if there is one. */
  idOfCode(code: string): string | undefined {
    const r = this.d.db.prepare('SELECT id FROM vouchers WHERE code = ?').get(code.trim()) as
      { id: string } | undefined;
    return r?.id;
  }

  find(id: string): VoucherRow | undefined {
    return this.d.db.prepare('SELECT * FROM vouchers WHERE id = ?').get(id) as
      VoucherRow | undefined;
  }

  row(id: string): VoucherRow {
    const r = this.find(id);
    if (!r) throw notFound('voucher', id);
    return r;
  }

  listFor(phone: string): VoucherView[] {
    const rows = this.d.db
      .prepare('SELECT * FROM vouchers WHERE customer_phone = ? ORDER BY created_at DESC')
      .all(phone) as VoucherRow[];
    return rows.map((r) => this.view(r));
  }

  view(r: VoucherRow): VoucherView {
    const pass = this.passOf(r);
    const bought = this.bought(r);
    const tz = this.d.timeZone();
    return {
      id: r.id,
      code: r.code,
      qr: voucherQrText(pass),
      dealId: r.deal_id,
      title: bought.title,
      entitlement: bought.entitlement,
      price: r.price,
      status: this.status(r),
      issuer: r.issuer,
      customerPhone: r.customer_phone,
      validFrom: formatInstant(r.valid_from, tz),
      validUntil: formatInstant(r.valid_until, tz),
    };
  }

  masked(r: VoucherRow): string {
    return maskVoucherCode(r.code);
  }

  /** Refuses a sale the deal does not allow: not ours, not on sale, a group, sold out, over the limit. */
  assertSellable(deal: DealView, phone: string): void {
    assertDealOnSale(deal);
    if (deal.groupSize > 1) {
      throw new DomainError(
        'conflict',
        'deal_group_online',
        'a group deal is bought online, where the group fills',
        'dealId',
      );
    }
    if (deal.stock !== null && deal.sold >= deal.stock) {
      throw new DomainError('conflict', 'deal_sold_out', 'this deal is sold out', 'dealId');
    }
    if (deal.perCustomerLimit !== null) {
      const { n } = this.d.db
        .prepare('SELECT COUNT(*) AS n FROM vouchers WHERE deal_id = ? AND customer_phone = ?')
        .get(deal.id, phone) as { n: number };
      if (n >= deal.perCustomerLimit) {
        throw new DomainError(
          'conflict',
          'deal_limit_reached',
          `one customer may buy this deal ${deal.perCustomerLimit} times`,
          'customer.phone',
        ).with({ limit: deal.perCustomerLimit });
      }
    }
  }

  private newCode(): string {
    for (;;) {
      const code = newVoucherCode(randomInt);
      if (!this.d.db.prepare('SELECT 1 FROM vouchers WHERE code = ?').get(code)) return code;
    }
  }

  private insert(pass: VoucherPass, customerPhone: string | null): void {
    this.d.db
      .prepare(
        `INSERT OR IGNORE INTO vouchers (id, code, deal_id, store_id, issuer, pass, customer_phone, price, valid_from, valid_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        pass.id,
        pass.code,
        pass.dealId,
        pass.store,
        pass.issuer,
        JSON.stringify(pass),
        customerPhone,
        pass.price,
        pass.validFrom * 1000,
        pass.validUntil * 1000,
        this.d.clock.now(),
      );
  }
}

/** Another store's voucher, while it cannot be asked for: only online, from its home store. */
export function otherStore(): DomainError {
  return new DomainError(
    'conflict',
    'voucher_other_store',
    'this voucher belongs to another store: it can be used here only while that store is online',
    'text',
  );
}

/** A voucher this store gave to another store of the owner: used there only. */
export function movedAway(): DomainError {
  return new DomainError(
    'conflict',
    'voucher_moved',
    "this voucher was moved to another of the owner's stores: it can be used there only",
    'text',
  );
}
