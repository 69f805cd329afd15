/**
 * The test run's own temporary folder. Tests make their hubs' databases, CouchDB folders and
 * browser profiles under the system's temporary folder and, a test being cut short as often as
 * not, leave them there: a few hundred megabytes a run, gigabytes on a machine that runs the
 * tests all day. Every test process (the workers and what they spawn) inherits `TMPDIR` pointing
 * into one folder made for this run, and the folder goes when the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const before = process.env.TMPDIR;
  const folder = mkdtempSync(join(tmpdir(), 'roomhub-tests-'));
  // What outlives the run (the built screens, kept by their source's hash) stays in the system's.
  process.env.SYSTEM_TMPDIR ??= tmpdir();
  process.env.TMPDIR = folder;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
  };
}
