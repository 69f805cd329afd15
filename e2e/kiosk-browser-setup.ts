// What the kiosk's browser tests set up alike, on what every browser test shares (browser.ts): the
// screens built from the current source, Debian's Chromium as the store's touchscreen (zh-CN,
// 1280x1024, motion reduced), a folder of screenshots, and a finger on a keypad.
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { openBrowser, screenshotFolder } from './browser';

export { builtScreens, ROOT } from './browser';

/** The touchscreen: a Chromium profile in `<scratch>/profile` and its page. */
export async function openTouchscreen(
  scratch: string,
): Promise<{ browser: BrowserContext; page: Page }> {
  const browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1280, height: 1024 },
    // Headless Chromium plays a colour change only as frames are asked for: none, so a screenshot
    // shows each state as it is.
    reducedMotion: 'reduce',
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  return { browser, page };
}

/** A fresh `.tmp/screenshots/<name>` (printed) and a function saving the page there by name. */
export function screenshots(page: () => Page, name: string): (shot: string) => Promise<Buffer> {
  const dir = screenshotFolder(name);
  return (shot) => page().screenshot({ path: join(dir, `${shot}.png`), fullPage: true });
}

/** Taps digits on one of the page's keypads, as a finger would. */
export async function tapDigits(page: Page, keypad: string, digits: string): Promise<void> {
  const pad = page.getByTestId(keypad);
  for (const d of digits) await pad.getByRole('button', { name: d, exact: true }).click();
}
