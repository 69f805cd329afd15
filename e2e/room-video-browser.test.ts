// A room's video in real browsers (Debian's Chromium through playwright-core) against a store's
// hub, an embedded CouchDB and the cloud service: the owner sets the video and its cover on the
// rooms page in the store (an http address is refused at the field first), the hub publishes it
// with the room, and the customer's phone shows it on the store's page under the room's photos,
// played in the page and loading only its first frame and length. The photos, the cover and a
// one-second clip (recorded by the browser itself) are served from a pretend CDN. Each step is a
// screenshot (the folder is printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { as, OWNER_PIN, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud } from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/room-video');
shotOnFailure(() => page, SHOTS);

const CDN = 'https://media.example.test';
const VIDEO = `${CDN}/rooms/tingyu.mp4`;
const POSTER = `${CDN}/rooms/tingyu-cover.svg`;
/** A player that loaded what its preload asked for and waits (HTMLMediaElement.NETWORK_IDLE). */
const NETWORK_IDLE = 1;
const PHOTOS = [`${CDN}/rooms/tingyu-1.svg`, `${CDN}/rooms/tingyu-2.svg`];

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let owner: BrowserContext;
let phone: BrowserContext;
let page: Page;
let clip: Buffer;
const scratch = mkdtempSync(join(tmpdir(), 'room-video-browser-'));

/** A picture of a tea room: a wall, a table and a caption. */
const picture = (caption: string, wall: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360">
  <rect width="640" height="360" fill="${wall}"/>
  <rect x="0" y="250" width="640" height="110" fill="#8a6a4a"/>
  <rect x="200" y="190" width="240" height="70" rx="8" fill="#5b3d25"/>
  <text x="320" y="120" font-size="48" text-anchor="middle" fill="#fff" font-family="sans-serif">${caption}</text>
</svg>`;

/** Serves the pretend CDN: the pictures, and the clip (with the byte ranges a player asks for). */
async function serveCdn(context: BrowserContext) {
  await context.route(`${CDN}/**`, async (route) => {
    const url = route.request().url();
    if (url.endsWith('.svg')) {
      const caption = url.includes('cover') ? '听雨 · 视频' : url.includes('-1') ? '茶台' : '窗景';
      return route.fulfill({
        contentType: 'image/svg+xml',
        body: picture(caption, url.includes('cover') ? '#3f6e5a' : '#c8b08a'),
      });
    }
    const range = /bytes=(\d+)-(\d*)/.exec(route.request().headers()['range'] ?? '');
    if (!range) return route.fulfill({ contentType: 'video/mp4', body: clip });
    const from = Number(range[1]);
    const to = range[2] ? Math.min(Number(range[2]), clip.length - 1) : clip.length - 1;
    return route.fulfill({
      status: 206,
      headers: {
        'content-type': 'video/mp4',
        'content-range': `bytes ${from}-${to}/${clip.length}`,
        'accept-ranges': 'bytes',
      },
      body: clip.subarray(from, to + 1),
    });
  });
}

/**
 * A one-second .mp4 of a canvas, recorded by the browser as a phone would film it (a script of
 * the page's own: these tests are typed without the browser's types).
 */
const RECORD_CLIP = `(async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const g = canvas.getContext('2d');
  const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/mp4;codecs=avc1' });
  const chunks = [];
  recorder.ondataavailable = (e) => chunks.push(e.data);
  const done = new Promise((r) => (recorder.onstop = r));
  recorder.start();
  for (let i = 0; i < 25; i++) {
    g.fillStyle = 'hsl(' + (140 + i * 2) + ' 30% 40%)';
    g.fillRect(0, 0, 320, 180);
    await new Promise((r) => setTimeout(r, 40));
  }
  recorder.stop();
  await done;
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
})()`;

/** What the test reads of the page's <video> (cast in place: the callbacks run in the page). */
interface Player {
  getAttribute(name: string): string | null;
  controls: boolean;
  playsInline: boolean;
  readyState: number;
  networkState: number;
  paused: boolean;
  previousElementSibling: { className: string } | null;
}

beforeAll(async () => {
  const screens = await builtScreens();
  process.env.CLOUD_PAGES_DIR = screens;
  process.env.HUB_SCREENS_DIR = screens;
  running = await startStoreAndCloud('room-video-browser');
  owner = await openBrowser(join(scratch, 'owner'), { viewport: { width: 1440, height: 900 } });
  // A phone held upright (375 x 812), touch, twice the pixels.
  phone = await openBrowser(join(scratch, 'phone'), {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  page = owner.pages()[0] ?? (await owner.newPage());
  await page.goto('about:blank');
  clip = Buffer.from((await page.evaluate(RECORD_CLIP)) as string, 'base64');
  await serveCdn(owner);
  await serveCdn(phone);
  screenshotFolder('room-video');
}, 240_000);

afterAll(async () => {
  await owner?.close();
  await phone?.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = async (name: string) => {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
};

describe('a room’s video', () => {
  it('is set by the owner in the store and shown on the customer’s phone under the photos', async () => {
    const { hub, cloud, api } = running;
    const storeId = hub.hub.store.getStore().id;
    const [room] = (await hub.api('GET', '/api/rooms')).body as { id: string; name: string }[];
    // The room's photos, as the owner keeps them (one address each).
    const photos = await hub.api(
      'PATCH',
      `/api/rooms/${room!.id}`,
      { photos: PHOTOS },
      as('owner'),
    );
    expect(photos.status).toBe(200);

    // The owner, at the store: an http address is refused at the field, an https .mp4 is saved.
    await page.goto(`${hub.url}/owner/rooms`);
    await page.getByPlaceholder('员工密码').fill(OWNER_PIN);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    await page
      .getByRole('row', { name: new RegExp(room!.name) })
      .getByRole('button', { name: '编辑' })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog
      .getByLabel('视频', { exact: true })
      .fill('http://media.example.test/rooms/tingyu.mp4');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText('视频须为 https:// 开头的 .mp4 地址。').waitFor();
    await shot('1-owner-http-refused');
    await dialog.getByLabel('视频', { exact: true }).fill(VIDEO);
    await dialog.getByLabel('视频封面').fill(POSTER);
    await shot('2-owner-video-set');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText(`${room!.name} 已保存`).waitFor();
    await page
      .getByRole('row', { name: new RegExp(room!.name) })
      .getByText('视频')
      .waitFor();
    await shot('3-owner-rooms');
    expect((await hub.api('GET', `/api/rooms/${room!.id}`)).body).toMatchObject({
      photos: PHOTOS,
      video: VIDEO,
      videoPoster: POSTER,
    });

    // The hub publishes the room; the cloud's store page carries the video.
    await until('the video on the cloud’s store page', async () => {
      await cloud.refreshCatalogue();
      const r = await api('GET', `/api/stores/${storeId}`);
      const shown = r.body.rooms?.find((x: { roomId: string }) => x.roomId === room!.id);
      return shown?.video === VIDEO ? shown : undefined;
    });

    // The customer's phone: the room's photos, the video under them, its cover before it plays.
    page = phone.pages()[0] ?? (await phone.newPage());
    await page.goto(`${cloud.url}/h5/stores/${storeId}`);
    const card = page.locator('li.room').filter({ hasText: room!.name });
    const video = card.locator('.room-media > video');
    await video.waitFor();
    expect(
      await video.evaluate((el) => {
        const v = el as unknown as Player;
        return {
          src: v.getAttribute('src'),
          poster: v.getAttribute('poster'),
          controls: v.controls,
          playsInline: v.playsInline,
          preload: v.getAttribute('preload'),
          label: v.getAttribute('aria-label'),
          // Under the photos: the element just before it is the row of photos.
          after: v.previousElementSibling?.className,
        };
      }),
    ).toEqual({
      src: VIDEO,
      poster: POSTER,
      controls: true,
      playsInline: true,
      preload: 'metadata',
      label: `${room!.name} 的视频`,
      after: 'room-photos',
    });
    await expect(
      card
        .locator('.room-photos img')
        .evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src'))),
    ).resolves.toEqual(PHOTOS);
    // The phone read the clip's length; it plays only when tapped.
    await expect
      .poll(() => video.evaluate((v) => (v as unknown as Player).readyState))
      .toBeGreaterThanOrEqual(1);
    expect(await video.evaluate((v) => (v as unknown as Player).paused)).toBe(true);
    // The other rooms have neither.
    expect(await page.locator('li.room video').count()).toBe(1);
    // Its cover shown, the clip's length read, the player idle until tapped.
    await expect
      .poll(() => video.evaluate((v) => (v as unknown as Player).networkState))
      .toBe(NETWORK_IDLE);
    await page.screenshot({ path: join(SHOTS, '4-customer-store.png') });
    // The room from its name down, under the page's title bar.
    await card.evaluate((el) => {
      const w = globalThis as unknown as { scrollY: number; scrollTo(x: number, y: number): void };
      const top = (
        el as unknown as { getBoundingClientRect(): { top: number } }
      ).getBoundingClientRect().top;
      w.scrollTo(0, top + w.scrollY - 56);
    });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, '5-customer-room-video.png') });
  }, 180_000);
});
