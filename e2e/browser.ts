// What every browser test shares: Debian's Chromium through playwright-core with the flags it runs
// headless with here (TOOLCHAIN.md), the store's screens built from the current source, and a
// folder for the screenshots a person looks at. The screens are built once per version of the
// `ui/` source and kept in the system's temporary folder (never under a dot folder: the hub, as
// express does, serves no file whose path has one): the browser test files of one
// run, each in a worker of its own, wait for the first to build them (a lock folder) rather than
// each building its own copy, and a later run with the same source builds nothing. And the
// platform console's sign-in, as its first owner goes through it.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterEach } from 'vitest';
import { PlatformAuth, type MemorySmsProvider } from '@roomhub/cloud-service';
import type { Clock } from '@roomhub/shared-types';

export const ROOT = resolve(import.meta.dirname, '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The flags Debian's Chromium runs headless with here (TOOLCHAIN.md). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const UI = resolve(ROOT, 'ui');
const BUILT = '.built';
/** A build whose lock is older than this was cut off: the lock is taken over. */
const STALE_LOCK_MS = 5 * 60_000;

/** Every file the screens are built from, by path, in a stable order. */
function uiSources(dir = UI): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !['node_modules', 'dist'].includes(e.name))
    .flatMap((e) => {
      const p = join(dir, e.name);
      return e.isDirectory() ? uiSources(p) : [p];
    })
    .sort();
}

function sourceHash(): string {
  const h = createHash('sha256');
  for (const f of uiSources()) h.update(relative(UI, f)).update('\0').update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

/**
 * The screens as the source makes them now: the folder to serve them from (HUB_SCREENS_DIR). Kept
 * in the system's temporary folder by the source's hash (not the test run's own, which goes when
 * the run ends), so a later run of unchanged screens builds nothing; builds of other sources a
 * day old are removed.
 */
export async function builtScreens(): Promise<string> {
  const base = join(process.env.SYSTEM_TMPDIR ?? tmpdir(), 'roomhub-test-screens');
  const dir = join(base, sourceHash());
  const lock = `${dir}.lock`;
  mkdirSync(base, { recursive: true });
  for (;;) {
    if (existsSync(join(dir, BUILT))) return dir;
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > STALE_LOCK_MS) {
        rmSync(lock, { recursive: true, force: true });
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (!existsSync(join(dir, BUILT))) {
      rmSync(dir, { recursive: true, force: true });
      await promisify(execFile)(
        process.execPath,
        [
          resolve(ROOT, 'node_modules/vite/bin/vite.js'),
          'build',
          '--outDir',
          dir,
          '--logLevel',
          'warn',
        ],
        // vitest runs with NODE_ENV=test, which would make Vite build the libraries' development
        // code.
        { cwd: UI, env: { ...process.env, NODE_ENV: 'production' } },
      );
      writeFileSync(join(dir, BUILT), new Date().toISOString());
      for (const other of readdirSync(base)) {
        const at = join(base, other);
        if (at !== dir && at !== lock && Date.now() - statSync(at).mtimeMs > 86_400_000) {
          rmSync(at, { recursive: true, force: true });
        }
      }
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return dir;
}

/** Chromium with a fresh profile in `profileDir`; a clear error when it is not installed. */
export async function openBrowser(
  profileDir: string,
  options: Parameters<typeof chromium.launchPersistentContext>[1] = {},
): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium), as .ci/run does`,
    );
  }
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    locale: 'zh-CN',
    // Charts draw at once, so a screenshot shows them whole.
    reducedMotion: 'reduce',
    ...options,
  });
  // What a step waits for a screen before giving up: with every test file's hub, cloud and
  // browser on two cores, an answer that takes milliseconds alone can take many seconds.
  context.setDefaultTimeout(45_000);
  return context;
}

/**
 * The page's open dialog once it has finished zooming in: on a busy machine a click while it still
 * moves can land where a box was a frame before, and a ticked box then reads as not ticked.
 */
export async function settledDialog(page: Page): Promise<Locator> {
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await page.locator('.ant-modal.ant-zoom-appear, .ant-modal.ant-zoom-enter').waitFor({
    state: 'detached',
  });
  return dialog;
}

/**
 * Answers the open pop-up confirmation (antd's Popconfirm) once it has finished zooming in, and
 * again should a click be lost while it still moves on a busy machine, until it is gone.
 */
export async function confirmPopup(page: Page, answer = '确认'): Promise<void> {
  const popup = page.locator('.ant-popconfirm:not(.ant-popover-hidden)');
  await popup.waitFor();
  for (let tries = 1; ; tries += 1) {
    await page
      .locator('.ant-popover.ant-zoom-big-appear, .ant-popover.ant-zoom-big-enter')
      .waitFor({ state: 'detached' });
    if (await popup.isVisible()) {
      await popup
        .getByRole('button', { name: answer })
        .click({ timeout: 5_000 })
        .catch(() => undefined);
    }
    try {
      await popup.waitFor({ state: 'hidden', timeout: 5_000 });
      return;
    } catch (e) {
      if (tries >= 5) throw e;
    }
  }
}

/**
 * Clicks a button that asks to be confirmed, confirms it, and waits until `done` says it took
 * effect. On a machine busy with every test file's hubs and browsers, an event that redraws the
 * page (a booking read again) can close the popup before its answer lands: it is asked again,
 * while the button is still there.
 */
export async function confirmUntil(
  page: Page,
  button: Locator,
  done: () => Promise<boolean>,
  answer = '确认',
): Promise<void> {
  for (let tries = 1; ; tries += 1) {
    if (await button.isVisible()) {
      await button.click();
      await confirmPopup(page, answer);
    }
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      if (await done()) return;
      await page.waitForTimeout(200);
    }
    if (tries >= 4) throw new Error(`${answer}: nothing changed after ${tries} tries`);
  }
}

/**
 * Picks `option` in the select labelled by `field` and waits until the select shows it. On a busy
 * machine a click on an option still sliding into place can be lost; the pick is made again
 * (up to four times) rather than sending a form without it.
 */
export async function pickOption(
  page: Page,
  field: Locator,
  option: string | RegExp,
): Promise<void> {
  const exact = typeof option === 'string';
  // The select around the field (a `has` filter would look for the field's whole chain inside it).
  const select = field.locator(
    'xpath=ancestor-or-self::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]',
  );
  // Shown as the select's value: the whole text for a name (`30 分钟` is not `130 分钟`).
  const shown =
    typeof option === 'string'
      ? select.getByText(option, { exact: true })
      : select.filter({ hasText: option });
  const list = page.locator('.ant-select-dropdown:visible');
  for (let tries = 1; ; tries += 1) {
    // A list left open by a lost pick is used as it is: a click on the field would close it.
    if (!(await list.first().isVisible())) await field.click();
    await list
      .getByTitle(option, { exact })
      .first()
      .click({ timeout: 10_000 })
      .catch(() => undefined);
    try {
      await shown.first().waitFor({ timeout: 10_000 });
      return;
    } catch (error) {
      if (tries >= 4) throw error;
    }
  }
}

/** An empty folder for a screen's screenshots, printed so a person can look at them. */
export function screenshotFolder(screen: string): string {
  const dir = resolve(ROOT, '.tmp/screenshots', screen);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log(`${screen} screenshots: ${dir}`);
  return dir;
}

/**
 * Saves what the page showed when a test failed (`FAILED <test>.png` in `dir`) and prints its
 * address and the notices on it (messages, alerts, a form's refusals), so a failure on a busy
 * machine can be read afterwards rather than guessed at.
 */
export function shotOnFailure(page: () => Page | undefined, dir: string): void {
  afterEach(async (ctx) => {
    const p = page();
    if (ctx.task.result?.state !== 'fail' || !p || p.isClosed()) return;
    const name = `FAILED ${ctx.task.name}`.replace(/[^\p{L}\p{N} ,_-]+/gu, ' ').slice(0, 120);
    await p.screenshot({ path: join(dir, `${name}.png`), fullPage: true }).catch(() => undefined);
    const notices = await p
      .locator('.ant-message-notice, .ant-alert, .ant-form-item-explain-error, .ant-modal-title')
      .allInnerTexts()
      .catch(() => []);
    console.log(`${ctx.task.name} failed on ${p.url()}; the page said: ${JSON.stringify(notices)}`);
  });
}

/**
 * Signs a platform staff member in on the console's page the first time, as they do: the texted
 * code, then an authenticator enrolled from the QR code's secret; done once the console names
 * them (`signedInAs`). `shot` is called on the code step and on the enrolment step.
 */
export async function signInToConsole(
  page: Page,
  to: { url: string; sms: MemorySmsProvider; clock: Clock },
  phone: string,
  signedInAs: string,
  shot: (step: 'code' | 'enrol') => Promise<unknown> = async () => undefined,
): Promise<void> {
  await page.goto(`${to.url}/platform/`);
  await page.getByTestId('phone').fill(phone);
  await page.getByTestId('send-code').click();
  await page.getByRole('button', { name: '重新发送' }).waitFor();
  await page.getByTestId('code').fill(to.sms.lastCode(phone)!);
  await shot('code');
  await page.getByTestId('next').click();
  const key = await page.getByTestId('totp-secret').textContent();
  const secret = /([A-Z2-7]{16,})/.exec(key ?? '')![1]!;
  await page.locator('img[data-qr^="otpauth://totp/"]').waitFor();
  await shot('enrol');
  await page.getByTestId('totp').fill(PlatformAuth.codeFor(secret, to.clock.now()));
  await page.getByTestId('sign-in').click();
  await page.getByTestId('signed-in-as').getByText(signedInAs).waitFor();
}
