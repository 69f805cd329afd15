import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fakeFork, ManualTimers, settle } from './fake-electron';
import { HubService, restartDelayMs, type HubServiceState } from './hub-service';

const URL_A = 'http://127.0.0.1:8080';

function rig(opts: { startTimeoutMs?: number } = {}) {
  const timers = new ManualTimers();
  const { fork, started } = fakeFork();
  const states: HubServiceState[] = [];
  const service = new HubService({
    fork,
    modulePath: '/app/main.mjs',
    env: { HUB_DATA_DIR: '/data/hub' },
    execArgv: ['--max-old-space-size=128'],
    timers,
    startTimeoutMs: opts.startTimeoutMs ?? 30_000,
    firstDelayMs: 1_000,
    maxDelayMs: 30_000,
    stableMs: 60_000,
    onState: (s) => states.push(s),
  });
  const last = () => started.at(-1)!;
  return { timers, started, states, service, last };
}

describe('the hub service in the desktop app', () => {
  it('runs the hub build with its settings and V8 flags, and serves once the hub prints its address', async () => {
    const { service, started, last } = rig();
    service.start();
    expect(service.state).toEqual({ kind: 'starting', failedStarts: 0 });
    expect(started).toHaveLength(1);
    expect(last().modulePath).toBe('/app/main.mjs');
    expect(last().options.env.HUB_DATA_DIR).toBe('/data/hub');
    expect(last().options.execArgv).toEqual(['--max-old-space-size=128']);
    last().serve(URL_A);
    await settle();
    expect(service.state).toEqual({ kind: 'serving', url: URL_A });
  });

  it('starts a hub that died again, waiting 1 s, then 2, 4, 8... up to 30 s while it keeps dying', async () => {
    const { service, started, last, timers } = rig();
    service.start();
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      last().fail('Error: SQLITE_CANTOPEN: unable to open database file');
      last().exit(1);
      await settle();
      const s = service.state;
      if (s.kind !== 'restarting') throw new Error(`expected restarting, got ${s.kind}`);
      expect(s.reason).toContain('SQLITE_CANTOPEN');
      expect(s.settingsRefused).toBe(false);
      waits.push(s.retryInMs);
      // Not a moment before its time.
      await timers.advance(s.retryInMs - 1);
      expect(started).toHaveLength(i + 1);
      await timers.advance(1);
      expect(started).toHaveLength(i + 2);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('after a good long run, a death is waited on from 1 s again', async () => {
    const { service, last, timers } = rig();
    service.start();
    for (let i = 0; i < 3; i++) {
      last().exit(1);
      await settle();
      await timers.advance((service.state as { retryInMs: number }).retryInMs);
    }
    expect(service.state).toMatchObject({ kind: 'starting', failedStarts: 3 });
    last().serve(URL_A);
    await settle();
    await timers.advance(2 * 3_600_000);
    last().exit(137);
    await settle();
    expect(service.state).toMatchObject({ kind: 'restarting', failedStarts: 1, retryInMs: 1_000 });
    expect(service.state).toMatchObject({ reason: expect.stringContaining('exit code 137') });
  });

  it('says the settings were refused when the hub exits for them, with what it said', async () => {
    const { service, last } = rig();
    service.start();
    last().fail('HUB_PORT must be a port number, got eighty');
    last().exit(2);
    await settle();
    expect(service.state).toMatchObject({
      kind: 'restarting',
      settingsRefused: true,
      reason: expect.stringContaining('HUB_PORT must be a port number'),
    });
  });

  it('stops a hub that never says where it serves, and counts it as a failed start', async () => {
    const { service, last, timers } = rig({ startTimeoutMs: 20_000 });
    service.start();
    const first = last();
    await timers.advance(20_000);
    expect(first.killed).toBe(true);
    expect(service.state).toMatchObject({
      kind: 'restarting',
      failedStarts: 1,
      reason: expect.stringContaining('did not answer within 20 s'),
    });
  });

  it('stops the hub on request and starts it no more', async () => {
    const { service, started, last, timers } = rig();
    service.start();
    last().serve(URL_A);
    await settle();
    await service.stop();
    expect(last().killed).toBe(true);
    expect(service.state).toEqual({ kind: 'stopped' });
    await timers.advance(600_000);
    expect(started).toHaveLength(1);
  });

  it('never runs two hubs at once and always waits between 1 s and 30 s, whatever the hub does', async () => {
    type Step = { kind: 'serve' | 'die' | 'hang' | 'wait'; ms: number; code: number };
    const step = fc.record({
      kind: fc.constantFrom<Step['kind']>('serve', 'die', 'hang', 'wait'),
      ms: fc.integer({ min: 0, max: 120_000 }),
      code: fc.constantFrom(0, 1, 2, 137),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
        const { service, started, states, timers, last } = rig();
        service.start();
        for (const s of steps) {
          const p = last();
          if (s.kind === 'serve') p.serve(URL_A);
          if (s.kind === 'die') p.exit(s.code);
          await settle();
          await timers.advance(s.ms);
          expect(started.filter((x) => x.alive).length).toBeLessThanOrEqual(1);
        }
        for (const st of states) {
          if (st.kind === 'restarting') {
            expect(st.retryInMs).toBeGreaterThanOrEqual(1_000);
            expect(st.retryInMs).toBeLessThanOrEqual(30_000);
          }
        }
        // Starts happen only from a wait or the first start: never more starts than waits + 1.
        const restarts = states.filter((st) => st.kind === 'restarting').length;
        expect(started.length).toBeLessThanOrEqual(restarts + 1);
        await service.stop();
        const count = started.length;
        await timers.advance(600_000);
        expect(started.length).toBe(count);
      }),
      { numRuns: 40 },
    );
  });

  it('computes the back-off from the number of failed starts', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => restartDelayMs(n, 1_000, 30_000))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });
});
