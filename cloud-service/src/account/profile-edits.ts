// A customer's profile edits, for the platform's users page (P3): each save of the profile that
// changed something is noted with the fields it changed, before and after, as
// `profile_edit:<customerId>:<instant>` in the cloud's own `customers` database. A phone number
// written into a field is kept masked. Deleting the account deletes the notes. Owns the notes;
// never the profile itself (account.service.ts).
import { randomUUID } from 'node:crypto';
import { CLOUD_DBS, type PlatformProfileEdit } from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import { maskPhone } from './mask-phone';

const FIELDS = ['name', 'gender', 'birthday', 'avatarUrl', 'signature', 'preferences'] as const;
const prefix = (customerId: string) => `profile_edit:${customerId}:`;

/** A field's value as the page shows it, with any mainland mobile number in it masked. */
function shown(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  let text: string;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => !(Array.isArray(v) && v.length === 0))
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join('、') : String(v)}`);
    if (parts.length === 0) return null;
    text = parts.join('; ');
  } else {
    text = String(value);
  }
  return text.replace(/(?<!\d)1\d{10}(?!\d)/g, (p) => maskPhone(p));
}

/** The fields a save changed, each before and after. */
export function profileChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): PlatformProfileEdit['changes'] {
  return FIELDS.flatMap((field) => {
    const was = shown(before[field]);
    const now = shown(after[field]);
    return was === now ? [] : [{ field, before: was, after: now }];
  });
}

/** Notes a save that changed something (never failing the save). */
export async function noteProfileEdit(
  couch: CouchClient,
  customerId: string,
  at: string,
  changes: PlatformProfileEdit['changes'],
): Promise<void> {
  if (changes.length === 0) return;
  await couch
    .put(CLOUD_DBS.customers, {
      _id: `${prefix(customerId)}${at}:${randomUUID().slice(0, 8)}`,
      type: 'profile_edit',
      customerId,
      at,
      changes,
    })
    .catch(() => undefined);
}

/** The customer's profile edits, newest first (50 at most). */
export async function profileEditsOf(
  couch: CouchClient,
  customerId: string,
): Promise<PlatformProfileEdit[]> {
  const docs = await couch.byPrefix(CLOUD_DBS.customers, prefix(customerId));
  return docs
    .flatMap((d) =>
      typeof d.at === 'string' && Array.isArray(d.changes)
        ? [{ at: d.at, changes: d.changes as PlatformProfileEdit['changes'] }]
        : [],
    )
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, 50);
}

/** Deletes the customer's notes (their account is being deleted). */
export async function forgetProfileEdits(couch: CouchClient, customerId: string): Promise<void> {
  for (const doc of await couch.byPrefix(CLOUD_DBS.customers, prefix(customerId))) {
    await couch.put(CLOUD_DBS.customers, { _id: doc._id, _rev: doc._rev, _deleted: true });
  }
}
