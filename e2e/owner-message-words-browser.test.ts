// The store's own message words on the owner's remote dashboard (/owner/ served by the cloud) in a
// real browser (Debian's Chromium through playwright-core), against the cloud service on an
// embedded CouchDB-compatible server provisioned as a deployment is. The owner signs in with a
// code texted to their phone, opens 消息与客服, rewrites the words of 预订成功 (the preview filled
// with the sample values as they type), saves and sees them as the store's own; a placeholder the
// kind does not have is refused, the page naming the field, the placeholder and those allowed; a
// customer's 预订成功 made afterwards reads in the store's words; 恢复默认 goes back to the default,
// and the next one reads in it again. Then the platform's penalties on the store and the deposit of
// the merchant running it, read on 平台处罚与保证金 without the platform's staff named. Every page
// the owner sees is saved as a screenshot.
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
  customerIdForPhone,
  startCloudService,
  type CloudService,
} from '@roomhub/cloud-service';
import {
  BookingRulesSchema,
  DEFAULT_BOOKING_RULES,
  REGISTRY_DB,
  STORE_PROFILE_ID,
  storeDbName,
} from '@roomhub/shared-types';
import {
  JWT_SECRET,
  cloudApi,
  provisionerOn,
  signInBySms,
  startCouch,
  urlFor,
  type CloudApi,
  addOwner,
} from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/owner-message-words');
shotOnFailure(() => page, SHOTS);
const OWNER = '13600000021';
const CUSTOMER = '13900000021';
const CUSTOMER_ID_KEY = 'e2e-owner-message-words-customer-id-key';
const STORE = 'mw-jingan';
const NAME = '静安店';
const TITLE = '预订好啦';
const BODY = '{store}的{room}给你留好了：{when}，提前 15 分钟就能开门进房。';

let couch: EmbeddedCouch;
let cloud: CloudService;
let api: CloudApi;
let sms: MemorySmsProvider;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'owner-message-words-browser-'));

/** `npm run owner -- add <phone> --store <id>` as the CouchDB admin. */
const linkOwner = (phone: string, storeId: string) => addOwner(couch.adminUrl, phone, storeId);

const shot = (name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

let made = 0;
/** A customer's 预订成功 as the cloud makes it from a booking its store confirmed; its words. */
async function confirmedMessage(customerToken: string) {
  made += 1;
  await cloud.cloud.messages.record([
    {
      key: `e2e-booking-${made}:paid`,
      kind: 'booking_confirmed',
      storeId: STORE,
      customerId: customerIdForPhone(CUSTOMER, CUSTOMER_ID_KEY),
      bookingId: `e2e-booking-${made}`,
      at: new Date().toISOString(),
      params: { store: NAME, room: '竹韵', when: '12-05 14:00–16:00' },
    },
  ]);
  const inbox = await api('GET', '/api/me/messages', undefined, customerToken);
  expect(inbox.status).toBe(200);
  const m = (inbox.body.messages as { id: string; title: string; body: string }[]).find((x) =>
    x.id.startsWith(`e2e-booking-${made}:`),
  );
  expect(m).toBeDefined();
  return { title: m!.title, body: m!.body };
}

beforeAll(async () => {
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  couch = await startCouch('owner-message-words-couch-');
  const provisioner = provisionerOn(couch);
  const cloudUser = await provisioner.cloud();
  // The store's profile, as its hub's replication writes it with the store's own user.
  const user = await provisioner.store(STORE);
  await createCouchClient(urlFor(couch.url, user.user, user.password!)).put(storeDbName(STORE), {
    _id: STORE_PROFILE_ID,
    type: 'store_profile',
    storeId: STORE,
    name: NAME,
    address: '某路 1 号',
    phone: '021-12345678',
    timeZone: 'Asia/Shanghai',
    hours: { open: '09:00', close: '23:00' },
    location: null,
    photos: [],
    rules: BookingRulesSchema.parse(DEFAULT_BOOKING_RULES),
    calendar: {},
    updatedAt: new Date().toISOString(),
  });
  sms = new MemorySmsProvider();
  cloud = await startCloudService({
    couchUrl: urlFor(couch.url, cloudUser.user, cloudUser.password!),
    jwtSecret: JWT_SECRET,
    signingKey: generateKeyPairSync('ed25519').privateKey,
    customerIdKey: CUSTOMER_ID_KEY,
    sms,
    payments: new SimulatedCloudChannel(),
    sweepMs: 0,
    log: () => {},
  });
  api = cloudApi(() => cloud.url);
  await linkOwner(OWNER, STORE);

  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  screenshotFolder('owner-message-words');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await cloud?.close();
  await couch?.close();
  delete process.env.CLOUD_PAGES_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

describe("the store's own message words on the remote dashboard", () => {
  it('rewrites one kind with a live preview, refuses a bad placeholder by field, and resets it', async () => {
    const customer = await signInBySms(api, sms, CUSTOMER);
    expect(await confirmedMessage(customer)).toEqual({
      title: '预订成功',
      body: '静安店竹韵已为你预留 12-05 14:00–16:00，开始前 15 分钟起可以开门进房。',
    });

    await page.goto(`${cloud.url}/owner/`);
    await page.getByLabel('手机号').fill(OWNER);
    await page.getByTestId('send-code').click();
    await page.getByText(`验证码已发送到 ${OWNER}`).waitFor();
    await page.getByLabel('验证码').fill(sms.lastCode(OWNER)!);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('store-switcher').waitFor();
    await page.getByRole('menuitem', { name: '消息与客服' }).click();
    await page.getByText(`${NAME} · 消息设置`).waitFor();
    await page.getByText('消息文字', { exact: true }).waitFor();
    await page.getByTestId('sms-approved').waitFor();
    const row = page.getByTestId('message-template').filter({ hasText: '预订成功' }).first();
    await row.getByText('默认文字').waitFor();
    expect(await row.getByTestId('template-preview').textContent()).toBe(
      '预览: 预订成功 · 茶隐竹韵已为你预留 11-23 14:00-16:00，开始前 15 分钟起可以开门进房。',
    );
    await row.scrollIntoViewIfNeeded();
    await shot('01-words-default');

    // The owner's words, the preview following as they type.
    await row.getByRole('button', { name: '修改' }).click();
    const form = page.getByTestId('message-template').filter({ has: page.getByLabel('正文') });
    await form.getByLabel('标题').fill(TITLE);
    await form.getByLabel('正文').fill(BODY);
    const livePreview =
      '预览: 预订好啦 · 茶隐的竹韵给你留好了：11-23 14:00-16:00，提前 15 分钟就能开门进房。';
    await form.getByText(livePreview).waitFor();
    await form.getByText('可用占位符：{store} {room} {when}').waitFor();
    await shot('02-words-editing');
    await form.getByRole('button', { name: '保存文字' }).click();
    await page.getByText('已保存，之后的消息用新文字').waitFor();
    await row.getByText('本店文字').waitFor();
    await expect.poll(() => row.getByTestId('template-preview').textContent()).toBe(livePreview);
    await shot('03-words-saved');

    // A placeholder this kind does not have: refused, the page naming the field and the rule.
    await row.getByRole('button', { name: '修改' }).click();
    await form.getByLabel('正文').fill('{store}送你一张{coupon}');
    await form.getByRole('button', { name: '保存文字' }).click();
    const refusal = '正文里的 {coupon} 不是这类消息能用的占位符，只能用：{store} {room} {when}';
    await form.getByText(refusal).waitFor();
    await shot('04-bad-placeholder');
    await form.getByRole('button', { name: '取消' }).click();
    await row.getByText('本店文字').waitFor();

    // The store's customers hear in the store's words from now on.
    expect(await confirmedMessage(customer)).toEqual({
      title: TITLE,
      body: '静安店的竹韵给你留好了：12-05 14:00–16:00，提前 15 分钟就能开门进房。',
    });

    // 恢复默认, confirmed: the default again, on the page, in the cloud and in the next message.
    await row.getByRole('button', { name: '恢复默认' }).click();
    await page.getByText('恢复成默认文字吗？已经发出的消息不会变。').waitFor();
    await shot('05-reset-confirm');
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await page.getByText('已恢复默认文字').waitFor();
    await row.getByText('默认文字').waitFor();
    expect(await row.getByRole('button', { name: '恢复默认' }).count()).toBe(0);
    await shot('06-words-reset');
    const token = (
      JSON.parse(
        (await page.evaluate<string | null>("sessionStorage.getItem('roomhub.owner.remote')")) ??
          '{}',
      ) as { token?: string }
    ).token;
    const read = await api('GET', `/api/owner/stores/${STORE}/message-templates`, undefined, token);
    expect(
      (read.body.templates as { kind: string; own: boolean; title: string }[]).find(
        (v) => v.kind === 'booking_confirmed',
      ),
    ).toMatchObject({ own: false, title: '预订成功' });
    expect((await confirmedMessage(customer)).title).toBe('预订成功');
  }, 180_000);
});

describe("the platform's penalties and the deposit on the remote dashboard", () => {
  it('shows the store’s penalties and the merchant’s deposit, without the platform’s staff', async () => {
    // The platform's decisions about the merchant running the store, as its console writes them.
    const registry = createCouchClient(couch.adminUrl);
    const MERCHANT = '13800009901';
    const STAFF_PHONE = '13900009901';
    const at = (hhmm: string) => `2026-11-20T${hhmm}:00.000Z`;
    await registry.put(REGISTRY_DB, {
      _id: `merchant:${MERCHANT}`,
      type: 'merchant',
      phone: MERCHANT,
      name: '静安茶业',
      contactPhone: MERCHANT,
      storeIds: [STORE],
      applicationIds: [],
      approvedAt: at('01:00'),
    });
    const penalty = (id: string, kind: string, reason: string, lifted: boolean) => ({
      _id: `penalty:${id}`,
      type: 'platform_penalty',
      penaltyId: id,
      merchantPhone: MERCHANT,
      kind,
      storeIds: [STORE],
      storeId: STORE,
      reason,
      from: at('02:00'),
      until: null,
      by: STAFF_PHONE,
      at: at('02:00'),
      lifted: lifted ? { at: at('03:00'), by: STAFF_PHONE, reason: '已整改' } : null,
    });
    await registry.put(REGISTRY_DB, penalty('pwarn0001', 'warning', '投诉未及时处理', false));
    await registry.put(REGISTRY_DB, penalty('phide0001', 'hidden', '虚假宣传', true));
    const entry = (n: number, kind: string, amount: number, extra: object) => ({
      _id: `deposit:${MERCHANT}:${String(n).padStart(8, '0')}`,
      type: 'platform_deposit_entry',
      merchantPhone: MERCHANT,
      entryId: String(n).padStart(8, '0'),
      kind,
      amount,
      reference: null,
      reason: null,
      storeId: null,
      fineEntryId: null,
      by: STAFF_PHONE,
      at: at(`0${n + 3}:00`),
      ...extra,
    });
    await registry.put(REGISTRY_DB, entry(1, 'paid_in', 300_000, { reference: 'ICBC-0001' }));
    await registry.put(
      REGISTRY_DB,
      entry(2, 'fine', 50_000, { reason: '虚假宣传罚款', storeId: STORE }),
    );

    await page.getByRole('menuitem', { name: '平台处罚与保证金' }).click();
    const card = page.getByTestId(`standing-${STORE}`);
    await card.getByText('投诉未及时处理').waitFor();
    await card.getByText('生效中').waitFor();
    await card.getByText('已解除').waitFor();
    await card.getByText('解除原因：已整改').waitFor();
    await card.getByText('限制曝光').waitFor();
    await expect
      .poll(() => card.getByTestId('deposit-balance').textContent())
      .toContain('¥2500.00');
    await card.getByText('-¥500.00').waitFor();
    await card.getByText('虚假宣传罚款').waitFor();
    await card.getByText('ICBC-0001').waitFor();
    expect(await card.textContent()).not.toContain(STAFF_PHONE);
    await shot('07-standing');
  }, 120_000);
});
