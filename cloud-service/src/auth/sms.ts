// Sign-in codes by SMS: the provider interface, an in-memory simulator that records what it sent,
// and the code book (6 digits, 5 minutes, rate-limited per phone). The code book lives in the
// cloud-private `auth` database, one document per phone, so every cloud instance behind a load
// balancer shares it. It holds a keyed hash of the current code, never the code, and a keyed hash
// of the phone, never the number. Every change goes through the document's revision: two instances
// racing on one phone cannot both send within the interval, and only one can use a code.
import { CLOUD_DBS } from '@roomhub/shared-types';
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { isConflict, type CouchClient } from '../couch';

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
  couch: CouchClient;
  /** Keys the code hashes; the same on every instance (derived from the token secret). */
  secret: string;
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
/** Revision races lost in a row before a call gives up; each loss means another instance moved. */
const MAX_RACES = 8;

const CodeBookDocSchema = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('sms_code'),
  /** Keyed hash of the phone and the current code; absent when no code is usable. */
  codeHash: z.string().optional(),
  expiresAt: z.string().optional(),
  attempts: z.number().int().default(0),
  /** When codes were sent in the last hour, oldest first. */
  sends: z.array(z.string()).default([]),
  updatedAt: z.string(),
});
type CodeBookDoc = z.infer<typeof CodeBookDocSchema>;

export function createSmsCodes(options: SmsCodeOptions) {
  const {
    provider,
    couch,
    now,
    ttlMs = 5 * 60_000,
    minIntervalMs = 60_000,
    perHour = 5,
    maxAttempts = 5,
    newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0'),
  } = options;
  const key = createHmac('sha256', options.secret).update('sms-codes').digest('hex');
  const iso = (ms: number) => new Date(ms).toISOString();
  // Keyed too: an unkeyed hash of a phone number is undone by trying every number.
  const docId = (phone: string) =>
    `phone:${createHmac('sha256', key).update(`phone:${phone}`).digest('hex').slice(0, 40)}`;
  const hashOf = (phone: string, code: string) =>
    createHmac('sha256', key).update(`${phone}\n${code}`).digest('hex');

  async function read(phone: string): Promise<CodeBookDoc | undefined> {
    const parsed = CodeBookDocSchema.safeParse(await couch.get(CLOUD_DBS.auth, docId(phone)));
    return parsed.success ? parsed.data : undefined;
  }

  /** Writes `next` over `current`; its new revision, or undefined when another wrote first. */
  async function write(
    current: CodeBookDoc | undefined,
    next: CodeBookDoc,
  ): Promise<string | undefined> {
    const { _rev: _r, ...body } = next;
    try {
      return await couch.put(CLOUD_DBS.auth, {
        ...body,
        ...(current?._rev ? { _rev: current._rev } : {}),
      });
    } catch (error) {
      if (isConflict(error)) return undefined;
      throw error;
    }
  }

  const withoutCode = (doc: CodeBookDoc, t: number): CodeBookDoc => {
    const { codeHash: _c, expiresAt: _e, ...rest } = doc;
    return { ...rest, attempts: 0, updatedAt: iso(t) };
  };

  return {
    async init(): Promise<void> {
      await couch.ensureDb(CLOUD_DBS.auth);
    },

    async send(phone: string): Promise<SendResult> {
      for (let race = 0; race < MAX_RACES; race += 1) {
        const t = now();
        const current = await read(phone);
        const recent = (current?.sends ?? []).filter((at) => Date.parse(at) > t - HOUR);
        const last = recent.at(-1);
        if (last !== undefined && t - Date.parse(last) < minIntervalMs) {
          return {
            ok: false,
            retryAfterMs: minIntervalMs - (t - Date.parse(last)),
            message: 'a code was sent less than a minute ago; wait before asking again',
          };
        }
        const oldest = recent[0];
        if (recent.length >= perHour && oldest !== undefined) {
          return {
            ok: false,
            retryAfterMs: Date.parse(oldest) + HOUR - t,
            message: `at most ${perHour} codes an hour for one phone; try again later`,
          };
        }
        const code = newCode();
        const next: CodeBookDoc = {
          _id: docId(phone),
          type: 'sms_code',
          codeHash: hashOf(phone, code),
          expiresAt: iso(t + ttlMs),
          attempts: 0,
          sends: [...recent, iso(t)],
          updatedAt: iso(t),
        };
        // Recorded before it is sent: whoever records first is the one that sends.
        const rev = await write(current, next);
        if (!rev) continue;
        try {
          await provider.send(
            phone,
            `【RoomHub】验证码 ${code}，5分钟内有效。Your code is ${code}.`,
          );
        } catch (error) {
          // Not sent: take the record back, so the customer may ask again at once.
          const back: CodeBookDoc = current
            ? { ...current, updatedAt: iso(t) }
            : { _id: next._id, type: 'sms_code', attempts: 0, sends: [], updatedAt: iso(t) };
          await write({ ...next, _rev: rev }, back).catch(() => undefined);
          throw error;
        }
        return { ok: true };
      }
      return {
        ok: false,
        retryAfterMs: minIntervalMs,
        message: 'a code was sent less than a minute ago; wait before asking again',
      };
    },

    /** True once per code, across every instance: a used, expired or over-guessed code is gone. */
    async verify(phone: string, code: string): Promise<boolean> {
      for (let race = 0; race < MAX_RACES; race += 1) {
        const t = now();
        const current = await read(phone);
        if (!current?.codeHash || !current.expiresAt) return false;
        if (Date.parse(current.expiresAt) <= t) {
          await write(current, withoutCode(current, t));
          return false;
        }
        const a = Buffer.from(current.codeHash, 'hex');
        const b = Buffer.from(hashOf(phone, code), 'hex');
        const match =
          a.length === b.length && timingSafeEqual(new Uint8Array(a), new Uint8Array(b));
        const attempts = current.attempts + 1;
        const next =
          match || attempts >= maxAttempts
            ? withoutCode(current, t)
            : { ...current, attempts, updatedAt: iso(t) };
        // Only the instance whose write lands may accept the code; a loser looks again and finds
        // the code gone.
        if ((await write(current, next)) !== undefined) return match;
      }
      return false;
    },
  };
}
export type SmsCodes = ReturnType<typeof createSmsCodes>;
