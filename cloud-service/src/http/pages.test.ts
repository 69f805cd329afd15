// The cloud serves the customer's pages from a build, and says how to make one when there is none.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { mountPages, PAGES_BUILD_COMMAND, SERVED_BY_CLOUD } from './pages';

async function serve(dir: string) {
  const app = express();
  mountPages(app, dir);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise((r) => server.close(r)) };
}

describe('the customer’s pages', () => {
  it('answers 503 naming the build command while there is no build', async () => {
    const s = await serve(mkdtempSync(join(tmpdir(), 'pages-none-')));
    try {
      const r = await fetch(`${s.base}/h5/orders`);
      expect(r.status).toBe(503);
      expect(await r.text()).toContain(PAGES_BUILD_COMMAND);
    } finally {
      await s.close();
    }
  });

  it('serves the page at any path under /h5/, and its hashed assets for good', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pages-built-'));
    mkdirSync(join(dir, 'h5'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'h5', 'index.html'), '<!doctype html><title>h5</title>');
    writeFileSync(join(dir, 'assets', 'h5-abc123.js'), 'console.log(1)');
    const s = await serve(dir);
    try {
      const bare = await fetch(`${s.base}/h5`, { redirect: 'manual' });
      expect(bare.status).toBe(301);
      expect(bare.headers.get('location')).toBe('/h5/');
      const deep = await fetch(`${s.base}/h5/orders/b-1`);
      expect(deep.status).toBe(200);
      expect(deep.headers.get('cache-control')).toBe('no-cache');
      expect(await deep.text()).toContain('<title>h5</title>');
      const asset = await fetch(`${s.base}/assets/h5-abc123.js`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect((await fetch(`${s.base}/assets/missing.js`)).status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it("serves the owner's dashboard marked as the cloud's, so it talks to the cloud", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pages-owner-'));
    mkdirSync(join(dir, 'owner'));
    writeFileSync(
      join(dir, 'owner', 'index.html'),
      '<!doctype html><html><head><title>owner</title></head></html>',
    );
    const s = await serve(dir);
    try {
      const page = await fetch(`${s.base}/owner/stats`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toContain(`<head>${SERVED_BY_CLOUD}<title>owner</title>`);
    } finally {
      await s.close();
    }
  });
});
