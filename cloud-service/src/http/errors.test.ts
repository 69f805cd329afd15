// A CouchDB that is out of reach, does not answer in time or fails itself makes the cloud answer
// 503 with Retry-After in the caller's language, never a 500: the customer's page says to try
// again. A bug is still a 500.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { createCouchClient, CouchError } from '../couch';
import { errorHandler } from './errors';

const logged: unknown[] = [];
const servers: { close(cb: () => void): void }[] = [];
const sockets: Socket[] = [];

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

/** An app whose one route runs `work`, behind the cloud's error handler. */
async function appOf(work: () => Promise<unknown>): Promise<string> {
  const app = express();
  app.get('/x', (_req, res, next) => {
    work().then((v) => res.json(v), next);
  });
  app.use(errorHandler((e) => logged.push(e)));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
}

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
});

describe('the cloud when CouchDB is busy or away', () => {
  it('answers 503 with Retry-After when CouchDB cannot be reached', async () => {
    // A port that was open a moment ago and is closed now.
    const gone = createServer();
    const port = await listen(gone);
    await new Promise<void>((r) => gone.close(() => r()));
    const couch = createCouchClient(`http://127.0.0.1:${port}`, 2_000);
    const url = await appOf(() => couch.get('catalogue', 'store:a'));
    const res = await fetch(url, { headers: { 'accept-language': 'zh-CN' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await res.json()).toEqual({
      error: { code: 'cloud_busy', message: '系统正忙，请过几秒再试' },
    });
  });

  it('answers 503 when CouchDB does not answer in time', async () => {
    const silent = createServer((s) => sockets.push(s));
    const port = await listen(silent);
    const couch = createCouchClient(`http://127.0.0.1:${port}`, 300);
    const url = await appOf(() => couch.get('catalogue', 'store:a'));
    const res = await fetch(url);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'the cloud is busy; try again in a few seconds',
    );
  });

  it('answers 503 when CouchDB fails itself, and 500 for a bug', async () => {
    const failing = await appOf(() => Promise.reject(new CouchError(500, 'os_process_error')));
    expect((await fetch(failing)).status).toBe(503);
    // A refusal is no sign of a busy CouchDB, and answers as before.
    const refused = await appOf(() => Promise.reject(new CouchError(409, 'conflict')));
    expect((await fetch(refused)).status).toBe(409);
    const bug = await appOf(() => Promise.reject(new TypeError('x is undefined')));
    const res = await fetch(bug);
    expect(res.status).toBe(500);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(logged.length).toBeGreaterThanOrEqual(4);
  });
});
