// Diagnostics for the hub and the cloud service: structured lines (pino) written under a data
// folder, one file a day (rotating-file-stream), the last 14 days kept within a size cap, warnings
// and errors on stderr too. Every line written while a request is answered carries its request id.
// Secrets never reach a line (PINs, tokens, passwords, keys are redacted) and phone numbers only
// masked (138****8000). Each process has one current log (`logger()`), opened by its start.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
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

export interface AppLog {
  log: Log;
  /** The folder of the day files; null when logging to stderr only. */
  dir: string | null;
  close(): Promise<void>;
}

/**
 * A log writing under `dir` (info and up, a file a day: <app>.log now, <app>-YYYY-MM-DD.log
 * before) and to stderr (warnings and errors). Without `dir`, stderr only.
 */
export function createLog(dir: string | null, app: string, level = 'info'): AppLog {
  let file: RotatingFileStream | null = null;
  const streams: pino.StreamEntry[] = [{ level: 'warn', stream: process.stderr }];
  if (dir) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    file = createStream(
      (time, index) => {
        if (!time) return `${app}.log`;
        const day = new Date(time).toISOString().slice(0, 10);
        return `${app}-${day}${index && index > 1 ? `-${index}` : ''}.log`;
      },
      { path: dir, interval: '1d', size: '50M', maxFiles: KEPT_DAYS, maxSize: '500M', mode: 0o600 },
    );
    streams.push({ level: level as pino.Level, stream: file });
  }
  const log = pino(
    {
      level,
      base: { app },
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

/** The day files of `app` of the last `days` days, oldest first, as one download. */
export function recentLogs(dir: string, app: string, days: number, now: number): string {
  const since = now - days * 24 * 60 * 60_000;
  const name = new RegExp(`^${app}(-\\d{4}-\\d{2}-\\d{2}(-\\d+)?)?\\.log$`);
  const files = readdirSync(dir)
    .filter((f) => name.test(f))
    .map((f) => ({ f, mtime: statSync(join(dir, f)).mtimeMs }))
    .filter((x) => x.mtime >= since)
    .sort((a, b) => a.mtime - b.mtime);
  return files.map((x) => readFileSync(join(dir, x.f), 'utf8')).join('');
}

let current: AppLog = createLog(null, 'app');

/** This process's log: its data folder's once its start opened it, stderr before. */
export function logger(): Log {
  return current.log;
}

/** Starts writing this process's log under `dir`; `close` reverts to stderr. */
export function openLog(dir: string, app: string, level?: string): AppLog {
  const opened = createLog(dir, app, level);
  current = opened;
  return {
    ...opened,
    close: async () => {
      if (current === opened) current = createLog(null, app);
      await opened.close();
    },
  };
}

/**
 * Middleware giving every request an id (the caller's X-Request-Id, or a new one), answered back
 * and carried by every line logged while it is served, and logging each request when answered:
 * method, path (no query: it may name a customer), status and time.
 */
export function requestLog() {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const given = req.headers['x-request-id'];
    const reqId = typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', reqId);
    const started = performance.now();
    res.on('finish', () => {
      const line = {
        reqId,
        method: req.method,
        path: (req.url ?? '').split('?')[0],
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      };
      if (res.statusCode >= 500) logger().error(line, 'request failed');
      else logger().info(line, 'request');
    });
    inRequest(reqId, next);
  };
}
