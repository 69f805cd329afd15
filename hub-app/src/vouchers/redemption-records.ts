// The record of every voucher use (S2): the only module that writes `redemptions` and
// `voucher_settings`. A redemption is `queued` (reserved, a platform's consumption not confirmed
// yet), `done`, `failed` (a queued one the platform refused), `undone` (given back) or
// `refund_via_platform` (given back after the platform's undo window). One voucher has at most one
// live redemption: the schema's unique index holds it even if a check here were missed. Reads the
// booking's number for the view; never touches bookings or money.
import {
  formatInstant,
  instantAt,
  localDateOf,
  notFound,
  parseInstant,
  type Actor,
  type Clock,
  type DealSource,
  type DealView,
  type Entitlement,
  type PlatformConsumption,
  type PlatformVoucherPrepared,
  type RedemptionStatsRow,
  type RedemptionStatus,
  type RedemptionView,
  type VoucherSettings,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { AfterCommit } from '../db/write-queue';
import type { VoucherRow } from './own-vouchers';

/** A write, audited when the route gives it (`RouteInput.write`). */
export type Write = <T>(work: (afterCommit: AfterCommit) => T) => Promise<T>;

/** Why a voucher cannot be used, with the values its sentence needs. */
export interface Refusal {
  code: string;
  message: string;
  params: Record<string, string | number>;
}

/** A voucher found and understood, before anything is reserved. */
export interface Found {
  source: DealSource;
  /** What makes it one voucher: our voucher's id, or the platform and a hash of its code. */
  key: string;
  masked: string;
  deal: DealView | null;
  title: string;
  entitlement: Entitlement;
  faceValue: number;
  settleAmount: number;
  validFrom: number | null;
  validUntil: number | null;
  own?: VoucherRow;
  /** A platform's: its code, and what the platform said of it (null: taken offline). */
  platform?: { code: string; prepared: PlatformVoucherPrepared | null };
}

export interface RedemptionRow {
  id: string;
  request_id: string;
  source: DealSource;
  voucher_key: string;
  masked_code: string;
  deal_id: string | null;
  deal_title: string;
  booking_id: string;
  use_kind: 'book' | 'pay' | 'extend';
  payment_id: string | null;
  face_value: number;
  settle_amount: number;
  covered: number;
  status: RedemptionStatus;
  sealed_code: string | null;
  prepare_token: string | null;
  consumption_id: string | null;
  undo_until: number | null;
  actor_kind: Actor['kind'];
  actor_id: string;
  screen_id: string | null;
  at: number;
  undone_at: number | null;
  undone_by: string | null;
  undo_reason: string | null;
  last_error: string | null;
  attempts: number;
}

/** The statuses in which a redemption holds its voucher. */
const LIVE = `('done','queued','refund_via_platform')`;

export interface NewRedemption {
  id: string;
  requestId: string;
  found: Found;
  bookingId: string;
  useKind: RedemptionRow['use_kind'];
  covered: number;
  status: 'done' | 'queued';
  sealedCode: string | null;
  actor: Actor;
}

export class RedemptionRecords {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly timeZone: () => string,
  ) {}

  insert(n: NewRedemption): RedemptionRow {
    this.db
      .prepare(
        `INSERT INTO redemptions (id, request_id, source, voucher_key, masked_code, deal_id, deal_title, booking_id, use_kind,
           face_value, settle_amount, covered, status, sealed_code, prepare_token, actor_kind, actor_id, screen_id, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        n.id,
        n.requestId,
        n.found.source,
        n.found.key,
        n.found.masked,
        n.found.deal?.id ?? null,
        n.found.title,
        n.bookingId,
        n.useKind,
        n.found.faceValue,
        n.found.settleAmount,
        n.covered,
        n.status,
        n.sealedCode,
        n.found.platform?.prepared?.prepareToken ?? null,
        n.actor.kind,
        n.actor.id,
        n.actor.screen?.id ?? null,
        this.clock.now(),
      );
    return this.row(n.id);
  }

  /** When the voucher was redeemed, if a redemption holds it now. */
  liveAt(voucherKey: string): number | undefined {
    const r = this.db
      .prepare(`SELECT at FROM redemptions WHERE voucher_key = ? AND status IN ${LIVE}`)
      .get(voucherKey) as { at: number } | undefined;
    return r?.at;
  }

  setPayment(id: string, paymentId: string): void {
    this.db.prepare('UPDATE redemptions SET payment_id = ? WHERE id = ?').run(paymentId, id);
  }

  setPrepared(id: string, p: PlatformVoucherPrepared): void {
    this.db
      .prepare(
        'UPDATE redemptions SET prepare_token = ?, face_value = ?, settle_amount = ? WHERE id = ?',
      )
      .run(p.prepareToken, p.faceValue, p.settleAmount, id);
  }

  setConsumed(id: string, c: PlatformConsumption): void {
    this.db
      .prepare(
        `UPDATE redemptions SET status = 'done', consumption_id = ?, undo_until = ?, face_value = ?, settle_amount = ?, last_error = NULL WHERE id = ?`,
      )
      .run(
        c.consumptionId,
        c.undoUntil ? parseInstant(c.undoUntil) : null,
        c.faceValue,
        c.settleAmount,
        id,
      );
  }

  setFailed(id: string, error: string): void {
    this.db
      .prepare(`UPDATE redemptions SET status = 'failed', last_error = ? WHERE id = ?`)
      .run(error.slice(0, 300), id);
  }

  /** A try that got no answer: kept for staff to read, the job asks again. */
  noteTry(id: string, error: string): void {
    this.db
      .prepare('UPDATE redemptions SET last_error = ?, attempts = attempts + 1 WHERE id = ?')
      .run(error.slice(0, 300), id);
  }

  setUndoReason(id: string, reason: string): void {
    this.db.prepare('UPDATE redemptions SET undo_reason = ? WHERE id = ?').run(reason, id);
  }

  /** Who gave it back, while the platform's reversal is still on its way. */
  setUndoneBy(id: string, who: string): void {
    this.db.prepare('UPDATE redemptions SET undone_by = ? WHERE id = ?').run(who, id);
  }

  markUndone(id: string, actor: Actor): void {
    this.db
      .prepare(
        `UPDATE redemptions SET status = 'undone', undone_at = ?, undone_by = COALESCE(undone_by, ?) WHERE id = ?`,
      )
      .run(this.clock.now(), actor.id, id);
  }

  /** Given back after the platform's window: the customer's refund goes through the platform. */
  markRefundViaPlatform(id: string, by: string | null, error: string | null): void {
    this.db
      .prepare(
        `UPDATE redemptions SET status = 'refund_via_platform', undone_at = ?, undone_by = COALESCE(?, undone_by), last_error = COALESCE(?, last_error) WHERE id = ?`,
      )
      .run(this.clock.now(), by, error?.slice(0, 300) ?? null, id);
  }

  settings(): VoucherSettings {
    const r = this.db
      .prepare('SELECT provisional_offline FROM voucher_settings WHERE id = 1')
      .get() as { provisional_offline: number };
    return { provisionalOffline: r.provisional_offline === 1 };
  }

  setSettings(s: VoucherSettings): VoucherSettings {
    this.db
      .prepare('UPDATE voucher_settings SET provisional_offline = ? WHERE id = 1')
      .run(s.provisionalOffline ? 1 : 0);
    return this.settings();
  }

  // ---- reading ----

  byRequest(requestId: string): RedemptionRow | undefined {
    return this.db.prepare('SELECT * FROM redemptions WHERE request_id = ?').get(requestId) as
      RedemptionRow | undefined;
  }

  byPayment(paymentId: string): RedemptionRow | undefined {
    return this.db.prepare('SELECT * FROM redemptions WHERE payment_id = ?').get(paymentId) as
      RedemptionRow | undefined;
  }

  find(id: string): RedemptionRow | undefined {
    return this.db.prepare('SELECT * FROM redemptions WHERE id = ?').get(id) as
      RedemptionRow | undefined;
  }

  row(id: string): RedemptionRow {
    const r = this.find(id);
    if (!r) throw notFound('redemption', id);
    return r;
  }

  /** The redemptions of a platform made in the store's day `date`. */
  ofDay(source: DealSource, date: string): RedemptionRow[] {
    const tz = this.timeZone();
    return this.db
      .prepare(`SELECT * FROM redemptions WHERE source = ? AND at >= ? AND at < ? ORDER BY at`)
      .all(source, instantAt(date, 0, tz), instantAt(date, 24 * 60, tz)) as RedemptionRow[];
  }

  list(q: { date?: string; status?: RedemptionStatus }): RedemptionView[] {
    const tz = this.timeZone();
    const range = q.date
      ? [instantAt(q.date, 0, tz), instantAt(q.date, 24 * 60, tz)]
      : [0, Number.MAX_SAFE_INTEGER];
    const rows = this.db
      .prepare(
        `SELECT * FROM redemptions WHERE at >= ? AND at < ? AND (? IS NULL OR status = ?) ORDER BY at DESC LIMIT 500`,
      )
      .all(range[0], range[1], q.status ?? null, q.status ?? null) as RedemptionRow[];
    return rows.map((r) => this.view(r));
  }

  /** Redemptions that counted, per day, source and deal, with face value and settled amount. */
  stats(from: string, to: string): RedemptionStatsRow[] {
    const tz = this.timeZone();
    const rows = this.db
      .prepare(
        `SELECT at, source, deal_id, deal_title, face_value, settle_amount FROM redemptions
         WHERE at >= ? AND at < ? AND status IN ${LIVE} ORDER BY at`,
      )
      .all(instantAt(from, 0, tz), instantAt(to, 24 * 60, tz)) as Pick<
      RedemptionRow,
      'at' | 'source' | 'deal_id' | 'deal_title' | 'face_value' | 'settle_amount'
    >[];
    const by = new Map<string, RedemptionStatsRow>();
    for (const r of rows) {
      const date = localDateOf(r.at, tz);
      const k = `${date}|${r.source}|${r.deal_id ?? ''}`;
      const s = by.get(k) ?? {
        date,
        source: r.source,
        dealId: r.deal_id,
        dealTitle: r.deal_title,
        count: 0,
        faceValue: 0,
        settleAmount: 0,
      };
      s.count += 1;
      s.faceValue += r.face_value;
      s.settleAmount += r.settle_amount;
      by.set(k, s);
    }
    return [...by.values()];
  }

  view(r: RedemptionRow): RedemptionView {
    const tz = this.timeZone();
    const number = (
      this.db.prepare('SELECT number FROM bookings WHERE id = ?').get(r.booking_id) as {
        number: string;
      }
    ).number;
    return {
      id: r.id,
      source: r.source,
      maskedCode: r.masked_code,
      dealId: r.deal_id,
      dealTitle: r.deal_title,
      bookingId: r.booking_id,
      bookingNumber: number,
      faceValue: r.face_value,
      settleAmount: r.settle_amount,
      covered: r.covered,
      status: r.status,
      actor: { kind: r.actor_kind, id: r.actor_id },
      screenId: r.screen_id,
      at: formatInstant(r.at, tz),
      undoneAt: r.undone_at === null ? null : formatInstant(r.undone_at, tz),
      undoUntil: r.undo_until === null ? null : formatInstant(r.undo_until, tz),
      lastError: r.last_error,
    };
  }
}
