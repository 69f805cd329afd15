// The audit log published for the owner's remote view: each entry marks its hour's document in the
// outbox, in the same write, and the hour's document carries who, what, to what and the outcome,
// never what the action changed. A real SQLite file, a hand-driven clock.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_HOUR_MAX, AuditHourDocSchema, auditDocId } from '@roomhub/shared-types';
import { ManualClock } from '../clock';
import { seedDemoStore } from '../demo/seed';
import { createHub, type Hub } from '../hub';
import { buildDocument } from '../sync/documents';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const cashier = { kind: 'staff', id: 's-lin', role: 'cashier' } as const;

let hub: Hub;
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock(T0);
  hub = createHub({ dataDir: mkdtempSync(join(tmpdir(), 'audit-publish-')), clock });
  await seedDemoStore(hub);
  // Setting the store up is audited too; the tests' own entries start at 11:00.
  clock.set(Date.parse('2026-11-23T11:00:00+08:00'));
});
afterEach(() => hub.close());

const marked = () =>
  (
    hub.db.prepare(`SELECT DISTINCT doc_id FROM outbox WHERE doc_id LIKE 'audit:%'`).all() as {
      doc_id: string;
    }[]
  ).map((r) => r.doc_id);

describe('the audit log published by the hour', () => {
  it('marks the hour of each entry and publishes who did what, without before and after', () => {
    hub.db.prepare(`DELETE FROM outbox`).run();
    hub.audit.record({
      actor: cashier,
      action: 'refund.approve',
      target: 'bk-1',
      outcome: 'refused',
      before: { phone: '13800001234' },
    });
    clock.advance(30 * 60_000);
    hub.audit.record({ actor: cashier, action: 'door.open', target: 'room-1' });
    // A member's wallet is named by its phone, an owner signed in by SMS by theirs.
    hub.audit.record({
      actor: { kind: 'staff', id: 'remote:13600000041', role: 'owner' },
      action: 'wallet.refund',
      target: '13800005678',
    });
    clock.advance(30 * 60_000);
    hub.audit.record({ actor: { kind: 'system', id: 'scheduler' }, action: 'session.end' });
    expect(marked().sort()).toEqual([auditDocId('2026-11-23', 11), auditDocId('2026-11-23', 12)]);

    const ten = AuditHourDocSchema.parse(
      buildDocument(hub, auditDocId('2026-11-23', 11), undefined),
    );
    expect(ten.entries.map((e) => [e.action, e.outcome])).toEqual([
      ['refund.approve', 'refused'],
      ['door.open', 'done'],
      ['wallet.refund', 'done'],
    ]);
    expect(ten.entries[2]).toMatchObject({
      actor: { id: 'remote:136****0041' },
      target: '138****5678',
    });
    expect(ten.entries[0]!.actor).toMatchObject({ kind: 'staff', id: 's-lin', role: 'cashier' });
    expect(ten.entries[0]!.at).toBe('2026-11-23T11:00:00+08:00');
    expect(ten.more).toBe(0);
    expect(JSON.stringify(ten)).not.toMatch(/1[3-9]\d{9}/);
    const eleven = AuditHourDocSchema.parse(
      buildDocument(hub, auditDocId('2026-11-23', 12), undefined),
    );
    expect(eleven.entries.map((e) => e.action)).toEqual(['session.end']);
    expect(eleven.entries[0]!.actor.name).toBeNull();
    // An hour with nothing in it is published empty, not refused.
    const nine = AuditHourDocSchema.parse(
      buildDocument(hub, auditDocId('2026-11-23', 8), undefined),
    );
    expect(nine.entries).toEqual([]);
  });

  it('names the staff member, and counts an hour’s entries beyond what one document carries', () => {
    hub.db
      .prepare(
        `INSERT INTO staff (id, name, role, pin_hash, pin_tag, created_at, updated_at)
         VALUES ('s-chen', '陈店主', 'owner', 'hash', 'tag', 0, 0)`,
      )
      .run();
    const actor = { kind: 'staff', id: 's-chen', role: 'owner' } as const;
    for (let i = 0; i < AUDIT_HOUR_MAX + 3; i++) {
      hub.audit.record({ actor, action: 'price.set', target: `r-${i}` });
      clock.advance(1000);
    }
    const doc = AuditHourDocSchema.parse(
      buildDocument(hub, auditDocId('2026-11-23', 11), undefined),
    );
    expect(doc.entries).toHaveLength(AUDIT_HOUR_MAX);
    expect(doc.more).toBe(3);
    // The newest are carried, oldest first.
    expect(doc.entries.at(-1)!.target).toBe(`r-${AUDIT_HOUR_MAX + 2}`);
    expect(doc.entries[0]!.target).toBe('r-3');
    expect(doc.entries[0]!.actor.name).toBe('陈店主');
  });

  it('rolls the mark back with a write that fails', () => {
    hub.db.prepare(`DELETE FROM outbox`).run();
    expect(() =>
      hub.db.transaction(() => {
        hub.audit.record({ actor: cashier, action: 'door.open', target: 'room-1' });
        throw new Error('the action failed');
      })(),
    ).toThrow('the action failed');
    expect(marked()).toEqual([]);
  });
});
