// The audit log published for the owner away from the store (O12): each hour of entries is one
// document (`audit:<local date>T<hour>`), marked in the outbox with the entry that changed it, so
// an action and its publication land together. Who, what, to what and whether the hub let them;
// an action's before and after stay in the store, and a phone in an id or a target is masked.
import {
  AUDIT_HOUR_MAX,
  AuditHourDocSchema,
  auditDocId,
  auditHourOf,
  formatInstant,
  instantAt,
  type AuditHourDoc,
} from '@roomhub/shared-types';
import type { Outbox } from '../sync/outbox';
import type { AuditLog } from './audit-log';

const HOUR_MS = 60 * 60 * 1000;
/** A mobile number anywhere in a text (a member's id, a wallet's, an owner signed in by SMS). */
const MOBILE_IN_TEXT = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
/** Clipped to `n`, each phone in it masked as staff see it (138****1234): none leaves the store. */
const shown = (s: string | null, n: number) =>
  s === null ? null : s.replace(MOBILE_IN_TEXT, '$1****$2').slice(0, n);

/** Marks the hour of every entry recorded from now on. */
export function publishAuditHours(audit: AuditLog, outbox: Outbox, timeZone: () => string): void {
  audit.onRecorded((at) => {
    const local = formatInstant(at, timeZone());
    outbox.mark(auditDocId(local.slice(0, 10), Number(local.slice(11, 13))));
    // After the write the entry is part of has committed.
    queueMicrotask(() => outbox.notify());
  });
}

export function auditHourDocument(
  audit: AuditLog,
  staffNames: () => Map<string, string>,
  storeId: string,
  docId: string,
  timeZone: string,
  updatedAt: string,
): AuditHourDoc | null {
  const hour = auditHourOf(docId);
  if (!hour) return null;
  const from = instantAt(hour.date, hour.hour * 60, timeZone);
  const { entries, total } = audit.between(from, from + HOUR_MS, AUDIT_HOUR_MAX, timeZone);
  const names = entries.some((e) => e.actor.kind === 'staff') ? staffNames() : new Map();
  return AuditHourDocSchema.parse({
    _id: docId,
    type: 'audit_hour',
    storeId,
    date: hour.date,
    hour: hour.hour,
    entries: entries.map((e) => ({
      id: e.id,
      actor: {
        kind: e.actor.kind,
        id: shown(e.actor.id, 64),
        name: e.actor.kind === 'staff' ? shown(names.get(e.actor.id) ?? null, 40) : null,
        role: shown(e.actor.role, 30),
        screenId: shown(e.actor.screenId, 64),
      },
      action: shown(e.action, 60),
      target: shown(e.target, 120),
      outcome: e.outcome === 'refused' ? 'refused' : 'done',
      at: e.at,
    })),
    more: total - entries.length,
    updatedAt,
  });
}
