// The kiosk's receipt in a real browser (Debian's Chromium through playwright-core) against a real
// hub: a walk-in paid by the simulated WeChat Pay QR, 打印小票 on the door code screen, the
// receipt's words (the door code, the room, the money), and the page as it prints: the receipt
// alone at the paper's width, nothing else of the kiosk. The print view is saved as a screenshot and
// a PDF beside the others (the folder is printed). Then as in the desktop app, whose bridge the
// test plays: printed by itself once after paying on 58 mm paper, and a printer that fails leaves
// the code on screen with a line saying so.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { as, startTestHub, type TestHub } from '@roomhub/hub-app/testing';
import { screenshotFolder } from './browser';
import { builtScreens, openTouchscreen, tapDigits } from './kiosk-browser-setup';

let h: TestHub;
let browser: BrowserContext;
let page: Page;
let dir: string;
const shot = (name: string) => page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
const scratch = mkdtempSync(join(tmpdir(), 'kiosk-receipt-browser-'));

beforeAll(async () => {
  process.env.HUB_SCREENS_DIR = await builtScreens();
  h = await startTestHub();
  ({ browser, page } = await openTouchscreen(scratch));
  dir = screenshotFolder('kiosk-receipt');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    await page.emulateMedia({ media: 'screen' });
    await shot(`failed-${ctx.task.name.slice(0, 40)}`);
  }
});

/** A walk-in from the board, from now, paid by the simulated WeChat Pay QR: its booking. */
async function paidWalkIn(
  room: string,
  hours: number,
  phone: string,
): Promise<{ id: string; number: string; total: number }> {
  await page.locator('.kiosk-store').click();
  await page.getByRole('button', { name: '立即预订' }).click();
  await page.getByRole('button', { name: new RegExp(room) }).click();
  await page.getByRole('button', { name: '现在' }).click();
  await page.getByRole('button', { name: `${hours} 小时` }).click();
  await tapDigits(page, 'phone-keypad', phone);
  await expect
    .poll(() => page.getByRole('button', { name: '确认预订' }).isEnabled(), { timeout: 10_000 })
    .toBe(true);
  await page.getByRole('button', { name: '确认预订' }).click();
  await page.getByRole('button', { name: '微信支付' }).click();
  const qr = page.getByTestId('pay-qr');
  await qr.waitFor({ timeout: 15_000 });
  await h.gateway!.pay((await qr.getAttribute('data-payment-id'))!);
  await page.getByTestId('door-code').waitFor({ timeout: 15_000 });
  const list = await h.api('GET', '/api/bookings?date=2026-11-23', undefined, as('cashier'));
  const b = list.body.find((x: { room: { name: string } }) => x.room.name === room);
  expect(b).toMatchObject({ status: 'paid', due: 0 });
  return b;
}

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/** What the bridge of the desktop app (the test's stand-in) was asked to print. */
const printed = () =>
  page.evaluate(() => (globalThis as unknown as { printed: unknown[] }).printed);

describe('the kiosk’s receipt', () => {
  it('prints a paid walk-in’s receipt: its words, and the receipt alone on the printed page', async () => {
    const made = await h.api(
      'POST',
      '/api/screens/pairing-codes',
      { name: '大堂自助机', kind: 'kiosk' },
      as('owner'),
    );
    const paired = await h.api('POST', '/api/screens/pair', { code: made.body.code });
    await page.goto(`${h.url}/kiosk/#screenToken=${paired.body.token as string}`);
    await page.getByText('今日房态').waitFor();

    const b = await paidWalkIn('听雨', 2, '13800138000');
    const code = (await page.getByTestId('door-code').textContent())!.trim();
    expect(code).toMatch(/^\d{6}$/);
    const button = page.getByRole('button', { name: '打印小票' });
    await expect.poll(() => button.isEnabled()).toBe(true);
    expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(48);
    await shot('01-door-code-with-print');

    // A plain browser prints with its own print (headless Chromium's would never end: counted
    // instead); the code stays on screen.
    await page.evaluate(() => {
      const w = globalThis as unknown as { prints: number; print: () => void };
      w.prints = 0;
      w.print = () => (w.prints += 1);
    });
    await button.click();
    await expect
      .poll(() => page.getByTestId('receipt-state').textContent())
      .toBe('小票已发送到打印机，请在出纸口取走。');
    expect(await page.getByTestId('door-code').isVisible()).toBe(true);
    expect(await page.evaluate(() => (globalThis as unknown as { prints: number }).prints)).toBe(1);

    const receipt = page.getByTestId('receipt');
    await receipt.locator('img.receipt-qr-image').waitFor({ state: 'attached' });
    const text = (await receipt.textContent())!;
    const store = (await h.api('GET', '/api/store')).body as { name: string; phone: string };
    for (const words of [
      store.name,
      '听雨',
      b.number,
      code,
      '2026-11-23',
      yuan(b.total),
      '微信支付',
    ])
      expect(text, words).toContain(words);
    expect(await receipt.getByTestId('receipt-code').textContent()).toBe(code);
    // The same QR as on the screen.
    const qrOnScreen = await page.locator('.door-code-panel img.qr').getAttribute('data-qr');
    expect(await receipt.locator('img.receipt-qr-image').getAttribute('data-qr')).toBe(qrOnScreen);
    // Out of sight on the screen.
    expect(await receipt.isVisible()).toBe(false);

    // As it prints: the receipt at 80 mm, black on white, and nothing else of the kiosk.
    await page.emulateMedia({ media: 'print' });
    expect(await receipt.isVisible()).toBe(true);
    for (const other of ['.kiosk-header', '.kiosk-main', '[data-testid="door-code"]'])
      expect(await page.locator(other).first().isVisible(), other).toBe(false);
    const box = (await receipt.boundingBox())!;
    expect(box.x).toBe(0);
    expect(Math.round(box.width)).toBe(Math.round((80 * 96) / 25.4));
    const colours = await receipt.evaluate((el) => {
      const page = globalThis as unknown as {
        getComputedStyle: (e: unknown) => { color: string; backgroundColor: string };
      };
      const s = page.getComputedStyle(el);
      return [s.color, s.backgroundColor];
    });
    expect(colours).toEqual(['rgb(0, 0, 0)', 'rgb(255, 255, 255)']);
    await shot('02-receipt-printed-view');
    const pdf = await page.pdf({ path: join(dir, '02-receipt.pdf'), preferCSSPageSize: true });
    // One page, 80 mm wide (226.8 pt), as long as the receipt.
    const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)/g)];
    expect(boxes).toHaveLength(1);
    expect(Number(boxes[0]![1])).toBeCloseTo((80 / 25.4) * 72, 0);
    expect(Number(boxes[0]![2])).toBeGreaterThan(Number(boxes[0]![1]));
    expect(readFileSync(join(dir, '02-receipt.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });
  }, 120_000);

  it('in the desktop app, prints by itself once after paying, on the paper set; a failed print leaves the code', async () => {
    // The desktop app's bridge, played by the page: 58 mm paper, printing after payment.
    await page.addInitScript(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      w.printed = [];
      w.printFails = false;
      w.roomhubShell = {
        receiptSettings: () => Promise.resolve({ paperMm: 58, printAfterPayment: true }),
        printReceipt: (p: unknown) => {
          (w.printed as unknown[]).push(p);
          return Promise.resolve(w.printFails ? { ok: false, reason: 'no printer' } : { ok: true });
        },
      };
    });
    await page.goto(`${h.url}/kiosk/`);
    await page.getByText('今日房态').waitFor();

    await paidWalkIn('竹影', 1, '13600136000');
    await expect
      .poll(() => page.getByTestId('receipt-state').textContent())
      .toBe('小票已打印，请在出纸口取走。');
    const asked = (await printed()) as { widthMm: number; heightMm: number }[];
    expect(asked).toHaveLength(1);
    expect(asked[0]!.widthMm).toBe(58);
    expect(asked[0]!.heightMm).toBeGreaterThan(58);
    const receipt = page.getByTestId('receipt');
    expect(Math.round((await receipt.boundingBox())!.width)).toBe(Math.round((58 * 96) / 25.4));
    await page.emulateMedia({ media: 'print' });
    await shot('03-receipt-58mm-printed-view');
    await page.emulateMedia({ media: 'screen' });

    // The printer is out of paper: the code stays, and the screen says so in one line.
    await page.evaluate(
      () => ((globalThis as unknown as { printFails: boolean }).printFails = true),
    );
    await page.getByRole('button', { name: '打印小票' }).click();
    await expect
      .poll(() => page.getByTestId('receipt-state').textContent())
      .toContain('小票没有打印出来');
    expect(await page.getByTestId('door-code').isVisible()).toBe(true);
    expect(await printed()).toHaveLength(2);
    await shot('04-print-failed-code-stays');
  }, 120_000);
});
