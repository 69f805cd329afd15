import { describe, expect, it } from 'vitest';
import { ordersAndRevenueByDay, revenueByRegion } from './transforms';

describe('the overview’s charts', () => {
  it('puts orders as bars and net revenue in yuan as a line, by day', () => {
    const o = ordersAndRevenueByDay(
      [
        { date: '2026-12-02', orders: 1, received: 10000, refunded: 0, net: 10000, newUsers: 0 },
        {
          date: '2026-12-03',
          orders: 11,
          received: 80000,
          refunded: 2000,
          net: 78000,
          newUsers: 3,
        },
      ],
      { orders: '订单', net: '净收入（元）' },
    );
    expect(o.xAxis).toEqual({ type: 'category', data: ['12-02', '12-03'] });
    const [bars, line] = o.series as { data: number[] }[];
    expect(bars!.data).toEqual([1, 11]);
    expect(line!.data).toEqual([100, 780]);
  });

  it('ranks regions by net revenue, largest at the top', () => {
    const o = revenueByRegion(
      [
        { region: '浙江省', stores: 1, orders: 5, net: 40000 },
        { region: '上海市', stores: 1, orders: 7, net: 48000 },
      ],
      '净收入',
    );
    // ECharts draws the last category at the top.
    expect((o.yAxis as { data: string[] }).data).toEqual(['浙江省', '上海市']);
    expect((o.series as { data: number[] }[])[0]!.data).toEqual([400, 480]);
  });
});
