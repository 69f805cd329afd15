// Small values the cloud hands out and must get back unchanged: a prepare token (what consume
// needs from prepare, for one store and one code) and an OAuth state (which owner asked to link
// which store). Each is JSON with an expiry, signed with a key of its own purpose derived from
// the cloud's secret, so one kind can never be passed off as the other and nobody can forge
// either. Not encrypted: nothing in them is a secret.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '@roomhub/shared-types';

export type SealPurpose = 'platform-prepare' | 'platform-oauth-state';

export class SealedTokens {
  constructor(
    private readonly secret: string,
    private readonly clock: Clock,
  ) {}

  seal(purpose: SealPurpose, payload: object, ttlMs: number): string {
    const body = Buffer.from(
      JSON.stringify({ ...payload, exp: this.clock.now() + ttlMs }),
      'utf8',
    ).toString('base64url');
    return `${body}.${this.mac(purpose, body)}`;
  }

  /** The payload, or undefined when the token is not one this cloud sealed for `purpose`, or ran out. */
  open<T extends object>(purpose: SealPurpose, token: string): (T & { exp: number }) | undefined {
    const [body, mac, ...rest] = token.split('.');
    if (!body || !mac || rest.length) return undefined;
    const want = Buffer.from(this.mac(purpose, body));
    const got = Buffer.from(mac);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
    try {
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T & {
        exp: number;
      };
      return typeof payload.exp === 'number' && payload.exp > this.clock.now()
        ? payload
        : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(purpose: SealPurpose, body: string): string {
    const key = createHmac('sha256', this.secret).update(`roomhub:${purpose}`).digest();
    return createHmac('sha256', key).update(body).digest('base64url');
  }
}
