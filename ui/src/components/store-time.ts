// Times in the store's zone, whatever zone the screen's machine is set to; and the hub's clock,
// not the screen's, decides what "now" and "today" are.

/** `HH:mm` of an instant in the store's zone. */
export function clockTime(instant: string | number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(instant));
}

/** The store-local date (YYYY-MM-DD) of an instant. */
export function localDate(instant: string | number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(instant));
}

/** The zone's offset from UTC at an instant, as `+08:00`. */
export function offsetOf(instant: number, timeZone: string): string {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(new Date(instant))
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  return m ? `${m[1]}:${m[2] ?? '00'}` : '+00:00';
}

/** An instant as the hub takes it: ISO with the store's offset (2026-11-23T10:00:00+08:00). */
export function isoInStore(instant: number, timeZone: string): string {
  const offset = offsetOf(instant, timeZone);
  return `${localDate(instant, timeZone)}T${clockTime(instant, timeZone)}:00${offset}`;
}

const MINUTE = 60_000;

/**
 * Start times a walk-in may pick: the step now falls in (the hub books a start under way from
 * now), then every step after it, up to `until`.
 */
export function startChoices(now: number, stepMinutes: number, until: number, max = 12): number[] {
  const step = stepMinutes * MINUTE;
  const first = Math.floor(now / step) * step;
  const out: number[] = [];
  for (let t = first; t < until && out.length < max; t += step) out.push(t);
  return out;
}
