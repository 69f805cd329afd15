// A merchant's deposit (保证金) in the platform console, in Chromium, against a real store hub and
// the cloud's console instance (the one holding the platform's credential). On the merchant's row
// of the merchants page the platform owner records a ¥3000.00 pay-in (its first answer lost on the
// way back, and the same click sent again is still one entry), fines one store ¥500.00 with a
// reason, is refused a return larger than the balance in words naming both amounts, and refunds
// the fine, so the balance reads ¥3000.00 again. An analyst reads the same ledger over the API and
// may not write to it. Screenshots are saved at each step for a person to look at.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { REGISTRY_DB } from '@roomhub/shared-types';
import { MemorySmsProvider, createCouchClient, type CloudService } from '@roomhub/cloud-service';
import {
  addPlatformStaff,
  cloudApi,
  signInToConsoleApi,
  startConsole,
  startStoreAndCloud,
} from './fixtures';
import {
  builtScreens,
  openBrowser,
  pickOption,
  ROOT,
  screenshotFolder,
  shotOnFailure,
  signInToConsole,
} from './browser';

const OWNER = '13900005201';
const ANALYST = '13900005202';
const MERCHANT = '13900005203';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let console_: CloudService;
let consoleSms: MemorySmsProvider;
let browser: BrowserContext;
let page: Page;
let storeId: string;
let shots: string;
/** The Idempotency-Key of every deposit write the page sent, in order. */
const keys: { path: string; key: string | undefined }[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'platform-deposit-browser-'));
shotOnFailure(() => page, resolve(ROOT, '.tmp/screenshots/platform-deposit'));

const shot = (name: string) =>
  page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
const panel = (): Locator => page.getByTestId(`deposit-${MERCHANT}`);
const balance = () => panel().getByTestId('deposit-balance');

beforeAll(async () => {
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  running = await startStoreAndCloud('platform-deposit-browser');
  storeId = running.hub.hub.store.getStore().id;
  await addPlatformStaff(running.couch.adminUrl, OWNER, '陈平');
  await addPlatformStaff(running.couch.adminUrl, ANALYST, '吴析', 'analyst');
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
  browser = await openBrowser(join(scratch, 'profile'), { viewport: { width: 1440, height: 900 } });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (e) => console.error(`platform page error: ${e.message}`));
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/deposit/')) {
      keys.push({ path: new URL(r.url()).pathname, key: r.headers()['idempotency-key'] });
    }
  });
  shots = screenshotFolder('platform-deposit');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await console_?.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

describe("the console's merchant deposit", () => {
  it('signs the platform owner in and opens the merchant’s deposit', async () => {
    await signInToConsole(
      page,
      { url: console_.url, sms: consoleSms, clock: running.hub.clock },
      OWNER,
      '陈平（平台负责人）',
    );
    await page.getByRole('menuitem', { name: '商户入驻' }).click();
    const row = page.getByRole('row').filter({ hasText: MERCHANT }).first();
    await row.locator('.ant-table-row-expand-icon').click();
    await panel().getByText('还没有保证金记录').waitFor();
    await expect.poll(() => balance().textContent()).toContain('¥0.00');
    // The penalties panel no longer says fines cannot be given.
    await page
      .getByTestId(`penalties-${MERCHANT}`)
      .getByText('罚款从商户的保证金中扣除，在下方「保证金」里记录。')
      .waitFor();
    await shot('01-empty');
  }, 90_000);

  it('records a ¥3000.00 pay-in once, though its first answer was lost', async () => {
    const form = panel().getByTestId('deposit-pay-in');
    await form.getByPlaceholder('金额（元）').fill('3000');
    await form.getByPlaceholder('付款凭证号').fill('ICBC-20261205-0001');
    await form.getByPlaceholder('备注（选填）').fill('入驻保证金');
    // The cloud writes the entry, but its answer never reaches the page.
    await page.route('**/deposit/pay-ins', async (route) => {
      const reached = await route.fetch();
      expect(reached.status()).toBe(201);
      await route.abort('failed');
    });
    await form.getByTestId('deposit-pay-in-submit').click();
    await form.getByText('没有收到云端的回复，请再点一次：同一次提交只会记一笔。').waitFor();
    await shot('02-answer-lost');
    await page.unroute('**/deposit/pay-ins');
    await form.getByTestId('deposit-pay-in-submit').click();
    await expect.poll(() => balance().textContent()).toContain('¥3000.00');
    const rows = panel().locator('.ant-table-tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().getByText('凭证号：ICBC-20261205-0001').waitFor();
    await rows.first().getByText('+¥3000.00').waitFor();
    expect(keys).toHaveLength(2);
    expect(keys[1]!.key).toBe(keys[0]!.key);
    await shot('03-paid-in');
  }, 60_000);

  it('fines one store ¥500.00 with its reason', async () => {
    const form = panel().getByTestId('deposit-fine');
    await form.getByPlaceholder('金额（元）').fill('500');
    await pickOption(page, form.getByTestId('fine-store'), storeId);
    await form.getByPlaceholder(/罚款原因/).fill('卫生检查不合格');
    await form.getByTestId('deposit-fine-submit').click();
    await expect.poll(() => balance().textContent()).toContain('¥2500.00');
    const fine = panel().getByRole('row').filter({ hasText: '卫生检查不合格' });
    await fine.getByText('-¥500.00').waitFor();
    await fine.getByText(storeId).waitFor();
    expect(keys[2]!.key).not.toBe(keys[0]!.key);
    await shot('04-fined');
  }, 60_000);

  it('refuses a return larger than the balance, naming both amounts', async () => {
    const form = panel().getByTestId('deposit-return');
    await form.getByPlaceholder('金额（元）').fill('5000');
    await form.getByPlaceholder('退款凭证号').fill('RET-20261205-0001');
    await form.getByPlaceholder(/退还原因/).fill('商户退出平台');
    await form.getByTestId('deposit-return-submit').click();
    await form.getByText('金额 ¥5000.00 超过保证金余额 ¥2500.00，保证金不能扣成负数').waitFor();
    await expect.poll(() => balance().textContent()).toContain('¥2500.00');
    await shot('05-return-refused');
  }, 60_000);

  it('refunds the fine, and the balance reads ¥3000.00 again', async () => {
    await panel().getByTestId('refund-00000002').click();
    await page.getByTestId('reason').fill('申诉成立，检查记录有误');
    await page.getByRole('button', { name: '确定', exact: true }).click();
    await expect.poll(() => balance().textContent()).toContain('¥3000.00');
    const fine = panel().getByRole('row').filter({ hasText: '卫生检查不合格' });
    await fine.getByText('已退回').waitFor();
    expect(await panel().getByTestId('refund-00000002').count()).toBe(0);
    const refund = panel().getByRole('row').filter({ hasText: '申诉成立，检查记录有误' });
    await refund.getByText('+¥500.00').waitFor();
    await refund.getByText('退回第 00000002 笔罚款').waitFor();
    await shot('06-fine-refunded');
  }, 60_000);

  it('keeps exactly those entries in the cloud’s ledger, which an analyst reads but may not write', async () => {
    const token = await signInToConsoleApi(console_, consoleSms, ANALYST, running.hub.clock);
    const api = cloudApi(() => console_.url);
    const ledger = await api(
      'GET',
      `/api/platform/merchants/${MERCHANT}/deposit`,
      undefined,
      token,
    );
    expect(ledger.status).toBe(200);
    expect(ledger.body.balance).toBe(300_000);
    expect(
      ledger.body.entries.map((e: Record<string, unknown>) => ({
        entryId: e.entryId,
        kind: e.kind,
        amount: e.amount,
        balance: e.balance,
        reference: e.reference,
        reason: e.reason,
        storeId: e.storeId,
        fineEntryId: e.fineEntryId,
        refundedBy: e.refundedBy,
        by: e.by,
      })),
    ).toEqual([
      {
        entryId: '00000003',
        kind: 'fine_refund',
        amount: 50_000,
        balance: 300_000,
        reference: null,
        reason: '申诉成立，检查记录有误',
        storeId,
        fineEntryId: '00000002',
        refundedBy: null,
        by: OWNER,
      },
      {
        entryId: '00000002',
        kind: 'fine',
        amount: -50_000,
        balance: 250_000,
        reference: null,
        reason: '卫生检查不合格',
        storeId,
        fineEntryId: null,
        refundedBy: '00000003',
        by: OWNER,
      },
      {
        entryId: '00000001',
        kind: 'paid_in',
        amount: 300_000,
        balance: 300_000,
        reference: 'ICBC-20261205-0001',
        reason: '入驻保证金',
        storeId: null,
        fineEntryId: null,
        refundedBy: null,
        by: OWNER,
      },
    ]);
    // Every write the page sent carried a key the cloud takes, one per submission.
    expect(keys.map((k) => k.path.split('/deposit/')[1])).toEqual([
      'pay-ins',
      'pay-ins',
      'fines',
      'returns',
      'fines/00000002/refund',
    ]);
    for (const k of keys) expect(k.key).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    expect(new Set(keys.map((k) => k.key)).size).toBe(4);

    const refused = await api(
      'POST',
      `/api/platform/merchants/${MERCHANT}/deposit/fines`,
      { amount: 100, reason: '分析员不能罚款' },
      token,
    );
    expect(refused.status).toBe(403);
  }, 60_000);
});
