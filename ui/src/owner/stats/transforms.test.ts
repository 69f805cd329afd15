// The statistics charts say what the hub's tables say: the yuan on the bars are the fen of the
// table, days stay in order, and the heat map has a cell for every hour of every weekday.
import { describe, expect, it } from 'vitest';
import type { RevenueRow } from '@roomhub/shared-types';
import {
  hoursPerRoom,
  memberGrowth,
  popularSlots,
  revenueByChannel,
  revenueByDay,
  toYuan,
  utilisationHeatmap,
} from './transforms';

type Series = { name?: string; data: unknown[] };
const seriesOf = (o: Record<string, unknown>) => o.series as Series[];
const axis = (o: Record<string, unknown>, a: 'xAxis' | 'yAxis') =>
  (o[a] as { data: unknown[] }).data;

const row = (channel: RevenueRow['channel'], bookings: number, refunded = 0): RevenueRow => ({
  channel,
  bookings,
  orders: 0,
  refunded,
  net: bookings - refunded,
  faceValue: null,
  settled: null,
});

describe('the statistics charts', () => {
  it('turns fen into yuan without float noise', () => {
    expect(toYuan(12345)).toBe(123.45);
    expect(toYuan(-5)).toBe(-0.05);
  });

  it('shows revenue per channel that moved money, largest net first, in yuan', () => {
    const o = revenueByChannel(
      [row('wechat', 8800), row('cash', 20000, 5000), row('alipay', 0), row('wallet', 0, 300)],
      (c) => `ch:${c}`,
      '净收入',
    );
    expect(axis(o, 'xAxis')).toEqual(['ch:cash', 'ch:wechat', 'ch:wallet']);
    expect(seriesOf(o)[0]!.data).toEqual([150, 88, -3]);
  });

  it('draws received, refunded and net per day in the range’s order', () => {
    const o = revenueByDay(
      [
        { date: '2026-11-22', received: 1000, refunded: 0, net: 1000 },
        { date: '2026-11-23', received: 25050, refunded: 50, net: 25000 },
      ],
      { received: 'in', refunded: 'back', net: 'net' },
    );
    expect(axis(o, 'xAxis')).toEqual(['11-22', '11-23']);
    expect(seriesOf(o).map((s) => [s.name, s.data])).toEqual([
      ['in', [10, 250.5]],
      ['back', [0, 0.5]],
      ['net', [10, 250]],
    ]);
  });

  it('fills the heat map’s 7 x 24 grid, Monday on top, shares as percentages', () => {
    const names = ['一', '二', '三', '四', '五', '六', '日'];
    const o = utilisationHeatmap(
      [
        { weekday: 1, hour: 14, share: 0.5 },
        { weekday: 7, hour: 20, share: 1 },
      ],
      names,
    );
    const data = seriesOf(o)[0]!.data as [number, number, number][];
    expect(data).toHaveLength(168);
    expect(axis(o, 'yAxis')).toEqual(['日', '六', '五', '四', '三', '二', '一']);
    // Monday is the top row (index 6), Sunday the bottom (index 0).
    expect(data).toContainEqual([14, 6, 50]);
    expect(data).toContainEqual([20, 0, 100]);
    expect(data.filter((d) => d[2] > 0)).toHaveLength(2);
  });

  it('lists rooms by hours, the busiest at the top of the bars', () => {
    const o = hoursPerRoom(
      [
        { roomId: 'a', roomName: '兰', bookings: 2, hours: 3, share: 0.1 },
        { roomId: 'b', roomName: '竹', bookings: 5, hours: 7.25, share: 0.3 },
      ],
      '小时',
    );
    // ECharts draws a category axis from the bottom up.
    expect(axis(o, 'yAxis')).toEqual(['兰', '竹']);
    expect(seriesOf(o)[0]!.data).toEqual([3, 7.3]);
  });

  it('puts popular slots in clock order', () => {
    const o = popularSlots(
      [
        { start: '19:00', bookings: 4, hours: 8 },
        { start: '09:00', bookings: 1, hours: 2 },
      ],
      '订单',
    );
    expect(axis(o, 'xAxis')).toEqual(['09:00', '19:00']);
    expect(seriesOf(o)[0]!.data).toEqual([1, 4]);
  });

  it('shows members in total and joined per day', () => {
    const o = memberGrowth(
      [
        { date: '2026-11-01', joined: 2, total: 10 },
        { date: '2026-11-02', joined: 0, total: 10 },
      ],
      { joined: '新增', total: '会员数' },
    );
    expect(seriesOf(o).map((s) => s.data)).toEqual([
      [10, 10],
      [2, 0],
    ]);
  });
});
