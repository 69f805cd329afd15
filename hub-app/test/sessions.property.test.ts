// Random sequences of bookings, door opens (app, keypad code, staff), extensions paid or not,
// cancellations, early finishes, refunds, staff overrides, relay resets, restarts and outages,
// with the clock in the test's hand. At every stop (after each step, and at every instant the hub
// has work scheduled while time passes) the relays on the Modbus simulator must be what an oracle
// written here derives from the bookings alone: a room's light and AC are on exactly when a
// session (or a logged staff override) needs them, and the lock has pulsed exactly once per door
// open the API granted, each of them inside an authorised window.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STAFF, startTestHub, type TestHub } from './harness';

const MIN = 60_000;
const SLOT = 30 * MIN;
const LOCK_SLAVE = 1;
const LIGHT_SLAVE = 2;
const PULSE_BASE = 0x0200; // the relay board's timed-pulse command, one address per relay
const FRESH_AIR = 6;
const CORRIDOR = 7;
const acSlave = (roomIndex: number) => 10 + roomIndex;

type Dev = 'light' | 'ac';

type Op =
  | { kind: 'book'; room: number; slot: number; len: number }
  | { kind: 'door' | 'pay' | 'cancel' | 'finish' | 'refund'; k: number }
  | { kind: 'code'; k: number; elsewhere: boolean }
  | { kind: 'extend'; k: number; minutes: 30 | 60 }
  | { kind: 'decide'; k: number; approve: boolean }
  | { kind: 'override'; room: number; device: Dev; on: boolean | null }
  | { kind: 'staffOpen'; room: number }
  | { kind: 'tick'; minutes: number }
  | { kind: 'cut'; then: 'poll' | 'boot' | 'restart' }
  | { kind: 'restart' }
  | { kind: 'outage'; minutes: number };

const pick = fc.nat(15);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('book' as const),
      room: fc.nat(2),
      // Mostly soon, so that doors, sessions and extensions meet; sometimes hours ahead.
      slot: fc.oneof(fc.nat(2), fc.nat(12)),
      len: fc.integer({ min: 2, max: 6 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('door' as const), k: pick }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('code' as const),
      k: pick,
      elsewhere: fc.nat(4).map((n) => n === 0),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('extend' as const),
      k: pick,
      minutes: fc.constantFrom(30 as const, 60 as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pay' as const), k: pick }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom('cancel' as const, 'finish' as const, 'refund' as const),
      k: pick,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('decide' as const), k: pick, approve: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('override' as const),
      room: fc.nat(2),
      device: fc.constantFrom<Dev>('light', 'ac'),
      on: fc.constantFrom(true, false, null),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('staffOpen' as const), room: fc.nat(2) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      minutes: fc.integer({ min: 1, max: 45 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cut' as const),
      then: fc.constantFrom('poll' as const, 'boot' as const, 'restart' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('outage' as const),
      minutes: fc.integer({ min: 1, max: 90 }),
    }),
  },
);

/** The store's rules the oracle needs, in minutes. */
interface Rules {
  early: number;
  grace: number;
  precondition: number;
  offDelay: number;
  hold: number;
  maxMinutes: number;
  maxWrongCodes: number;
  lockout: number;
  /** Seconds between tries while a keypad is slowed down. */
  trySeconds: number;
  /** A guest still in after the end is billed overtime up to this, then the session ends. */
  cap: number;
  /** A paid booking nobody came to is released this long after its start. */
  noShow: number;
}

/** A booking as the API shows it. */
interface Seen {
  id: string;
  status: string;
  start: number;
  end: number;
  due: number;
}

/** What the test itself remembers about a booking it made. */
interface Tracked {
  room: string;
  /** Extensions the API granted: held until paid, taken back when the hold runs out unpaid. */
  exts: { minutes: number; holdUntil: number; paid: boolean }[];
  /** The status a refund request (or a cancellation with money due back) came from. */
  refundFrom: string | null;
}

interface Run {
  h: TestHub;
  rules: Rules;
  /** Every room of the store, in the order the device layout gives them relays. */
  all: string[];
  /** The 2-3 rooms this run uses. */
  rooms: string[];
  tracked: Map<string, Tracked>;
  override: Record<Dev, Map<string, boolean | null>>;
  /** Door opens the API granted, per room: booking, code and staff opens. */
  opens: Map<string, number>;
  /** Lock pulses seen on simulators that a restart has since replaced. */
  pulsesBefore: Map<string, number>;
  keypad: Map<string, { failures: number; slowedUntil: number | null; lastWrong: number }>;
  /** What happened, for the failure message. */
  log: string[];
}

/** hh:mm in the store's time zone (Shanghai, UTC+8), for failure messages. */
const local = (ms: number) => new Date(ms + 8 * 60 * MIN).toISOString().slice(11, 16);

// ---- the oracle -------------------------------------------------------------------------------

/**
 * A session that is going on: in use, or in use when its customer asked for a refund (a request
 * alone neither puts them in the dark nor locks them out while it is reviewed).
 */
function going(run: Run, b: Seen): boolean {
  return (
    b.status === 'in_use' ||
    (b.status === 'refunding' && run.tracked.get(b.id)?.refundFrom === 'in_use')
  );
}

/**
 * A door open for this booking is authorised now: inside [start - early entry, end + overtime
 * grace], paid in full if the session has not started; a session going on (billed overtime after
 * its end) lets its guest in and out until the overtime cap.
 */
function authorised(run: Run, b: Seen, now: number): boolean {
  const r = run.rules;
  if (going(run, b)) return now <= b.end + r.cap * MIN;
  const until = b.end + r.grace * MIN;
  return b.status === 'paid' && b.due === 0 && now >= b.start - r.early * MIN && now <= until;
}

/** Whether a room needs power (lights) and AC now, from its bookings alone. */
function roomNeeds(run: Run, bookings: Seen[], now: number): { power: boolean; ac: boolean } {
  const r = run.rules;
  let power = false;
  let ac = false;
  for (const b of bookings) {
    const off = b.end + r.offDelay * MIN;
    // A session going on keeps its room powered until it ends (the guest leaves, or the overtime
    // cap ends it): nobody billed sits in the dark. A paid booking lights the room from its start
    // and pre-conditions the air, until it is released as a no-show.
    if (going(run, b)) {
      power = true;
      ac = true;
    } else if (b.status === 'paid') {
      power ||= now >= b.start && now < off;
      ac ||= now >= b.start - r.precondition * MIN && now < off;
    }
  }
  return { power, ac };
}

interface DeviceView {
  light: Record<string, boolean>;
  ac: Record<string, boolean>;
  corridor: boolean;
  freshAir: boolean;
}

async function readBookings(run: Run): Promise<Map<string, Seen[]>> {
  const out = new Map<string, Seen[]>();
  for (const room of run.rooms) {
    const r = await run.h.api<
      { id: string; status: string; start: string; end: string; due: number }[]
    >('GET', `/api/bookings?roomId=${room}&limit=500`, undefined, STAFF);
    expect(r.status).toBe(200);
    out.set(
      room,
      r.body.map((b) => ({
        id: b.id,
        status: b.status,
        start: Date.parse(b.start),
        end: Date.parse(b.end),
        due: b.due,
      })),
    );
  }
  return out;
}

function expected(run: Run, byRoom: Map<string, Seen[]>, now: number): DeviceView {
  const v: DeviceView = { light: {}, ac: {}, corridor: false, freshAir: false };
  for (const room of run.rooms) {
    const n = roomNeeds(run, byRoom.get(room) ?? [], now);
    const lo = run.override.light.get(room) ?? null;
    const ao = run.override.ac.get(room) ?? null;
    v.light[room] = lo ?? n.power;
    v.ac[room] = ao === false ? false : n.ac || ao === true;
    // Shared devices follow the rooms' needs, never a room's override.
    v.corridor ||= n.power;
    v.freshAir ||= n.power || n.ac;
  }
  return v;
}

function actual(run: Run): DeviceView {
  const sim = run.h.devices.simulator!;
  const v: DeviceView = {
    light: {},
    ac: {},
    corridor: sim.coil(LIGHT_SLAVE, CORRIDOR),
    freshAir: sim.coil(LIGHT_SLAVE, FRESH_AIR),
  };
  for (const room of run.rooms) {
    const i = run.all.indexOf(room);
    v.light[room] = sim.coil(LIGHT_SLAVE, i);
    v.ac[room] = sim.registers(acSlave(i), 0, 1)[0] === 1;
  }
  return v;
}

function pulses(run: Run, room: string): number {
  const address = PULSE_BASE + run.all.indexOf(room);
  return run.h.devices
    .simulator!.writes()
    .filter((w) => w.slaveId === LOCK_SLAVE && w.table === 'coil' && w.address === address).length;
}

// ---- checks -----------------------------------------------------------------------------------

function describeState(run: Run, byRoom: Map<string, Seen[]>, now: number): string {
  const rooms = run.rooms.map((room) => {
    const bs = (byRoom.get(room) ?? []).map(
      (b) =>
        `${b.id.slice(0, 6)} ${b.status} ${local(b.start)}-${local(b.end)}${b.due ? ` due ${b.due}` : ''}`,
    );
    return `  ${room}: light override ${String(run.override.light.get(room) ?? null)}, ac override ${String(run.override.ac.get(room) ?? null)}; ${bs.join('; ') || 'no bookings'}`;
  });
  return [`at ${local(now)}:`, ...rooms, 'steps:', ...run.log.map((l) => `  ${l}`)].join('\n');
}

/**
 * Runs what is due (as the hub's alarm would at once), then checks twice: first that the devices
 * get where they should by the hub's own doing, then again after a forced sync and a poll.
 */
async function stop(run: Run): Promise<void> {
  const { h } = run;
  await h.runJobs();
  const now = h.clock.now();
  const byRoom = await readBookings(run);
  const want = expected(run, byRoom, now);
  const state = () => describeState(run, byRoom, now);

  // The hub switches by itself: after a change it syncs on the next turn, at boundaries by its job.
  const deadline = performance.now() + 1_000;
  let got = actual(run);
  while (JSON.stringify(got) !== JSON.stringify(want) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
    got = actual(run);
  }
  expect(got, `the devices did not follow on their own\n${state()}`).toEqual(want);
  await h.hub.devices.syncDevices();
  await h.devices.devices!.pollNow();
  expect(actual(run), `the devices moved after a sync and a poll\n${state()}`).toEqual(want);

  for (const room of run.rooms) {
    expect(
      (run.pulsesBefore.get(room) ?? 0) + pulses(run, room),
      `lock pulses of ${room} against door opens granted\n${state()}`,
    ).toBe(run.opens.get(room) ?? 0);
    for (const b of byRoom.get(room) ?? []) {
      if (b.status !== 'paid' && b.status !== 'in_use') continue;
      // A session is completed by the overtime cap at the latest; a booking nobody came to is
      // released after the no-show grace.
      const latest =
        b.status === 'paid' ? b.start + run.rules.noShow * MIN : b.end + run.rules.cap * MIN;
      expect(
        now < latest,
        `booking ${b.id.slice(0, 6)} is still ${b.status} after its end\n${state()}`,
      ).toBe(true);
      // Once no extension is held any more, every booked minute is paid: an extension is paid in
      // its hold or taken back.
      const held = run.tracked.get(b.id)?.exts.some((e) => !e.paid && e.holdUntil > now);
      if (!held) {
        expect(b.due, `booking ${b.id.slice(0, 6)} owes money after its holds\n${state()}`).toBe(0);
      }
    }
  }
}

/** Moves the clock, stopping at every instant the hub has a job due, as its alarm would. */
async function advance(run: Run, minutes: number): Promise<void> {
  const target = run.h.clock.now() + minutes * MIN;
  for (let i = 0; i < 200; i++) {
    const now = run.h.clock.now();
    const next = run.h.hub.scheduler.pending().find((j) => j.dueAt > now)?.dueAt;
    if (next === undefined || next >= target) break;
    run.h.clock.set(next);
    await stop(run);
  }
  run.h.clock.set(target);
}

async function bookingNow(run: Run, id: string): Promise<Seen> {
  const r = await run.h.api('GET', `/api/bookings/${id}`);
  expect(r.status).toBe(200);
  return {
    id,
    status: r.body.status,
    start: Date.parse(r.body.start),
    end: Date.parse(r.body.end),
    due: r.body.due,
  };
}

/** A restart keeps the data and the clock; `down` minutes pass while the hub is off. */
async function restart(run: Run, down = 0): Promise<void> {
  for (const room of run.rooms) {
    run.pulsesBefore.set(room, (run.pulsesBefore.get(room) ?? 0) + pulses(run, room));
  }
  const { dataDir, clock } = run.h;
  await run.h.close();
  clock.advance(down * MIN);
  run.h = await startTestHub({ dataDir, clock });
}

const granted = (run: Run, room: string) => run.opens.set(room, (run.opens.get(room) ?? 0) + 1);

// ---- steps ------------------------------------------------------------------------------------

async function step(run: Run, o: Op): Promise<void> {
  const { rules } = run;
  const h = run.h;
  const now = h.clock.now();
  const note = (s: string) => run.log.push(`${local(now)} ${s}`);
  switch (o.kind) {
    case 'book': {
      const room = run.rooms[o.room % run.rooms.length]!;
      const start = Math.floor(now / SLOT) * SLOT + o.slot * SLOT;
      const end = start + o.len * SLOT;
      const r = await h.api('POST', '/api/bookings', {
        roomId: room,
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
        partySize: 2,
        customer: { phone: '13800138000' },
      });
      expect([201, 409, 422], JSON.stringify(r.body)).toContain(r.status);
      note(`book ${room} ${local(start)}-${local(end)}: ${r.status}`);
      if (r.status !== 201) return;
      const id: string = r.body.id;
      const paid = await h.api('POST', `/api/bookings/${id}/payments`, { method: 'cash' }, STAFF);
      expect(paid.status, JSON.stringify(paid.body)).toBe(201);
      run.tracked.set(id, { room, exts: [], refundFrom: null });
      note(`  -> ${id.slice(0, 6)} paid`);
      return;
    }
    case 'override': {
      const room = run.rooms[o.room % run.rooms.length]!;
      const r = await h.api(
        'POST',
        `/api/devices/${room}-${o.device}/override`,
        { on: o.on, reason: '巡检' },
        STAFF,
      );
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      run.override[o.device].set(room, o.on);
      note(`override ${room} ${o.device} ${String(o.on)}`);
      return;
    }
    case 'staffOpen': {
      const room = run.rooms[o.room % run.rooms.length]!;
      const r = await h.api('POST', `/api/rooms/${room}/door/open`, { reason: '保洁' }, STAFF);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      granted(run, room);
      note(`staff open ${room}`);
      return;
    }
    case 'tick':
      note(`tick ${o.minutes} min`);
      await advance(run, o.minutes);
      return;
    case 'cut':
      note(`relay reset, then ${o.then}`);
      h.devices.simulator!.powerCut();
      if (o.then === 'poll') await h.devices.devices!.pollNow();
      else if (o.then === 'boot') await h.hub.devices.boot();
      else await restart(run);
      return;
    case 'restart':
      note('restart');
      await restart(run);
      return;
    case 'outage':
      // A power loss of the whole store: the hub comes back to relays that forgot everything.
      note(`hub off for ${o.minutes} min`);
      await restart(run, o.minutes);
      return;
  }

  // Mostly a booking that is still live, so the step has something to act on.
  const seen = [...(await readBookings(run)).values()].flat();
  const live = seen.filter((b) => ['paid', 'in_use', 'refunding'].includes(b.status));
  const from = live.length > 0 && o.k % 4 !== 0 ? live : seen;
  const id = from[o.k % Math.max(from.length, 1)]?.id;
  if (!id) return;
  const t = run.tracked.get(id)!;
  const before = await bookingNow(run, id);
  const tag = `${o.kind} ${id.slice(0, 6)} (${before.status}${before.due ? ` due ${before.due}` : ''})`;
  switch (o.kind) {
    case 'door': {
      const r = await h.api('POST', `/api/bookings/${id}/door`);
      note(`${tag}: ${r.status}`);
      const ok = authorised(run, before, now);
      expect(r.status, `door of ${tag} at ${local(now)}: ${JSON.stringify(r.body)}`).toBe(
        ok ? 200 : 403,
      );
      if (r.status === 200) {
        granted(run, t.room);
        if (before.status === 'paid') {
          const after = (await bookingNow(run, id)).status;
          expect(after, 'the first open starts the session').toBe('in_use');
        }
      }
      return;
    }
    case 'code': {
      const cr = await h.api('GET', `/api/bookings/${id}/door-code`);
      const code: string = cr.status === 200 ? cr.body.code : '000000';
      const room = o.elsewhere ? (run.rooms.find((x) => x !== t.room) ?? t.room) : t.room;
      const r = await h.api('POST', `/api/rooms/${room}/door/code`, { code });
      note(`${tag} at ${room}: ${r.status} ${r.status === 200 ? '' : r.body.error?.code}`);
      const pad = run.keypad.get(room) ?? { failures: 0, slowedUntil: null, lastWrong: 0 };
      const slowed = pad.slowedUntil !== null && pad.slowedUntil > now;
      if (slowed && now < pad.lastWrong + rules.trySeconds * 1000) {
        // Too soon after the last try of a slowed-down keypad: not read, not counted.
        expect(r.status).toBe(429);
        expect(r.body.error.code).toBe('door_locked_out');
        return;
      }
      // The code is this booking's (good as often as the guest comes and goes), at its own door.
      const right = cr.status === 200 && room === t.room;
      const ok = right && authorised(run, before, now);
      expect(r.status, `code of ${tag} at ${room} ${local(now)}: ${JSON.stringify(r.body)}`).toBe(
        ok ? 200 : 403,
      );
      if (ok) {
        // A right code opens, and leaves the count of wrong ones as it was.
        granted(run, room);
      } else if (!right) {
        // A wrong code is counted (a quiet spell or a slow-down run out starts afresh); a right
        // code at the wrong time says when, and is not.
        expect(r.body.error.code).toBe('wrong_code');
        const fresh =
          now - pad.lastWrong >= rules.lockout * MIN ||
          (pad.slowedUntil !== null && pad.slowedUntil <= now);
        const failures = (fresh ? 0 : pad.failures) + 1;
        run.keypad.set(room, {
          failures,
          slowedUntil: failures >= rules.maxWrongCodes ? now + rules.lockout * MIN : null,
          lastWrong: now,
        });
      } else {
        expect(r.body.error.code).not.toBe('wrong_code');
      }
      return;
    }
    case 'extend': {
      const r = await h.api('POST', `/api/bookings/${id}/extend`, { minutes: o.minutes });
      note(`${tag} +${o.minutes}: ${r.status} ${r.status === 201 ? '' : r.body.error?.code}`);
      expect([201, 409, 422], JSON.stringify(r.body)).toContain(r.status);
      if (r.status === 201) {
        // Only a paid booking or a session, before its grace is over, with nothing left to pay
        // (one unpaid extension at a time), and no longer than the rules allow.
        const live = before.status === 'paid' || before.status === 'in_use';
        expect(live && now <= before.end + rules.grace * MIN, `extended ${tag}`).toBe(true);
        expect(before.due, `extended ${tag} with money due`).toBe(0);
        expect(before.end + o.minutes * MIN - before.start).toBeLessThanOrEqual(
          rules.maxMinutes * MIN,
        );
        t.exts.push({ minutes: o.minutes, holdUntil: now + rules.hold * MIN, paid: false });
      }
      return;
    }
    case 'pay': {
      if (before.due === 0) return;
      const r = await h.api('POST', `/api/bookings/${id}/payments`, { method: 'cash' }, STAFF);
      note(`${tag}: ${r.status}`);
      expect([201, 409], JSON.stringify(r.body)).toContain(r.status);
      if (r.status === 201) {
        for (const e of t.exts) if (e.holdUntil > now) e.paid = true;
      }
      return;
    }
    case 'cancel': {
      const r = await h.api('POST', `/api/bookings/${id}/cancel`, {});
      note(`${tag}: ${r.status}`);
      expect([200, 403, 409], JSON.stringify(r.body)).toContain(r.status);
      if (r.status === 200) t.refundFrom = before.status;
      return;
    }
    case 'finish': {
      const r = await h.api('POST', `/api/bookings/${id}/finish`);
      note(`${tag}: ${r.status}`);
      expect(r.status, JSON.stringify(r.body)).toBe(before.status === 'in_use' ? 200 : 409);
      return;
    }
    case 'refund': {
      const r = await h.api('POST', `/api/bookings/${id}/refund`, { reason: '空调不制冷' });
      note(`${tag}: ${r.status}`);
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
      if (r.status < 300) t.refundFrom = before.status;
      return;
    }
    case 'decide': {
      if (before.status !== 'refunding') return;
      const r = o.approve
        ? await h.api('POST', `/api/bookings/${id}/refund/approve`, {}, STAFF)
        : await h.api('POST', `/api/bookings/${id}/refund/reject`, { reason: '已修好' }, STAFF);
      note(`${tag} ${o.approve ? 'approve' : 'reject'}: ${r.status}`);
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
      if (r.status < 300 && (await bookingNow(run, id)).status !== 'refunding') t.refundFrom = null;
      return;
    }
  }
}

/** One run: a fresh hub, the steps, and the checks at every stop. */
async function execute(roomIdx: number[], ops: Op[]): Promise<void> {
  const h = await startTestHub();
  let run: Run | null = null;
  try {
    const all = await h.roomIds();
    const store = (await h.api('GET', '/api/store')).body.rules;
    run = {
      h,
      rules: {
        early: store.earlyEntryMinutes,
        grace: store.overtimeGraceMinutes,
        precondition: store.session.preconditionMinutes,
        offDelay: store.session.offDelayMinutes,
        hold: store.holdMinutes,
        maxMinutes: store.maxMinutes,
        maxWrongCodes: store.session.maxWrongCodes,
        lockout: store.session.lockoutMinutes,
        trySeconds: store.session.lockoutTrySeconds,
        cap: store.session.overtimeCapMinutes,
        noShow: store.noShow.graceMinutes,
      },
      all,
      rooms: roomIdx.map((i) => all[i]!),
      tracked: new Map(),
      override: { light: new Map(), ac: new Map() },
      opens: new Map(),
      pulsesBefore: new Map(),
      keypad: new Map(),
      log: [],
    };
    await stop(run);
    for (const o of ops) {
      await step(run, o);
      await stop(run);
    }
    // The door log agrees: one 'opened' line per open granted, in every room.
    for (const room of run.rooms) {
      const log = await run.h.api<{ outcome: string }[]>(
        'GET',
        `/api/rooms/${room}/door/log`,
        undefined,
        STAFF,
      );
      expect(log.body.filter((e) => e.outcome === 'opened').length).toBe(run.opens.get(room) ?? 0);
    }
  } finally {
    // A restart replaced the hub the run started with: close the one running now.
    await (run?.h ?? h).close();
  }
}

describe('sessions and devices under random use', () => {
  it('switch lights and AC exactly when sessions or staff need them, and open doors only when allowed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: 2, maxLength: 3 }),
        fc.array(op, { minLength: 8, maxLength: 25, size: 'max' }),
        execute,
      ),
      // Stop exploring (or shrinking a failure) in time to report it before the test's timeout.
      { numRuns: 15, interruptAfterTimeLimit: 60_000 },
    );
  }, 90_000);

  // Found by the property above, kept in its smallest form. Two extensions of one session, neither
  // paid: when the first one's hold ran out the end had already moved on, so the hub filed that
  // extension as paid and kept it; when the second one's hold ran out only the second was taken
  // back, and the session kept half an hour (lights, AC and door included) nobody paid for. The
  // hub now refuses a second extension while the first is unpaid; either way the booking must owe
  // nothing once its holds are over.
  it('takes back every extension that was not paid in its hold, also when another one followed it', async () => {
    await execute(
      [0, 1],
      [
        { kind: 'book', room: 0, slot: 0, len: 2 }, // 10:00-11:00, paid
        { kind: 'door', k: 0 }, // in use
        { kind: 'extend', k: 0, minutes: 30 }, // to 11:30, held until 10:15
        { kind: 'tick', minutes: 5 },
        { kind: 'extend', k: 0, minutes: 30 }, // to 12:00 and held until 10:20, or refused
        { kind: 'tick', minutes: 30 }, // nothing paid: the end is back at 11:00, nothing owed
      ],
    );
  }, 30_000);

  // Found by the property above, in its smallest form: a hub bug. The hold of an unpaid extension
  // runs out while a refund request is reviewed; the hub files the extension as paid because the
  // booking is not paid or in use at that moment, so when staff refuse the refund the booking is
  // back to paid with half an hour nobody paid for: it owes that money, its door refuses the
  // customer inside the window they did pay for (payment_due), and the room is powered until the
  // unpaid end plus the switch-off delay.
  it('takes back an extension whose hold ran out while a refund was reviewed', async () => {
    await execute(
      [0, 1],
      [
        { kind: 'book', room: 0, slot: 0, len: 2 }, // 10:00-11:00, paid
        { kind: 'extend', k: 0, minutes: 30 }, // to 11:30, held until 10:15
        { kind: 'refund', k: 0 }, // refunding, for staff to review
        { kind: 'tick', minutes: 15 }, // the hold runs out unpaid during the review
        { kind: 'decide', k: 0, approve: false }, // refused: paid again, and must owe nothing
        { kind: 'door', k: 0 },
      ],
    );
  }, 30_000);
});
