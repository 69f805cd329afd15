// One day of a store's audit log for the owner's remote view, read from the hour documents its
// hub publishes (`audit:<date>T<hour>`): who did what at the store, to what, and whether the hub
// let them. Read-only, and the owner's alone (the route checks the store is theirs).
import {
  AUDIT_PREFIX,
  AuditHourDocSchema,
  storeDbName,
  type OwnerAudit,
} from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import { storeOwn } from './store-docs';

export async function auditOf(
  couch: CouchClient,
  storeId: string,
  date: string,
): Promise<OwnerAudit> {
  const db = storeDbName(storeId);
  const hours = storeOwn(
    await couch.byPrefix(db, `${AUDIT_PREFIX}${date}T`),
    AuditHourDocSchema,
    storeId,
  ).filter((h) => h.date === date);
  const entries = hours.flatMap((h) => h.entries).sort((a, b) => b.id - a.id);
  const updatedAt = hours.reduce<string | null>(
    (newest, h) => (newest === null || h.updatedAt > newest ? h.updatedAt : newest),
    null,
  );
  return {
    storeId,
    date,
    entries,
    more: hours.reduce((n, h) => n + h.more, 0),
    updatedAt,
  };
}
