// The owner's device schedules on the remote dashboard (/owner/ served by the cloud) in a real
// browser (Debian's Chromium through playwright-core), against the cloud service and a real store
// hub replicating to an embedded CouchDB. The owner signs in with a code texted to their phone,
// opens 设备 and airs every room 10:00-10:20 daily; it is listed once the store has made it. They
// change it to one room's AC on weekend nights at 24 °C; with the store's line cut they add
// everything off 03:00-07:00 and are told the store is offline and will make it when it is back;
// once the line heals the page says it is made and lists it. They remove the AC schedule after
// confirming. After each step the hub holds what the page shows. Every step is a screenshot.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { as, until } from '@roomhub/hub-app/testing';
import { addOwner, startStoreAndCloud } from './fixtures';
import {
  builtScreens,
  openBrowser,
  pickOption,
  ROOT,
  screenshotFolder,
  settledDialog,
  shotOnFailure,
} from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/remote-device-schedules');
shotOnFailure(() => page, SHOTS);
const OWNER = '13600000031';
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
/** The store's day on the hub's clock as the test starts it (T0). */
const TODAY = '2026-11-23';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let browser: BrowserContext;
let page: Page;
let storeId: string;
const scratch = mkdtempSync(join(tmpdir(), 'remote-device-schedules-browser-'));

beforeAll(async () => {
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  running = await startStoreAndCloud('remote-schedules-browser');
  storeId = running.hub.hub.store.getStore().id;
  await addOwner(running.couch.adminUrl, OWNER, storeId);
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await page.clock.setSystemTime(running.hub.clock.now());
  screenshotFolder('remote-device-schedules');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** The store's schedules as its hub holds them, in the order it lists them. */
const onHub = () => running.hub.hub.devices.schedules.list();

describe("the owner's device schedules on the remote dashboard", () => {
  it('adds, changes and removes schedules the store makes, also after being offline', async () => {
    const { hub, api, cloud, sms, proxy } = running;
    const rooms = (await hub.api('GET', '/api/rooms', undefined, as('owner'))).body as {
      id: string;
      name: string;
    }[];
    const room = rooms[0]!;
    // The hub has published its (empty) schedules and its rooms before the owner looks.
    await until(
      "the store's schedules and rooms on the cloud",
      async () => {
        hub.clock.advance(61_000);
        await api('POST', '/api/auth/sms/send', { phone: OWNER });
        const login = await api('POST', '/api/owner/login', {
          phone: OWNER,
          code: sms.lastCode(OWNER),
        });
        const token = login.body.token as string;
        const listed = await api(
          'GET',
          `/api/owner/stores/${storeId}/device-schedules`,
          undefined,
          token,
        );
        const board = await api(
          'GET',
          `/api/owner/stores/${storeId}/board?date=${TODAY}`,
          undefined,
          token,
        );
        return listed.body.updatedAt && board.body.rooms?.length === rooms.length
          ? true
          : undefined;
      },
      60_000,
    );

    hub.clock.advance(61_000);
    await page.goto(`${cloud.url}/owner/`);
    await page.getByLabel('手机号').fill(OWNER);
    await page.getByTestId('send-code').click();
    await page.getByText(`验证码已发送到 ${OWNER}`).waitFor();
    await page.getByLabel('验证码').fill(sms.lastCode(OWNER)!);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    await page.getByRole('menuitem', { name: '设备' }).click();
    const card = page.getByTestId(`schedules-${storeId}`);
    await card.getByText('定时开关').first().waitFor();
    await card.getByText('还没有定时开关。').waitFor();
    await shot('01-none');

    // Every room aired 10:00-10:20 daily: listed once the store has made and published it.
    await card.getByRole('button', { name: '新增定时' }).click();
    let dialog = await settledDialog(page);
    await dialog.getByRole('checkbox', { name: '新风' }).check();
    await dialog.getByLabel('开始时间').fill('10:00');
    await dialog.getByLabel('结束时间').fill('10:20');
    await dialog.getByLabel('备注').fill('每天通风');
    await shot('02-add');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('定时已保存').waitFor();
    const aired = card.getByRole('row', { name: /每天通风/ });
    await aired.getByText('全部包间').waitFor();
    await aired.getByText('每天', { exact: true }).waitFor();
    await aired.getByText('10:00–10:20').waitFor();
    await shot('03-listed');
    expect(onHub()).toMatchObject([
      {
        roomId: null,
        devices: ['freshAir'],
        weekdays: EVERY_DAY,
        start: '10:00',
        end: '10:20',
        on: true,
        ac: null,
        note: '每天通风',
      },
    ]);
    const [made] = onHub();

    // Changed whole: one room's AC on weekend nights, over midnight at 24 °C.
    await aired.getByRole('button', { name: '修改' }).click();
    dialog = await settledDialog(page);
    await pickOption(page, dialog.getByLabel('包间'), room.name);
    await dialog.getByRole('checkbox', { name: '新风' }).uncheck();
    await dialog.getByRole('checkbox', { name: '空调' }).check();
    for (const d of ['周一', '周二', '周三', '周四', '周五'])
      await dialog.getByRole('checkbox', { name: d, exact: true }).uncheck();
    await dialog.getByLabel('开始时间').fill('22:00');
    await dialog.getByLabel('结束时间').fill('02:00');
    await dialog.getByLabel('温度').fill('24');
    await dialog.getByLabel('备注').fill('周末夜场');
    await shot('04-change');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('定时已保存').last().waitFor();
    const weekend = card.getByRole('row', { name: /周末夜场/ });
    await weekend.getByText(room.name, { exact: true }).waitFor();
    await weekend.getByText('周六、周日').waitFor();
    await weekend.getByText('22:00–02:00 （次日）').waitFor();
    await weekend.getByText('制冷 · 24°C · 自动').waitFor();
    expect(await card.getByRole('row', { name: /每天通风/ }).count()).toBe(0);
    await shot('05-changed');
    expect(onHub()).toMatchObject([
      {
        id: made!.id,
        roomId: room.id,
        devices: ['ac'],
        weekdays: [6, 7],
        start: '22:00',
        end: '02:00',
        on: true,
        ac: { mode: 'cool', setpoint: 24, fan: 'auto' },
        note: '周末夜场',
      },
    ]);

    // The store's line cut: the owner is told it will be made when the store is back, and it is.
    proxy.cut();
    await card.getByRole('button', { name: '新增定时' }).click();
    dialog = await settledDialog(page);
    for (const d of ['灯', '插座', '新风', '空调'])
      await dialog.getByRole('checkbox', { name: d, exact: true }).check();
    await dialog.getByRole('radio', { name: '关闭', exact: true }).check();
    await dialog.getByLabel('开始时间').fill('03:00');
    await dialog.getByLabel('结束时间').fill('07:00');
    await dialog.getByLabel('备注').fill('夜里全关');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page
      .getByText('门店现在离线，恢复连接后会按这次修改执行；下面仍是门店现在的定时。')
      .waitFor();
    await shot('06-store-offline');
    expect(await card.getByRole('row', { name: /夜里全关/ }).count()).toBe(0);
    expect(onHub()).toHaveLength(1);
    proxy.heal();
    // The page follows the change and says so once the store has made it.
    await page.getByText('定时已保存').waitFor({ timeout: 60_000 });
    const nightly = card.getByRole('row', { name: /夜里全关/ });
    await nightly.getByText('关闭', { exact: true }).waitFor({ timeout: 60_000 });
    await nightly.getByText('03:00–07:00').waitFor();
    await shot('07-made-when-back');
    expect(onHub().map((s) => [s.note, s.roomId, s.on, s.start, s.end])).toEqual([
      ['夜里全关', null, false, '03:00', '07:00'],
      ['周末夜场', room.id, true, '22:00', '02:00'],
    ]);

    // Removed after confirming: the list and the hub keep only the nightly one.
    await weekend.getByRole('button', { name: '删除' }).click();
    await page.getByRole('tooltip').getByText('删除这条定时？').waitFor();
    await shot('08-remove-confirm');
    await page.getByRole('tooltip').getByRole('button', { name: '删除' }).click();
    await page.getByText('定时已删除').waitFor();
    await expect
      .poll(() => card.getByRole('row', { name: /周末夜场/ }).count(), { timeout: 30_000 })
      .toBe(0);
    await nightly.waitFor();
    await shot('09-removed');
    expect(onHub().map((s) => s.note)).toEqual(['夜里全关']);
  }, 240_000);
});
