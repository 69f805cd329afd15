// Fifty phones tap "book" for the same slot at the same moment: exactly one gets it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, startTestHub, type TestHub } from './harness';

let h: TestHub;
beforeAll(async () => {
  h = await startTestHub();
});
afterAll(async () => {
  await h.close();
});

describe('a race for one slot', () => {
  it('gives it to exactly one of 50 concurrent requests', async () => {
    const [room] = await h.roomIds();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.api('POST', '/api/bookings', {
          roomId: room,
          // Overlapping but not identical spans, so the buffer and partial overlaps are exercised.
          start: at(i % 2 ? '14:00' : '14:30'),
          end: at(i % 3 ? '16:00' : '15:30'),
          partySize: 2,
          customer: { phone: `1380000${String(i).padStart(4, '0')}` },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(
      results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'slot_taken'),
    ).toBe(true);
    const rows = h.hub.db
      .prepare(`SELECT COUNT(*) AS n FROM bookings WHERE room_id = ?`)
      .get(room) as { n: number };
    expect(rows.n).toBe(1);
  });
});
