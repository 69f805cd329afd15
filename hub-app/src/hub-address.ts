// The running hub's address, kept in its data folder (`hub.url`) from the moment it listens until
// it stops cleanly, so a command on this machine (`npm run backup`) asks the hub that owns this
// data and not whatever answers on a default port. Only a hint: after a crash the file stays, so
// whoever reads it first checks that a hub holds the database (its lock), never the file alone.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logger } from './log';

const FILE = 'hub.url';

export const hubAddressFile = (dataDir: string) => join(dataDir, FILE);

/**
 * Writes where this machine reaches the hub listening on `host`:`port` (a wildcard address is
 * reached on loopback), readable by the hub's user only. A hub that cannot write it still runs:
 * the command then needs HUB_URL.
 */
export function writeHubAddress(dataDir: string, host: string, port: number): void {
  const reach = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const url = `http://${reach.includes(':') ? `[${reach}]` : reach}:${port}`;
  const file = hubAddressFile(dataDir);
  try {
    writeFileSync(`${file}.new`, `${url}\n`, { mode: 0o600 });
    renameSync(`${file}.new`, file);
  } catch (e) {
    logger().warn({ err: e, file }, "could not write the hub's address");
  }
}

/** The address the hub left, or null. */
export function readHubAddress(dataDir: string): string | null {
  try {
    const text = readFileSync(hubAddressFile(dataDir), 'utf8').trim();
    return text ? new URL(text).origin : null;
  } catch {
    return null;
  }
}

/** Removes the address at a clean stop. */
export function removeHubAddress(dataDir: string): void {
  rmSync(hubAddressFile(dataDir), { force: true });
}
