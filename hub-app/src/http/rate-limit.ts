// At most so many calls a minute from one caller, for routes a flood could hurt (booking holds
// take rooms). In memory, per hub process: a restart forgets counts, which only lets a caller
// start over. Counts by the proved caller (staff member, screen), else by address.
import { MINUTE, DomainError, type Clock } from '@roomhub/shared-types';

export class RateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly clock: Clock) {}

  take(key: string, perMinute: number): void {
    const now = this.clock.now();
    const w = this.windows.get(key);
    if (!w || now - w.start >= MINUTE) {
      if (this.windows.size > 10_000) this.windows.clear(); // forget the idle, never grow unbounded
      this.windows.set(key, { start: now, count: 1 });
      return;
    }
    w.count += 1;
    if (w.count > perMinute) {
      const seconds = Math.max(1, Math.ceil((w.start + MINUTE - now) / 1000));
      throw new DomainError(
        'rate_limited',
        'too_many_requests',
        `too many requests; try again in ${seconds} s`,
        undefined,
        seconds,
      ).with({ seconds });
    }
  }
}
