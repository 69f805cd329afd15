// The platform's audit trail: every change its console or its command line makes, who made it,
// to what, and why, one document each in `platform`, never edited. Owns the trail; never decides
// whether an action is allowed (the guard did).
import type { Clock, PlatformAuditEntry } from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import { PLATFORM_DB } from './platform-store';

/**
 * Ids sort by time: `audit:<ISO instant>:<sequence>:<id>`; the sequence keeps one instance's
 * entries of the same millisecond in the order they were made.
 */
const auditId = (at: string, seq: number, id: string) =>
  `audit:${at}:${String(seq).padStart(12, '0')}:${id}`;
let sequence = 0;

export class PlatformAudit {
  constructor(private readonly d: { clock: Clock; newId: () => string }) {}

  async record(
    writer: CouchClient,
    entry: Omit<PlatformAuditEntry, 'id' | 'at'>,
  ): Promise<PlatformAuditEntry> {
    const at = new Date(this.d.clock.now()).toISOString();
    const id = this.d.newId();
    const full: PlatformAuditEntry = { id, at, ...entry };
    await writer.put(PLATFORM_DB, {
      _id: auditId(at, (sequence += 1), id),
      type: 'platform_audit',
      ...full,
    });
    return full;
  }

  /** The newest first, filtered by target or actor. */
  async list(
    reader: CouchClient,
    filter: { target?: string; actor?: string; limit: number },
  ): Promise<PlatformAuditEntry[]> {
    const docs = (await reader.byPrefix(PLATFORM_DB, 'audit:')) as unknown as PlatformAuditEntry[];
    return docs
      .reverse()
      .filter(
        (d) =>
          (!filter.target || d.target === filter.target) &&
          (!filter.actor || d.actor === filter.actor),
      )
      .slice(0, filter.limit)
      .map(({ id, at, actor, action, target, reason, detail }) => ({
        id,
        at,
        actor,
        action,
        target,
        reason,
        ...(detail ? { detail } : {}),
      }));
  }
}
