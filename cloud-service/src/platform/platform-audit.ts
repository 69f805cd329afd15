// The platform's audit trail: every change its console or its command line makes, who made it,
// to what, and why, one document each in `platform`, never edited. Owns the trail; never decides
// whether an action is allowed (the guard did).
import type { Clock, PlatformAuditEntry } from '@roomhub/shared-types';
import { isConflict, type CouchClient, type ViewRow } from '../couch';
import { CLOUD_DESIGNS, DESIGN, installDesign, type PlatformViewName } from '../design-docs';
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

  /**
   * The newest first, filtered by target or actor (by target when both are given): reads the
   * entries it answers with, through the platform's views when filtered, not the whole trail.
   */
  async list(
    reader: CouchClient,
    filter: { target?: string; actor?: string; limit: number },
  ): Promise<PlatformAuditEntry[]> {
    // An empty filter (`?target=`) filters nothing.
    const target = filter.target || undefined;
    const actor = filter.actor || undefined;
    const { limit } = filter;
    const docs =
      target === undefined && actor === undefined
        ? await reader.byPrefix(PLATFORM_DB, 'audit:', { descending: true, limit })
        : (
            await (target !== undefined && actor !== undefined
              ? auditRows(reader, 'audit-by-target-actor', [target, actor], limit)
              : target !== undefined
                ? auditRows(reader, 'audit-by-target', [target], limit)
                : auditRows(reader, 'audit-by-actor', [actor!], limit))
          ).flatMap((r) => (r.doc ? [r.doc] : []));
    return (docs as unknown as PlatformAuditEntry[])
      .filter((d) => (!target || d.target === target) && (!actor || d.actor === actor))
      .slice(0, limit)
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

  /** How many times `action` was taken on each of these targets, all told. */
  async countOf(reader: CouchClient, action: string, targets: readonly string[]): Promise<number> {
    const rows = await Promise.all(targets.map((t) => auditRows(reader, 'audit-by-target', [t])));
    return rows.flat().filter((r) => r.value === action).length;
  }
}

/**
 * The entries under one key prefix of a platform view, newest first (with their documents when a
 * limit is given). The instance holding the platform credential installs the views as it starts;
 * ones found missing (a database made before them) are put back. No `platform` database: none.
 */
async function auditRows(
  reader: CouchClient,
  view: PlatformViewName,
  key: string[],
  limit?: number,
): Promise<ViewRow[]> {
  const query = {
    startkey: [...key, {}],
    endkey: key,
    descending: true,
    ...(limit === undefined ? {} : { limit, includeDocs: true }),
  };
  const rows = await reader.view(PLATFORM_DB, DESIGN, view, query);
  if (rows) return rows;
  if (!(await reader.exists(PLATFORM_DB))) return [];
  await installDesign(reader, PLATFORM_DB, CLOUD_DESIGNS.platform);
  return (await reader.view(PLATFORM_DB, DESIGN, view, query)) ?? [];
}
