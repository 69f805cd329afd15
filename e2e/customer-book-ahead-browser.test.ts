// The customer's booking page (/h5/, served by the cloud) in a real browser on a phone's screen,
// against a store's hub, an embedded CouchDB and the cloud service: the customer books another day
// of the store's booking window, by a package (套餐) at its own start and price, and pays by a way
// they chose among those offered where they are; the store confirms and the order shows the day
// and the package's price. A way to pay the platform switched off is not offered, and the page
// says it takes no payment online. Every page the customer sees is saved as a screenshot.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { MemorySmsProvider, type CloudService } from '@roomhub/cloud-service';
import { STAFF, until } from '@roomhub/hub-app/testing';
import { addPlatformStaff, signInToConsoleApi, startConsole, startStoreAndCloud } from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/customer-book-ahead');
shotOnFailure(() => page, SHOTS);
const PHONE = '13800004321';
const PLATFORM_OWNER = '13900007001';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let console_: CloudService | undefined;
let browser: BrowserContext;
let page: Page;
let storeId: string;
let roomId: string;
const scratch = mkdtempSync(join(tmpdir(), 'customer-book-ahead-'));

beforeAll(async () => {
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  running = await startStoreAndCloud('customer-book-ahead');
  storeId = running.hub.hub.store.getStore().id;
  // 听雨 sells packages: 下午场 from 13:00 for five hours, ¥152 on a workday.
  const rooms = (await running.hub.api('GET', '/api/rooms')).body as { id: string; name: string }[];
  roomId = rooms.find((r) => r.name === '听雨')!.id;
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  // The phone's clock is the store's: Monday 23 November 2026, 10:00.
  await page.clock.setSystemTime(running.hub.clock.now());
  screenshotFolder('customer-book-ahead');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await console_?.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = (name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

const bookingPage = () => `${running.cloud.url}/h5/stores/${storeId}/book/${roomId}`;

describe('booking ahead on the customer’s page', () => {
  it('books a package on another day, paid by the way the customer chose; the store confirms', async () => {
    const { cloud, api } = running;
    await until('the store in the catalogue', async () => {
      await cloud.refreshCatalogue();
      const r = await api('GET', `/api/stores/${storeId}`);
      return r.status === 200 && r.body.rooms?.length ? true : undefined;
    });
    // Signed in already (the sign-in itself is customer-browser.test.ts's).
    const token = await running.signIn(PHONE);
    await page.goto(`${cloud.url}/h5/`);
    await page.evaluate(`localStorage.setItem('roomhub.customer.token', ${JSON.stringify(token)})`);

    // A cloud whose channels take Alipay and UnionPay too lists them on a page outside WeChat:
    // stood in for here by answering the list, while booking goes to the real cloud, which takes
    // WeChat Pay alone and so refuses the others in words.
    await page.route(/\/api\/payment-methods\?/, (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({ surface: 'h5', methods: ['wechat', 'alipay', 'unionpay'] }),
      }),
    );
    await page.goto(bookingPage());
    await page.getByText('费用明细').waitFor();
    // Today to seven days ahead, as the store's rules allow; no further.
    await page.getByText('今天', { exact: true }).waitFor();
    await expect(page.getByText('11月30日', { exact: true }).count()).resolves.toBe(1);
    await expect(page.getByText('12月1日', { exact: true }).count()).resolves.toBe(0);
    await page.getByText('合计').waitFor();
    await shot('01-book-today');

    // A length of the customer's own, on the store's 30-minute step.
    await page.getByText('自选时长', { exact: true }).click();
    await page.locator('.adm-stepper-plus').first().click();
    await page.getByText('2小时30分钟 · 到 13:30').waitFor();
    await page.locator('table.quote').getByText('11月23日 11:00–13:30').waitFor();
    await shot('02-own-length');

    // Wednesday: the afternoon package, priced as one line at its workday price.
    await page.getByText('11月25日', { exact: true }).click();
    await page.getByText('套餐', { exact: true }).click();
    await page.getByText('13:00–18:00 · 5小时').waitFor();
    await page.getByText('下午场', { exact: true }).click();
    const quote = page.locator('table.quote');
    await quote.getByText('11月25日 13:00–18:00').waitFor();
    await quote.getByText('套餐 · 下午场').waitFor();
    expect(await quote.locator('tr.total .amount').textContent()).toBe('¥152.00');

    // More than one way offered: the customer chooses; one the cloud does not take is refused.
    await page.getByText('支付方式', { exact: true }).waitFor();
    await page.getByText('支付宝', { exact: true }).click();
    await page.getByRole('button', { name: '支付宝 ¥152.00' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor({ timeout: 60_000 });
    expect(await refusal.textContent()).toBe('这种支付方式现在用不了，请换一种方式。');
    await shot('03-package-other-day-refused-way');
    // Inside the mini-program only WeChat Pay is offered: another way is refused there as such.
    const elsewhere = await api(
      'POST',
      '/api/bookings',
      {
        storeId,
        roomId,
        start: '2026-11-26T13:00:00+08:00',
        packageId: 'afternoon',
        partySize: 2,
        method: 'alipay',
        surface: 'mini_program',
      },
      token,
    );
    expect(elsewhere.body.error).toMatchObject({ code: 'method_not_offered', field: 'method' });
    await page.getByText('微信支付', { exact: true }).click();
    await shot('04-package-wechat-chosen');
    await page.getByRole('button', { name: '微信支付 ¥152.00' }).click();

    // The store confirms; the order shows the day and the package's price.
    await page.getByText('门店已确认，到时间可以开门进房。').waitFor({ timeout: 60_000 });
    await page.getByText('2026-11-25 13:00–18:00').waitFor();
    await expect(page.getByText('¥152.00').first().isVisible()).resolves.toBe(true);
    await shot('05-order-confirmed');
    const orders = (await api('GET', '/api/orders', undefined, token)).body;
    expect(orders.orders).toHaveLength(1);
    const order = orders.orders[0];
    expect(order).toMatchObject({ storeId, roomId, status: 'paid' });
    expect(Date.parse(order.start)).toBe(Date.parse('2026-11-25T13:00:00+08:00'));
    expect(Date.parse(order.end)).toBe(Date.parse('2026-11-25T18:00:00+08:00'));
    expect(order.totals).toMatchObject({ amount: 15200, paid: 15200 });
    // The store booked the package itself, and the cloud took the money by WeChat Pay.
    const atHub = await running.hub.api(
      'GET',
      `/api/bookings/${order.bookingId}`,
      undefined,
      STAFF,
    );
    expect(atHub.status, JSON.stringify(atHub.body)).toBe(200);
    expect(atHub.body.lines).toEqual([expect.objectContaining({ kind: 'package', amount: 15200 })]);
    const paid = [...running.payments.payments.values()].filter((p) => p.amount === 15200);
    expect(paid).toHaveLength(1);
  }, 300_000);

  it('offers no way to pay the platform switched off, and says so', async () => {
    const { couch, hub, api } = running;
    await page.unroute(/\/api\/payment-methods\?/);
    // The real list where the customer is: WeChat Pay, the one way this cloud takes.
    await page.goto(bookingPage());
    await page.getByRole('button', { name: /^微信支付 ¥\d+\.\d\d$/ }).waitFor();
    await expect(page.getByText('支付方式', { exact: true }).count()).resolves.toBe(0);

    // The platform's owner switches WeChat Pay off in the system settings.
    await addPlatformStaff(couch.adminUrl, PLATFORM_OWNER, '韩平');
    const consoleSms = new MemorySmsProvider();
    console_ = await startConsole(running, consoleSms);
    const owner = await signInToConsoleApi(console_, consoleSms, PLATFORM_OWNER, hub.clock);
    const consoleApi = (method: string, path: string, body?: unknown) =>
      fetch(`${console_!.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}` },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as never }));
    const now = (await consoleApi('GET', '/api/platform/settings')).body as {
      settings: { payment: Record<string, unknown> };
    };
    const off = { ...now.settings, payment: { ...now.settings.payment, wechat: false } };
    const put = await consoleApi('PUT', '/api/platform/settings', {
      settings: off,
      reason: '微信支付通道维护',
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    // Every instance reads the settings again within half a minute.
    hub.clock.advance(31_000);
    await until('the switch read by the customers’ cloud', async () => {
      const r = await api('GET', '/api/payment-methods?surface=h5');
      return r.body.methods?.length === 0 ? true : undefined;
    });

    await page.goto(bookingPage());
    await page
      .getByTestId('no-pay-method')
      .getByText('线上支付暂时关闭了，请稍后再试，或到店预订付款。')
      .waitFor();
    const button = page.getByRole('button', { name: '暂不能线上支付' });
    await expect(button.isDisabled()).resolves.toBe(true);
    await expect(page.getByText(/微信支付/).count()).resolves.toBe(0);
    await shot('06-no-way-to-pay');
  }, 180_000);
});
