// The owner's devices page in a real browser (Debian's Chromium through playwright-core) against
// a hub driving the Modbus simulator: the room speakers are listed with the other devices, and the
// owner sets which stored clip each announcement plays and the day and night volumes; a night
// louder than the day is refused at the field, nothing kept. Each step is a screenshot.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { OWNER_PIN, as, startTestHub, type TestHub } from '@roomhub/hub-app/testing';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/speaker-settings');
shotOnFailure(() => page, SHOTS);

let h: TestHub;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'speaker-settings-'));

beforeAll(async () => {
  process.env.HUB_SCREENS_DIR = await builtScreens();
  h = await startTestHub();
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  screenshotFolder('speaker-settings');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = async (name: string) => {
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
};

describe('the owner’s room announcements', () => {
  it('sets the clip of each announcement and the volumes', async () => {
    await page.goto(`${h.url}/owner/devices`);
    await page.getByPlaceholder('员工密码').fill(OWNER_PIN);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    await page.getByText('包间语音播报').waitFor();
    await expect.poll(() => page.getByText('音箱', { exact: true }).count()).toBeGreaterThan(0);
    const clip = (label: string) => page.getByRole('spinbutton', { name: label });
    await expect.poll(() => clip('结束前 15 分钟提醒').inputValue()).toBe('1');
    await shot('1-devices-with-speakers');

    await clip('结束前 15 分钟提醒').fill('7');
    await clip('时间到（超时）').fill('');
    await page.getByLabel('夜间音量（%）').fill('90');
    await page.getByRole('button', { name: '保存' }).click();
    await page
      .getByText(/nightVolume|夜间音量/)
      .first()
      .waitFor();
    await shot('2-night-louder-refused');
    const kept = await h.api('GET', '/api/devices/speaker-settings', undefined, as('owner'));
    expect(kept.body.nightVolume).toBe(30);

    await page.getByLabel('夜间音量（%）').fill('20');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('播报设置已保存').waitFor();
    await shot('3-saved');
    const saved = await h.api('GET', '/api/devices/speaker-settings', undefined, as('owner'));
    expect(saved.body).toEqual({
      clips: { reminder_15: 7, reminder_5: 2, overtime: null },
      volume: 70,
      nightVolume: 20,
      night: { from: '22:00', to: '08:00' },
    });
  }, 120_000);
});
