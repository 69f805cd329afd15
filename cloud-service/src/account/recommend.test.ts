import { describe, expect, it } from 'vitest';
import type { OnlineDealView, StoreListItem } from '@roomhub/shared-types';
import { recommend } from './recommend';

const store = (storeId: string, address: string, distanceKm: number | null): StoreListItem => ({
  storeId,
  name: `Store ${storeId}`,
  address,
  location: { lat: 31, lng: 121 },
  distanceKm,
  openNow: true,
  hours: { open: '09:00', close: '23:00' },
  fromPricePerHour: 5000,
  rooms: [
    { roomId: `${storeId}-tea`, name: '茶室', style: 'tea', capacity: 4, fromPricePerHour: 5000 },
    {
      roomId: `${storeId}-mj`,
      name: '棋牌',
      style: 'mahjong',
      capacity: 4,
      fromPricePerHour: 8000,
    },
  ],
});

const deal = (storeId: string): OnlineDealView =>
  ({ dealId: `d-${storeId}`, storeId, title: '下午茶3小时', price: 9900 }) as OnlineDealView;

describe('recommendations', () => {
  it('puts the room booked before first, at the hour usually booked, then liked styles', () => {
    const out = recommend({
      preferences: { teas: [], areas: ['静安'], styles: ['tea'] },
      past: [
        { storeId: 'a', roomId: 'a-mj', start: '19:00' },
        { storeId: 'a', roomId: 'a-mj', start: '19:00' },
        { storeId: 'a', roomId: 'a-tea', start: '14:00' },
      ],
      stores: [store('a', '徐汇区 1 号', 8), store('b', '静安区 2 号', 1)],
      deals: [deal('a'), deal('b')],
    });
    expect(out[0]).toMatchObject({
      roomId: 'a-mj',
      usualStart: '19:00',
      score: 8,
      reasons: ['booked_before', 'usual_store'],
    });
    expect(out[1]).toMatchObject({ roomId: 'a-tea', score: 7 });
    // a store never used: only what the customer said they like, and nearness
    expect(out.find((r) => r.roomId === 'b-tea')).toMatchObject({
      score: 4,
      reasons: ['favourite_style', 'usual_area', 'near'],
    });
    // deals only at stores they use
    expect(out.filter((r) => r.kind === 'deal').map((r) => r.dealId)).toEqual(['d-a']);
  });

  it('recommends nothing to a customer the cloud knows nothing of, far from every store', () => {
    expect(
      recommend({
        preferences: { teas: [], areas: [], styles: [] },
        past: [],
        stores: [store('a', '徐汇区', 20)],
        deals: [deal('a')],
      }),
    ).toEqual([]);
  });
});
