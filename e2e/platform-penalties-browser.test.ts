// A merchant's penalties and a customer's profile edits in the platform console, in Chromium,
// against a real store hub and the cloud: the customers' instance (the cloud user only) answers
// the customers and a second instance holding the platform's credential serves the console. The
// platform owner hides an approved merchant's store from search (限制曝光) with a reason on its
// row of the merchants page, the customers' instance leaves it out of stores near, and lifting it
// early brings it back; the users page shows what the customer changed in their profile, and
// when. Screenshots are saved at each step for a person to look at.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { REGISTRY_DB } from '@roomhub/shared-types';
import { MemorySmsProvider, createCouchClient, type CloudService } from '@roomhub/cloud-service';
import { addPlatformStaff, startConsole, startStoreAndCloud } from './fixtures';
import {
  builtScreens,
  openBrowser,
  pickOption,
  screenshotFolder,
  signInToConsole,
} from './browser';

const OWNER = '13900005101';
const MERCHANT = '13900005102';
const CUSTOMER = '13800005103';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let console_: CloudService;
let consoleSms: MemorySmsProvider;
let browser: BrowserContext;
let page: Page;
let storeId: string;
let shots: string;
const scratch = mkdtempSync(join(tmpdir(), 'platform-penalties-browser-'));

const shot = (name: string) =>
  page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

/** Whether the customers' instance lists the store among the stores near it. */
async function listed(): Promise<boolean> {
  const r = await running.api('GET', '/api/stores?lat=31.23&lng=121.47');
  return (r.body.stores ?? []).some((s: { storeId: string }) => s.storeId === storeId);
}

beforeAll(async () => {
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  running = await startStoreAndCloud('platform-penalties-browser');
  storeId = running.hub.hub.store.getStore().id;
  await addPlatformStaff(running.couch.adminUrl, OWNER, '陈平');
  // An approved merchant running the store (what approving its application writes).
  await createCouchClient(running.couch.adminUrl).put(REGISTRY_DB, {
    _id: `merchant:${MERCHANT}`,
    type: 'merchant',
    phone: MERCHANT,
    name: '清茶小筑',
    contactPhone: MERCHANT,
    storeIds: [storeId],
    applicationIds: [],
    approvedAt: new Date(running.hub.clock.now()).toISOString(),
  });
  consoleSms = new MemorySmsProvider();
  console_ = await startConsole(running, consoleSms);
  browser = await openBrowser(join(scratch, 'profile'), { viewport: { width: 1360, height: 900 } });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (e) => console.error(`platform page error: ${e.message}`));
  shots = screenshotFolder('platform-penalties');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await console_?.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

describe("the console's penalties and profile edits", () => {
  it('signs the platform owner in', async () => {
    await signInToConsole(
      page,
      { url: console_.url, sms: consoleSms, clock: running.hub.clock },
      OWNER,
      '陈平（平台负责人）',
    );
  }, 60_000);

  it('hides the store from stores near with 限制曝光, and brings it back when lifted early', async () => {
    await running.cloud.sweepNow();
    await running.cloud.refreshCatalogue();
    await expect.poll(() => listed(), { timeout: 15_000 }).toBe(true);

    await page.getByRole('menuitem', { name: '商户入驻' }).click();
    const row = page.getByRole('row').filter({ hasText: MERCHANT }).first();
    await row.locator('.ant-table-row-expand-icon').click();
    const panel = page.getByTestId(`penalties-${MERCHANT}`);
    await panel.getByText('没有处罚记录').waitFor();
    await pickOption(page, panel.getByTestId('penalty-kind'), '限制曝光');
    await panel.getByTestId('penalty-reason').fill('虚假宣传，限制曝光');
    await panel.getByTestId('penalty-add').click();
    await panel.getByText('生效中').waitFor();
    await panel.getByText('虚假宣传，限制曝光').waitFor();
    await shot('01-hidden');
    // The customers' instance reads the penalty from CouchDB within seconds.
    await expect.poll(() => listed(), { timeout: 15_000 }).toBe(false);
    const page2 = await running.api('GET', `/api/stores/${storeId}`);
    expect(page2.status).toBe(200);

    await panel.locator('[data-testid^="lift-"]').click();
    await page.getByTestId('reason').fill('商家已整改');
    await page.getByRole('button', { name: '确定', exact: true }).click();
    await panel.getByText('已解除').waitFor();
    await panel.getByText(/解除：商家已整改/).waitFor();
    await shot('02-lifted');
    await expect.poll(() => listed(), { timeout: 15_000 }).toBe(true);
  }, 90_000);

  it("shows the customer's profile edits on the users page", async () => {
    const token = await running.signIn(CUSTOMER);
    const saved = await running.api(
      'PUT',
      '/api/me/profile',
      { name: '小林', signature: '约茶 13912345678' },
      token,
    );
    expect(saved.status).toBe(200);
    await page.getByRole('menuitem', { name: '用户管理' }).click();
    await page.getByTestId('user-search').locator('input').fill(CUSTOMER);
    await page.getByTestId('user-search').locator('input').press('Enter');
    const edits = page.getByTestId('profile-edits');
    await edits.getByText('昵称：（空） → 小林').waitFor();
    await edits.getByText(/个性签名：（空） → 约茶 139\*\*\*\*5678/).waitFor();
    await shot('03-profile-edits');
  }, 60_000);
});
