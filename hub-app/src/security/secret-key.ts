// The hub's own secret key, kept apart from the database and its backups: a file `secret.key`
// (mode 0600) in the data folder, made at first start, or `HUB_SECRET_KEY` (64 hex digits). It
// seals what must not be readable from a copied database (door-code secrets) and keys the tags
// that find a staff member by PIN. Losing it makes existing door codes and PIN tags unusable:
// back it up apart from the database.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SEALED = 'v1:';

export class SecretKey {
  private constructor(private readonly key: Buffer) {}

  /** The key from `HUB_SECRET_KEY`, or the data folder's `secret.key`, made if missing. */
  static load(dataDir: string, fromEnv = process.env.HUB_SECRET_KEY): SecretKey {
    if (fromEnv) {
      if (!/^[0-9a-f]{64}$/i.test(fromEnv))
        throw new Error('HUB_SECRET_KEY must be 64 hex digits (32 bytes)');
      return new SecretKey(Buffer.from(fromEnv, 'hex'));
    }
    const file = join(dataDir, 'secret.key');
    if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    chmodSync(file, 0o600);
    const hex = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file} is not a hub secret key`);
    return new SecretKey(Buffer.from(hex, 'hex'));
  }

  /** A key for tests and tools that need no file. */
  static of(hex: string): SecretKey {
    return new SecretKey(Buffer.from(hex, 'hex'));
  }

  /** A keyed hash of `value` for one `purpose`: equal values give equal tags, only with this key. */
  tag(purpose: string, value: string): string {
    return createHmac('sha256', this.key).update(`${purpose}\0${value}`).digest('base64url');
  }

  /** Encrypts and authenticates `plain` (AES-256-GCM); `v1:` marks a sealed value. */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return SEALED + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  open(sealed: string): string {
    if (!sealed.startsWith(SEALED)) throw new Error('not a sealed value');
    const raw = Buffer.from(sealed.slice(SEALED.length), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  static isSealed(value: string): boolean {
    return value.startsWith(SEALED);
  }
}
