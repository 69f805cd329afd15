// Seasons and the owner's promotions through a real hub: a season priced into a room's quote and
// shown as its own line, promotions switched on and off, a bundle with its tea set, spend X get Y
// off, and a member's level and points on the same bill, the points given back on cancelling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocument } from '../src/sync/documents';
import { as, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let rooms: string[];
const MANAGER = as('manager');

beforeAll(async () => {
  h = await startTestHub();
  rooms = await h.roomIds();
});
afterAll(async () => {
  await h.close();
});

const quote = (room: string, extra: Record<string, unknown> = {}, day = 1) =>
  h.api('POST', '/api/quotes', {
    roomId: room,
    start: at('10:00', day),
    end: at('12:00', day),
    ...extra,
  });
type Line = { kind: string; amount: number; label: string };
const kinds = (lines: Line[]) => lines.map((l) => l.kind);

const promotion = async (rule: Record<string, unknown>, over: Record<string, unknown> = {}) => {
  const r = await h.api(
    'POST',
    '/api/promotions',
    { name: 'autumn', from: '2026-11-01', to: '2026-11-30', rule, ...over },
    MANAGER,
  );
  expect(r.status).toBe(201);
  return r.body.id as string;
};
const off = (id: string) =>
  h.api('POST', `/api/promotions/${id}/switch`, { enabled: false }, MANAGER);

describe('seasons', () => {
  it("are priced into a room's time and shown as their own line", async () => {
    const room = rooms[5]!;
    const before = await quote(room);
    const r = await h.api(
      'PATCH',
      `/api/rooms/${room}`,
      {
        pricePlan: {
          seasons: [
            {
              name: '初冬',
              from: '11-20',
              to: '11-25',
              rates: { workday: 20000, weekend: 20000, holiday: 20000 },
            },
          ],
        },
      },
      STAFF,
    );
    expect(r.status).toBe(200);
    const q = await quote(room);
    expect(q.body.total).toBe(40000);
    const season = q.body.lines.find((l: Line) => l.kind === 'season');
    expect(season.amount).toBe(40000 - before.body.total);
    expect(
      q.body.lines
        .filter((l: Line) => l.kind === 'time')
        .reduce((s: number, l: Line) => s + l.amount, 0),
    ).toBe(before.body.total);
    // After the season, the room costs what it did.
    expect((await quote(room, {}, 3)).body.lines.some((l: Line) => l.kind === 'season')).toBe(
      false,
    );
  });

  it('may not overlap, and the answer names the field', async () => {
    const rates = { workday: 1, weekend: 1, holiday: 1 };
    const r = await h.api(
      'PATCH',
      `/api/rooms/${rooms[5]}`,
      {
        pricePlan: {
          seasons: [
            { name: 'a', from: '12-20', to: '01-10', rates },
            { name: 'b', from: '01-05', to: '02-01', rates },
          ],
        },
      },
      STAFF,
    );
    expect(r.status).toBe(400);
    expect(r.body.error.field).toMatch(/^pricePlan\.seasons/);
  });
});

describe('promotions', () => {
  it('take their part off while switched on, and only then', async () => {
    const base = (await quote(rooms[0]!)).body.total as number;
    const id = await promotion({ kind: 'percent', percentOff: 10 });
    const q = await quote(rooms[0]!);
    expect(kinds(q.body.lines)).toEqual(['time', 'promotion']);
    expect(q.body.total).toBe(base - Math.floor(base / 10));
    await off(id);
    expect((await quote(rooms[0]!)).body.total).toBe(base);
  });

  it('keep to their period and the room styles they name', async () => {
    const base = (await quote(rooms[0]!)).body.total as number;
    const later = await promotion(
      { kind: 'amount', amountOff: 500 },
      { from: '2026-12-01', to: '2026-12-31' },
    );
    const mahjong = await promotion(
      { kind: 'amount', amountOff: 500 },
      { scope: { roomStyles: ['棋牌室'] } },
    );
    expect((await quote(rooms[0]!)).body.total).toBe(base);
    const style = await h.api('GET', `/api/rooms/${rooms[2]}`);
    expect(style.body.style).toBe('棋牌室');
    expect(kinds((await quote(rooms[2]!)).body.lines)).toContain('promotion');
    await off(later);
    await off(mahjong);
  });

  it('spend X get Y off applies from X', async () => {
    const base = (await quote(rooms[0]!)).body.total as number;
    const id = await promotion({ kind: 'spend', spend: base, off: 1000 });
    expect((await quote(rooms[0]!)).body.total).toBe(base - 1000);
    const short = await h.api('POST', '/api/quotes', {
      roomId: rooms[0],
      start: at('10:00', 1),
      end: at('11:00', 1),
    });
    expect(kinds(short.body.lines)).not.toContain('promotion');
    await off(id);
  });

  it('a bundle puts its tea set on the bill and sells both at its price', async () => {
    const id = await promotion({
      kind: 'bundle',
      minutes: 120,
      price: 6800,
      item: { name: '龙井茶套', price: 3800 },
    });
    const q = await quote(rooms[0]!);
    expect(kinds(q.body.lines)).toEqual(['time', 'item', 'promotion']);
    expect(q.body.total).toBe(6800);
    await off(id);
  });

  it('are changed by the owner and managers only, and bad ones are 4xx naming the field', async () => {
    const r = await h.api(
      'POST',
      '/api/promotions',
      { name: 'x', from: '2026-11-01', to: '2026-11-30', rule: { kind: 'amount', amountOff: 1 } },
      as('cashier'),
    );
    expect(r.status).toBe(403);
    const bad = await h.api(
      'POST',
      '/api/promotions',
      { name: 'x', from: '2026-11-30', to: '2026-11-01', rule: { kind: 'amount', amountOff: 1 } },
      MANAGER,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('to');
  });

  it('reach the cloud with the store profile', async () => {
    const id = await promotion({ kind: 'amount', amountOff: 300 });
    const profile = buildDocument(h.hub, 'profile:store', undefined);
    expect((profile as { promotions: { id: string }[] }).promotions.map((p) => p.id)).toContain(id);
    await off(id);
  });
});

describe("a member's level and points on the bill", () => {
  it('come off as their own lines, and the points come back when the booking is cancelled', async () => {
    const phone = '13912345678';
    expect(
      (
        await h.api(
          'PUT',
          '/api/member-rules',
          { levelRule: 'spend', pointsPerYuan: 1, fenPerPoint: 1, pointsExpireMonths: 12 },
          STAFF,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await h.api(
          'PUT',
          '/api/member-levels',
          { levels: [{ name: '金卡', threshold: 0, roomPercentOff: 10 }] },
          STAFF,
        )
      ).status,
    ).toBe(200);
    await h.hub.writes.run(() => h.hub.members.join(phone, null, 'staff'));
    expect(
      (await h.api('POST', `/api/members/${phone}/points`, { points: 800, reason: 'gift' }, STAFF))
        .status,
    ).toBe(201);
    const base = (await quote(rooms[1]!)).body.total as number;
    const q = await quote(rooms[1]!, { phone, points: 500 });
    expect(kinds(q.body.lines)).toEqual(['time', 'member', 'points']);
    expect(q.body.total).toBe(base - Math.floor(base / 10) - 500);
    const b = await h.api('POST', '/api/bookings', {
      roomId: rooms[1],
      start: at('10:00', 1),
      end: at('12:00', 1),
      partySize: 2,
      customer: { phone },
      points: 500,
    });
    expect(b.status).toBe(201);
    expect(b.body.total).toBe(q.body.total);
    expect(h.hub.bookings.memberPricing().pointsOf(phone)).toBe(300);
    const more = await h.api('POST', '/api/bookings', {
      roomId: rooms[2],
      start: at('10:00', 1),
      end: at('12:00', 1),
      partySize: 2,
      customer: { phone },
      points: 500,
    });
    expect(more.body.error).toMatchObject({ code: 'not_enough_points', field: 'points' });
    await h.api('POST', `/api/bookings/${b.body.id}/cancel`, {});
    expect(h.hub.bookings.memberPricing().pointsOf(phone)).toBe(800);
  });

  it("a level's longer booking window lets its members book further ahead", async () => {
    const phone = '13912345679';
    const levels = await h.api('GET', '/api/member-levels', undefined, STAFF);
    const gold = (levels.body.levels ?? levels.body)[0];
    const put = await h.api(
      'PUT',
      '/api/member-levels',
      {
        levels: [
          { id: gold.id, name: '金卡', threshold: 0, roomPercentOff: 10, extraBookingDays: 7 },
        ],
      },
      STAFF,
    );
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    await h.hub.writes.run(() => h.hub.members.join(phone, null, 'staff'));
    const far = (who: string) =>
      h.api('POST', '/api/bookings', {
        roomId: rooms[3],
        start: at('10:00', 10),
        end: at('12:00', 10),
        partySize: 2,
        customer: { phone: who },
      });
    const stranger = await far('13912345670');
    expect(stranger.status).toBe(422);
    expect(stranger.body.error.code).toBe('too_far_ahead');
    const member = await far(phone);
    expect(member.status).toBe(201);
    await h.api('POST', `/api/bookings/${member.body.id}/cancel`, {});
  });
});
