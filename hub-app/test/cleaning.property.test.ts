// Cleaning tasks on a real hub, against the state machine: two cleaners taking the same task at
// the same moment never both get it, and any sequence of steps by anyone in the store is answered
// as the state machine says, leaves the task as it says, and frees the room once it is clean.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CleaningTransitionError,
  nextCleaningState,
  type CleaningAction,
  type CleaningStaff,
  type CleaningTaskState,
  type StaffRole,
} from '@roomhub/shared-types';
import { as, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let room: string;
/** Who works today: the demo staff and a second cleaner, with the headers each calls with. */
let people: (CleaningStaff & { name: string; headers: Record<string, string> })[];

beforeAll(async () => {
  h = await startTestHub();
  room = (await h.roomIds())[0]!;
  const zhou = await h.api(
    'POST',
    '/api/staff',
    { name: '周保洁', role: 'cleaner', pin: '666666' },
    STAFF,
  );
  expect(zhou.status).toBe(201);
  const demo = async (role: StaffRole, name: string) => ({
    id: await h.staffId(role),
    role,
    name,
    headers: as(role),
  });
  people = [
    await demo('cleaner', '陈保洁'),
    await demo('manager', '王店长'),
    await demo('owner', 'owner'),
    await demo('cashier', '李收银'),
    {
      id: zhou.body.id,
      role: 'cleaner',
      name: '周保洁',
      headers: { ...as('anonymous'), authorization: `Bearer ${await signIn('666666')}` },
    },
  ];
});
afterAll(async () => {
  await h.close();
});

async function signIn(pin: string): Promise<string> {
  const r = await h.api('POST', '/api/auth/sign-in', { pin }, as('anonymous'));
  return r.body.token as string;
}

let slot = 0;
let day = 0;
/** A session of an hour that ended after twenty minutes, each at the next hour. */
async function endedTask(): Promise<string> {
  // ten sessions a day, moving on to the next day (within the booking window)
  day = Math.floor(slot / 10);
  const hour = 11 + (slot++ % 10);
  const start = `${String(hour).padStart(2, '0')}:00`;
  const b = await h.api('POST', '/api/bookings', {
    roomId: room,
    start: at(start, day),
    end: at(`${String(hour + 1).padStart(2, '0')}:00`, day),
    partySize: 2,
    customer: { phone: '13800138000' },
  });
  expect(b.status, JSON.stringify(b.body)).toBe(201);
  await h.api('POST', `/api/bookings/${b.body.id}/payments`, { method: 'cash' }, STAFF);
  h.clock.set(Date.parse(at(start, day)));
  expect((await h.api('POST', `/api/bookings/${b.body.id}/door`)).status).toBe(200);
  h.clock.set(Date.parse(at(`${String(hour).padStart(2, '0')}:20`, day)));
  // a sign-in lasts a working day: the second cleaner signs in again as the demo staff do
  people[4]!.headers.authorization = `Bearer ${await signIn('666666')}`;
  expect((await h.api('POST', `/api/bookings/${b.body.id}/finish`)).status).toBe(200);
  const tasks = (await h.api('GET', '/api/cleaning/tasks', undefined, STAFF)).body as {
    id: string;
    booking: { id: string };
  }[];
  const mine = tasks.filter((t) => t.booking.id === b.body.id);
  expect(mine).toHaveLength(1);
  return mine[0]!.id;
}

const roomNow = async () => {
  const board = (await h.api('GET', `/api/board?date=2026-11-${23 + day}`)).body;
  return board.rooms.find((r: { room: { id: string } }) => r.room.id === room).now as string;
};

describe('two cleaners at once', () => {
  it('never both hold a task: one gets it, the other is told who did', async () => {
    const [chen, , , , zhou] = people;
    for (let i = 0; i < 3; i++) {
      const task = await endedTask();
      const answers = await Promise.all(
        [chen!, zhou!].map((p) =>
          h.api('POST', `/api/cleaning/tasks/${task}/take`, undefined, p.headers),
        ),
      );
      const won = answers.filter((a) => a.status === 200);
      const lost = answers.filter((a) => a.status === 409);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.body.error.message).toContain(won[0]!.body.holder.name);
      // the winner finishes, which leaves the room free before its buffer passes
      const winner = [chen!, zhou!].find((p) => p.name === won[0]!.body.holder.name)!;
      await h.api('POST', `/api/cleaning/tasks/${task}/done`, {}, winner.headers);
      expect(await roomNow()).toBe('free');
    }
  });
});

const step = fc.record({
  action: fc.constantFrom<CleaningAction>('take', 'release', 'finish', 'reassign', 'cancel'),
  by: fc.nat({ max: 4 }),
  to: fc.nat({ max: 4 }),
});
const PATH: Record<CleaningAction, string> = {
  take: 'take',
  release: 'release',
  finish: 'done',
  reassign: 'reassign',
  cancel: 'cancel',
};

describe('any sequence of steps by anyone in the store', () => {
  it('is answered and recorded as the state machine says, and a clean room is free', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const task = await endedTask();
        let model: CleaningTaskState = { status: 'open', holderId: null };
        for (const s of steps) {
          const by = people[s.by]!;
          const to = people[s.to]!;
          let expected: CleaningTaskState | null;
          try {
            expected = nextCleaningState(model, s.action, by, to);
          } catch (e) {
            expect(e).toBeInstanceOf(CleaningTransitionError);
            expected = null;
          }
          const body =
            s.action === 'reassign'
              ? { staffId: to.id, reason: '换人' }
              : s.action === 'cancel'
                ? { reason: '不用打扫' }
                : s.action === 'finish'
                  ? {}
                  : undefined;
          const r = await h.api('POST', `/api/cleaning/tasks/${task}/${PATH[s.action]}`, body, {
            ...by.headers,
          });
          if (expected) {
            expect(r.status, `${by.name} ${s.action}`).toBe(200);
            model = expected;
          } else {
            expect([403, 409, 422], `${by.name} ${s.action}`).toContain(r.status);
          }
          const now = (await h.api('GET', `/api/cleaning/tasks/${task}`, undefined, STAFF)).body;
          expect({ status: now.status, holderId: now.holder?.id ?? null }).toEqual(model);
        }
        // Done or called off, the room no longer waits for its cleaning; otherwise it still does.
        const closed = model.status === 'done' || model.status === 'cancelled';
        expect(await roomNow()).toBe(closed ? 'free' : 'cleaning');
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
