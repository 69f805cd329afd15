// The kiosk in a real browser (Debian's Chromium through playwright-core) against a real hub with
// its Modbus simulator: paired once with the owner's code, a walk-in booked from the board, paid by
// the simulated WeChat Pay QR, the door code shown, typed on the keypad, and the room's lock relay
// pulsed on the simulator. The screens are built from the current source into a folder of the
// test's own, and every screen the customer sees is saved as a screenshot (the folder is printed).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { as, startTestHub, type TestHub } from '@roomhub/hub-app/testing';

const ROOT = resolve(import.meta.dirname, '..');
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
const SHOTS = resolve(ROOT, '.tmp/screenshots/kiosk');

let h: TestHub;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'kiosk-browser-'));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium), as .ci/run does`,
    );
  }
  // The screens as the source makes them now, in a folder of this test's own.
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
    { cwd: resolve(ROOT, 'ui') },
  );
  process.env.HUB_SCREENS_DIR = dist;
  h = await startTestHub();
  browser = await chromium.launchPersistentContext(join(scratch, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  console.log(`kiosk screenshots: ${SHOTS}`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = (name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** Taps digits on one of the page's keypads, as a finger would. */
async function tapDigits(keypad: string, digits: string): Promise<void> {
  const pad = page.getByTestId(keypad);
  for (const d of digits) await pad.getByRole('button', { name: d, exact: true }).click();
}

/** The pulses the hub sent to the first room's lock (relay board 1, relay 0). */
const lockPulses = () =>
  h.devices.simulator!.writes().filter((w) => w.slaveId === 1 && w.address === 0x0200);

describe('the kiosk', () => {
  it('is served by the hub itself, and says how to build it when the build is missing', async () => {
    const page = await fetch(`${h.url}/kiosk/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const deep = await fetch(`${h.url}/kiosk/pay/some-booking`);
    expect(deep.status).toBe(200);
    expect((await fetch(`${h.url}/api/nothing-here`)).status).toBe(404);

    process.env.HUB_SCREENS_DIR = join(scratch, 'no-build');
    const bare = await startTestHub();
    try {
      const missing = await fetch(`${bare.url}/kiosk/`);
      expect(missing.status).toBe(503);
      expect(await missing.text()).toContain('npm run build -w @roomhub/ui');
    } finally {
      await bare.close();
      process.env.HUB_SCREENS_DIR = join(scratch, 'dist');
    }
  });

  it('books a walk-in, takes the QR payment, shows the door code, and the keypad opens the door', async () => {
    // Paired once: the owner makes a kiosk code, typed on the kiosk's own keypad.
    const made = await h.api(
      'POST',
      '/api/screens/pairing-codes',
      { name: '大堂自助机', kind: 'kiosk' },
      as('owner'),
    );
    expect(made.status).toBe(201);
    await page.goto(`${h.url}/kiosk/`);
    await page.getByText('配对这台自助机').waitFor();
    await tapDigits('pairing-keypad', made.body.code);
    await shot('01-pairing');
    await page.getByRole('button', { name: '配对' }).click();

    // The board: every room's day, now at 10:00 on the hub's clock.
    await page.getByText('今日房态').waitFor();
    await page.locator('.board-row[data-room="听雨"] .seg.bookable').first().waitFor();
    await shot('02-board');
    const free = page.locator('.board-row[data-room="听雨"] .seg.bookable').first();
    await free.click({ position: { x: 4, y: 20 } });

    // The walk-in: the room and the start come from the tap; two hours, three people, a phone.
    await page.getByText('预订房间').waitFor();
    await page.getByRole('button', { name: '2 小时' }).click();
    await page.getByRole('button', { name: '+' }).click();
    await tapDigits('phone-keypad', '13800138000');
    await expect
      .poll(() => page.getByTestId('quote-total').textContent(), { timeout: 10_000 })
      .toBe('¥76.00');
    expect(await page.getByTestId('quote').textContent()).toContain('工作日 · 标准时段 · 120 分钟');
    await shot('03-walk-in');
    await page.getByRole('button', { name: '确认预订' }).click();

    // Paying: the simulated WeChat Pay QR on screen; the payer pays it on their phone.
    await page.getByText('微信支付').waitFor();
    expect(await page.getByTestId('due').textContent()).toBe('¥76.00');
    await shot('04-pay');
    await page.getByRole('button', { name: '微信支付' }).click();
    const qr = page.getByTestId('pay-qr');
    await qr.waitFor();
    await page.locator('img.qr').waitFor();
    await shot('05-pay-qr');
    const paymentId = await qr.getAttribute('data-payment-id');
    await h.gateway!.pay(paymentId!);

    // The screen follows the booking to paid by the hub's events, then shows the door code.
    const code = page.getByTestId('door-code');
    await code.waitFor({ timeout: 15_000 });
    const digits = (await code.textContent())!.trim();
    expect(digits).toMatch(/^\d{6}$/);
    await page.locator('img.qr').waitFor();
    await shot('06-door-code');
    const booked = await h.api('GET', '/api/bookings?date=2026-11-23', undefined, as('cashier'));
    expect(booked.body.map((b: { status: string }) => b.status)).toEqual(['paid']);

    // The keypad: a wrong code is refused in one plain sentence, the right one opens the door.
    await page.getByRole('button', { name: '现在去开门' }).click();
    await page.getByText('输入开门码').first().waitFor();
    const wrong = digits === '000000' ? '111111' : '000000';
    await tapDigits('door-keypad', wrong);
    await page.getByRole('button', { name: '开门', exact: true }).click();
    await page.getByText('开门码不对，请核对后重新输入。').waitFor();
    await shot('07-door-refused');
    expect(lockPulses()).toHaveLength(0);

    await tapDigits('door-keypad', digits);
    await shot('08-door-keypad');
    await page.getByRole('button', { name: '开门', exact: true }).click();
    await page.getByText('门已打开，请进').waitFor();
    await shot('09-door-opened');
    expect(lockPulses()).toHaveLength(1);
    const after = await h.api('GET', '/api/bookings?date=2026-11-23', undefined, as('cashier'));
    expect(after.body[0].status).toBe('in_use');
  }, 90_000);
});
