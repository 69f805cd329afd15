// How long a scanner waits before opening its device again. Pure; never touches a timer.

export interface RetryOptions {
  /** Wait after the first failure, in milliseconds. */
  initialMs?: number;
  /** The wait never grows beyond this. */
  maxMs?: number;
}

/** Doubles from initialMs per consecutive failure (1 = first failure), capped at maxMs. */
export function retryDelay(
  failures: number,
  { initialMs = 500, maxMs = 30_000 }: RetryOptions = {},
) {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(initialMs * 2 ** exponent, maxMs);
}

/** "250 ms", "4 s", "1.5 s": for status messages. */
export function describeDelay(ms: number) {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
