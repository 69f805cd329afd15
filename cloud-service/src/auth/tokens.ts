// Bearer tokens (HS256 JWTs through jose) for customers and owners. Owns signing and checking;
// never stores anything. The customer ids they carry come from shared-types (customer-id.ts), so
// the hub derives the same id from a phone typed at the kiosk.
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Clock } from '@roomhub/shared-types';

const ISSUER = 'roomhub-cloud';

const CustomerClaims = z.object({
  role: z.literal('customer'),
  sub: z.string().min(1),
  phone: z.string().optional(),
  fid: z.string().optional(),
  /** The ids a WeChat sign-in had before its phone was linked (`linkedIds`). */
  lid: z.array(z.string()).optional(),
});
const OwnerClaims = z.object({
  role: z.literal('owner'),
  sub: z.string().min(1),
  storeIds: z.array(z.string()),
});

export interface CustomerIdentity {
  customerId: string;
  /** Absent for a WeChat sign-in that has not given a phone yet. */
  phone?: string;
  /**
   * The id the same phone or openid had before customer ids were keyed: bookings and intents
   * made before carry it, and stay this customer's.
   */
  formerId?: string;
  /**
   * A WeChat customer who proved a phone is that phone's customer from then on; the ids their
   * WeChat sign-in had before (today's and the former) still name what they booked then.
   */
  linkedIds?: string[];
}

/** Every id the customer's records may carry: today's, the one from before, and WeChat's. */
export const customerIds = (who: CustomerIdentity): string[] => [
  who.customerId,
  ...(who.formerId !== undefined ? [who.formerId] : []),
  ...(who.linkedIds ?? []),
];

export interface OwnerIdentity {
  username: string;
  storeIds: string[];
}

export interface TokenDeps {
  /** HS256 key; at least 32 characters. */
  secret: string;
  clock: Clock;
  ttlSeconds?: number;
}

export class Tokens {
  private readonly key: Uint8Array;
  private readonly ttlSeconds: number;

  constructor(private readonly d: TokenDeps) {
    if (d.secret.length < 32) throw new Error('the JWT secret must be at least 32 characters');
    this.key = new TextEncoder().encode(d.secret);
    this.ttlSeconds = d.ttlSeconds ?? 7 * 86_400;
  }

  customer({ customerId, phone, formerId, linkedIds }: CustomerIdentity): Promise<string> {
    return this.sign(
      {
        role: 'customer',
        ...(phone ? { phone } : {}),
        ...(formerId ? { fid: formerId } : {}),
        ...(linkedIds?.length ? { lid: linkedIds } : {}),
      },
      customerId,
    );
  }

  owner({ username, storeIds }: OwnerIdentity): Promise<string> {
    return this.sign({ role: 'owner', storeIds }, username);
  }

  async verifyCustomer(token: string): Promise<CustomerIdentity | undefined> {
    const parsed = CustomerClaims.safeParse(await this.verify(token));
    if (!parsed.success) return undefined;
    return {
      customerId: parsed.data.sub,
      ...(parsed.data.phone ? { phone: parsed.data.phone } : {}),
      ...(parsed.data.fid ? { formerId: parsed.data.fid } : {}),
      ...(parsed.data.lid?.length ? { linkedIds: parsed.data.lid } : {}),
    };
  }

  async verifyOwner(token: string): Promise<OwnerIdentity | undefined> {
    const parsed = OwnerClaims.safeParse(await this.verify(token));
    return parsed.success
      ? { username: parsed.data.sub, storeIds: parsed.data.storeIds }
      : undefined;
  }

  private sign(claims: Record<string, unknown>, sub: string): Promise<string> {
    const iat = Math.floor(this.d.clock.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .sign(this.key);
  }

  private async verify(token: string): Promise<unknown> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        currentDate: new Date(this.d.clock.now()),
      });
      return payload;
    } catch {
      return undefined;
    }
  }
}
