// Door codes that work with no network (C6): each paid booking gets its own TOTP secret (RFC 6238,
// through otpauth); the phone or the kiosk shows the current code or a QR of it, and the hub
// checks it offline. A code is good once, only inside the booking's window, and wrong guesses
// lock the keypad or scanner out. Owns `door_codes` and `door_lockouts`; opens nothing itself.
// Secrets are sealed with the hub's secret key: a copied database or backup opens no door.
import { Secret, TOTP } from 'otpauth';
import type { Clock } from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { SecretKey } from '../security/secret-key';
import { DomainError } from '@roomhub/shared-types';

const PERIOD = 30; // seconds: the customer reads the code off a phone and types it
const DIGITS = 6;

export interface CurrentCode {
  code: string;
  /** What the door scanner reads: RH1:<booking number>:<code>. */
  qrPayload: string;
  validUntil: number;
}

export class DoorCodes {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly key: SecretKey,
  ) {}

  /** Seals secrets written before they were sealed. Runs inside a write, at start. */
  sealPlain(): number {
    const rows = this.db
      .prepare(`SELECT booking_id, secret FROM door_codes WHERE substr(secret, 1, 3) <> 'v1:'`)
      .all() as { booking_id: string; secret: string }[];
    for (const r of rows) {
      this.db
        .prepare('UPDATE door_codes SET secret = ? WHERE booking_id = ?')
        .run(this.key.seal(r.secret), r.booking_id);
    }
    return rows.length;
  }

  private totp(secret: string): TOTP {
    return new TOTP({
      secret: Secret.fromBase32(secret),
      digits: DIGITS,
      period: PERIOD,
      algorithm: 'SHA1',
    });
  }

  /** Gives a booking its secret, once. Runs inside the write that makes the booking paid. */
  ensure(bookingId: string): void {
    this.db
      .prepare(
        'INSERT INTO door_codes (booking_id, secret, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(bookingId, this.key.seal(new Secret({ size: 20 }).base32), this.clock.now());
  }

  secretOf(bookingId: string): string | null {
    const r = this.db
      .prepare('SELECT secret FROM door_codes WHERE booking_id = ?')
      .get(bookingId) as { secret: string } | undefined;
    return r ? this.key.open(r.secret) : null;
  }

  current(bookingId: string, number: string): CurrentCode | null {
    const secret = this.secretOf(bookingId);
    if (!secret) return null;
    const now = this.clock.now();
    const code = this.totp(secret).generate({ timestamp: now });
    const step = Math.floor(now / 1000 / PERIOD);
    return { code, qrPayload: `RH1:${number}:${code}`, validUntil: (step + 1) * PERIOD * 1000 };
  }

  /**
   * True when `code` is a fresh code of this booking (this step or the one before or after, for a
   * phone's clock a little off), and marks it used. A replayed code is refused.
   */
  check(bookingId: string, code: string): boolean {
    const row = this.db
      .prepare('SELECT secret, last_step FROM door_codes WHERE booking_id = ?')
      .get(bookingId) as { secret: string; last_step: number | null } | undefined;
    if (!row || !/^\d{6}$/.test(code)) return false;
    const now = this.clock.now();
    const delta = this.totp(this.key.open(row.secret)).validate({
      token: code,
      timestamp: now,
      window: 1,
    });
    if (delta === null) return false;
    const step = Math.floor(now / 1000 / PERIOD) + delta;
    if (row.last_step !== null && step <= row.last_step) return false;
    this.db
      .prepare('UPDATE door_codes SET last_step = ? WHERE booking_id = ?')
      .run(step, bookingId);
    return true;
  }

  /** Refuses at once while `input` (a keypad or scanner) is locked out. */
  assertNotLocked(input: string): void {
    const r = this.db
      .prepare('SELECT locked_until FROM door_lockouts WHERE input = ?')
      .get(input) as { locked_until: number | null } | undefined;
    const now = this.clock.now();
    if (r?.locked_until && r.locked_until > now) {
      const minutes = Math.ceil((r.locked_until - now) / 60_000);
      throw new DomainError(
        'forbidden',
        'door_locked_out',
        `too many wrong codes; try again in ${minutes} minute(s)`,
      );
    }
  }

  /** Counts a wrong code; the `max`-th in a row locks the input for `lockoutMinutes`. */
  wrong(
    input: string,
    max: number,
    lockoutMinutes: number,
  ): { lockedUntil: number | null; left: number } {
    const now = this.clock.now();
    const r = this.db
      .prepare('SELECT failures, locked_until FROM door_lockouts WHERE input = ?')
      .get(input) as { failures: number; locked_until: number | null } | undefined;
    // A lockout that has run out starts a fresh count.
    const before = r && !(r.locked_until && r.locked_until <= now) ? r.failures : 0;
    const failures = before + 1;
    const lockedUntil = failures >= max ? now + lockoutMinutes * 60_000 : null;
    this.db
      .prepare(
        `INSERT INTO door_lockouts (input, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(input) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
      )
      .run(input, lockedUntil ? 0 : failures, lockedUntil, now);
    return { lockedUntil, left: Math.max(0, max - failures) };
  }

  right(input: string): void {
    this.db.prepare('DELETE FROM door_lockouts WHERE input = ?').run(input);
  }
}
