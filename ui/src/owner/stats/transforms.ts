// The statistics page's charts, Superset's way: each chart's option is made by a pure function
// from the hub's table (fen, store days, weekdays 1-7) and the words to show, so what the owner
// sees is tested without a browser; the components only hand the option to ECharts.
import type {
  HeatCell,
  MemberDayRow,
  RevenueDayRow,
  RevenueRow,
  RoomHoursRow,
  SlotRow,
} from '@roomhub/shared-types';

/** What ECharts takes; kept loose so these stay pure data, testable without ECharts itself. */
export type ChartOption = Record<string, unknown>;

/** Fen to yuan as a number for an axis (the tables print the two decimals). */
export const toYuan = (fen: number) => Math.round(fen) / 100;

const GREEN = '#2f6b4f';
const GRID = { left: 56, right: 24, top: 40, bottom: 40, containLabel: true };

/**
 * Revenue by channel: one bar per channel that took money or gave some back in the range, net in
 * yuan, largest first; channels with nothing are left out so the chart is not a row of zeros.
 */
export function revenueByChannel(
  rows: readonly RevenueRow[],
  channelName: (channel: string) => string,
  netLabel: string,
): ChartOption {
  const shown = rows
    .filter((r) => r.bookings !== 0 || r.orders !== 0 || r.refunded !== 0)
    .slice()
    .sort((a, b) => b.net - a.net);
  return {
    tooltip: { trigger: 'axis' },
    grid: GRID,
    xAxis: { type: 'category', data: shown.map((r) => channelName(r.channel)) },
    yAxis: { type: 'value', name: '¥' },
    series: [
      {
        name: netLabel,
        type: 'bar',
        data: shown.map((r) => toYuan(r.net)),
        itemStyle: { color: GREEN },
        // One channel alone would otherwise fill the whole card with a slab.
        barMaxWidth: 56,
        label: { show: true, position: 'top' },
      },
    ],
  };
}

/** Revenue by day: received, refunded and net per store day, in yuan, as lines over the range. */
export function revenueByDay(
  rows: readonly RevenueDayRow[],
  words: { received: string; refunded: string; net: string },
): ChartOption {
  const days = rows.map((r) => r.date.slice(5));
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: [words.received, words.refunded, words.net], top: 0 },
    grid: GRID,
    xAxis: { type: 'category', data: days, boundaryGap: false },
    yAxis: { type: 'value', name: '¥' },
    series: [
      { name: words.received, type: 'line', data: rows.map((r) => toYuan(r.received)) },
      { name: words.refunded, type: 'line', data: rows.map((r) => toYuan(r.refunded)) },
      {
        name: words.net,
        type: 'line',
        data: rows.map((r) => toYuan(r.net)),
        itemStyle: { color: GREEN },
        areaStyle: { opacity: 0.12 },
      },
    ],
  };
}

/**
 * Room utilisation by hour and weekday: a 24 x 7 grid of percentages (Monday at the top, as a
 * Chinese week is read), every cell present even when the hub sent none for it.
 */
export function utilisationHeatmap(
  cells: readonly HeatCell[],
  weekdayNames: readonly string[],
): ChartOption {
  const share = new Map(cells.map((c) => [`${c.weekday}:${c.hour}`, c.share]));
  const data: [number, number, number][] = [];
  for (let weekday = 1; weekday <= 7; weekday++)
    for (let hour = 0; hour < 24; hour++)
      data.push([hour, 7 - weekday, Math.round((share.get(`${weekday}:${hour}`) ?? 0) * 100)]);
  return {
    tooltip: { position: 'top' },
    grid: { left: 56, right: 24, top: 16, bottom: 72, containLabel: true },
    xAxis: {
      type: 'category',
      data: Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`),
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      // Row 0 is drawn at the bottom: Sunday there, Monday on top.
      data: weekdayNames.slice().reverse(),
      splitArea: { show: true },
    },
    visualMap: {
      min: 0,
      max: 100,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      formatter: '{value}%',
      inRange: { color: ['#f3f7f4', '#9cc9ad', GREEN] },
    },
    series: [{ type: 'heatmap', data, label: { show: false } }],
  };
}

/** Hours per room: a horizontal bar per room, longest at the top, with its share in the tooltip. */
export function hoursPerRoom(rows: readonly RoomHoursRow[], hoursLabel: string): ChartOption {
  const shown = rows.slice().sort((a, b) => a.hours - b.hours);
  return {
    tooltip: { trigger: 'axis' },
    grid: GRID,
    // The card's title names the unit; an axis name here is cut at the card's edge.
    xAxis: { type: 'value', minInterval: 0.5 },
    yAxis: { type: 'category', data: shown.map((r) => r.roomName) },
    series: [
      {
        name: hoursLabel,
        type: 'bar',
        data: shown.map((r) => Math.round(r.hours * 10) / 10),
        itemStyle: { color: GREEN },
        label: { show: true, position: 'right' },
      },
    ],
  };
}

/** Popular slots: bookings by start hour of the day, every hour with one shown in clock order. */
export function popularSlots(rows: readonly SlotRow[], bookingsLabel: string): ChartOption {
  const shown = rows.slice().sort((a, b) => a.start.localeCompare(b.start));
  return {
    tooltip: { trigger: 'axis' },
    grid: GRID,
    xAxis: { type: 'category', data: shown.map((r) => r.start) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: bookingsLabel,
        type: 'bar',
        data: shown.map((r) => r.bookings),
        itemStyle: { color: '#c08a3e' },
        barMaxWidth: 56,
      },
    ],
  };
}

/** Member growth: members at the end of each day (line) and who joined that day (bars). */
export function memberGrowth(
  rows: readonly MemberDayRow[],
  words: { joined: string; total: string },
): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: [words.total, words.joined], top: 0 },
    grid: GRID,
    xAxis: { type: 'category', data: rows.map((r) => r.date.slice(5)) },
    yAxis: [
      { type: 'value', minInterval: 1, name: words.total },
      { type: 'value', minInterval: 1, name: words.joined },
    ],
    series: [
      {
        name: words.total,
        type: 'line',
        data: rows.map((r) => r.total),
        itemStyle: { color: GREEN },
      },
      {
        name: words.joined,
        type: 'bar',
        yAxisIndex: 1,
        data: rows.map((r) => r.joined),
        itemStyle: { color: '#c08a3e' },
        barMaxWidth: 40,
      },
    ],
  };
}
