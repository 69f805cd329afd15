// Staff accounts (O9): who works in the store, their role and their PIN. Owns `staff`. The owner
// manages everyone; a manager manages cashiers, customer service and cleaners. A PIN is stored
// only as a slow salted hash (argon2id) and a keyed tag that finds its owner, so the PIN alone
// names a staff member and no two share one. Every change is audited with its before and after.
// Signing in is sign-in.ts; this module never issues a token.
import { hash, verify } from '@node-rs/argon2';
import {
  DomainError,
  formatInstant,
  MANAGED_BY_MANAGER,
  notFound,
  type Actor,
  type Clock,
  type StaffRole,
  type StaffView,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { AuditLog } from '../audit/audit-log';
import type { Outbox } from '../sync/outbox';
import type { SecretKey } from '../security/secret-key';

/** OWASP's argon2id floor: 19 MiB, two passes. About 30 ms a try on a store's mini-PC. */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export interface StaffRow {
  id: string;
  name: string;
  role: StaffRole;
  pin_hash: string;
  pin_tag: string;
  pin_version: number;
  status: 'active' | 'disabled';
  created_at: number;
  updated_at: number;
}

export interface StaffDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  key: SecretKey;
  audit: AuditLog;
  /** The staff list the owner's remote view reads (names, roles, status; never a PIN). */
  outbox: Outbox;
  timeZone: () => string;
}

export class StaffService {
  constructor(private readonly d: StaffDeps) {}

  private pinTag(pin: string): string {
    return this.d.key.tag('staff-pin', pin);
  }

  /** A PIN's hash, made before the write it goes into (hashing is slow and asynchronous). */
  hashPin(pin: string): Promise<string> {
    return hash(pin, ARGON2);
  }

  /** The active staff member a PIN names, checked against the slow hash; null when none. */
  async byPin(pin: string): Promise<StaffRow | null> {
    const row = this.d.db
      .prepare(`SELECT * FROM staff WHERE pin_tag = ? AND status = 'active'`)
      .get(this.pinTag(pin)) as StaffRow | undefined;
    if (!row) return null;
    return (await verify(row.pin_hash, pin)) ? row : null;
  }

  find(id: string): StaffRow | undefined {
    return this.d.db.prepare('SELECT * FROM staff WHERE id = ?').get(id) as StaffRow | undefined;
  }

  get(id: string): StaffView {
    const row = this.find(id);
    if (!row) throw notFound('staff', id, 'id');
    return this.view(row);
  }

  list(): StaffView[] {
    const rows = this.d.db
      .prepare(
        `SELECT * FROM staff ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END, name`,
      )
      .all() as StaffRow[];
    return rows.map((r) => this.view(r));
  }

  hasOwner(): boolean {
    return (
      this.d.db.prepare(`SELECT 1 FROM staff WHERE role = 'owner' AND status = 'active'`).get() !==
      undefined
    );
  }

  /** Creates a staff member; `pinHash` from `hashPin`. Runs inside a write. */
  create(
    input: { name: string; role: StaffRole; pin: string; pinHash: string },
    actor: Actor,
  ): StaffView {
    this.assertManages(actor, input.role);
    const tag = this.pinTag(input.pin);
    this.assertPinFree(tag);
    const now = this.d.clock.now();
    const id = this.d.newId();
    this.d.db
      .prepare(
        `INSERT INTO staff (id, name, role, pin_hash, pin_tag, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, input.name, input.role, input.pinHash, tag, now, now);
    const created = this.get(id);
    this.d.audit.record({ actor, action: 'staff.create', target: id, after: created });
    this.d.outbox.markStaffList();
    return created;
  }

  /** Renames, changes the role of, disables or enables a staff member. Runs inside a write. */
  patch(
    id: string,
    patch: {
      name?: string | undefined;
      role?: StaffRole | undefined;
      status?: 'active' | 'disabled' | undefined;
    },
    actor: Actor,
  ): StaffView {
    const row = this.find(id);
    if (!row) throw notFound('staff', id, 'id');
    this.assertManages(actor, row.role);
    if (patch.role) this.assertManages(actor, patch.role);
    if (
      id === actor.id &&
      (patch.status === 'disabled' || (patch.role && patch.role !== row.role))
    ) {
      throw new DomainError(
        'conflict',
        'not_yourself',
        'you cannot disable yourself or change your own role; ask the owner',
      );
    }
    const next = { ...row, ...patch };
    if (row.role === 'owner' && (next.role !== 'owner' || next.status !== 'active'))
      this.assertAnotherOwner(id);
    const before = this.view(row);
    // Disabling ends every sign-in: tokens carry the PIN version they were issued at.
    const bump = patch.status === 'disabled' && row.status !== 'disabled' ? 1 : 0;
    this.d.db
      .prepare(
        'UPDATE staff SET name = ?, role = ?, status = ?, pin_version = pin_version + ?, updated_at = ? WHERE id = ?',
      )
      .run(next.name, next.role, next.status, bump, this.d.clock.now(), id);
    const after = this.get(id);
    this.d.audit.record({ actor, action: 'staff.patch', target: id, before, after });
    this.d.outbox.markStaffList();
    return after;
  }

  /** Sets a new PIN; every sign-in with the old one ends. Runs inside a write. */
  resetPin(id: string, pin: string, pinHash: string, actor: Actor): StaffView {
    const row = this.find(id);
    if (!row) throw notFound('staff', id, 'id');
    if (id !== actor.id) this.assertManages(actor, row.role);
    const tag = this.pinTag(pin);
    this.assertPinFree(tag, id);
    this.d.db
      .prepare(
        'UPDATE staff SET pin_hash = ?, pin_tag = ?, pin_version = pin_version + 1, updated_at = ? WHERE id = ?',
      )
      .run(pinHash, tag, this.d.clock.now(), id);
    // The PIN is never written to the log, not even hashed.
    this.d.audit.record({ actor, action: 'staff.reset_pin', target: id });
    return this.get(id);
  }

  /** The owner manages everyone; a manager, the roles below; nobody else manages staff. */
  private assertManages(actor: Actor, role: StaffRole): void {
    if (actor.role === 'owner') return;
    if (actor.role === 'manager' && MANAGED_BY_MANAGER.includes(role)) return;
    throw new DomainError(
      'forbidden',
      'not_your_staff',
      actor.role === 'manager'
        ? 'a manager manages cashiers, customer service and cleaners; ask the owner'
        : 'only the owner and managers manage staff',
      'role',
    );
  }

  private assertPinFree(tag: string, exceptId?: string): void {
    const other = this.d.db
      .prepare('SELECT id FROM staff WHERE pin_tag = ? AND id <> ?')
      .get(tag, exceptId ?? '');
    if (other) {
      throw new DomainError(
        'conflict',
        'pin_taken',
        'this PIN belongs to someone else; choose another',
        'pin',
      );
    }
  }

  private assertAnotherOwner(exceptId: string): void {
    const other = this.d.db
      .prepare(`SELECT 1 FROM staff WHERE role = 'owner' AND status = 'active' AND id <> ?`)
      .get(exceptId);
    if (!other) {
      throw new DomainError(
        'conflict',
        'last_owner',
        'the store must keep an owner; make someone else owner first',
        'role',
      );
    }
  }

  private view(r: StaffRow): StaffView {
    const tz = this.d.timeZone();
    return {
      id: r.id,
      name: r.name,
      role: r.role,
      status: r.status,
      createdAt: formatInstant(r.created_at, tz),
      updatedAt: formatInstant(r.updated_at, tz),
    };
  }
}
