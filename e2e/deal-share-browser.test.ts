// Sharing a deal with a friend (C12), in a real browser (Debian's Chromium through playwright-core,
// a phone's screen, 375 x 812) against a store's hub, an embedded CouchDB and the cloud service:
// the store runs a referral campaign and has a deal on sale. The sharer signs in, taps 分享给好友
// on the deal and gets the share card (the deal, its price against the usual one, the store, the
// link as a QR code) and copies the link; inside the mini-program's web-view the card is handed to
// the mini-program (wx.miniProgram.postMessage) for its onShareAppMessage. The friend opens the
// link on another phone (its page carries the link preview's tags), signs in on the way to buying
// and buys: the store gives the friend the referral coupon and, the voucher being their first
// payment there, the sharer theirs. Every step is saved as a screenshot (the folder is printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { at, STAFF, until } from '@roomhub/hub-app/testing';
import { putDealOnSale, startStoreAndCloud, untilDealInCloud } from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/deal-share');
const SHARER = '13800006601';
const FRIEND = '13800006602';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
const browsers: BrowserContext[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'deal-share-browser-'));

const phone = async (name: string): Promise<Page> => {
  const browser = await openBrowser(join(scratch, name), {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  browsers.push(browser);
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.clock.setSystemTime(running.hub.clock.now());
  return page;
};

beforeAll(async () => {
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  running = await startStoreAndCloud('deal-share');
  screenshotFolder('deal-share');
}, 180_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** Signs in on the sign-in page the H5 is at, as a customer does: consent, the texted code. */
async function signInHere(page: Page, number: string): Promise<void> {
  await page.getByRole('textbox', { name: '手机号' }).fill(number);
  await page.getByText('我已阅读并同意《隐私说明》').click();
  await page.getByRole('button', { name: '获取验证码' }).click();
  const code = await until(
    'the code texted',
    async () => running.sms.lastCode(number) ?? undefined,
  );
  await page.getByRole('textbox', { name: '验证码' }).fill(code);
  await page.getByRole('button', { name: '登录' }).click();
}

const couponsOf = async (number: string): Promise<{ name: string }[]> =>
  (await running.hub.api('GET', `/api/coupons?phone=${number}`, undefined, STAFF)).body as {
    name: string;
  }[];

describe('sharing a deal with a friend', () => {
  it('shows the share card, hands it to the mini-program, and rewards both once the friend buys', async () => {
    const { hub, cloud, api } = running;
    const storeId = hub.hub.store.getStore().id;
    const today = at('00:00').slice(0, 10);

    // The store runs 老带新 and has a deal on sale; the cloud learns the deal.
    const campaign = await hub.api(
      'POST',
      '/api/campaigns',
      {
        name: '老带新',
        kind: 'referral',
        couponName: '邀请有礼 减10元',
        coupon: { rule: { kind: 'amount', amountOff: 1000 } },
        claimFrom: today,
        claimTo: at('00:00', 30).slice(0, 10),
        useDays: 30,
        perPerson: 5,
      },
      STAFF,
    );
    expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
    const dealId = await putDealOnSale(hub);
    await untilDealInCloud(cloud, api, storeId, dealId);
    const storeName = ((await api('GET', `/api/stores/${storeId}`)).body.store as { name: string })
      .name;

    // The sharer signs in and opens the store's deals: 分享给好友 is on the deal.
    const sharer = await phone('sharer');
    await sharer.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: cloud.url,
    });
    await sharer.goto(
      `${cloud.url}/h5/sign-in?next=${encodeURIComponent(`/stores/${storeId}/deals`)}`,
    );
    await signInHere(sharer, SHARER);
    await sharer.getByText('任意包间 2 小时').waitFor({ timeout: 60_000 });
    await sharer.getByRole('button', { name: '分享给好友' }).click();
    const card = sharer.getByRole('dialog', { name: '分享团购' });
    await card.waitFor();
    await expect(card.getByText(storeName).isVisible()).resolves.toBe(true);
    await expect(card.getByText('原价 ¥96.00').isVisible()).resolves.toBe(true);
    await expect(card.locator('.price').textContent()).resolves.toContain('¥68.00');
    const link = (await card.getByTestId('share-link').textContent())!;
    expect(link).toMatch(
      new RegExp(`^${cloud.url}/h5/stores/${storeId}/deals/${dealId}\\?share=[A-Za-z0-9]{12}$`),
    );
    await expect(card.locator('img.qr').getAttribute('data-qr')).resolves.toBe(link);
    await card.getByRole('button', { name: '复制链接' }).click();
    await card.getByText('链接已复制，粘贴到微信发给好友吧。').waitFor();
    await expect(sharer.evaluate('navigator.clipboard.readText()')).resolves.toBe(link);
    await shot(sharer, '01-share-card');
    // Shared again, the link is the same.
    await card.getByRole('button', { name: '关闭' }).click();
    await sharer.reload();
    await sharer.getByRole('button', { name: '分享给好友' }).click();
    await expect(
      sharer.getByRole('dialog', { name: '分享团购' }).getByTestId('share-link').textContent(),
    ).resolves.toBe(link);

    // Inside the mini-program's web-view: the card goes to the mini-program for its share menu.
    const inWechat = await sharer.context().newPage();
    await inWechat.addInitScript(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      const posted: unknown[] = [];
      w.__posted = posted;
      w.__wxjs_environment = 'miniprogram';
      w.wx = {
        miniProgram: { postMessage: (m: unknown) => posted.push(m), navigateTo: () => {} },
      };
    });
    await inWechat.goto(`${cloud.url}/h5/stores/${storeId}/deals`);
    await inWechat.getByRole('button', { name: '分享给好友' }).click();
    await inWechat.getByText('点右上角「···」转发给朋友或群聊，对方打开的就是这个团购。').waitFor();
    const code = new URL(link).searchParams.get('share')!;
    await expect(inWechat.evaluate('window.__posted')).resolves.toEqual([
      {
        data: {
          share: {
            title: '任意包间 2 小时 ¥68.00',
            path: `/pages/web/web?url=${encodeURIComponent(new URL(link).pathname + new URL(link).search)}`,
            imageUrl: `${cloud.url}/api/deals/${dealId}/share-qr.png?share=${code}`,
          },
        },
      },
    ]);
    await shot(inWechat, '02-in-mini-program');
    await inWechat.close();

    // The link's page carries the preview a chat shows.
    const html = await (await fetch(link)).text();
    expect(html).toContain('<meta property="og:title" content="任意包间 2 小时" />');
    expect(html).toContain('团购价 ¥68.00（原价 ¥96.00）');

    // The friend opens the link on their phone, signs in on the way to buying, and buys.
    const friend = await phone('friend');
    await friend.goto(link);
    await friend.getByText('任意包间 2 小时').waitFor({ timeout: 60_000 });
    await expect(friend.getByRole('button', { name: '分享给好友' }).count()).resolves.toBe(0);
    await shot(friend, '03-friend-opens-link');
    await friend.getByRole('button', { name: '微信支付 ¥68.00' }).click();
    await signInHere(friend, FRIEND);
    await friend.getByRole('button', { name: '微信支付 ¥68.00' }).click();
    await friend.getByText('购买成功，券已放进「我的券」。').waitFor({ timeout: 60_000 });
    await shot(friend, '04-friend-bought');

    // The store: the friend's referral coupon, and the sharer's once the voucher arrived.
    const given = await until(
      'both referral coupons',
      async () => {
        const [f, s] = [await couponsOf(FRIEND), await couponsOf(SHARER)];
        return f.length === 1 && s.length === 1 ? { f, s } : undefined;
      },
      60_000,
    );
    expect(given.f.map((c) => c.name)).toEqual(['邀请有礼 减10元']);
    expect(given.s.map((c) => c.name)).toEqual(['邀请有礼 减10元']);
  }, 300_000);
});
