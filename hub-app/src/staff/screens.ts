// The store's paired screens (O9): the kiosk, the cashier screen, door scanners. The owner (or a
// manager) makes a one-time pairing code; the new screen trades it for a long-lived screen token,
// which it sends on every call. Owns `screens` and `pairing_codes`; codes and tokens are stored
// only as hashes. A screen is a device, not a person: it may do what its kind needs, and a
// cashier screen still needs a staff sign-in on top. Revoking a screen ends its token at once.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import {
  DomainError,
  formatInstant,
  MINUTE,
  notFound,
  type Actor,
  type Clock,
  type PairingCodeView,
  type Paired,
  type ScreenKind,
  type ScreenView,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { WriteQueue } from '../db/write-queue';
import type { AuditLog } from '../audit/audit-log';
import type { StoreService } from '../store/store.service';

const CODE_LIFETIME = 10 * MINUTE;
const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

interface ScreenRow {
  id: string;
  name: string;
  kind: ScreenKind;
  room_id: string | null;
  token_hash: string;
  paired_by: string;
  paired_at: number;
  last_seen_at: number | null;
  revoked_at: number | null;
}

export interface ScreenDeps {
  db: Db;
  clock: Clock;
  writes: WriteQueue;
  newId: NewId;
  store: StoreService;
  audit: AuditLog;
}

export class Screens {
  /** When each screen was last seen, written at most once a minute per screen. */
  private readonly seen = new Map<string, number>();

  constructor(private readonly d: ScreenDeps) {}

  private tz(): string {
    return this.d.store.getStore().timeZone;
  }

  /** A one-time code for a new screen. Runs inside a write. */
  createPairingCode(
    input: { name: string; kind: ScreenKind; roomId?: string | undefined },
    actor: Actor,
  ): PairingCodeView {
    if (input.roomId !== undefined) this.d.store.getRoom(input.roomId, 'roomId');
    const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
    const expiresAt = this.d.clock.now() + CODE_LIFETIME;
    this.d.db
      .prepare(
        `INSERT INTO pairing_codes (code_hash, name, kind, room_id, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(hashOf(code), input.name, input.kind, input.roomId ?? null, actor.id, expiresAt);
    this.d.audit.record({
      actor,
      action: 'screen.pairing_code',
      after: { name: input.name, kind: input.kind, roomId: input.roomId ?? null },
    });
    return {
      code,
      name: input.name,
      kind: input.kind,
      expiresAt: formatInstant(expiresAt, this.tz()),
    };
  }

  /** A new screen trades its code for its token; a code works once, for ten minutes. */
  pair(code: string): Paired {
    const now = this.d.clock.now();
    const c = this.d.db
      .prepare('SELECT * FROM pairing_codes WHERE code_hash = ?')
      .get(hashOf(code)) as
      | {
          code_hash: string;
          name: string;
          kind: ScreenKind;
          room_id: string | null;
          created_by: string;
          expires_at: number;
          used_at: number | null;
        }
      | undefined;
    if (!c || c.used_at !== null || c.expires_at <= now) {
      throw new DomainError(
        'unauthenticated',
        'pairing_code_invalid',
        'this pairing code is wrong, used or expired; ask the owner for a new one',
        'code',
      );
    }
    this.d.db
      .prepare('UPDATE pairing_codes SET used_at = ? WHERE code_hash = ?')
      .run(now, c.code_hash);
    const id = this.d.newId();
    const token = randomBytes(32).toString('base64url');
    this.d.db
      .prepare(
        `INSERT INTO screens (id, name, kind, room_id, token_hash, paired_by, paired_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, c.name, c.kind, c.room_id, hashOf(token), c.created_by, now);
    this.d.audit.record({
      actor: { kind: 'system', id: 'pairing', screen: { id, kind: c.kind } },
      action: 'screen.pair',
      target: id,
      after: { name: c.name, kind: c.kind, roomId: c.room_id, pairedBy: c.created_by },
    });
    return { token, screen: this.view(this.row(id)!) };
  }

  /** The screen a token names, unless revoked. */
  screenOf(token: string): ScreenRow | null {
    const s = this.d.db.prepare('SELECT * FROM screens WHERE token_hash = ?').get(hashOf(token)) as
      ScreenRow | undefined;
    if (!s || s.revoked_at !== null) return null;
    const now = this.d.clock.now();
    if (now - (this.seen.get(s.id) ?? 0) > MINUTE) {
      this.seen.set(s.id, now);
      // Best effort, in the write queue like every write: a lost sighting costs nothing.
      void this.d.writes
        .run(() =>
          this.d.db.prepare('UPDATE screens SET last_seen_at = ? WHERE id = ?').run(now, s.id),
        )
        .catch(() => undefined);
    }
    return s;
  }

  list(): ScreenView[] {
    const rows = this.d.db
      .prepare('SELECT * FROM screens ORDER BY revoked_at IS NOT NULL, paired_at DESC')
      .all() as ScreenRow[];
    return rows.map((r) => this.view(r));
  }

  /** Ends a screen's token at once. Runs inside a write. */
  revoke(id: string, actor: Actor): ScreenView {
    const s = this.row(id);
    if (!s) throw notFound('screen', id, 'id');
    if (s.revoked_at === null) {
      this.d.db
        .prepare('UPDATE screens SET revoked_at = ? WHERE id = ?')
        .run(this.d.clock.now(), id);
      this.d.audit.record({ actor, action: 'screen.revoke', target: id, before: this.view(s) });
    }
    return this.view(this.row(id)!);
  }

  private row(id: string): ScreenRow | undefined {
    return this.d.db.prepare('SELECT * FROM screens WHERE id = ?').get(id) as ScreenRow | undefined;
  }

  private view(s: ScreenRow): ScreenView {
    const tz = this.tz();
    const at = (ms: number | null) => (ms === null ? null : formatInstant(ms, tz));
    return {
      id: s.id,
      name: s.name,
      kind: s.kind,
      roomId: s.room_id,
      pairedBy: s.paired_by,
      pairedAt: formatInstant(s.paired_at, tz),
      lastSeenAt: at(s.last_seen_at),
      revokedAt: at(s.revoked_at),
    };
  }
}
