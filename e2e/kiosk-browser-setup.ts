// What the kiosk's browser tests set up alike: the screens built from the current source into a
// folder of the test's own, Debian's Chromium through playwright-core as the store's touchscreen
// (zh-CN, 1280x1024, motion reduced), a folder of screenshots, and a finger on a keypad.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The flags Debian's Chromium runs headless with here (TOOLCHAIN.md). */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Builds the screens as the source makes them now into `<scratch>/dist`; that folder. */
export async function buildScreens(scratch: string): Promise<string> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium), as .ci/run does`,
    );
  }
  const dist = join(scratch, 'dist');
  await promisify(execFile)(
    process.execPath,
    [
      resolve(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      dist,
      '--logLevel',
      'warn',
    ],
    // vitest runs with NODE_ENV=test, which would make Vite build the libraries' development code.
    { cwd: resolve(ROOT, 'ui'), env: { ...process.env, NODE_ENV: 'production' } },
  );
  return dist;
}

/** The touchscreen: a Chromium profile in `<scratch>/profile` and its page. */
export async function openTouchscreen(
  scratch: string,
): Promise<{ browser: BrowserContext; page: Page }> {
  const browser = await chromium.launchPersistentContext(join(scratch, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 1024 },
    locale: 'zh-CN',
    // Headless Chromium plays a colour change only as frames are asked for: none, so a screenshot
    // shows each state as it is.
    reducedMotion: 'reduce',
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  return { browser, page };
}

/** A fresh `.tmp/screenshots/<name>` (printed) and a function saving the page there by name. */
export function screenshots(page: () => Page, name: string): (shot: string) => Promise<Buffer> {
  const dir = resolve(ROOT, '.tmp/screenshots', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log(`${name} screenshots: ${dir}`);
  return (shot) => page().screenshot({ path: join(dir, `${shot}.png`), fullPage: true });
}

/** Taps digits on one of the page's keypads, as a finger would. */
export async function tapDigits(page: Page, keypad: string, digits: string): Promise<void> {
  const pad = page.getByTestId(keypad);
  for (const d of digits) await pad.getByRole('button', { name: d, exact: true }).click();
}
