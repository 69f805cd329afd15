// Finding players (C14) in a real browser (Debian's Chromium through playwright-core, a phone's
// screen of 375 x 812) against a store's hub, an embedded CouchDB and the cloud service: a customer
// opens 等人拼桌 from the store page, starts a table of four for 14:00 with the store's notice
// ticked and pays their share; three others open the invitation link, each pays a share and takes
// a seat; the table is full, the booking paid, and every player sees the door code. A second
// table short of players is released at its deadline and its player reads that the share went
// back. Each page is saved as a screenshot (the folder is printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { at, OWNER_PIN, STAFF, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud } from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/tables');
shotOnFailure(() => page, SHOTS);

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'tables-browser-'));

beforeAll(async () => {
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  // The hub serves the owner's pages from the same build.
  process.env.HUB_SCREENS_DIR = process.env.CLOUD_PAGES_DIR;
  running = await startStoreAndCloud('tables-browser', {
    // Five customers sign in from this one address.
    smsLimits: { senderPerMinute: 20, senderPerHour: 50 },
  });
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
  // The phone's clock is the store's (the test moves the store's by hand).
  await page.clock.setSystemTime(running.hub.clock.now());
  screenshotFolder('tables');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = (name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** The phone is now this customer's: their token where the pages keep it. */
async function signedInAs(token: string) {
  await page.evaluate(`localStorage.setItem('roomhub.customer.token', ${JSON.stringify(token)})`);
}

describe('finding players in the browser', () => {
  it('four customers fill a table, each charged a share; a table short of players is refunded', async () => {
    const { hub, cloud, api, signIn, payments } = running;
    const storeId = hub.hub.store.getStore().id;
    await hub.api(
      'PUT',
      '/api/tables/settings',
      {
        enabled: true,
        ageNotice: '未满18周岁请勿参与拼桌。',
        hours: { from: '10:00', to: '24:00' },
      },
      STAFF,
    );
    await until('the store and its table rules in the cloud', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', `/api/stores/${storeId}/tables`);
      return r.status === 200 && r.body.settings.ageNotice ? r : undefined;
    });
    const tokens: string[] = [];
    for (const p of ['13800000051', '13800000052', '13800000053', '13800000054', '13800000055'])
      tokens.push(await signIn(p));

    // The starter: from the store page to 等人拼桌, then the form.
    await page.goto(`${cloud.url}/h5/stores/${storeId}`);
    await signedInAs(tokens[0]!);
    await page.goto(`${cloud.url}/h5/stores/${storeId}`);
    await page.getByText('预订这个包间').first().waitFor();
    await shot('00-store-page');
    await page.getByRole('button', { name: '等人拼桌' }).click();
    await page.getByText('现在还没有等人的牌桌。您可以发起一桌。').waitFor();
    await page.getByText('未满18周岁请勿参与拼桌。').waitFor();
    await shot('01-tables-empty');
    await page.getByRole('button', { name: '发起拼桌' }).click();
    await page.getByText('14:00', { exact: true }).click();
    await page.getByText('2 小时', { exact: true }).click();
    await page.getByText('4 人', { exact: true }).click();
    await page.getByText('开局前 60 分钟', { exact: true }).click();
    await page.locator('.name-input input').fill('老王');
    const pay = page.getByRole('button', { name: /支付我的一份 ¥\d+\.\d\d/ });
    await pay.waitFor();
    // Without the notice ticked, nothing is paid.
    await pay.click();
    await page.getByText('请先阅读并勾选参与须知。').waitFor();
    await page.getByText('我已阅读并同意').click();
    await shot('02-start-form');
    await pay.click();
    await page.getByText('已发起！把链接发给牌友，坐满就开局。').waitFor();
    await page.getByText('还差 3 人').waitFor();
    await shot('03-started');
    const tableUrl = page.url().replace(/\?.*$/, '');
    const tableId = tableUrl.split('/').pop()!;

    // Three friends open the link, each pays a share and sits down.
    for (const [i, name] of [
      [1, '小李'],
      [2, '阿强'],
      [3, '美美'],
    ] as const) {
      await signedInAs(tokens[i]!);
      await until('the table in the cloud', async () => {
        await cloud.cloud.follower.followNow();
        const r = await api('GET', `/api/stores/${storeId}/tables/${tableId}`);
        return r.status === 200 && r.body.players.length === i ? r : undefined;
      });
      await page.goto(tableUrl);
      await page.locator('.name-input input').fill(name);
      await page.getByText('我已阅读并同意').click();
      if (i === 1) await shot('04-join-form');
      await page.getByRole('button', { name: /支付一份并入座 ¥\d+\.\d\d/ }).click();
      await page.getByText('已入座！坐满后这里会显示开门码。').waitFor();
    }
    await cloud.cloud.follower.followNow();
    await page.reload();
    await page.getByText('开门码', { exact: true }).waitFor();
    await page.getByText('已坐满，到点开局').first().waitFor();
    await shot('05-filled-door-code');

    // Each was charged one share; together the shares are the booking's price.
    const table = (await api('GET', `/api/stores/${storeId}/tables/${tableId}`)).body;
    const captured = [...payments.payments.values()].filter((p) => p.state === 'captured');
    expect(captured.map((p) => p.amount).sort()).toEqual(
      [table.starterShare, table.share, table.share, table.share].sort(),
    );
    const bookingId = (await api('GET', '/api/me/tables', undefined, tokens[0])).body[0]
      .bookingId as string;
    expect(hub.hub.views.detail(bookingId)).toMatchObject({ status: 'paid', total: table.total });
    // The starter sees the same door code on their page.
    await signedInAs(tokens[0]!);
    await page.reload();
    await page.getByText('开门码', { exact: true }).waitFor();

    // A table of two for the evening never fills: at its deadline the store lets the room go.
    await signedInAs(tokens[4]!);
    await page.goto(`${cloud.url}/h5/stores/${storeId}/tables/new`);
    await page.getByText('19:00', { exact: true }).click();
    await page.getByText('开局前 120 分钟', { exact: true }).click();
    await page.locator('.name-input input').fill('阿飞');
    await page.getByText('我已阅读并同意').click();
    await page.getByRole('button', { name: /支付我的一份 ¥\d+\.\d\d/ }).click();
    await page.getByText('已发起！把链接发给牌友，坐满就开局。').waitFor();
    const shortUrl = page.url().replace(/\?.*$/, '');
    const shortId = shortUrl.split('/').pop()!;
    await until('the short table on the store page', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', `/api/stores/${storeId}/tables`);
      return r.body.tables.some((x: { tableId: string }) => x.tableId === shortId) ? r : undefined;
    });
    await page.goto(`${cloud.url}/h5/stores/${storeId}/tables`);
    await page.getByText('还差 3 人').waitFor();
    await shot('06-store-tables');

    hub.clock.set(Date.parse(at('17:00')));
    await page.clock.setSystemTime(hub.clock.now());
    await hub.runJobs();
    await until('the share paid back', async () => {
      await cloud.sweepNow();
      return payments.refunds.size === 1 ? true : undefined;
    });
    await cloud.cloud.follower.followNow();
    await page.goto(shortUrl);
    await page.getByText(/未坐满，已释放；您的 ¥\d+\.\d\d 已原路退回。/).waitFor();
    await shot('07-released-refunded');
    // Only the short table's share went back; the full table kept all four.
    const [back] = [...payments.refunds.values()];
    expect(back!.amount).toBe(
      (await api('GET', `/api/stores/${storeId}/tables/${shortId}`)).body.starterShare,
    );
  }, 240_000);

  it('the owner sets the notice and the game hours on the store page', async () => {
    const { hub } = running;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${hub.url}/owner/store`);
    await page.getByPlaceholder('员工密码').fill(OWNER_PIN);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('拼桌（等人拼桌）').waitFor();
    const notice = page.getByPlaceholder('如：未满18周岁请勿参与拼桌。');
    // The rules set before are in the form: the notice, and hours (not any time).
    await expect.poll(() => notice.inputValue()).toBe('未满18周岁请勿参与拼桌。');
    await page.getByLabel('拼桌时段开始').waitFor();
    await notice.fill('未满18周岁请勿参与；请勿赌博。');
    await page.getByLabel('拼桌时段开始').fill('25:00');
    await page.getByRole('button', { name: '保存拼桌设置' }).click();
    await page.getByText('请按 HH:MM 填写，如 10:00 或 24:00').waitFor();
    await page.getByLabel('拼桌时段开始').fill('12:00');
    await page.getByLabel('拼桌时段结束').fill('02:00');
    await page.getByRole('button', { name: '保存拼桌设置' }).click();
    await page.getByText('拼桌设置已保存').waitFor();
    await page.screenshot({ path: join(SHOTS, '08-owner-settings.png'), fullPage: true });
    expect((await hub.api('GET', '/api/tables/settings', undefined, STAFF)).body).toEqual({
      enabled: true,
      ageNotice: '未满18周岁请勿参与；请勿赌博。',
      hours: { from: '12:00', to: '02:00' },
    });
  }, 120_000);
});
