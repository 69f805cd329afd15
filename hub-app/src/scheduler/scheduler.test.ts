import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { openDatabase } from '../db/database';
import { Scheduler } from './scheduler';

describe('persistent scheduler', () => {
  it('runs due jobs, keeps future ones, and survives a restart', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sched-')), 'hub.db');
    const clock = new ManualClock(1_000_000);
    let db = openDatabase(file);
    let s = new Scheduler(db, clock);
    s.schedule('hold', 'a', 1_000_500);
    s.schedule('hold', 'b', 2_000_000);
    db.close();

    // A restart: a new scheduler over the same file finds both jobs.
    db = openDatabase(file);
    s = new Scheduler(db, clock);
    const ran: string[] = [];
    s.on('hold', async (job) => {
      ran.push(job.ref);
      s.done(job.kind, job.ref);
    });
    clock.advance(1_000);
    expect(await s.runDue()).toBe(1);
    expect(ran).toEqual(['a']);
    expect(s.pending().map((j) => j.ref)).toEqual(['b']);
    db.close();
  });

  it('backs a failing job off and keeps it until it succeeds', async () => {
    const clock = new ManualClock(0);
    const db = openDatabase(':memory:');
    const s = new Scheduler(db, clock);
    let fail = true;
    s.on('refund', async (job) => {
      if (fail) throw new Error('gateway down');
      s.done(job.kind, job.ref);
    });
    s.schedule('refund', 'r1', 0);
    await s.runDue();
    const [job] = s.pending();
    expect(job?.attempts).toBe(1);
    expect(job?.dueAt).toBe(5_000);
    fail = false;
    expect(await s.runDue()).toBe(0); // not due yet
    clock.advance(5_000);
    expect(await s.runDue()).toBe(1);
    expect(s.pending()).toEqual([]);
  });

  it('moving a job replaces it rather than adding a second', () => {
    const db = openDatabase(':memory:');
    const s = new Scheduler(db, new ManualClock(0));
    s.schedule('hold', 'a', 10);
    s.schedule('hold', 'a', 20);
    expect(s.pending()).toMatchObject([{ ref: 'a', dueAt: 20 }]);
  });
});
