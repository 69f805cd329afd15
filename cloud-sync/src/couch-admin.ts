// The embedded server's admin: a name and a password generated at the first start into
// `admin.json` in the server's data folder (mode 0600), read back at every later start. It owns
// that file only; it never prints the password (the caller says once that it was generated) and
// never writes the file over an existing one.
import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export const ADMIN_FILE = 'admin.json';

const CredentialsSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be a lower-case CouchDB user name'),
  password: z.string().min(16, 'must have at least 16 characters'),
});
export type Credentials = z.infer<typeof CredentialsSchema>;

export interface AdminFile {
  admin: Credentials;
  /** The file's path, for the operator's console only (never in an HTTP answer). */
  file: string;
  /** True when this start generated it: the only time the password is shown. */
  created: boolean;
}

/** A random password of 128 bits, in hex: nothing in it needs escaping in a URL. */
export function newPassword(): string {
  return randomBytes(16).toString('hex');
}

export async function loadOrCreateAdmin(dir: string): Promise<AdminFile> {
  const file = path.join(dir, ADMIN_FILE);
  const admin: Credentials = { name: 'admin', password: newPassword() };
  try {
    // 'wx': two servers starting on one folder at once cannot both write it.
    await writeFile(file, JSON.stringify(admin, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    return { admin, file, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // Someone may have copied it with looser rights: the password is the whole server.
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new Error(`${file} is not JSON; remove it to generate a new admin password`);
  }
  const parsed = CredentialsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') || 'content'} ${issue?.message ?? ''}`);
  }
  return { admin: parsed.data, file, created: false };
}
