// The member wallet (储值) on the owner's dashboard in a real browser (Debian's Chromium through
// playwright-core) against a real hub: the owner adds a top-up package, looks a member up by
// phone, tops them up in cash with the package, sees what the store owes rise, gives part of the
// principal back with a reason (the bonus taken back in proportion), and reads each movement; a
// refund beyond the principal is refused in words; a manager uses the page but not the owner's
// choice of a shared wallet; a cashier tops up at the counter's 储值 tab but gives no principal
// back. Every step is a screenshot.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { OWNER_PIN, as, startTestHub, type TestHub } from '@roomhub/hub-app/testing';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/owner-wallet');
shotOnFailure(() => page, SHOTS);
const MANAGER_PIN = '222222';
const CASHIER_PIN = '333333';
const MEMBER = '13800138077';

let h: TestHub;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'owner-wallet-'));

beforeAll(async () => {
  process.env.HUB_SCREENS_DIR = await builtScreens();
  h = await startTestHub();
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  screenshotFolder('owner-wallet');
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

async function signIn(pin: string): Promise<void> {
  await page.getByPlaceholder('员工密码').fill(pin);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

const open = (menu: string) => page.getByRole('menuitem', { name: menu, exact: true }).click();
const text = (testId: string) => page.getByTestId(testId).innerText();

describe('the member wallet on the owner’s dashboard', () => {
  it('sells a package in cash, gives part of the principal back, and shows each movement', async () => {
    await page.goto(`${h.url}/owner/`);
    await signIn(OWNER_PIN);
    await open('储值');
    await page.getByText('还没有充值套餐').waitFor();

    const packages = page.getByTestId('wallet-packages');
    await packages.getByLabel('套餐名称').fill('充200送100');
    await packages.getByLabel('顾客付款').fill('200');
    await packages.getByLabel('赠送金额').fill('100');
    await packages.getByLabel('赠送有效天数').fill('30');
    await packages.getByRole('button', { name: '添加套餐' }).click();
    await page.getByText('已添加套餐：充200送100').waitFor();
    await packages.getByRole('row', { name: /充200送100.*30 天/ }).waitFor();

    await page.getByLabel('会员手机号').fill(MEMBER);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('还没有储值记录').waitFor();
    await page.getByLabel('充值套餐').click();
    await page.getByText('充200送100（付 ¥200.00，送 ¥100.00）').click();
    await page.getByRole('button', { name: '收现金充值' }).click();
    await page.getByText('充值成功，可用余额 ¥300.00').waitFor();
    await expect.poll(() => text('wallet-principal')).toBe('¥200.00');
    await expect.poll(() => text('wallet-bonus')).toBe('¥100.00');
    await page.getByTestId('wallet-owed').getByText('¥200.00').waitFor();
    await shot('01-topped-up');

    // More than the principal is refused in words; the hub keeps the wallet as it was.
    const over = await h.api(
      'POST',
      `/api/wallets/${MEMBER}/refund`,
      { amount: 20001, reason: '多退' },
      { ...as('owner'), 'accept-language': 'zh-CN' },
    );
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({
      code: 'wallet_refund_exceeds_principal',
      field: 'amount',
    });

    await page.getByRole('button', { name: '退还本金' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('最多可退本金 ¥200.00').waitFor();
    await dialog.getByLabel('退还金额').fill('50');
    expect(await dialog.getByRole('button', { name: '确认退还' }).isDisabled()).toBe(true);
    await dialog.getByLabel('退款原因（必填）').fill('顾客要回一部分');
    await shot('02-refund');
    await dialog.getByRole('button', { name: '确认退还' }).click();
    await page.getByText('已退还，剩余可用余额 ¥225.00').waitFor();
    // A quarter of the principal back takes a quarter of the bonus back.
    await expect.poll(() => text('wallet-principal')).toBe('¥150.00');
    await expect.poll(() => text('wallet-bonus')).toBe('¥75.00');
    const moves = page.getByTestId('member-wallet');
    await moves.getByRole('row', { name: /退还本金.*-¥50\.00.*顾客要回一部分/ }).waitFor();
    await moves.getByRole('row', { name: /收回赠送.*-¥25\.00/ }).waitFor();
    await moves.getByRole('row', { name: /充值.*\+¥200\.00/ }).waitFor();
    await page.getByTestId('wallet-owed').getByText('¥150.00').waitFor();
    await shot('03-refunded');

    const wallet = await h.api('GET', `/api/wallets/${MEMBER}`, undefined, as('owner'));
    expect(wallet.body).toMatchObject({ principal: 15000, bonus: 7500, total: 22500 });
    // Each change is audited, the refused refund too.
    const audit = JSON.stringify((await h.api('GET', '/api/audit', undefined, as('owner'))).body);
    expect(audit).toContain('POST /api/wallets/:id/refund');
    expect(audit).toContain('POST /api/wallet/top-ups');

    // The owner chooses how wallets work.
    await page.getByTestId('wallet-settings').getByText('每个门店单独储值').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('Top-up packages').waitFor();
    await shot('04-english');
    await page.getByRole('button', { name: '中文' }).click();
  }, 120_000);

  it('a manager tops up and refunds, but does not choose how wallets work', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByText('店主后台登录').waitFor();
    await signIn(MANAGER_PIN);
    await open('储值');
    await page.getByTestId('wallet-packages').getByText('充200送100').waitFor();
    expect(await page.getByTestId('wallet-settings').count()).toBe(0);
    await page.getByLabel('会员手机号').fill(MEMBER);
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => text('wallet-total')).toBe('¥225.00');
    await page.getByLabel('或输入充值金额').fill('30');
    await page.getByRole('button', { name: '收现金充值' }).click();
    await page.getByText('充值成功，可用余额 ¥255.00').waitFor();
    await shot('05-manager');
    const refused = await h.api('PUT', '/api/wallet/settings', { mode: 'shared' }, as('manager'));
    expect(refused.status).toBe(403);
  }, 120_000);

  it('a cashier tops up at the counter, and sees no refund', async () => {
    // The manager is still signed in on this machine: the counter's page signs them out first.
    await page.goto(`${h.url}/cashier/`);
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByText('收银台登录').waitFor();
    await page.getByPlaceholder('员工密码').fill(CASHIER_PIN);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    await page.getByRole('link', { name: '储值' }).click();
    await page.getByLabel('会员手机号').fill(MEMBER);
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => text('wallet-total')).toBe('¥255.00');
    await page.getByLabel('充值套餐').click();
    await page.getByText('充200送100（付 ¥200.00，送 ¥100.00）').click();
    await page.getByRole('button', { name: '收现金充值' }).click();
    await page.getByText('充值成功，可用余额 ¥555.00').waitFor();
    expect(await page.getByRole('button', { name: '退还本金' }).count()).toBe(0);
    await shot('06-cashier');
    const refund = await h.api(
      'POST',
      `/api/wallets/${MEMBER}/refund`,
      { reason: '收银员退款' },
      as('cashier'),
    );
    expect(refund.status).toBe(403);
  }, 120_000);
});
