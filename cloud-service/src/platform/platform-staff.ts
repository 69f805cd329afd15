// The platform's staff, `platform_staff:<phone>` each in `registry`, beside the owner links: who
// they are, their roles, and their authenticator secret, sealed with a key derived from the
// cloud's secret so a reader of the registry learns nothing it could sign in with. Written only
// through the platform's credential (the console's staff page, the admin's `npm run platform`);
// removing someone keeps their document, marked removed, so the audit trail still names them.
// Owns these documents; never decides who may do what (platform-auth does).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import {
  PlatformRoleSchema,
  REGISTRY_DB,
  type PlatformRole,
  type PlatformStaffView,
} from '@roomhub/shared-types';
import { z } from 'zod';
import { isConflict, type CouchClient } from '../couch';

const StaffDocSchema = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('platform_staff'),
  phone: z.string(),
  name: z.string(),
  roles: z.array(PlatformRoleSchema),
  /** The authenticator secret, sealed (`iv.tag.ciphertext`, base64url); absent until enrolled. */
  totp: z.string().optional(),
  removed: z.boolean().default(false),
  addedAt: z.string(),
  addedBy: z.string(),
  changedAt: z.string(),
});
type StaffDoc = z.infer<typeof StaffDocSchema>;

export interface PlatformStaffRecord {
  phone: string;
  name: string;
  roles: PlatformRole[];
  removed: boolean;
  /** Sealed; open with `openSecret`. */
  totp?: string;
  addedAt: string;
  addedBy: string;
}

export const staffDocId = (phone: string) => `platform_staff:${phone}`;

const toRecord = (d: StaffDoc): PlatformStaffRecord => ({
  phone: d.phone,
  name: d.name,
  roles: d.roles,
  removed: d.removed,
  ...(d.totp ? { totp: d.totp } : {}),
  addedAt: d.addedAt,
  addedBy: d.addedBy,
});

export const staffView = (r: PlatformStaffRecord): PlatformStaffView => ({
  phone: r.phone,
  name: r.name,
  roles: r.roles,
  enrolled: r.totp !== undefined,
  addedAt: r.addedAt,
  addedBy: r.addedBy,
});

async function readDoc(couch: CouchClient, phone: string): Promise<StaffDoc | undefined> {
  const parsed = StaffDocSchema.safeParse(await couch.get(REGISTRY_DB, staffDocId(phone)));
  return parsed.success && parsed.data._id === staffDocId(parsed.data.phone)
    ? parsed.data
    : undefined;
}

/** The staff member with this phone, removed ones too; undefined if never staff. */
export async function findStaff(
  couch: CouchClient,
  phone: string,
): Promise<PlatformStaffRecord | undefined> {
  const doc = await readDoc(couch, phone);
  return doc ? toRecord(doc) : undefined;
}

/** Everyone on the staff now, in phone order. */
export async function listStaff(couch: CouchClient): Promise<PlatformStaffRecord[]> {
  return (await couch.byPrefix(REGISTRY_DB, 'platform_staff:')).flatMap((raw) => {
    const parsed = StaffDocSchema.safeParse(raw);
    return parsed.success && !parsed.data.removed ? [toRecord(parsed.data)] : [];
  });
}

/**
 * Adds a staff member or changes their name and roles (`remove` takes them off), through the
 * platform's writer. A revision race is read again and applied again. Returns the record now.
 */
export async function changeStaff(
  writer: CouchClient,
  change:
    | { kind: 'set'; phone: string; name: string; roles: PlatformRole[]; by: string }
    | { kind: 'remove'; phone: string; by: string }
    | { kind: 'enrol'; phone: string; sealedSecret: string },
  now: number,
): Promise<PlatformStaffRecord | undefined> {
  const at = new Date(now).toISOString();
  for (let race = 0; race < 5; race += 1) {
    const current = await readDoc(writer, change.phone);
    let next: StaffDoc;
    if (change.kind === 'set') {
      next = {
        _id: staffDocId(change.phone),
        ...(current?._rev ? { _rev: current._rev } : {}),
        type: 'platform_staff',
        phone: change.phone,
        name: change.name,
        roles: [...new Set(change.roles)].sort(),
        // A removed member coming back enrols again.
        ...(current?.totp && !current.removed ? { totp: current.totp } : {}),
        removed: false,
        addedAt: current && !current.removed ? current.addedAt : at,
        addedBy: current && !current.removed ? current.addedBy : change.by,
        changedAt: at,
      };
    } else {
      if (!current || current.removed) return undefined;
      next =
        change.kind === 'remove'
          ? { ...current, removed: true, roles: [], changedAt: at }
          : { ...current, totp: change.sealedSecret, changedAt: at };
      if (change.kind === 'remove') delete next.totp;
    }
    try {
      await writer.put(REGISTRY_DB, next);
      return toRecord(next);
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
  throw new Error('the staff member kept changing under this change; try again');
}

/** Seals and opens authenticator secrets with a key derived from the cloud's secret. */
export class SecretBox {
  private readonly key: Buffer;
  constructor(secret: string) {
    this.key = createHash('sha256').update(`platform-totp:${secret}`).digest();
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  /** The secret, or undefined when it was not sealed with this key. */
  open(sealed: string): string | undefined {
    const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    if (!iv || !tag || !body) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
