// Cleaning after a session, through the hub's API: a task appears when a session ends (once,
// however often the end is told; none for a room that skips cleaning), one cleaner takes it and
// marks it done with a photo, the room shows cleaning until then or until the store's buffer
// passes, a manager hands tasks over or calls them off, the owner sees what each cleaner did, and
// the cleaner's page follows it all live.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubEvent } from '@roomhub/shared-types';
import { as, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let room: string;

beforeEach(async () => {
  h = await startTestHub();
  room = (await h.roomIds())[0]!;
});
afterEach(async () => {
  await h.close();
});

const cleaner = as('cleaner');
const manager = as('manager');

const setTime = async (hhmm: string) => {
  h.clock.set(Date.parse(at(hhmm)));
  await h.runJobs();
};

/** A paid booking whose guest came in at its start and left at `leave`: its session ended. */
async function sessionEnded(start: string, end: string, leave: string): Promise<string> {
  const b = await h.api('POST', '/api/bookings', {
    roomId: room,
    start: at(start),
    end: at(end),
    partySize: 2,
    customer: { phone: '13800138000' },
  });
  expect(b.status).toBe(201);
  await h.api('POST', `/api/bookings/${b.body.id}/payments`, { method: 'cash' }, STAFF);
  await setTime(start);
  expect((await h.api('POST', `/api/bookings/${b.body.id}/door`)).status).toBe(200);
  await setTime(leave);
  expect((await h.api('POST', `/api/bookings/${b.body.id}/finish`)).status).toBe(200);
  return b.body.id;
}

/** The room's stretch of the day in `state`, as the board shows it. */
async function boardSegment(state: string) {
  const board = (await h.api('GET', '/api/board?date=2026-11-23')).body;
  const r = board.rooms.find((x: { room: { id: string } }) => x.room.id === room);
  return {
    now: r.now as string,
    segment: r.segments.find((s: { state: string }) => s.state === state) as
      { start: string; end: string } | undefined,
  };
}

async function openTasks(who = cleaner) {
  return (await h.api('GET', '/api/cleaning/tasks', undefined, who)).body as {
    id: string;
    status: string;
    room: { id: string };
    holder: { id: string; name: string } | null;
    since: string;
    freeBy: string;
    photo: string | null;
  }[];
}

/** The live events a signed-in `who` receives on the hub's event stream while `during` runs. */
async function eventsDuring(who: string, during: () => Promise<void>): Promise<HubEvent[]> {
  const ac = new AbortController();
  const res = await fetch(`${h.url}/api/events`, {
    headers: await h.headersOf(who as 'cleaner'),
    signal: ac.signal,
  });
  const reader = res.body!.getReader();
  const seen: HubEvent[] = [];
  let text = '';
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      text += new TextDecoder().decode(value);
      const blocks = text.split('\n\n');
      text = blocks.pop()!;
      for (const b of blocks) {
        const data = /^data: (.*)$/m.exec(b)?.[1];
        if (data && /^event: /m.test(b) && !b.includes('event: hello')) {
          seen.push(JSON.parse(data) as HubEvent);
        }
      }
    }
  })();
  // The stream is open once its greeting arrived.
  await new Promise((r) => setTimeout(r, 100));
  await during();
  await new Promise((r) => setTimeout(r, 100));
  ac.abort();
  await reading;
  return seen;
}

describe('a cleaning task', () => {
  it('appears when a session ends, once, and the room shows cleaning until the buffer passes', async () => {
    const id = await sessionEnded('14:00', '16:00', '15:00');
    const tasks = await openTasks();
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ status: 'open', room: { id: room }, holder: null });
    expect(Date.parse(tasks[0]!.since)).toBe(Date.parse(at('15:00')));
    expect(Date.parse(tasks[0]!.freeBy) - Date.parse(at('15:00'))).toBe(15 * 60_000);
    let b = await boardSegment('cleaning');
    expect(b.now).toBe('cleaning');
    expect(Date.parse(b.segment!.start)).toBe(Date.parse(at('15:00')));
    expect(Date.parse(b.segment!.end)).toBe(Date.parse(at('15:15')));
    const avail = (await h.api('GET', `/api/rooms/${room}/availability?date=2026-11-23`)).body;
    expect(avail.now).toBe('cleaning');

    // The end told again: the hub's own end of the booked time, a refund after it, a restart.
    await setTime('18:30');
    const refund = await h.api(
      'POST',
      `/api/bookings/${id}/refunds`,
      { amount: 100, reason: '空调不冷' },
      STAFF,
    );
    expect(refund.status).toBeLessThan(500);
    h = await h.restart();
    await h.runJobs();
    expect(await h.api('GET', '/api/cleaning/tasks?status=open', undefined, cleaner)).toMatchObject(
      { status: 200, body: [{ id: tasks[0]!.id }] },
    );
    // Nobody cleaned it: the buffer passed, and the room was free again at 15:15 anyway.
    b = await boardSegment('cleaning');
    expect(Date.parse(b.segment!.end)).toBe(Date.parse(at('15:15')));
  });

  it('does not appear for a booking nobody came to', async () => {
    const b = await h.api('POST', '/api/bookings', {
      roomId: room,
      start: at('14:00'),
      end: at('16:00'),
      partySize: 2,
      customer: { phone: '13800138000' },
    });
    await h.api('POST', `/api/bookings/${b.body.id}/payments`, { method: 'cash' }, STAFF);
    await setTime('14:40');
    expect((await h.api('GET', `/api/bookings/${b.body.id}`, undefined, STAFF)).body.status).toBe(
      'completed',
    );
    expect(await openTasks()).toEqual([]);
  });

  it('is taken by one cleaner; anyone else taking it is told who has it', async () => {
    await sessionEnded('14:00', '16:00', '15:00');
    const [task] = await openTasks();
    const taken = await h.api('POST', `/api/cleaning/tasks/${task!.id}/take`, undefined, cleaner);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ status: 'taken', holder: { name: '陈保洁' } });
    // a double tap changes nothing
    expect(
      (await h.api('POST', `/api/cleaning/tasks/${task!.id}/take`, undefined, cleaner)).status,
    ).toBe(200);
    const second = await h.api('POST', `/api/cleaning/tasks/${task!.id}/take`, undefined, manager);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('cleaning_task_taken');
    expect(second.body.error.message).toContain('陈保洁');
    const zh = await h.api('POST', `/api/cleaning/tasks/${task!.id}/take`, undefined, {
      ...manager,
      'accept-language': 'zh-CN',
    });
    expect(zh.body.error.message).toBe('这个清洁任务已由陈保洁接手');
    // the cashier sees the task but does not clean; the kiosk sees nothing of it
    expect(
      (await h.api('POST', `/api/cleaning/tasks/${task!.id}/take`, undefined, as('cashier')))
        .status,
    ).toBe(403);
    expect((await openTasks(as('cashier')))[0]).toMatchObject({ status: 'taken' });
    expect((await h.api('GET', '/api/cleaning/tasks', undefined, as('kiosk'))).status).toBe(403);
    // only its holder marks it done
    const notMine = await h.api('POST', `/api/cleaning/tasks/${task!.id}/done`, {}, manager);
    expect(notMine.status).toBe(409);
    expect(notMine.body.error.code).toBe('cleaning_task_not_held');
    // given back, another may take it
    expect(
      (await h.api('POST', `/api/cleaning/tasks/${task!.id}/release`, undefined, cleaner)).body,
    ).toMatchObject({ status: 'open', holder: null });
    expect(
      (await h.api('POST', `/api/cleaning/tasks/${task!.id}/take`, undefined, manager)).body,
    ).toMatchObject({ status: 'taken', holder: { name: '王店长' } });
  });

  it('done early frees the room early, and the board hears of it', async () => {
    await sessionEnded('14:00', '16:00', '15:00');
    const [task] = await openTasks();
    await setTime('15:02');
    const events = await eventsDuring('cleaner', async () => {
      await h.api('POST', `/api/cleaning/tasks/${task!.id}/take`, undefined, cleaner);
      await setTime('15:06');
      const done = await h.api(
        'POST',
        `/api/cleaning/tasks/${task!.id}/done`,
        { note: '少了一颗棋子' },
        cleaner,
      );
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ status: 'done', note: '少了一颗棋子' });
    });
    const cleaning = events.filter((e) => e.type === 'cleaning.task');
    expect(cleaning.map((e) => [e.action, e.status])).toEqual([
      ['take', 'taken'],
      ['finish', 'done'],
    ]);
    const board = events.find((e) => e.type === 'board.changed' && e.roomId === room);
    expect(board).toBeDefined();

    const b = await boardSegment('cleaning');
    expect(b.now).toBe('free');
    expect(Date.parse(b.segment!.end)).toBe(Date.parse(at('15:06')));
    expect(await openTasks()).toEqual([]);
    // done, it stays done
    const again = await h.api('POST', `/api/cleaning/tasks/${task!.id}/done`, {}, cleaner);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('cleaning_task_closed');
    const history = (await h.api('GET', `/api/cleaning/tasks/${task!.id}`, undefined, STAFF)).body
      .history;
    expect(history.map((e: { action: string }) => e.action)).toEqual(['create', 'take', 'finish']);
  });

  it('is announced live to the cleaner when a session ends, never to the kiosk', async () => {
    const seenByCleaner = await eventsDuring('cleaner', async () => {
      const kioskSaw = await eventsDuring('kiosk', async () => {
        await sessionEnded('14:00', '16:00', '15:00');
      });
      expect(kioskSaw.filter((e) => e.type === 'cleaning.task')).toEqual([]);
      expect(kioskSaw.some((e) => e.type === 'board.changed')).toBe(true);
    });
    expect(seenByCleaner.filter((e) => e.type === 'cleaning.task')).toMatchObject([
      { action: 'create', status: 'open', roomId: room, holderId: null },
    ]);
  });

  it('is handed over or called off by a manager with a reason, and the room is freed', async () => {
    await sessionEnded('14:00', '16:00', '15:00');
    const [task] = await openTasks();
    await h.api('POST', `/api/cleaning/tasks/${task!.id}/take`, undefined, cleaner);
    const managerId = await h.staffId('manager');
    const cashierId = await h.staffId('cashier');
    const noReason = await h.api(
      'POST',
      `/api/cleaning/tasks/${task!.id}/reassign`,
      { staffId: managerId },
      manager,
    );
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('reason');
    const toCashier = await h.api(
      'POST',
      `/api/cleaning/tasks/${task!.id}/reassign`,
      { staffId: cashierId, reason: '人手不够' },
      manager,
    );
    expect(toCashier.status).toBe(422);
    expect(toCashier.body.error).toMatchObject({
      code: 'cleaning_not_a_cleaner',
      field: 'staffId',
    });
    expect(
      (
        await h.api(
          'POST',
          `/api/cleaning/tasks/${task!.id}/reassign`,
          { staffId: managerId, reason: 'x' },
          cleaner,
        )
      ).status,
    ).toBe(403);
    const handed = await h.api(
      'POST',
      `/api/cleaning/tasks/${task!.id}/reassign`,
      { staffId: managerId, reason: '陈阿姨下班了' },
      manager,
    );
    expect(handed.body).toMatchObject({
      status: 'taken',
      holder: { id: managerId },
      reason: '陈阿姨下班了',
    });

    await setTime('15:05');
    const cancelled = await h.api(
      'POST',
      `/api/cleaning/tasks/${task!.id}/cancel`,
      { reason: '客人自己收拾干净了' },
      STAFF,
    );
    expect(cancelled.body).toMatchObject({ status: 'cancelled', reason: '客人自己收拾干净了' });
    expect((await boardSegment('cleaning')).now).toBe('free');
    expect(
      (await h.api('POST', `/api/cleaning/tasks/${task!.id}/take`, undefined, cleaner)).body.error
        .code,
    ).toBe('cleaning_task_closed');

    // every staff step is in the audit log, the refused ones too
    const audit = (await h.api('GET', `/api/audit?target=${task!.id}`, undefined, STAFF)).body as {
      action: string;
      outcome: string;
    }[];
    const steps = audit.map((a) => `${a.action.split('/').at(-1)} ${a.outcome}`).reverse();
    expect(steps).toEqual([
      'take done',
      // no reason, to a cashier, by a cleaner
      'reassign refused',
      'reassign refused',
      'reassign refused',
      'reassign done',
      'cancel done',
      'take refused',
    ]);
  });
});

describe('a room that skips cleaning', () => {
  it('gets no task and is free when its session ends; the setting is the owner’s and audited', async () => {
    const refused = await h.api(
      'PUT',
      `/api/cleaning/rooms/${room}`,
      { skipCleaning: true },
      cleaner,
    );
    expect(refused.status).toBe(403);
    const bad = await h.api('PUT', `/api/cleaning/rooms/${room}`, { skipCleaning: 'yes' }, STAFF);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('skipCleaning');
    expect(
      (await h.api('PUT', '/api/cleaning/rooms/nope', { skipCleaning: true }, STAFF)).status,
    ).toBe(404);
    const set = await h.api('PUT', `/api/cleaning/rooms/${room}`, { skipCleaning: true }, STAFF);
    expect(set.body).toMatchObject({ roomId: room, skipCleaning: true });
    const rooms = (await h.api('GET', '/api/cleaning/rooms', undefined, STAFF)).body;
    expect(rooms.find((r: { roomId: string }) => r.roomId === room).skipCleaning).toBe(true);
    const audit = (await h.api('GET', `/api/audit?target=${room}`, undefined, STAFF)).body;
    expect(audit[0]).toMatchObject({ target: room, outcome: 'done' });

    await sessionEnded('14:00', '16:00', '15:00');
    expect(await openTasks()).toEqual([]);
    const b = await boardSegment('cleaning');
    expect(b.now).toBe('free');
    expect(b.segment).toBeUndefined();

    // cleaned again from the next session on
    await h.api('PUT', `/api/cleaning/rooms/${room}`, { skipCleaning: false }, STAFF);
    await sessionEnded('16:00', '17:00', '17:00');
    expect(await openTasks()).toHaveLength(1);
  });
});

/** The first bytes of a real PNG (signature and IHDR), padded. */
const png = (size = 200) => {
  const b = Buffer.alloc(size);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
  return b;
};
const jpeg = (size = 200) => {
  const b = Buffer.alloc(size, 7);
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(b);
  return b;
};

describe('the photo of a cleaned room', () => {
  const upload = async (taskId: string, body: Buffer | string, type: string, who = 'cleaner') =>
    fetch(`${h.url}/api/cleaning/tasks/${taskId}/photo`, {
      method: 'POST',
      headers: { ...(await h.headersOf(who as 'cleaner')), 'content-type': type },
      body,
    }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as {
        error: { code: string; field?: string };
        photo: string;
      },
    }));

  it('is a JPEG or PNG of bounded size by the holder, kept and served back to staff', async () => {
    await sessionEnded('14:00', '16:00', '15:00');
    const [task] = await openTasks();
    // before taking the task
    expect((await upload(task!.id, jpeg(), 'image/jpeg')).body.error.code).toBe(
      'cleaning_task_not_held',
    );
    await h.api('POST', `/api/cleaning/tasks/${task!.id}/take`, undefined, cleaner);

    const text = await upload(task!.id, 'hello', 'text/plain');
    expect(text.status).toBe(415);
    expect(text.body.error).toMatchObject({ code: 'cleaning_photo_not_image', field: 'photo' });
    const json = await upload(task!.id, '{"photo":"x"}', 'application/json');
    expect(json.status).toBe(415);
    const lying = await upload(task!.id, png(), 'image/jpeg');
    expect(lying.status).toBe(415);
    const gif = await upload(task!.id, Buffer.from('GIF89a..........'), 'image/png');
    expect(gif.status).toBe(415);
    const empty = await upload(task!.id, Buffer.alloc(0), 'image/png');
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('cleaning_photo_empty');
    const big = await upload(task!.id, jpeg(5 * 1024 * 1024 + 1), 'image/jpeg');
    expect(big.status).toBe(422);
    expect(big.body.error).toMatchObject({ code: 'cleaning_photo_too_large', field: 'photo' });
    expect((await upload(task!.id, jpeg(), 'image/jpeg', 'manager')).status).toBe(409);
    expect(
      (await h.api('GET', `/api/cleaning/tasks/${task!.id}/photo`, undefined, STAFF)).status,
    ).toBe(404);

    const photo = png(4096);
    const ok = await upload(task!.id, photo, 'image/png');
    expect(ok.status).toBe(200);
    expect(ok.body.photo).toBe(`/api/cleaning/tasks/${task!.id}/photo`);
    await h.api('POST', `/api/cleaning/tasks/${task!.id}/done`, {}, cleaner);

    for (const who of ['cashier', 'owner'] as const) {
      const served = await fetch(`${h.url}${ok.body.photo}`, { headers: await h.headersOf(who) });
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await served.arrayBuffer()).equals(photo)).toBe(true);
    }
    const kiosk = await fetch(`${h.url}${ok.body.photo}`, { headers: await h.headersOf('kiosk') });
    expect(kiosk.status).toBe(403);
    // kept across a restart: it is a file in the hub's data folder
    h = await h.restart();
    const after = await fetch(`${h.url}${ok.body.photo}`, {
      headers: await h.headersOf('cleaner'),
    });
    expect(Buffer.from(await after.arrayBuffer()).equals(photo)).toBe(true);
  });
});

describe('what each cleaner did', () => {
  it('shows the owner tasks done and their durations over a date range', async () => {
    await sessionEnded('12:00', '13:00', '13:00');
    let [task] = await openTasks();
    await setTime('13:05');
    await h.api('POST', `/api/cleaning/tasks/${task!.id}/take`, undefined, cleaner);
    await setTime('13:15');
    await h.api('POST', `/api/cleaning/tasks/${task!.id}/done`, {}, cleaner);

    await sessionEnded('14:00', '15:00', '15:00');
    [task] = await openTasks();
    await h.api('POST', `/api/cleaning/tasks/${task!.id}/take`, undefined, cleaner);
    await setTime('15:30');
    await h.api('POST', `/api/cleaning/tasks/${task!.id}/done`, {}, cleaner);

    const report = await h.api(
      'GET',
      '/api/cleaning/report?from=2026-11-23&to=2026-11-23',
      undefined,
      STAFF,
    );
    expect(report.status).toBe(200);
    const cleanerId = await h.staffId('cleaner');
    expect(report.body.cleaners).toEqual([
      {
        staff: { id: cleanerId, name: '陈保洁', role: 'cleaner' },
        done: 2,
        minutes: { total: 40, average: 20, longest: 30 },
        averageWaitMinutes: 23,
        withPhoto: 0,
        cancelled: 0,
      },
    ]);
    expect(report.body.tasks).toEqual({ open: 0, taken: 0, done: 2, cancelled: 0 });
    const yesterday = await h.api(
      'GET',
      '/api/cleaning/report?from=2026-11-22&to=2026-11-22',
      undefined,
      STAFF,
    );
    expect(yesterday.body.cleaners[0].done).toBe(0);

    const backwards = await h.api(
      'GET',
      '/api/cleaning/report?from=2026-11-23&to=2026-11-22',
      undefined,
      STAFF,
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.field).toBe('to');
    const noDate = await h.api('GET', '/api/cleaning/report?from=23-11-2026', undefined, STAFF);
    expect(noDate.status).toBe(400);
    expect(noDate.body.error.field).toBe('from');
    expect(
      (await h.api('GET', '/api/cleaning/report?from=2026-11-23&to=2026-11-23', undefined, cleaner))
        .status,
    ).toBe(403);
  });
});
