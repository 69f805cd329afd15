// The demo store a fresh hub starts with, so `npm start` shows a real board: six rooms of
// different styles and sizes and a price plan shaped like a real city-centre tea room's.
import { DEFAULT_BOOKING_RULES, type PricePlanInput, type StoreInfo } from '@roomhub/shared-types';
import type { z } from 'zod';
import type { RoomInputSchema } from '@roomhub/shared-types';

type RoomSeed = z.input<typeof RoomInputSchema>;

export const DEMO_STORE: StoreInfo = {
  name: '茶隐 · 自助茶室（示范店）',
  address: '上海市静安区南京西路 1266 号 3 楼',
  phone: '021-6288-0000',
  timeZone: 'Asia/Shanghai',
  hours: { open: '00:00', close: '24:00' },
  logoUrl: null,
  photos: [],
  rules: DEFAULT_BOOKING_RULES,
};

/** Rates are fen per hour: weekends dearer than weekdays, holidays dearest, nights cheapest. */
function plan(base: number, packages: boolean): PricePlanInput {
  const scale = (workday: number) => ({
    workday,
    weekend: Math.round((workday * 1.25) / 100) * 100,
    holiday: Math.round((workday * 1.5) / 100) * 100,
  });
  return {
    rates: scale(base),
    bands: [
      {
        name: '夜间优惠',
        from: '00:00',
        to: '08:00',
        rates: scale(Math.round((base * 0.6) / 100) * 100),
      },
      {
        name: '晚间高峰',
        from: '18:00',
        to: '23:00',
        rates: scale(Math.round((base * 1.2) / 100) * 100),
      },
    ],
    packages: packages
      ? [
          { id: 'morning', name: '上午场', start: '08:00', minutes: 240, prices: pkg(base * 3) },
          { id: 'afternoon', name: '下午场', start: '13:00', minutes: 300, prices: pkg(base * 4) },
          { id: 'evening', name: '晚场', start: '18:00', minutes: 300, prices: pkg(base * 4.5) },
          { id: 'overnight', name: '通宵场', start: '23:00', minutes: 540, prices: pkg(base * 4) },
        ]
      : [],
    stepMinutes: 15,
  };
}

function pkg(workday: number) {
  const r = (n: number) => Math.round(n / 100) * 100;
  return { workday: r(workday), weekend: r(workday * 1.25), holiday: r(workday * 1.5) };
}

export const DEMO_ROOMS: RoomSeed[] = [
  {
    number: '101',
    name: '听雨',
    capacity: 4,
    areaSqm: 12,
    style: '新中式茶室',
    facilities: ['实木茶台', '空调', '新风系统', '智能门锁', '茶具一套'],
    photos: [],
    pricePlan: plan(3800, true),
  },
  {
    number: '102',
    name: '观山',
    capacity: 6,
    areaSqm: 18,
    style: '日式榻榻米',
    facilities: ['榻榻米', '空调', '新风系统', '投影仪', '智能门锁'],
    photos: [],
    pricePlan: plan(4800, true),
  },
  {
    number: '103',
    name: '松风',
    capacity: 4,
    areaSqm: 15,
    style: '棋牌室',
    facilities: ['四口自动麻将机', '空调', '新风系统', '独立卫生间', '智能门锁'],
    photos: [],
    pricePlan: plan(5800, true),
  },
  {
    number: '104',
    name: '竹影',
    capacity: 4,
    areaSqm: 14,
    style: '棋牌室',
    facilities: ['四口自动麻将机', '空调', '智能门锁'],
    photos: [],
    pricePlan: plan(4800, true),
  },
  {
    number: '105',
    name: '云间',
    capacity: 12,
    areaSqm: 36,
    style: '轻奢聚会厅',
    facilities: ['长茶桌', '投影仪', 'KTV 音响', '空调', '新风系统', '独立卫生间', '智能门锁'],
    photos: [],
    pricePlan: plan(12800, false),
  },
  {
    number: '106',
    name: '一隅',
    capacity: 2,
    areaSqm: 6,
    style: '极简书房',
    facilities: ['书桌', '台灯', '空调', '智能门锁'],
    photos: [],
    pricePlan: plan(2200, false),
  },
];
