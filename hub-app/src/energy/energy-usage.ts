// The arithmetic of energy from meter counters (issue 15): the energy between two readings is
// their difference; a counter that went backwards (the meter was reset or replaced) counts nothing
// for that step, and the step is reported, so no energy is ever invented; energy in a time window
// (a store day, a session) takes each step's share by time, as if drawn evenly between its two
// readings; cost takes the price in force when the energy was used. Pure: no database, no clock.

/** A meter's counter, Wh, as read at `at` (UTC ms). */
export interface Reading {
  at: number;
  wh: number;
}

/** Energy used between two readings in a row. */
export interface Step {
  from: number;
  to: number;
  wh: number;
}

/** A counter that read lower than the reading before it. */
export interface CounterReset {
  /** The reading after the step back. */
  at: number;
  fromWh: number;
  toWh: number;
}

/** A price per kWh in force from `from` until the next one; the first also covers before it. */
export interface PricePeriod {
  from: number;
  fenPerKwh: number;
}

/** The steps between readings (sorted by time), and where the counter went backwards. */
export function stepsOf(readings: readonly Reading[]): { steps: Step[]; resets: CounterReset[] } {
  const steps: Step[] = [];
  const resets: CounterReset[] = [];
  for (let i = 1; i < readings.length; i++) {
    const a = readings[i - 1]!;
    const b = readings[i]!;
    if (b.at <= a.at) continue;
    if (b.wh < a.wh) {
      resets.push({ at: b.at, fromWh: a.wh, toWh: b.wh });
      steps.push({ from: a.at, to: b.at, wh: 0 });
    } else {
      steps.push({ from: a.at, to: b.at, wh: b.wh - a.wh });
    }
  }
  return { steps, resets };
}

/** Wh used within [from, to): each step's share by the time it overlaps. */
export function usedBetween(steps: readonly Step[], from: number, to: number): number {
  if (to <= from) return 0;
  // The first step that ends after `from`; steps are in time order and do not overlap.
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]!.to <= from) lo = mid + 1;
    else hi = mid;
  }
  let wh = 0;
  for (let i = lo; i < steps.length; i++) {
    const s = steps[i]!;
    if (s.from >= to) break;
    const overlap = Math.min(s.to, to) - Math.max(s.from, from);
    if (overlap > 0 && s.wh > 0) wh += (s.wh * overlap) / (s.to - s.from);
  }
  return wh;
}

/**
 * Fen for the energy used within [from, to), each part at the price in force when it was used;
 * null when no price is set. Prices are in time order.
 */
export function costBetween(
  steps: readonly Step[],
  from: number,
  to: number,
  prices: readonly PricePeriod[],
): number | null {
  if (prices.length === 0) return null;
  let fen = 0;
  prices.forEach((p, i) => {
    const start = i === 0 ? from : Math.max(from, p.from);
    const end = Math.min(to, prices[i + 1]?.from ?? Infinity);
    if (end > start) fen += (usedBetween(steps, start, end) * p.fenPerKwh) / 1000;
  });
  return fen;
}

/** Wh as kWh to the Wh, for an answer. */
export const kwhOf = (wh: number): number => Math.round(wh) / 1000;
