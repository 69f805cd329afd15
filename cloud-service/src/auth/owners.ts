// Owner accounts for the remote view, in the cloud-private `owners` database: a username, a
// scrypt password hash and the stores the owner may see; or an owner known by phone (the demo
// owner the cloud makes while its SMS is simulated), who signs in with a texted code. Owners the
// platform's admin linked to stores by phone are in the registry (owner-links.ts). Owns sign-in
// checks; never stores a password in clear.
import { CLOUD_DBS, CustomerSchema } from '@roomhub/shared-types';
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import { StoreIdSchema } from '@roomhub/shared-types';
import type { CouchClient } from '../couch';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;

export const UsernameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, 'must be 3-40 lower-case letters, digits, ".", "_" or "-"');

/** An owner's phone: a mainland mobile number, as customers' are. */
export const OwnerPhoneSchema = CustomerSchema.shape.phone;

const OwnerDocSchema = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('owner'),
  username: z.string(),
  /** Absent for an owner who signs in by phone only. */
  passwordHash: z.string().optional(),
  /** The phone a sign-in code may be texted to; its username is the phone. */
  phone: OwnerPhoneSchema.optional(),
  storeIds: z.array(StoreIdSchema),
});

async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(new Uint8Array(actual), new Uint8Array(expected));
}

/** Creates or replaces an owner account (for a setup script or tests). */
export async function putOwnerAccount(
  couch: CouchClient,
  input: { username: string; password: string; storeIds: string[] },
): Promise<void> {
  const username = UsernameSchema.parse(input.username);
  if (input.password.length < 8) throw new Error('an owner password needs at least 8 characters');
  await couch.requireDb(CLOUD_DBS.owners);
  const id = `owner:${username}`;
  const existing = await couch.get(CLOUD_DBS.owners, id);
  await couch.put(CLOUD_DBS.owners, {
    _id: id,
    ...(existing?._rev ? { _rev: existing._rev } : {}),
    type: 'owner',
    username,
    passwordHash: await hashPassword(input.password),
    storeIds: input.storeIds.map((s) => StoreIdSchema.parse(s)),
  });
}

/** The owner's stores when the password is right; undefined otherwise (same time either way). */
export async function signInOwner(
  couch: CouchClient,
  username: string,
  password: string,
): Promise<{ username: string; storeIds: string[] } | undefined> {
  const raw = UsernameSchema.safeParse(username).success
    ? await couch.get(CLOUD_DBS.owners, `owner:${username}`).catch(() => undefined)
    : undefined;
  const doc = OwnerDocSchema.safeParse(raw);
  const hash = doc.success ? doc.data.passwordHash : undefined;
  // A missing account (or one without a password) still costs one hash, so timing does not tell
  // which usernames exist.
  const stored =
    hash ?? `scrypt$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;
  const ok = await checkPassword(password, stored);
  return ok && hash !== undefined && doc.success
    ? { username: doc.data.username, storeIds: doc.data.storeIds }
    : undefined;
}

/** Each owner account's stores, one list per account. */
export async function accountStores(couch: CouchClient): Promise<string[][]> {
  return (await couch.byPrefix(CLOUD_DBS.owners, 'owner:')).flatMap((doc) => {
    const parsed = OwnerDocSchema.safeParse(doc);
    return parsed.success ? [parsed.data.storeIds] : [];
  });
}

/** The stores of the owner known by this phone in the cloud's own accounts; [] when none. */
export async function phoneOwnerStores(couch: CouchClient, phone: string): Promise<string[]> {
  const doc = OwnerDocSchema.safeParse(await couch.get(CLOUD_DBS.owners, `owner:${phone}`));
  return doc.success && doc.data.phone === phone ? doc.data.storeIds : [];
}

/**
 * Makes (or extends) the owner known by `phone`, who signs in with a texted code, so that they
 * see `storeIds` besides what they saw; a password the account had stays. For the demo owner.
 */
export async function putPhoneOwner(
  couch: CouchClient,
  input: { phone: string; storeIds: string[] },
): Promise<{ storeIds: string[]; created: boolean }> {
  const phone = OwnerPhoneSchema.parse(input.phone);
  const id = `owner:${phone}`;
  const current = OwnerDocSchema.safeParse(await couch.get(CLOUD_DBS.owners, id));
  const before = current.success ? current.data.storeIds : [];
  const storeIds = [...new Set([...before, ...input.storeIds.map((s) => StoreIdSchema.parse(s))])];
  if (current.success && current.data.phone === phone && storeIds.length === before.length) {
    return { storeIds, created: false };
  }
  await couch.put(CLOUD_DBS.owners, {
    ...(current.success ? current.data : {}),
    _id: id,
    type: 'owner',
    username: phone,
    phone,
    storeIds,
  });
  return { storeIds, created: !current.success };
}
