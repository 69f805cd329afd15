// The cloud's customer quote is the hub's bill: the season shown as its own line and the store's
// promotions taken off, from what the store's hub published.
import { describe, expect, it } from 'vitest';
import {
  BookingRulesSchema,
  DEFAULT_BOOKING_RULES,
  makeDayTypeResolver,
  priceBill,
  quoteSpan,
  RoomProfileDocSchema,
  StoreProfileDocSchema,
} from '@roomhub/shared-types';
import { checkedQuote } from './quotes';

const SH = 'Asia/Shanghai';
const rates = (n: number) => ({ workday: n, weekend: n, holiday: n });
const store = StoreProfileDocSchema.parse({
  _id: 'profile:store',
  type: 'store_profile',
  storeId: 's1',
  name: 'Store',
  address: 'Road 1',
  phone: '021-12345678',
  timeZone: SH,
  hours: { open: '00:00', close: '24:00' },
  location: null,
  photos: [],
  rules: BookingRulesSchema.parse(DEFAULT_BOOKING_RULES),
  calendar: {},
  promotions: [
    {
      id: 'p1',
      name: 'autumn',
      enabled: true,
      from: '2026-11-01',
      to: '2026-11-30',
      rule: { kind: 'percent', percentOff: 10, capFen: null },
      scope: { roomIds: [], roomStyles: ['茶室'], dayTypes: [], bands: [] },
      stacking: { withMember: true, withVoucher: false, withCoupon: true },
    },
  ],
  updatedAt: '2026-11-23T10:00:00+08:00',
});
const room = RoomProfileDocSchema.parse({
  _id: 'profile:room:r1',
  type: 'room_profile',
  storeId: 's1',
  roomId: 'r1',
  name: 'Room 1',
  capacity: 4,
  areaSqm: 20,
  style: '茶室',
  facilities: [],
  photos: [],
  pricePlan: {
    rates: rates(6000),
    seasons: [{ name: '初冬', from: '11-20', to: '11-30', rates: rates(8000) }],
  },
  rules: null,
  status: 'active',
  updatedAt: '2026-11-23T10:00:00+08:00',
});

describe("the cloud's customer quote", () => {
  it('is the bill the hub makes: season line, promotion line, the same total', () => {
    const now = Date.parse('2026-11-23T10:00:00+08:00');
    const span = { start: '2026-11-24T10:00:00+08:00', end: '2026-11-24T12:00:00+08:00' };
    const q = checkedQuote(store, room, span, now);
    expect(q.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['time', 12000],
      ['season', 4000],
      ['promotion', -1600],
    ]);
    expect(q.total).toBe(14400);
    const hub = priceBill(
      quoteSpan(
        room.pricePlan,
        { start: Date.parse(span.start), end: Date.parse(span.end) },
        { timeZone: SH, dayType: makeDayTypeResolver({}) },
      ),
      { promotions: store.promotions },
      { roomId: 'r1', roomStyle: '茶室', timeZone: SH },
    );
    expect(q.total).toBe(hub.total);
    expect(q.lines).toEqual(hub.lines);
  });

  it('reads a store profile published before promotions existed', () => {
    const { promotions: _, ...old } = store;
    const parsed = StoreProfileDocSchema.parse(old);
    expect(parsed.promotions).toEqual([]);
  });
});
