// Bearer tokens (HS256 JWTs through jose) for customers and owners, and the customer id derived
// from a phone or a WeChat openid. Owns signing and checking; never stores anything.
import { createHash } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';

const ISSUER = 'roomhub-cloud';

/**
 * The customer id for a phone: a stable hash, so the id in intents does not spell the number and
 * the hub can compute the same id for a booking made at the kiosk with that phone.
 */
export function customerIdForPhone(phone: string): string {
  return `c${createHash('sha256').update(`phone:${phone}`).digest('hex').slice(0, 24)}`;
}

export function customerIdForOpenid(openid: string): string {
  return `w${createHash('sha256').update(`wechat:${openid}`).digest('hex').slice(0, 24)}`;
}

const CustomerClaims = z.object({
  role: z.literal('customer'),
  sub: z.string().min(1),
  phone: z.string().optional(),
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
}
export interface OwnerIdentity {
  username: string;
  storeIds: string[];
}

export interface Tokens {
  customer(identity: CustomerIdentity): Promise<string>;
  owner(identity: OwnerIdentity): Promise<string>;
  verifyCustomer(token: string): Promise<CustomerIdentity | undefined>;
  verifyOwner(token: string): Promise<OwnerIdentity | undefined>;
}

export function createTokens(secret: string, now: () => number, ttlSeconds = 7 * 86_400): Tokens {
  if (secret.length < 32) throw new Error('the JWT secret must be at least 32 characters');
  const key = new TextEncoder().encode(secret);
  const sign = (claims: Record<string, unknown>, sub: string) => {
    const iat = Math.floor(now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttlSeconds)
      .sign(key);
  };
  const verify = async (token: string): Promise<unknown> => {
    try {
      const { payload } = await jwtVerify(token, key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        currentDate: new Date(now()),
      });
      return payload;
    } catch {
      return undefined;
    }
  };
  return {
    customer: ({ customerId, phone }) =>
      sign({ role: 'customer', ...(phone ? { phone } : {}) }, customerId),
    owner: ({ username, storeIds }) => sign({ role: 'owner', storeIds }, username),
    async verifyCustomer(token) {
      const parsed = CustomerClaims.safeParse(await verify(token));
      if (!parsed.success) return undefined;
      return {
        customerId: parsed.data.sub,
        ...(parsed.data.phone ? { phone: parsed.data.phone } : {}),
      };
    },
    async verifyOwner(token) {
      const parsed = OwnerClaims.safeParse(await verify(token));
      return parsed.success
        ? { username: parsed.data.sub, storeIds: parsed.data.storeIds }
        : undefined;
    },
  };
}
