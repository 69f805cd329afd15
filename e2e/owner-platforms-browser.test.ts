// The owner links a store's Meituan shop from the remote dashboard (/owner/ served by the cloud) in
// a real browser (Debian's Chromium through playwright-core): the cloud service on an embedded
// CouchDB-compatible server provisioned as a deployment is, Meituan's and Douyin's local
// simulators in place of the platforms. The owner runs two stores and picks one; 去授权 sends the
// browser to the simulator's authorise page, the owner picks the shop there, and the platform sends
// the browser back through the cloud to 平台账号, which shows the shop linked; 解除绑定 with its
// confirmation withdraws it. A link that did not come from the dashboard is refused in plain words.
// A third store, another owner's and linked on both platforms, is never offered, and the cloud
// refuses this owner its shops. Every page the owner sees is saved as a screenshot.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { EmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  createCouchClient,
  startCloudService,
  startDouyinSimulator,
  startMeituanSimulator,
  type CloudService,
  type DouyinSimulator,
  type MeituanSimulator,
} from '@roomhub/cloud-service';
import {
  BookingRulesSchema,
  DEFAULT_BOOKING_RULES,
  STORE_PROFILE_ID,
  storeDbName,
} from '@roomhub/shared-types';
import {
  JWT_SECRET,
  cloudApi,
  linkPlatforms,
  platformsOf,
  provisionerOn,
  startCouch,
  urlFor,
  type CloudApi,
  addOwner,
} from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/owner-platforms');
shotOnFailure(() => page, SHOTS);
const MEITUAN = { developerId: '108803', signKey: 'e2e-owner-platforms-meituan-key' };
const DOUYIN = { clientKey: 'awownerplatforms', clientSecret: 'e2e-owner-platforms-douyin' };
const OWNER = '13600000011';
const OTHER_OWNER = '13600000012';
const STORES = { 'op-jingan': '静安店', 'op-xuhui': '徐汇店' } as const;
const XUHUI = 'op-xuhui';
const OTHER_STORE = 'zz-op-other';
const OTHER_NAME = '别人的茶室';

let couch: EmbeddedCouch;
let cloud: CloudService;
let mt: MeituanSimulator;
let dy: DouyinSimulator;
let api: CloudApi;
let sms: MemorySmsProvider;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'owner-platforms-browser-'));

/** `npm run owner -- add <phone> --store <id>` as the CouchDB admin. */
const linkOwner = (phone: string, storeIds: string[]) =>
  addOwner(couch.adminUrl, phone, ...storeIds);

const shot = (name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

beforeAll(async () => {
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  couch = await startCouch('owner-platforms-couch-');
  const provisioner = provisionerOn(couch);
  const cloudUser = await provisioner.cloud();
  // Each store's profile, as its hub's replication writes it with the store's own user.
  for (const [storeId, name] of [...Object.entries(STORES), [OTHER_STORE, OTHER_NAME]]) {
    const user = await provisioner.store(storeId!);
    await createCouchClient(urlFor(couch.url, user.user, user.password!)).put(
      storeDbName(storeId!),
      {
        _id: STORE_PROFILE_ID,
        type: 'store_profile',
        storeId,
        name,
        address: '某路 1 号',
        phone: '021-12345678',
        timeZone: 'Asia/Shanghai',
        hours: { open: '09:00', close: '23:00' },
        location: null,
        photos: [],
        rules: BookingRulesSchema.parse(DEFAULT_BOOKING_RULES),
        calendar: {},
        updatedAt: new Date().toISOString(),
      },
    );
  }
  mt = await startMeituanSimulator(MEITUAN);
  dy = await startDouyinSimulator(DOUYIN);
  sms = new MemorySmsProvider();
  cloud = await startCloudService({
    couchUrl: urlFor(couch.url, cloudUser.user, cloudUser.password!),
    jwtSecret: JWT_SECRET,
    signingKey: generateKeyPairSync('ed25519').privateKey,
    customerIdKey: 'e2e-owner-platforms-customer-id-key',
    sms,
    payments: new SimulatedCloudChannel(),
    sweepMs: 0,
    log: () => {},
    voucherPlatforms: platformsOf(mt, dy, MEITUAN, DOUYIN),
  });
  api = cloudApi(() => cloud.url);
  await linkOwner(OWNER, Object.keys(STORES));
  await linkOwner(OTHER_OWNER, [OTHER_STORE]);
  // The other owner's store has both its shops linked: none of it may reach this owner.
  await linkPlatforms(cloud, OTHER_STORE, mt, dy);

  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  screenshotFolder('owner-platforms');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await cloud?.close();
  await mt?.close();
  await dy?.close();
  await couch?.close();
  delete process.env.CLOUD_PAGES_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

/** The owner's token, as the dashboard keeps it for the tab. */
const ownerToken = async () =>
  (
    JSON.parse(
      (await page.evaluate<string | null>("sessionStorage.getItem('roomhub.owner.remote')")) ??
        '{}',
    ) as { token?: string }
  ).token ?? '';

describe("the owner's platform accounts on the remote dashboard", () => {
  it('links the Meituan shop through its authorise page, sees it linked, and withdraws it', async () => {
    await page.goto(`${cloud.url}/owner/`);
    await page.getByLabel('手机号').fill(OWNER);
    await page.getByTestId('send-code').click();
    await page.getByText(`验证码已发送到 ${OWNER}`).waitFor();
    await page.getByLabel('验证码').fill(sms.lastCode(OWNER)!);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('store-switcher').waitFor();

    // All stores: a card for each, nothing linked yet.
    await page.getByRole('menuitem', { name: '平台账号' }).click();
    for (const [id, name] of Object.entries(STORES)) {
      const card = page.getByTestId(`platforms-${id}`);
      await card.getByText(`${name} · 平台账号`).waitFor();
      await card.getByText('还没有绑定美团或抖音店铺').waitFor();
      expect(await card.getByText('未绑定').count()).toBe(2);
    }
    await shot('01-nothing-linked');

    // The owner picks 徐汇店; the other owner's store is not offered.
    await page.getByTestId('store-switcher').click();
    await page.getByTitle('徐汇店').waitFor();
    const options = await page.locator('.ant-select-item-option').allInnerTexts();
    expect(options).toEqual(['全部门店', '静安店', '徐汇店']);
    await page.getByTitle('徐汇店').click();
    await expect.poll(() => page.getByTestId('platforms-op-jingan').count()).toBe(0);
    const card = page.getByTestId(`platforms-${XUHUI}`);
    const meituan = card.getByTestId('platform-meituan');

    // 去授权: the platform's own page, where the owner picks the store's shop.
    await meituan.getByRole('button', { name: '去授权' }).click();
    await page.getByText('授权第三方应用验券').waitFor();
    expect(page.url().startsWith(mt.url)).toBe(true);
    await shot('02-meituan-authorise-page');
    await page.getByRole('link', { name: `${mt.demo.shopName}（${mt.demo.shopId}）授权` }).click();

    // Back through the cloud on 平台账号, the store still picked and its shop linked.
    await page.waitForURL(`${cloud.url}/owner/platforms?store=${XUHUI}&linked=meituan`);
    await page.getByTestId('platforms-return').getByText('美团店铺已绑定。').waitFor();
    const linkedRow = page.getByTestId(`platforms-${XUHUI}`).getByTestId('platform-meituan');
    await linkedRow.getByText('已绑定').waitFor();
    await linkedRow.getByText(`${mt.demo.shopName}（${mt.demo.shopId}）`).waitFor();
    expect(await linkedRow.textContent()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await linkedRow.getByRole('button', { name: '重新授权' }).waitFor();
    expect(
      await page.getByTestId(`platforms-${XUHUI}`).getByText('还没有绑定美团或抖音店铺').count(),
    ).toBe(0);
    await expect.poll(() => page.getByTestId('store-switcher').textContent()).toContain('徐汇店');
    await shot('03-meituan-linked');

    // The cloud holds the grant, and shows the owner no token.
    const token = await ownerToken();
    const listed = await api('GET', `/api/owner/stores/${XUHUI}/platforms`, undefined, token);
    expect(listed.body).toEqual([
      expect.objectContaining({ storeId: XUHUI, platform: 'meituan', shopId: mt.demo.shopId }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain('accessToken');
    expect(
      (await api('GET', '/api/owner/stores/op-jingan/platforms', undefined, token)).body,
    ).toEqual([]);

    // 解除绑定, confirmed: gone from the page and from the cloud.
    await linkedRow.getByRole('button', { name: '解除绑定' }).click();
    await page.getByText(`解除本店与美团店铺“${mt.demo.shopName}”的绑定？`).waitFor();
    await shot('04-unlink-confirm');
    await page.locator('.ant-popconfirm').getByRole('button', { name: '解除' }).click();
    await page.getByText('已解除与美团店铺的绑定。').waitFor();
    await linkedRow.getByText('未绑定').waitFor();
    await page.getByTestId(`platforms-${XUHUI}`).getByText('还没有绑定美团或抖音店铺').waitFor();
    await shot('05-meituan-unlinked');
    expect(
      (await api('GET', `/api/owner/stores/${XUHUI}/platforms`, undefined, token)).body,
    ).toEqual([]);

    // Never the other owner's store: not on any page, and the cloud refuses its shops.
    expect(await page.content()).not.toContain(OTHER_NAME);
    expect(await page.content()).not.toContain(OTHER_STORE);
    for (const [method, path] of [
      ['GET', `/api/owner/stores/${OTHER_STORE}/platforms`],
      ['POST', `/api/owner/stores/${OTHER_STORE}/platforms/meituan/authorise`],
      ['DELETE', `/api/owner/stores/${OTHER_STORE}/platforms/meituan`],
    ] as const) {
      const r = await api(method, path, undefined, token);
      expect([r.status, r.body.error.code], `${method} ${path}`).toEqual([403, 'not_your_store']);
    }
    const theirs = await cloud.cloud.tokens.owner({
      username: 'e2e-other-owner',
      storeIds: [OTHER_STORE],
    });
    const still = await api('GET', `/api/owner/stores/${OTHER_STORE}/platforms`, undefined, theirs);
    expect(still.body.map((l: { platform: string }) => l.platform).sort()).toEqual([
      'douyin',
      'meituan',
    ]);
  }, 180_000);

  it('says in plain words when the link back did not come from the dashboard, in both languages', async () => {
    await page.goto(`${cloud.url}/api/platform-auth/meituan/callback?code=abc&state=forged.state`);
    await page.waitForURL(
      /\/owner\/platforms\?platform=meituan&refused=authorisation_link_expired$/,
    );
    await page
      .getByTestId('platforms-return')
      .getByText('授权链接已失效或不是本后台发出的，请在这里重新点“去授权”。')
      .waitFor();
    await shot('06-link-refused');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('menuitem', { name: 'Platform accounts' }).waitFor();
    await page
      .getByTestId('platforms-return')
      .getByText('That authorisation link has run out or did not come from this dashboard')
      .waitFor();
    await page.getByText('徐汇店 · Platform accounts').waitFor();
    await page.getByText('No Meituan or Douyin shop is linked yet.').first().waitFor();
    await shot('07-english');
  }, 60_000);
});
