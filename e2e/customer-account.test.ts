// The customer's own account in a real browser (Debian's Chromium through playwright-core, a
// phone's screen) against a store's hub, an embedded CouchDB and the cloud service: the store shows
// in the owner's colour with its logo, with a week of its rooms' slots beside today's timeline; the
// customer fills in their profile and preferences and sees them saved, reads "my data", is told
// they cannot delete the account while their wallet holds money and a booking is to come, and,
// once the store has refunded the wallet and cancelled the booking, deletes it: the page says so,
// and the store's hub no longer holds their phone on its bookings or members, its ledger unchanged.
// Every page is saved as a screenshot (the folder is printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { at, STAFF, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud } from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/customer-account');
shotOnFailure(() => page, SHOTS);
const PHONE = '13800005678';
const THEME = '#1f6f8b';
// A small round logo, in the store's colour.
const LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" r="30" fill="#1f6f8b"/><text x="32" y="42" font-size="28" text-anchor="middle" fill="#fff">茶</text></svg>',
)}`;

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'customer-account-'));

beforeAll(async () => {
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  running = await startStoreAndCloud('customer-account');
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    permissions: ['geolocation'],
    geolocation: { latitude: 31.232, longitude: 121.47 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await page.clock.setSystemTime(running.hub.clock.now());
  screenshotFolder('customer-account');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = (name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** What a computed style gives, without the DOM's types (the e2e folder has none). */
interface CSSLike {
  getPropertyValue(name: string): string;
}

const count = (sql: string, ...args: unknown[]) =>
  running.hub.hub.db
    .prepare(sql)
    .pluck()
    .get(...args) as number;

describe('the customer’s account', () => {
  it('shows the store in its colour, keeps the profile, shows my data, and deletes the account only once no money is held', async () => {
    const { hub, cloud, api, sms } = running;
    const storeId = hub.hub.store.getStore().id;

    // The owner's colour and logo: a colour that is not one is refused by name.
    const bad = await hub.api('PATCH', '/api/store', { theme: 'blue' }, STAFF);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('theme');
    const set = await hub.api('PATCH', '/api/store', { theme: THEME, logoUrl: LOGO }, STAFF);
    expect(set.status).toBe(200);
    await until('the store’s colour published', async () => {
      const r = await api('GET', `/api/stores/${storeId}`);
      return r.body.store?.theme === THEME ? true : undefined;
    });
    await until('the store in the catalogue', async () => {
      await cloud.refreshCatalogue();
      const r = await api('GET', '/api/stores?lat=31.23&lng=121.47');
      return r.body.stores?.length ? true : undefined;
    });

    // The customer has a booking to come and money in their wallet at the store.
    const [room] = (await hub.api('GET', '/api/rooms')).body as { id: string; name: string }[];
    const booking = await hub.api('POST', '/api/bookings', {
      roomId: room!.id,
      start: at('16:00'),
      end: at('17:00'),
      partySize: 2,
      customer: { phone: PHONE, name: '王小明' },
    });
    expect(booking.status).toBe(201);
    const topUp = await hub.api(
      'POST',
      '/api/wallet/top-ups',
      { phone: PHONE, amount: 5000, method: 'cash' },
      STAFF,
    );
    expect(topUp.status).toBe(201);

    // The store's page in the owner's colour and logo, a week of the room's slots.
    await page.goto(`${cloud.url}/h5/stores/${storeId}`);
    await page.locator('img.store-logo').waitFor();
    await page.getByText('本周时段').first().waitFor();
    const colour = await page
      .locator('section.store-page')
      .evaluate((el) =>
        (globalThis as unknown as { getComputedStyle(e: unknown): CSSLike })
          .getComputedStyle(el)
          .getPropertyValue('--adm-color-primary')
          .trim(),
      );
    expect(colour).toBe(THEME);
    await until('the kiosk’s hour in the week', async () =>
      (await page.locator('td.slot.booked').count()) > 0 ? true : undefined,
    );
    await shot('01-store-theme-and-week');

    // Signed in, the profile and preferences are saved and read back.
    const token = await running.signIn(PHONE);
    expect(sms.lastCode(PHONE)).toBeTruthy();
    await page.evaluate(`localStorage.setItem('roomhub.customer.token', ${JSON.stringify(token)})`);
    await page.goto(`${cloud.url}/h5/me`);
    await page.getByText('点这里填写资料和偏好').waitFor();
    await shot('02-me');
    await page.getByText('点这里填写资料和偏好').click();
    await page.getByRole('button', { name: '保存' }).waitFor();
    const field = (label: string) =>
      page.locator('label').filter({ hasText: label }).locator('input, textarea').first();
    await field('名字').fill('王小明');
    await page.getByText('男', { exact: true }).click();
    await field('生日').fill('1990-05-04');
    await field('头像图片地址').fill('ftp://bad');
    await field('个性签名').fill('喝茶打牌');
    await field('喜欢的茶').fill('龙井，普洱');
    await field('常去的区域').fill('黄浦');
    await page.getByText('茶室', { exact: true }).click();
    await page.getByRole('button', { name: '保存' }).click();
    // a wrong avatar address is refused in one sentence naming it
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('头像要填 http 或 https 开头的图片地址。');
    await shot('03-profile-refused');
    await field('头像图片地址').fill('');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').waitFor();
    const saved = (await api('GET', '/api/me/profile', undefined, token)).body;
    expect(saved).toMatchObject({
      name: '王小明',
      gender: 'male',
      birthday: '1990-05-04',
      signature: '喝茶打牌',
      preferences: { teas: ['龙井', '普洱'], areas: ['黄浦'], styles: ['tea'] },
    });
    await shot('04-profile-saved');

    // My data: what the platform holds, and the file to download.
    await until('the store’s booking and membership followed', async () => {
      await cloud.cloud.follower.followNow();
      const d = (await api('GET', '/api/me/data', undefined, token)).body;
      return d.orders?.orders?.length === 1 && d.memberships?.length === 1 ? true : undefined;
    });
    await page.goto(`${cloud.url}/h5/me/data`);
    await page.getByTestId('my-data').waitFor();
    await expect(page.getByText(PHONE).isVisible()).resolves.toBe(true);
    await expect(page.getByText('¥50.00').isVisible()).resolves.toBe(true);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载全部数据（JSON 文件）' }).click();
    expect((await download).suggestedFilename()).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.json$/);
    await shot('05-my-data');

    // Recommended on the home page: the room they booked, at the hour they booked it.
    await page.goto(`${cloud.url}/h5/`);
    await page.getByText('为你推荐').waitFor();
    await page.getByText('你订过').first().waitFor();
    await page.getByRole('button', { name: '筛选' }).click();
    await page.getByText('4 人以上').click();
    await page.getByText('10 公里内').click();
    await page.getByText(hub.hub.store.getStore().name).first().waitFor();
    await shot('06-home-recommended-filters');

    // Deleting is refused while the wallet holds money and the booking is to come.
    await page.goto(`${cloud.url}/h5/me/delete`);
    await page.getByText('现在还不能注销，请先处理下面的事：').waitFor();
    await page.getByText(/的钱包还有 ¥50\.00，请先用完或找门店退款。/).waitFor();
    await expect(page.getByText(storeId).count()).resolves.toBe(0);
    await page.getByText(/还有一个没结束的预订/).waitFor();
    await expect(page.getByRole('button', { name: '注销账号' }).count()).resolves.toBe(0);
    await shot('07-delete-refused');
    const refused = await api('POST', '/api/me/deletion', { confirm: '注销' }, token);
    expect(refused.status).toBe(409);

    // The store gives the money back and cancels the booking; then the account can go.
    expect(
      (await hub.api('POST', `/api/wallets/${PHONE}/refund`, { reason: '注销账号' }, STAFF)).status,
    ).toBe(200);
    expect(
      (
        await hub.api(
          'POST',
          `/api/bookings/${booking.body.id}/cancel`,
          { reason: '顾客注销账号' },
          STAFF,
        )
      ).status,
    ).toBe(200);
    const ledgerBefore = count('SELECT COALESCE(SUM(amount), 0) FROM ledger');
    await until('the store’s refund and cancellation followed', async () => {
      await cloud.cloud.follower.followNow();
      const c = (await api('GET', '/api/me/deletion', undefined, token)).body;
      return c.allowed ? true : undefined;
    });
    await page.reload();
    await page.getByText('确认注销，请输入“注销”两个字').waitFor();
    await page.getByRole('textbox', { name: 'confirm' }).fill('注销');
    await shot('08-delete-confirm');
    await page.getByRole('button', { name: '注销账号' }).click();
    await page.getByText(/账号已注销，已通知 1 家门店删除你的手机号和名字。/).waitFor();
    await shot('09-deleted');
    expect(await page.evaluate("localStorage.getItem('roomhub.customer.token')")).toBeNull();

    // The store erased the phone and name on its bookings and members, its ledger unchanged.
    await until('the store erased the customer', async () =>
      count('SELECT COUNT(*) FROM bookings WHERE customer_phone = ?', PHONE) === 0
        ? true
        : undefined,
    );
    expect(count('SELECT COUNT(*) FROM members WHERE phone = ?', PHONE)).toBe(0);
    expect(count("SELECT COUNT(*) FROM bookings WHERE customer_name = '王小明'")).toBe(0);
    expect(count('SELECT COALESCE(SUM(amount), 0) FROM ledger')).toBe(ledgerBefore);
    expect(count("SELECT COUNT(*) FROM audit_log WHERE action = 'customer.erase'")).toBe(1);
  }, 300_000);
});
