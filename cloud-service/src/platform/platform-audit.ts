// The platform's audit trail: every change its console or its command line makes, who made it,
// to what, and why, one document each in `platform`, never edited. Owns the trail; never decides
// whether an action is allowed (the guard did).
import type { Clock, PlatformAuditEntry } from '@roomhub/shared-types';
import { isConflict, type CouchClient } from '../couch';
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

  /**
   * Writes one entry. With `once`, the entry of a write that has its own record (a deposit entry):
   * its time and id are that record's, so recording it again, as a retry of a request whose answer
   * was lost does, finds it written and writes nothing.
   */
  async record(
    writer: CouchClient,
    entry: Omit<PlatformAuditEntry, 'id' | 'at'>,
    once?: { at: string; id: string },
  ): Promise<PlatformAuditEntry> {
    const at = once?.at ?? new Date(this.d.clock.now()).toISOString();
    const id = once?.id ?? this.d.newId();
    const full: PlatformAuditEntry = { id, at, ...entry };
    try {
      await writer.put(PLATFORM_DB, {
        _id: auditId(at, once ? 0 : (sequence += 1), id),
        type: 'platform_audit',
        ...full,
      });
    } catch (error) {
      if (!once || !isConflict(error)) throw error;
    }
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
