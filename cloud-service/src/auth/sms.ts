// Sign-in codes by SMS: the provider interface, an in-memory simulator that records what it sent,
// and the code book (6 digits, 5 minutes, rate-limited per phone, and per sender through
// send-limits.ts). The code book lives in the cloud-private `auth` database, one document per
// phone, so every cloud instance behind a load balancer shares it. It holds a keyed hash of the
// current code, never the code, and a keyed hash of the phone, never the number. Every change goes
// through the document's revision: two instances racing on one phone cannot both send within the
// interval, and only one can use a code.
import { CLOUD_DBS } from '@roomhub/shared-types';
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '@roomhub/shared-types';
import { isConflict, type CouchClient } from '../couch';
import type { SenderLimits } from './send-limits';

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

/**
 * What a code is for: signing in (and the other proofs of a phone: appeals, owners), or linking a
 * WeChat account to the phone, which the text says so that nobody hands it over unknowing.
 */
export type SmsPurpose = 'sign_in' | 'link_wechat';

const SMS_TEXT: Record<SmsPurpose, (code: string) => string> = {
  sign_in: (code) => `【RoomHub】验证码 ${code}，5分钟内有效。Your code is ${code}.`,
  link_wechat: (code) =>
    `【RoomHub】验证码 ${code}，用于把一个微信账号绑定到本手机号，5分钟内有效；如非本人操作，请勿告诉任何人。` +
    `Your code ${code} links a WeChat account to this phone; never share it.`,
};

export interface SmsCodeDeps {
  provider: SmsProvider;
  couch: CouchClient;
  /** How many codes one sender may have sent, beside the limits per phone. */
  senders: SenderLimits;
  /** Keys the code hashes; the same on every instance (derived from the token secret). */
  secret: string;
  clock: Clock;
  ttlMs?: number;
  /** At most one code per this interval per phone. */
  minIntervalMs?: number;
  /** Codes one phone may be sent in an hour: a number, or read at each send (the platform's). */
  perHour?: number | (() => Promise<number>);
  /** Wrong guesses before a code is void. */
  maxAttempts?: number;
  newCode?: () => string;
}

export type SendResult =
  | { ok: true }
  /** `phone` when the phone's limit refused it; none when the sender's did. */
  | { ok: false; retryAfterMs: number; message: string; field?: 'phone' };

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

export class SmsCodes {
  private readonly ttlMs: number;
  private readonly minIntervalMs: number;
  private readonly perHour: number | (() => Promise<number>);
  private readonly maxAttempts: number;
  private readonly newCode: () => string;
  private readonly key: string;

  constructor(private readonly d: SmsCodeDeps) {
    this.ttlMs = d.ttlMs ?? 5 * 60_000;
    this.minIntervalMs = d.minIntervalMs ?? 60_000;
    this.perHour = d.perHour ?? 5;
    this.maxAttempts = d.maxAttempts ?? 5;
    this.newCode = d.newCode ?? (() => String(randomInt(0, 1_000_000)).padStart(6, '0'));
    this.key = createHmac('sha256', d.secret).update('sms-codes').digest('hex');
  }

  async init(): Promise<void> {
    await this.d.couch.requireDb(CLOUD_DBS.auth);
  }

  /**
   * Texts a code to `phone` for `sender` (the caller's address), within both their limits. A code
   * is for one purpose, said in its text, and verified for that purpose alone.
   */
  async send(phone: string, sender: string, purpose: SmsPurpose = 'sign_in'): Promise<SendResult> {
    const taken = await this.d.senders.take(sender);
    if (!taken.ok) return taken;
    let result: SendResult;
    try {
      result = await this.sendTo(phone, purpose);
    } catch (error) {
      await this.d.senders.giveBack(sender, taken.at).catch(() => undefined);
      throw error;
    }
    // Only codes that went out count against the sender.
    if (!result.ok) await this.d.senders.giveBack(sender, taken.at);
    return result;
  }

  private async sendTo(phone: string, purpose: SmsPurpose): Promise<SendResult> {
    const { minIntervalMs } = this;
    const perHour = typeof this.perHour === 'number' ? this.perHour : await this.perHour();
    for (let race = 0; race < MAX_RACES; race += 1) {
      const t = this.d.clock.now();
      const current = await this.read(phone);
      const recent = (current?.sends ?? []).filter((at) => Date.parse(at) > t - HOUR);
      const last = recent.at(-1);
      if (last !== undefined && t - Date.parse(last) < minIntervalMs) {
        return {
          ok: false,
          field: 'phone',
          retryAfterMs: minIntervalMs - (t - Date.parse(last)),
          message: 'a code was sent less than a minute ago; wait before asking again',
        };
      }
      const oldest = recent[0];
      if (recent.length >= perHour && oldest !== undefined) {
        return {
          ok: false,
          field: 'phone',
          retryAfterMs: Date.parse(oldest) + HOUR - t,
          message: `at most ${perHour} codes an hour for one phone; try again later`,
        };
      }
      const code = this.newCode();
      const next: CodeBookDoc = {
        _id: this.docId(phone),
        type: 'sms_code',
        codeHash: this.hashOf(phone, code, purpose),
        expiresAt: iso(t + this.ttlMs),
        attempts: 0,
        sends: [...recent, iso(t)],
        updatedAt: iso(t),
      };
      // Recorded before it is sent: whoever records first is the one that sends.
      const rev = await this.write(current, next);
      if (!rev) continue;
      try {
        await this.d.provider.send(phone, SMS_TEXT[purpose](code));
      } catch (error) {
        // Not sent: take the record back, so the customer may ask again at once.
        const back: CodeBookDoc = current
          ? { ...current, updatedAt: iso(t) }
          : { _id: next._id, type: 'sms_code', attempts: 0, sends: [], updatedAt: iso(t) };
        await this.write({ ...next, _rev: rev }, back).catch(() => undefined);
        throw error;
      }
      return { ok: true };
    }
    return {
      ok: false,
      field: 'phone',
      retryAfterMs: minIntervalMs,
      message: 'a code was sent less than a minute ago; wait before asking again',
    };
  }

  /** True once per code, across every instance: a used, expired or over-guessed code is gone. */
  async verify(phone: string, code: string, purpose: SmsPurpose = 'sign_in'): Promise<boolean> {
    for (let race = 0; race < MAX_RACES; race += 1) {
      const t = this.d.clock.now();
      const current = await this.read(phone);
      if (!current?.codeHash || !current.expiresAt) return false;
      if (Date.parse(current.expiresAt) <= t) {
        await this.write(current, withoutCode(current, t));
        return false;
      }
      const a = Buffer.from(current.codeHash, 'hex');
      const b = Buffer.from(this.hashOf(phone, code, purpose), 'hex');
      const match = a.length === b.length && timingSafeEqual(new Uint8Array(a), new Uint8Array(b));
      const attempts = current.attempts + 1;
      const next =
        match || attempts >= this.maxAttempts
          ? withoutCode(current, t)
          : { ...current, attempts, updatedAt: iso(t) };
      // Only the instance whose write lands may accept the code; a loser looks again and finds
      // the code gone.
      if ((await this.write(current, next)) !== undefined) return match;
    }
    return false;
  }

  // Keyed too: an unkeyed hash of a phone number is undone by trying every number.
  private docId(phone: string): string {
    return `phone:${createHmac('sha256', this.key).update(`phone:${phone}`).digest('hex').slice(0, 40)}`;
  }

  private hashOf(phone: string, code: string, purpose: SmsPurpose): string {
    const what = purpose === 'sign_in' ? '' : `\n${purpose}`;
    return createHmac('sha256', this.key).update(`${phone}\n${code}${what}`).digest('hex');
  }

  private async read(phone: string): Promise<CodeBookDoc | undefined> {
    const parsed = CodeBookDocSchema.safeParse(
      await this.d.couch.get(CLOUD_DBS.auth, this.docId(phone)),
    );
    return parsed.success ? parsed.data : undefined;
  }

  /** Writes `next` over `current`; its new revision, or undefined when another wrote first. */
  private async write(
    current: CodeBookDoc | undefined,
    next: CodeBookDoc,
  ): Promise<string | undefined> {
    const { _rev: _r, ...body } = next;
    try {
      return await this.d.couch.put(CLOUD_DBS.auth, {
        ...body,
        ...(current?._rev ? { _rev: current._rev } : {}),
      });
    } catch (error) {
      if (isConflict(error)) return undefined;
      throw error;
    }
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

function withoutCode(doc: CodeBookDoc, t: number): CodeBookDoc {
  const { codeHash: _c, expiresAt: _e, ...rest } = doc;
  return { ...rest, attempts: 0, updatedAt: iso(t) };
}
