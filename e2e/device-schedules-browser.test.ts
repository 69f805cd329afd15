// The owner's device schedules in a real browser (Debian's Chromium through playwright-core)
// against a real hub with its Modbus simulator: the owner airs every room 10:00-10:20 daily and
// the fresh air comes on at once (it is 10:00), changes it to the weekend's AC 22:00-02:00 (on the
// days the store's calendar calls weekends) at
// 24 °C, is stopped from saving a schedule that ends when it starts, and removes it; a cashier is
// refused the schedules by the hub; a door forced with no session shows on the owner's 异常提醒 in
// words. Every step is a screenshot.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { OWNER_PIN, as, startTestHub, type TestHub } from '@roomhub/hub-app/testing';
import {
  builtScreens,
  openBrowser,
  ROOT,
  screenshotFolder,
  settledDialog,
  shotOnFailure,
} from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/device-schedules');
shotOnFailure(() => page, SHOTS);

let h: TestHub;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'device-schedules-'));

beforeAll(async () => {
  process.env.HUB_SCREENS_DIR = await builtScreens();
  h = await startTestHub();
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  screenshotFolder('device-schedules');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const freshAirWanted = async () => {
  const r = await h.api('GET', '/api/devices', undefined, as('owner'));
  const air = (r.body.devices as { kind: string; desired: unknown }[]).filter(
    (d) => d.kind === 'fresh_air',
  );
  return air.length > 0 && air.every((d) => d.desired === true);
};

describe('the owner’s device schedules', () => {
  it('adds, changes and removes a schedule, and the devices follow', async () => {
    await page.goto(`${h.url}/owner/`);
    await page.getByPlaceholder('员工密码').fill(OWNER_PIN);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    await page.getByRole('menuitem', { name: '设备', exact: true }).click();
    await page.getByText('还没有定时开关。').waitFor();
    expect(await freshAirWanted()).toBe(false);

    await page.getByRole('button', { name: '新增定时' }).click();
    let dialog = await settledDialog(page);
    await dialog.getByRole('checkbox', { name: '新风' }).check();
    await dialog.getByLabel('开始时间').fill('10:00');
    await dialog.getByLabel('结束时间').fill('10:20');
    await dialog.getByLabel('备注').fill('每天通风');
    await shot('01-add');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('定时已保存').waitFor();
    const row = page.getByRole('row', { name: /全部包间/ });
    await row.getByText('每天', { exact: true }).waitFor();
    await row.getByText('10:00–10:20').waitFor();
    await row.getByText('打开', { exact: true }).waitFor();
    await shot('02-listed');
    const stored = await h.api('GET', '/api/devices/schedules', undefined, as('owner'));
    expect(stored.body).toMatchObject([
      {
        roomId: null,
        devices: ['freshAir'],
        weekdays: [1, 2, 3, 4, 5, 6, 7],
        start: '10:00',
        end: '10:20',
        on: true,
        note: '每天通风',
      },
    ]);
    // It is 10:00 on the hub's clock: the fresh air is wanted on now.
    await expect.poll(freshAirWanted).toBe(true);

    // The weekend's AC over midnight, at 24 °C.
    await row.getByRole('button', { name: '修改' }).click();
    dialog = await settledDialog(page);
    await dialog.getByRole('checkbox', { name: '新风' }).uncheck();
    await dialog.getByRole('checkbox', { name: '空调' }).check();
    for (const d of ['周一', '周二', '周三', '周四', '周五'])
      await dialog.getByRole('checkbox', { name: d, exact: true }).uncheck();
    // Only on the days the store's calendar calls weekends: a make-up Saturday is left out.
    await dialog.getByRole('checkbox', { name: '周末', exact: true }).check();
    await dialog.getByLabel('开始时间').fill('22:00');
    await dialog.getByLabel('结束时间').fill('22:00');
    await dialog.getByLabel('温度').fill('24');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText('结束时间不能与开始时间相同').waitFor();
    await shot('03-same-times');
    await dialog.getByLabel('结束时间').fill('02:00');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('定时已保存').last().waitFor();
    await row.getByText('周六、周日（仅周末）').waitFor();
    await row.getByText('22:00–02:00 （次日）').waitFor();
    await row.getByText('制冷 · 24°C · 自动').waitFor();
    await shot('04-changed');
    const changed = await h.api('GET', '/api/devices/schedules', undefined, as('owner'));
    expect(changed.body).toMatchObject([
      {
        devices: ['ac'],
        weekdays: [6, 7],
        dayTypes: ['weekend'],
        start: '22:00',
        end: '02:00',
        ac: { mode: 'cool', setpoint: 24, fan: 'auto' },
      },
    ]);
    await expect.poll(freshAirWanted).toBe(false);
    expect((await h.api('GET', '/api/devices/schedules', undefined, as('cashier'))).status).toBe(
      403,
    );

    await row.getByRole('button', { name: '删除' }).click();
    await page.getByRole('tooltip').getByRole('button', { name: '删除' }).click();
    await page.getByText('定时已删除').waitFor();
    await page.getByText('还没有定时开关。').waitFor();
    await shot('05-removed');
    expect((await h.api('GET', '/api/devices/schedules', undefined, as('owner'))).body).toEqual([]);
  });
});

describe('what the store flagged by itself', () => {
  it('lists a door forced with no session, in words, on the owner’s 异常提醒', async () => {
    await page.getByRole('menuitem', { name: '异常提醒', exact: true }).click();
    await page.getByText('门店主机自己发现的异常').waitFor();
    await page.getByText('这段时间没有异常').waitFor();
    // Someone forces room 1's door: its contact opens with nobody booked and no open by the hub.
    h.devices.simulator!.setInput(1, 0, false);
    await expect
      .poll(async () => {
        await h.devices.devices!.pollNow();
        await h.hub.writes.run(() => undefined);
        const r = await h.api('GET', '/api/anomalies', undefined, as('owner'));
        return (r.body.anomalies as { kind: string }[]).map((a) => a.kind);
      })
      .toContain('door_without_session');
    const list = page.getByTestId('anomaly-list');
    // The page reads again every half minute; a reload shows it at once.
    await page.reload();
    await list.getByText('无会话开门').waitFor();
    await list.getByText(/的门被打开，但房间没有进行中的会话/).waitFor();
    await shot('06-anomalies');
    expect((await h.api('GET', '/api/anomalies', undefined, as('cashier'))).status).toBe(403);
  });
});
