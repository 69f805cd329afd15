// The hub's diagnostics: structured lines (pino) written under the data folder, one file a day
// (rotating-file-stream), the last 14 days kept within a size cap, warnings and errors on stderr
// too. Every line written while a request is answered carries its request id. Secrets never reach
// a line (PINs, tokens, passwords, keys are redacted) and phone numbers only masked (138****8000).
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';

export type Log = Logger;

const requests = new AsyncLocalStorage<{ reqId: string }>();

/** Runs `fn` (the rest of a request) with its id on every line logged meanwhile. */
export function inRequest<T>(reqId: string, fn: () => T): T {
  return requests.run({ reqId }, fn);
}

const KEPT_DAYS = 14;
/** Keys whose values never reach a line: pin, ownerPin, token, accessToken, apiV3Key... */
const SECRET_KEY = /pin$|token|password|secret|key$|authorization|cookie/i;

/** Mainland mobile numbers, masked to their first three and last four digits. */
const PHONE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
export const maskPhones = (s: string) => s.replace(PHONE, '$1****$2');

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPhones(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    // An error's words may carry a phone too: its message and stack are masked like the rest.
    const code: unknown = Reflect.get(value, 'code');
    return {
      type: value.name,
      message: maskPhones(value.message),
      ...(value.stack ? { stack: maskPhones(value.stack) } : {}),
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) ? '[redacted]' : scrub(v, depth + 1);
  }
  return out;
}

export interface HubLog {
  log: Log;
  /** The folder of the day files; null when logging to stderr only. */
  dir: string | null;
  close(): Promise<void>;
}

/**
 * A log writing under `dir` (info and up, a file a day: hub.log now, hub-YYYY-MM-DD.log before)
 * and to stderr (warnings and errors). Without `dir`, stderr only.
 */
export function createLog(dir: string | null, level = process.env.HUB_LOG_LEVEL ?? 'info'): HubLog {
  let file: RotatingFileStream | null = null;
  const streams: pino.StreamEntry[] = [{ level: 'warn', stream: process.stderr }];
  if (dir) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    file = createStream(
      (time, index) => {
        if (!time) return 'hub.log';
        const day = new Date(time).toISOString().slice(0, 10);
        return `hub-${day}${index && index > 1 ? `-${index}` : ''}.log`;
      },
      { path: dir, interval: '1d', size: '50M', maxFiles: KEPT_DAYS, maxSize: '500M', mode: 0o600 },
    );
    streams.push({ level: level as pino.Level, stream: file });
  }
  const log = pino(
    {
      level,
      base: { app: 'hub' },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => {
        const r = requests.getStore();
        return r ? { reqId: r.reqId } : {};
      },
      hooks: {
        // Whatever a line carries, its phones are masked and its secrets redacted.
        logMethod(args, method) {
          method.apply(this, args.map((a) => scrub(a)) as Parameters<typeof method>);
        },
      },
    },
    pino.multistream(streams),
  );
  return {
    log,
    dir,
    close: () =>
      new Promise<void>((resolve) => {
        if (!file) return resolve();
        file.end(() => resolve());
      }),
  };
}

/** The day files of the last `days` days, oldest first, as one download for the owner. */
export function recentLogs(dir: string, days: number, now: number): string {
  const since = now - days * 24 * 60 * 60_000;
  const files = readdirSync(dir)
    .filter((f) => /^hub(-\d{4}-\d{2}-\d{2}(-\d+)?)?\.log$/.test(f))
    .map((f) => ({ f, mtime: statSync(join(dir, f)).mtimeMs }))
    .filter((x) => x.mtime >= since)
    .sort((a, b) => a.mtime - b.mtime);
  return files.map((x) => readFileSync(join(dir, x.f), 'utf8')).join('');
}

let current: HubLog = createLog(null);

/** The hub's log: the data folder's once the hub has started, stderr before. */
export function logger(): Log {
  return current.log;
}

/** Starts writing the log under `dir` for this process's hub; `close` reverts to stderr. */
export function openLog(dir: string): HubLog {
  const opened = createLog(dir);
  current = opened;
  return {
    ...opened,
    close: async () => {
      if (current === opened) current = createLog(null);
      await opened.close();
    },
  };
}
