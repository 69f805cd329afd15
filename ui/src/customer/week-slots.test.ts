import { describe, expect, it } from 'vitest';
import type { RoomDay } from '@roomhub/shared-types';
import { datesFrom, slotsOf } from './week-slots';

const day = (segments: RoomDay['segments']): RoomDay => ({
  storeId: 's',
  roomId: 'r',
  date: '2026-11-23',
  timeZone: 'Asia/Shanghai',
  segments,
  updatedAt: null,
  syncedAt: null,
});

describe('a room’s week in slots', () => {
  it('marks a slot by the most taken part of it', () => {
    const slots = slotsOf(
      day([
        { start: '2026-11-23T00:00:00+08:00', end: '2026-11-23T14:00:00+08:00', state: 'free' },
        { start: '2026-11-23T14:00:00+08:00', end: '2026-11-23T16:00:00+08:00', state: 'booked' },
        { start: '2026-11-23T16:00:00+08:00', end: '2026-11-23T16:15:00+08:00', state: 'cleaning' },
        { start: '2026-11-23T16:15:00+08:00', end: '2026-11-24T00:00:00+08:00', state: 'free' },
      ]),
    );
    expect(slots).toHaveLength(12);
    expect(slots[7]).toBe('booked'); // 14:00-16:00
    expect(slots[8]).toBe('cleaning'); // 16:00-18:00
    expect(slots[0]).toBe('free');
  });

  it('says unknown for a day the store never published, and counts days across a month', () => {
    expect(new Set(slotsOf(day([])))).toEqual(new Set(['unknown']));
    expect(datesFrom('2026-11-29', 4)).toEqual([
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
    ]);
  });
});
