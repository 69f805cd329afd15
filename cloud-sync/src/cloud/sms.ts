// Sign-in codes by SMS: the provider interface, an in-memory simulator that records what it sent,
// and the code book (6 digits, 5 minutes, rate-limited per phone). The code book is in memory:
// one cloud process; several behind a load balancer need it in a shared store.
import { randomInt, timingSafeEqual } from 'node:crypto';

export interface SmsProvider {
  send(phone: string, text: string): Promise<void>;
}

/** Records messages instead of sending them, for development and tests. */
export class MemorySmsProvider implements SmsProvider {
  readonly sent: { phone: string; text: string; code?: string }[] = [];
  async send(phone: string, text: string): Promise<void> {
    this.sent.push({
      phone,
      text,
      ...(/\d{6}/.exec(text) ? { code: /\d{6}/.exec(text)![0] } : {}),
    });
  }
  lastCode(phone: string): string | undefined {
    return this.sent.filter((m) => m.phone === phone).at(-1)?.code;
  }
}

export interface SmsCodeOptions {
  provider: SmsProvider;
  now: () => number;
  ttlMs?: number;
  /** At most one code per this interval per phone. */
  minIntervalMs?: number;
  perHour?: number;
  /** Wrong guesses before a code is void. */
  maxAttempts?: number;
  newCode?: () => string;
}

export type SendResult = { ok: true } | { ok: false; retryAfterMs: number; message: string };

const HOUR = 3_600_000;

export function createSmsCodes(options: SmsCodeOptions) {
  const {
    provider,
    now,
    ttlMs = 5 * 60_000,
    minIntervalMs = 60_000,
    perHour = 5,
    maxAttempts = 5,
    newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0'),
  } = options;
  const codes = new Map<string, { code: string; expiresAt: number; attempts: number }>();
  const sends = new Map<string, number[]>();

  return {
    async send(phone: string): Promise<SendResult> {
      const t = now();
      const recent = (sends.get(phone) ?? []).filter((at) => at > t - HOUR);
      const last = recent.at(-1);
      if (last !== undefined && t - last < minIntervalMs) {
        return {
          ok: false,
          retryAfterMs: minIntervalMs - (t - last),
          message: 'a code was sent less than a minute ago; wait before asking again',
        };
      }
      const oldest = recent[0];
      if (recent.length >= perHour && oldest !== undefined) {
        return {
          ok: false,
          retryAfterMs: oldest + HOUR - t,
          message: `at most ${perHour} codes an hour for one phone; try again later`,
        };
      }
      const code = newCode();
      recent.push(t);
      sends.set(phone, recent);
      codes.set(phone, { code, expiresAt: t + ttlMs, attempts: 0 });
      await provider.send(phone, `【RoomHub】验证码 ${code}，5分钟内有效。Your code is ${code}.`);
      return { ok: true };
    },
    /** True once per code: a used, expired or over-guessed code is gone. */
    verify(phone: string, code: string): boolean {
      const entry = codes.get(phone);
      if (!entry || entry.expiresAt <= now()) {
        codes.delete(phone);
        return false;
      }
      const a = Buffer.from(entry.code);
      const b = Buffer.from(code);
      if (a.length === b.length && timingSafeEqual(new Uint8Array(a), new Uint8Array(b))) {
        codes.delete(phone);
        return true;
      }
      entry.attempts += 1;
      if (entry.attempts >= maxAttempts) codes.delete(phone);
      return false;
    },
  };
}
export type SmsCodes = ReturnType<typeof createSmsCodes>;
