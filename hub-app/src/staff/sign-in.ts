// Staff sign-in at the store (O9): a PIN for a bearer token. Owns `staff_tokens` and
// `sign_in_waits`. A token is random, stored only as its SHA-256, expires (12 hours by default),
// and dies when its staff member is disabled or changes PIN. Wrong PINs slow down, never lock
// out: after five wrong tries from one screen or address, each further try waits, 60 s doubling
// to 15 minutes, and the owner can end a wait. Every try is in the audit log.
import { createHash, randomBytes } from 'node:crypto';
import {
  DomainError,
  formatInstant,
  HOUR,
  type Actor,
  type Clock,
  type ScreenKind,
  type SignedIn,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { WriteQueue } from '../db/write-queue';
import type { AuditLog } from '../audit/audit-log';
import type { StaffRow, StaffService } from './staff.service';

const FREE_TRIES = 5;
const FIRST_WAIT_MS = 60_000;
const LONGEST_WAIT_MS = 15 * 60_000;

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface SignInDeps {
  db: Db;
  clock: Clock;
  writes: WriteQueue;
  staff: StaffService;
  audit: AuditLog;
  timeZone: () => string;
  /** How long a sign-in lasts; 12 hours unless set. */
  tokenTtlMs?: number;
}

/** Where a sign-in comes from: a paired screen, or an address. */
export interface SignInSource {
  key: string;
  screen?: { id: string; kind: ScreenKind };
}

export class SignIn {
  constructor(private readonly d: SignInDeps) {}

  private ttl(): number {
    return this.d.tokenTtlMs ?? 12 * HOUR;
  }

  async signIn(pin: string, source: SignInSource): Promise<SignedIn> {
    this.assertNotWaiting(source.key);
    // The slow hash runs outside the write, so other writes do not wait on it.
    const staff = await this.d.staff.byPin(pin);
    return this.d.writes
      .run(() => {
        this.assertNotWaiting(source.key);
        const who: Actor = staff
          ? { kind: 'staff', id: staff.id, role: staff.role }
          : { kind: 'customer', id: 'anonymous' };
        if (source.screen) who.screen = source.screen;
        if (!staff) {
          const left = this.countWrong(source.key);
          this.d.audit.record({
            actor: who,
            action: 'auth.sign_in',
            target: source.key,
            outcome: 'refused',
          });
          return new DomainError(
            'unauthenticated',
            'wrong_pin',
            left > 0
              ? `wrong PIN; ${left} more tries before each try has to wait`
              : 'wrong PIN; the next try has to wait a minute',
            'pin',
          );
        }
        this.d.db.prepare('DELETE FROM sign_in_waits WHERE source = ?').run(source.key);
        this.d.audit.record({ actor: who, action: 'auth.sign_in', target: source.key });
        return this.issue(staff, source.screen?.id ?? null);
      })
      .then((r) => {
        // The wrong try is counted (the write committed); then it is refused.
        if (r instanceof DomainError) throw r;
        return r;
      });
  }

  private issue(staff: StaffRow, screenId: string | null): SignedIn {
    const token = randomBytes(32).toString('base64url');
    const now = this.d.clock.now();
    const expiresAt = now + this.ttl();
    this.d.db
      .prepare(
        `INSERT INTO staff_tokens (token_hash, staff_id, pin_version, screen_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(tokenHash(token), staff.id, staff.pin_version, screenId, now, expiresAt);
    return {
      token,
      expiresAt: formatInstant(expiresAt, this.d.timeZone()),
      staff: { id: staff.id, name: staff.name, role: staff.role },
    };
  }

  /** The staff member a bearer token names, if it is still good. */
  staffOf(token: string): StaffRow | null {
    const t = this.d.db
      .prepare('SELECT * FROM staff_tokens WHERE token_hash = ?')
      .get(tokenHash(token)) as
      | { staff_id: string; pin_version: number; expires_at: number; revoked_at: number | null }
      | undefined;
    if (!t || t.revoked_at !== null || t.expires_at <= this.d.clock.now()) return null;
    const staff = this.d.staff.find(t.staff_id);
    if (!staff || staff.status !== 'active' || staff.pin_version !== t.pin_version) return null;
    return staff;
  }

  /** Ends a sign-in. Runs inside a write. */
  signOut(token: string, actor: Actor): { signedOut: true } {
    this.d.db
      .prepare('UPDATE staff_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL')
      .run(this.d.clock.now(), tokenHash(token));
    this.d.audit.record({ actor, action: 'auth.sign_out' });
    return { signedOut: true };
  }

  /** The owner ends a wait (one source's, or every one). Runs inside a write. */
  clearWaits(source: string | undefined, actor: Actor): { cleared: number } {
    const r = source
      ? this.d.db.prepare('DELETE FROM sign_in_waits WHERE source = ?').run(source)
      : this.d.db.prepare('DELETE FROM sign_in_waits').run();
    this.d.audit.record({ actor, action: 'auth.clear_wait', target: source ?? null });
    return { cleared: r.changes };
  }

  private assertNotWaiting(source: string): void {
    const w = this.d.db
      .prepare('SELECT wait_until FROM sign_in_waits WHERE source = ?')
      .get(source) as { wait_until: number | null } | undefined;
    const now = this.d.clock.now();
    if (w?.wait_until && w.wait_until > now) {
      const seconds = Math.ceil((w.wait_until - now) / 1000);
      throw new DomainError(
        'rate_limited',
        'wait_before_trying',
        `too many wrong PINs here; try again in ${seconds} s (the owner can end the wait)`,
        'pin',
        seconds,
      ).with({ seconds });
    }
  }

  /** Counts a wrong try; returns how many tries are left before waits begin. */
  private countWrong(source: string): number {
    const now = this.d.clock.now();
    const r = this.d.db
      .prepare('SELECT failures FROM sign_in_waits WHERE source = ?')
      .get(source) as { failures: number } | undefined;
    const failures = (r?.failures ?? 0) + 1;
    const waitMs =
      failures < FREE_TRIES
        ? null
        : Math.min(FIRST_WAIT_MS * 2 ** (failures - FREE_TRIES), LONGEST_WAIT_MS);
    this.d.db
      .prepare(
        `INSERT INTO sign_in_waits (source, failures, wait_until, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(source) DO UPDATE SET failures = excluded.failures, wait_until = excluded.wait_until, updated_at = excluded.updated_at`,
      )
      .run(source, failures, waitMs === null ? null : now + waitMs, now);
    return Math.max(0, FREE_TRIES - failures);
  }
}
