// How many sign-in codes one sender may have texted: a sender is the caller's address as the HTTP
// layer sees it (`req.ip`; behind a load balancer only with `CLOUD_TRUST_PROXY` set, or every
// caller is the balancer). Beside the per-phone limits of the code book (sms.ts), so one caller
// cannot have codes texted to twenty phones in a row. Kept in the cloud-private `auth` database,
// one document per sender under a keyed hash of the address (never the address), so every
// instance counts the same sends and no client can reset them. A send is taken through the
// document's revision before the code goes out, so a burst spread over instances cannot pass
// together; one that is not sent after all is given back.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { CLOUD_DBS, type Clock } from '@roomhub/shared-types';
import { isConflict, type CouchClient } from '../couch';

export interface SenderLimitDeps {
  couch: CouchClient;
  /** Keys the sender hashes; the same on every instance (the token secret). */
  secret: string;
  clock: Clock;
  /** Codes one sender may have sent in a minute. */
  perMinute?: number;
  /** Codes one sender may have sent in an hour. */
  perHour?: number;
}

export type TakeResult =
  { ok: true; at: string } | { ok: false; retryAfterMs: number; message: string };

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Revision races lost in a row before a call gives up; each loss means another send landed. */
const MAX_RACES = 8;

const SenderDocSchema = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('sms_sender'),
  /** When codes were sent for this sender in the last hour, oldest first. */
  sends: z.array(z.string()),
  updatedAt: z.string(),
});
type SenderDoc = z.infer<typeof SenderDocSchema>;

export class SenderLimits {
  private readonly perMinute: number;
  private readonly perHour: number;
  private readonly key: string;

  constructor(private readonly d: SenderLimitDeps) {
    this.perMinute = d.perMinute ?? 3;
    this.perHour = d.perHour ?? 20;
    this.key = createHmac('sha256', d.secret).update('sms-senders').digest('hex');
  }

  /** Takes one send for `sender`, or says how long until it may have one. */
  async take(sender: string): Promise<TakeResult> {
    for (let race = 0; race < MAX_RACES; race += 1) {
      const t = this.d.clock.now();
      const current = await this.read(sender);
      const recent = (current?.sends ?? []).filter((at) => Date.parse(at) > t - HOUR);
      const lastMinute = recent.filter((at) => Date.parse(at) > t - MINUTE);
      if (lastMinute.length >= this.perMinute) {
        return {
          ok: false,
          retryAfterMs: Date.parse(lastMinute[0]!) + MINUTE - t,
          message: 'too many codes asked for from here just now; wait a minute',
        };
      }
      if (recent.length >= this.perHour) {
        return {
          ok: false,
          retryAfterMs: Date.parse(recent[0]!) + HOUR - t,
          message: 'too many codes asked for from here this hour; try again later',
        };
      }
      const at = new Date(t).toISOString();
      if (await this.write(current, sender, [...recent, at], t)) return { ok: true, at };
    }
    return {
      ok: false,
      retryAfterMs: MINUTE,
      message: 'too many codes asked for from here just now; wait a minute',
    };
  }

  /** Gives back a send taken at `at` that did not go out. */
  async giveBack(sender: string, at: string): Promise<void> {
    for (let race = 0; race < MAX_RACES; race += 1) {
      const current = await this.read(sender);
      if (!current?.sends.includes(at)) return;
      const sends = current.sends.filter((s) => s !== at);
      if (await this.write(current, sender, sends, this.d.clock.now())) return;
    }
  }

  // Keyed: an address is personal data, and an unkeyed hash of one is undone by trying them all.
  private docId(sender: string): string {
    return `sender:${createHmac('sha256', this.key).update(`sender:${sender}`).digest('hex').slice(0, 40)}`;
  }

  private async read(sender: string): Promise<SenderDoc | undefined> {
    const parsed = SenderDocSchema.safeParse(
      await this.d.couch.get(CLOUD_DBS.auth, this.docId(sender)),
    );
    return parsed.success ? parsed.data : undefined;
  }

  /** Writes the sends over `current`; false when another instance wrote first. */
  private async write(
    current: SenderDoc | undefined,
    sender: string,
    sends: string[],
    t: number,
  ): Promise<boolean> {
    try {
      await this.d.couch.put(CLOUD_DBS.auth, {
        _id: this.docId(sender),
        ...(current?._rev ? { _rev: current._rev } : {}),
        type: 'sms_sender',
        sends,
        updatedAt: new Date(t).toISOString(),
      });
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }
}
