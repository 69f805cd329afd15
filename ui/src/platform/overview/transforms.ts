// The live overview's charts, made by pure functions from the cloud's overview (fen, platform
// days) and the words to show, so what the platform's staff see is tested without a browser.
import type { OverviewDay, OverviewRegion } from '@roomhub/shared-types';

export type ChartOption = Record<string, unknown>;

const toYuan = (fen: number) => Math.round(fen) / 100;
const GRID = { left: 48, right: 48, top: 40, bottom: 32, containLabel: true };

/** Orders as bars and net revenue (yuan) as a line, one point per day, oldest first. */
export function ordersAndRevenueByDay(
  days: readonly OverviewDay[],
  words: { orders: string; net: string },
): ChartOption {
  return {
    grid: GRID,
    tooltip: { trigger: 'axis' },
    legend: { data: [words.orders, words.net], top: 0 },
    xAxis: { type: 'category', data: days.map((d) => d.date.slice(5)) },
    yAxis: [
      { type: 'value', name: words.orders, minInterval: 1 },
      { type: 'value', name: words.net },
    ],
    series: [
      { name: words.orders, type: 'bar', data: days.map((d) => d.orders), color: '#1f4e79' },
      {
        name: words.net,
        type: 'line',
        yAxisIndex: 1,
        smooth: true,
        data: days.map((d) => toYuan(d.net)),
        color: '#c0392b',
      },
    ],
  };
}

/** Net revenue (yuan) by region, largest first, as horizontal bars. */
export function revenueByRegion(regions: readonly OverviewRegion[], net: string): ChartOption {
  const rows = [...regions].sort((a, b) => a.net - b.net);
  return {
    grid: { ...GRID, left: 16 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', name: net },
    yAxis: { type: 'category', data: rows.map((r) => r.region) },
    series: [{ name: net, type: 'bar', data: rows.map((r) => toYuan(r.net)), color: '#2f6b4f' }],
  };
}
