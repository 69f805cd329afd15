// The desktop app's own log: what the shell did and every line the hub printed (its addresses, a
// first start's owner PIN, why it stopped), which in a desktop app no terminal shows. One file in
// the app's data folder, readable by its user only, moved aside to `.1` when it grows past its
// limit so a kiosk that runs for years never fills its disk. Never throws: a log that cannot be
// written must not stop the store.
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const SHELL_LOG = 'shell.log';

export interface ShellLog {
  file: string;
  write(line: string): void;
}

export function openShellLog(
  dir: string,
  opts: { maxBytes?: number; now?: () => number; echo?: (line: string) => void } = {},
): ShellLog {
  const file = join(dir, SHELL_LOG);
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  const now = opts.now ?? Date.now;
  let size: number | null = null;
  return {
    file,
    write(line: string) {
      opts.echo?.(line);
      const text = `${new Date(now()).toISOString()} ${line}\n`;
      try {
        if (size === null) {
          mkdirSync(dir, { recursive: true });
          try {
            size = statSync(file).size;
          } catch {
            size = 0;
          }
        }
        if (size > 0 && size + text.length > maxBytes) {
          renameSync(file, `${file}.1`);
          size = 0;
        }
        appendFileSync(file, text, { mode: 0o600 });
        size += Buffer.byteLength(text);
      } catch {
        size = null;
      }
    },
  };
}
