// Door codes that work with no network (C6): each paid booking gets its own secret; the phone or
// the kiosk shows the current code (TOTP, RFC 6238, through otpauth) or a QR of it, and the
// receipt and the SMS carry the booking's entry code (HOTP of the same secret, fixed for the
// booking), so a guest who steps out comes back in with what they hold. The hub checks both
// offline; whether the booking's window is open now is the door's decision, not the code's.
// Wrong guesses slow the keypad or scanner down, never shut it. Owns `door_codes` and
// `door_lockouts`; opens nothing itself. Secrets are sealed with the hub's secret key: a copied
// database or backup opens no door.
import { HOTP, Secret, TOTP } from 'otpauth';
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
  /** The booking's fixed code for the receipt and the SMS: good for its whole window. */
  entryCode: string;
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

  private entryOf(secret: string): string {
    return new HOTP({ secret: Secret.fromBase32(secret), digits: DIGITS }).generate({
      counter: 0,
    });
  }

  current(bookingId: string, number: string): CurrentCode | null {
    const secret = this.secretOf(bookingId);
    if (!secret) return null;
    const now = this.clock.now();
    const code = this.totp(secret).generate({ timestamp: now });
    const step = Math.floor(now / 1000 / PERIOD);
    return {
      code,
      qrPayload: `RH1:${number}:${code}`,
      validUntil: (step + 1) * PERIOD * 1000,
      entryCode: this.entryOf(secret),
    };
  }

  /**
   * True when `code` is this booking's entry code, or its current code (this step or the one
   * before or after, for a phone's clock a little off). Good as often as the guest comes and goes:
   * the door decides whether the booking's window is open.
   */
  check(bookingId: string, code: string): boolean {
    const secret = this.secretOf(bookingId);
    if (!secret || !/^\d{6}$/.test(code)) return false;
    if (code === this.entryOf(secret)) return true;
    return (
      this.totp(secret).validate({ token: code, timestamp: this.clock.now(), window: 1 }) !== null
    );
  }

  /**
   * After `max` wrong codes in a row, `input` (a keypad or scanner) is slowed down for
   * `minutes` after the last wrong one: it takes one try in `trySeconds`. A try that comes too
   * soon is refused unread (and not counted); any other is read, so a right code still opens.
   */
  assertTryAllowed(input: string, s: { lockoutMinutes: number; lockoutTrySeconds: number }): void {
    const r = this.db
      .prepare('SELECT locked_until, updated_at FROM door_lockouts WHERE input = ?')
      .get(input) as { locked_until: number | null; updated_at: number } | undefined;
    const now = this.clock.now();
    if (!r?.locked_until || r.locked_until <= now) return;
    const wait = r.updated_at + s.lockoutTrySeconds * 1000 - now;
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new DomainError(
        'rate_limited',
        'door_locked_out',
        `too many wrong codes: one try every ${s.lockoutTrySeconds} seconds for now; try again in ${seconds} s`,
        undefined,
        seconds,
      ).with({ seconds });
    }
  }

  /**
   * Counts a wrong code. From the `max`-th in a row the input is slowed down until
   * `lockoutMinutes` after the latest wrong one.
   */
  wrong(
    input: string,
    max: number,
    lockoutMinutes: number,
  ): { slowedUntil: number | null; left: number } {
    const now = this.clock.now();
    const r = this.db
      .prepare('SELECT failures, locked_until, updated_at FROM door_lockouts WHERE input = ?')
      .get(input) as
      { failures: number; locked_until: number | null; updated_at: number } | undefined;
    // Wrong codes count for `lockoutMinutes` after the last one; a slow-down that has run out, or
    // a quiet spell as long, starts a fresh count. A right code does not: somebody who holds one
    // booking's code must not wipe the count of guesses at other bookings by typing it in between.
    const quiet = r && now - r.updated_at >= lockoutMinutes * 60_000;
    const before = r && !quiet && !(r.locked_until && r.locked_until <= now) ? r.failures : 0;
    const failures = before + 1;
    const slowedUntil = failures >= max ? now + lockoutMinutes * 60_000 : null;
    this.db
      .prepare(
        `INSERT INTO door_lockouts (input, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(input) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
      )
      .run(input, failures, slowedUntil, now);
    return { slowedUntil, left: Math.max(0, max - failures) };
  }
}
