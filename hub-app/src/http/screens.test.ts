// The built screens as the hub serves them: each screen's page under its path (any deeper path is
// the same page), its hashed files kept by the browser, and a page naming the build command when
// there is no build.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILD_COMMAND, mountScreens } from './screens';

let server: Server | null = null;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(dir: string): Promise<string> {
  const app = express();
  app.use('/api', (_req, res) => res.status(404).json({ error: { code: 'route_not_found' } }));
  mountScreens(app, dir);
  server = await new Promise<Server>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function built(): string {
  const dir = mkdtempSync(join(tmpdir(), 'screens-'));
  mkdirSync(join(dir, 'kiosk'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'kiosk/index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dir, 'assets/kiosk-abc123.js'), 'console.log(1)');
  return dir;
}

describe("the hub's screens", () => {
  it('serves the kiosk page at /kiosk/ and under it, always asked again', async () => {
    const url = await serve(built());
    for (const path of ['/kiosk/', '/kiosk/pay/b1', '/kiosk/door?room=r1']) {
      const res = await fetch(url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<div id="root">');
    }
    const bare = await fetch(`${url}/kiosk`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/kiosk/');
    const root = await fetch(`${url}/`, { redirect: 'manual' });
    expect(root.headers.get('location')).toBe('/kiosk/');
  });

  it('lets the browser keep the hashed files, and answers 404 for one that is not there', async () => {
    const url = await serve(built());
    const js = await fetch(`${url}/assets/kiosk-abc123.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${url}/assets/kiosk-old.js`)).status).toBe(404);
  });

  it('leaves the API alone', async () => {
    const url = await serve(built());
    const res = await fetch(`${url}/api/kiosk/`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'route_not_found' } });
  });

  it('names the build command when the screens are not built', async () => {
    const url = await serve(join(tmpdir(), 'no-such-build'));
    const res = await fetch(`${url}/kiosk/`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain(BUILD_COMMAND);
  });
});
