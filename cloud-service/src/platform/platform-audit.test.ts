// The platform's audit trail read as the console reads it, against the embedded CouchDB-compatible
// server over HTTP: whatever entries were made (many in the same millisecond, about a few targets
// by a few actors), the newest-first list, unfiltered or filtered by target, by actor or by both,
// is exactly the entries that match, newest first, at most the limit asked; and the count of an
// action on a merchant's stores is the count of those entries. The filtered reads go through the
// platform database's views, put back when a database made before them lacks them.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformAuditEntry } from '@roomhub/shared-types';
import { startTestCouch, type TestCouch } from '../../test/test-couch';
import { PlatformAudit } from './platform-audit';
import { initPlatformStore, PLATFORM_DB, platformStore } from './platform-store';

let root: string;
let couch: TestCouch;
let clockAt = Date.parse('2026-12-01T10:00:00+08:00');
let ids = 0;
const audit = new PlatformAudit({
  clock: { now: () => clockAt },
  newId: () => `e${(ids += 1)}`,
});
/** Every entry written, in the order made (the trail's order). */
const made: PlatformAuditEntry[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'platform-audit-'));
  couch = await startTestCouch(root);
  await initPlatformStore(platformStore(couch.admin, couch.couch.adminUrl));
});

afterAll(async () => {
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

const TARGETS = ['store:s1', 'store:s2', 'store:s3', 'settings'];
const ACTORS = ['13900000001', '13900000002', 'cli'];
const ACTIONS = ['store.suspend', 'store.resume', 'settings.change'];

const entryArb = fc.record({
  target: fc.constantFrom(...TARGETS),
  actor: fc.constantFrom(...ACTORS),
  action: fc.constantFrom(...ACTIONS),
  /** Milliseconds after the one before: 0 is the same millisecond. */
  after: fc.constantFrom(0, 0, 1, 1_000),
});

// An empty filter (`?target=`) filters nothing.
const filterArb = fc.record({
  target: fc.option(fc.constantFrom('', ...TARGETS), { nil: undefined }),
  actor: fc.option(fc.constantFrom('', ...ACTORS), { nil: undefined }),
  limit: fc.integer({ min: 1, max: 40 }),
});

describe('the platform audit trail', () => {
  it('lists exactly the matching entries, newest first, up to the limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entryArb, { maxLength: 12 }),
        fc.array(filterArb, { minLength: 1, maxLength: 4 }),
        async (entries, filters) => {
          for (const e of entries) {
            clockAt += e.after;
            made.push(
              await audit.record(couch.admin, {
                actor: e.actor,
                action: e.action,
                target: e.target,
                reason: `because ${made.length}`,
              }),
            );
          }
          // The console's first page, unfiltered, every time.
          const unfiltered = { target: undefined, actor: undefined };
          for (const f of [
            ...filters,
            { ...unfiltered, limit: 5 },
            { ...unfiltered, limit: 1_000 },
          ]) {
            const listed = await audit.list(couch.admin, f);
            const expected = [...made]
              .reverse()
              .filter(
                (e) => (!f.target || e.target === f.target) && (!f.actor || e.actor === f.actor),
              )
              .slice(0, f.limit);
            expect(listed.map((e) => e.id)).toEqual(expected.map((e) => e.id));
            expect(listed[0]).toEqual(expected[0]);
          }
          const stores = ['store:s1', 'store:s3'];
          expect(await audit.countOf(couch.admin, 'store.suspend', stores)).toBe(
            made.filter((e) => e.action === 'store.suspend' && stores.includes(e.target)).length,
          );
        },
      ),
      { numRuns: 25 },
    );
  });

  it('puts the views back when the platform database lacks them', async () => {
    const design = await couch.admin.get(PLATFORM_DB, '_design/cloud');
    expect(design).toMatchObject({ version: 1 });
    await couch.admin.bulkDocs(PLATFORM_DB, [{ ...design!, _deleted: true }]);
    clockAt += 1_000;
    const entry = await audit.record(couch.admin, {
      actor: 'cli',
      action: 'store.suspend',
      target: 'store:views-gone',
      reason: 'checked after the views went',
    });
    made.push(entry);
    const listed = await audit.list(couch.admin, { target: 'store:views-gone', limit: 5 });
    expect(listed.map((e) => e.id)).toEqual([entry.id]);
    expect(await couch.admin.get(PLATFORM_DB, '_design/cloud')).toMatchObject({ version: 1 });
  });
});
