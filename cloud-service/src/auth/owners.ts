// Owner accounts for the remote view, in the cloud-private `owners` database: a username, a
// scrypt password hash and the stores the owner may see. Owns sign-in checks; never stores a
// password in clear.
import { CLOUD_DBS } from '@roomhub/shared-types';
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import { StoreIdSchema } from '@roomhub/shared-types';
import type { CouchClient } from '../couch';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;

export const UsernameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, 'must be 3-40 lower-case letters, digits, ".", "_" or "-"');

const OwnerDocSchema = z.object({
  _id: z.string(),
  type: z.literal('owner'),
  username: z.string(),
  passwordHash: z.string(),
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
  // A missing account still costs one hash, so timing does not tell which usernames exist.
  const stored = doc.success
    ? doc.data.passwordHash
    : `scrypt$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;
  const ok = await checkPassword(password, stored);
  return ok && doc.success
    ? { username: doc.data.username, storeIds: doc.data.storeIds }
    : undefined;
}
