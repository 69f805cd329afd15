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

  it('sends the scripts compressed to a browser that takes Brotli or gzip, and plain to one that does not', async () => {
    const dir = built();
    const script = `export const rooms = ${JSON.stringify(
      Array.from({ length: 400 }, (_, i) => ({ id: `room-${i}`, name: `包间 ${i}` })),
    )};\n`;
    writeFileSync(join(dir, 'assets/board-def456.js'), script);
    const url = await serve(dir);
    for (const encoding of ['br', 'gzip'] as const) {
      const res = await fetch(`${url}/assets/board-def456.js`, {
        headers: { 'accept-encoding': encoding },
      });
      expect(res.status, encoding).toBe(200);
      expect(res.headers.get('content-encoding')).toBe(encoding);
      expect(Number(res.headers.get('content-length'))).toBeLessThan(script.length / 4);
      expect(res.headers.get('content-type')).toContain('javascript');
      expect(res.headers.get('cache-control')).toContain('immutable');
      expect(res.headers.get('vary')).toBe('Accept-Encoding');
      expect(await res.text()).toBe(script);
    }
    const plain = await fetch(`${url}/assets/board-def456.js`, {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);
    // A new build's file under the same name is sent as it is now, not as it was compressed.
    writeFileSync(join(dir, 'assets/board-def456.js'), 'export const rooms = [];\n');
    const again = await fetch(`${url}/assets/board-def456.js`, {
      headers: { 'accept-encoding': 'br' },
    });
    expect(await again.text()).toBe('export const rooms = [];\n');
    const missing = await fetch(`${url}/assets/board-old.js`, {
      headers: { 'accept-encoding': 'br' },
    });
    expect(missing.status).toBe(404);
    const outside = await fetch(`${url}/assets/..%2Fkiosk%2Findex.html`, {
      headers: { 'accept-encoding': 'br' },
    });
    // Refused (by the plain files' own check), never the page from outside the folder.
    expect(outside.status).toBe(403);
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
