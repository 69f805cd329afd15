// The platform console in Chromium, against a real store hub and the cloud: the store's hub
// publishes its rooms, the customer-facing cloud instance (the cloud user only) answers the
// customers, and a second instance holding the platform's credential serves the console. The
// first platform owner is made by the admin's command line, signs in with a texted code and
// enrols an authenticator from the QR code; turns review before showing on, and from then an
// unreviewed room never reaches a customer's store page until a reviewer approves it, and the
// store's owner sees at the store which room was approved with the reviewer's notes; freezes a
// customer; handles a customer's complaint about their order (filed on the phone, stepped into as
// 平台客服 and closed with an outcome the phone then shows). Screenshots are saved at each step for
// a person to look at.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { MemorySmsProvider, type CloudService } from '@roomhub/cloud-service';
import { CloudReviews } from '@roomhub/cloud-sync';
import { OWNER_PIN, STAFF, at, until } from '@roomhub/hub-app/testing';
import { addPlatformStaff, startConsole, startStoreAndCloud } from './fixtures';
import {
  builtScreens,
  openBrowser,
  pickOption,
  screenshotFolder,
  signInToConsole,
} from './browser';

const OWNER = '13900005001';
const CUSTOMER = '13800005002';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let console_: CloudService;
let consoleSms: MemorySmsProvider;
let browser: BrowserContext;
let page: Page;
let storeId: string;
let shots: string;
const scratch = mkdtempSync(join(tmpdir(), 'platform-browser-'));

const shot = (name: string) =>
  page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

/** The room names a customer's store page shows, from the customers' cloud instance. */
async function customerRooms(): Promise<string[]> {
  const r = await running.api('GET', `/api/stores/${storeId}`);
  return r.status === 200 ? r.body.rooms.map((x: { name: string }) => x.name) : [];
}

beforeAll(async () => {
  const screens = await builtScreens();
  process.env.CLOUD_PAGES_DIR = screens;
  process.env.HUB_SCREENS_DIR = screens;
  running = await startStoreAndCloud('platform-browser');
  // The hub reads its review states from the cloud with its own credential, as npm start links it.
  running.hub.hub.setReviews(
    new CloudReviews({
      cloudUrl: running.cloud.url,
      username: running.hubUser.user,
      password: running.hubUser.password!,
    }),
  );
  storeId = running.hub.hub.store.getStore().id;
  // The admin makes the first platform owner, as `npm run platform -- add` does.
  await addPlatformStaff(running.couch.adminUrl, OWNER, '陈平');
  consoleSms = new MemorySmsProvider();
  console_ = await startConsole(running, consoleSms);
  browser = await openBrowser(join(scratch, 'profile'), { viewport: { width: 1280, height: 860 } });
  page = browser.pages()[0] ?? (await browser.newPage());
  // A script error on the console is printed, so a blank page says why.
  page.on('pageerror', (e) => console.error(`platform page error: ${e.message}`));
  shots = screenshotFolder('platform');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await console_?.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

describe('the platform console', () => {
  it('signs the first platform owner in with a texted code and an authenticator enrolled from a QR code', async () => {
    await signInToConsole(
      page,
      { url: console_.url, sms: consoleSms, clock: running.hub.clock },
      OWNER,
      '陈平（平台负责人）',
      (step) => shot(step === 'code' ? '01-sign-in' : '02-enrol-authenticator'),
    );
    await page.getByRole('menuitem', { name: '商户入驻' }).click();
    await page.getByRole('heading', { name: '商户入驻申请' }).waitFor();
    await shot('03-merchants');
  }, 60_000);

  it('keeps an unreviewed room off the customer pages until a reviewer approves it', async () => {
    // The hub published its rooms; the customers' instance shows them while the gate is off.
    await running.cloud.sweepNow();
    const all = await customerRooms();
    expect(all.length).toBeGreaterThan(1);

    await page.getByRole('menuitem', { name: '内容审核' }).click();
    await page.getByTestId('gate-state').getByText('先审后发未开启').waitFor();
    await page.getByTestId('gate-switch').click();
    await page.getByTestId('reason').fill('12 月起房间先审后发');
    await page.getByRole('button', { name: '确定' }).click();
    await page.getByTestId('gate-state').getByText('先审后发已开启').waitFor();
    await expect.poll(() => customerRooms()).toEqual([]);
    const listed = await running.api('GET', '/api/stores?lat=31.23&lng=121.47');
    expect(listed.body.stores.filter((s: { storeId: string }) => s.storeId === storeId)).toEqual(
      [],
    );
    await shot('04-reviews-waiting');

    const first = page.locator('[data-testid^="review-"]').first();
    const roomName = (await first.locator('.ant-descriptions-item-content').first().textContent())!;
    await first.getByRole('button', { name: '通过' }).click();
    await page.getByTestId('reason').fill('照片与描述一致');
    await page.getByRole('button', { name: '确定' }).click();
    await page.getByText('已完成').first().waitFor();
    // The customers' instance reads the approval from CouchDB once the console has written it.
    await expect.poll(() => customerRooms()).toEqual([roomName]);
    await shot('05-one-approved');

    // What the customer's store page reads, from the customers' own instance: the approved room
    // only, and the others still not there.
    const page2 = await running.api('GET', `/api/stores/${storeId}`);
    expect(page2.body.rooms).toHaveLength(1);

    // The store's owner sees on the dashboard at the store where each room stands, with the notes.
    const owner = await browser.newPage();
    await owner.goto(`${running.hub.url}/owner/reviews`);
    await owner.getByPlaceholder('员工密码').fill(OWNER_PIN);
    await owner.getByRole('button', { name: '登录' }).click();
    const states = owner.getByTestId('review-states');
    const approved = states.getByRole('row', { name: new RegExp(roomName) });
    await approved.getByText('已通过').waitFor();
    await approved.getByText('照片与描述一致').waitFor();
    await states.getByText('审核中').first().waitFor();
    await owner.screenshot({ path: join(shots, '05b-owner-review-states.png'), fullPage: true });
    await owner.close();
  }, 90_000);

  it('freezes a customer with a reason, and the customer is told so', async () => {
    const token = await running.signIn(CUSTOMER);
    await page.getByRole('menuitem', { name: '用户管理' }).click();
    await page.getByTestId('user-search').locator('input').fill(CUSTOMER);
    await page.getByTestId('user-search').locator('input').press('Enter');
    await page.getByTestId('user-card').getByText('正常').waitFor();
    await page.getByTestId('freeze').click();
    await page.getByTestId('reason').fill('多次恶意占用房间不到店');
    await page.getByRole('button', { name: '确定' }).click();
    await page.getByTestId('user-card').getByText('已冻结').waitFor();
    await shot('07-customer-frozen');
    const refused = await running.api('GET', '/api/me/profile', undefined, token);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('account_frozen');
  }, 60_000);

  it("places a banner on the customers' stores page", async () => {
    // The console keeps its token for the tab; the page's own script reads it there.
    const token = (await page.evaluate(
      'sessionStorage.getItem("roomhub.platform.token")',
    )) as string;
    const now = running.hub.clock.now();
    const placed = await fetch(`${console_.url}/api/platform/campaigns/winter-tea`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        title: '冬日暖茶 下午场 8 折',
        text: '全平台门店 13:00-17:00',
        link: '/h5/',
        startsAt: new Date(now - 3_600_000).toISOString(),
        endsAt: new Date(now + 7 * 86_400_000).toISOString(),
        reason: '冬季拉新',
      }),
    });
    expect(placed.status).toBe(200);
    const shown = await running.api('GET', '/api/campaigns');
    expect(shown.body.map((c: { title: string }) => c.title)).toEqual(['冬日暖茶 下午场 8 折']);
    await page.getByRole('menuitem', { name: '首页活动' }).click();
    await page.getByRole('cell', { name: '冬日暖茶 下午场 8 折' }).waitFor();
    await shot('08-campaigns');
  }, 60_000);

  it('handles a complaint: filed on the phone, 平台客服 steps in and closes it, the phone shows the outcome', async () => {
    const phone = '13800005003';
    const reason = '空调坏了两个小时没人修，要求退一部分房费';
    // The customer's booking, made at the store's counter with their phone and paid there.
    const room = (await running.hub.roomIds())[0]!;
    const booked = await running.hub.api('POST', '/api/bookings', {
      roomId: room,
      start: at('14:00', 1),
      end: at('16:00', 1),
      partySize: 2,
      customer: { phone },
    });
    expect(booked.status).toBe(201);
    const bookingId = booked.body.id as string;
    await running.hub.api('POST', `/api/bookings/${bookingId}/payments`, { method: 'cash' }, STAFF);
    const token = await running.signIn(phone);
    // The hub publishes the booking; the cloud's follower files it under the customer.
    await until(
      'the order on the cloud',
      async () => {
        await running.cloud.sweepNow();
        const r = await running.api('GET', `/api/orders/${bookingId}`, undefined, token);
        return r.status === 200 ? r : undefined;
      },
      40_000,
    );
    const opened = await running.api(
      'POST',
      '/api/me/chats',
      { storeId, bookingId, text: '包间空调不制冷' },
      token,
    );
    expect(opened.status).toBe(201);
    const chatId = opened.body.chat.chatId as string;

    // On the phone: 投诉, the reason, sent; the conversation is marked.
    const mobile = await browser.newPage();
    await mobile.setViewportSize({ width: 375, height: 812 });
    await mobile.goto(`${running.cloud.url}/h5/`);
    await mobile.evaluate(
      `localStorage.setItem('roomhub.customer.token', ${JSON.stringify(token)})`,
    );
    await mobile.goto(`${running.cloud.url}/h5/chats/${storeId}/${chatId}`);
    await mobile.getByRole('button', { name: '投诉' }).click();
    await mobile.getByRole('textbox', { name: '投诉原因（至少 4 个字）' }).fill(reason);
    await mobile.getByRole('button', { name: '提交投诉' }).click();
    await mobile.getByTestId('complaint-banner').getByText('投诉中，等待平台介入').waitFor();
    await mobile.locator('.chat-line[data-note="complaint"]').getByText(reason).waitFor();
    await mobile.screenshot({ path: join(shots, 'complaint-1-phone-filed.png'), fullPage: true });

    // The console: listed to handle, opened with the order and the conversation.
    await page.getByRole('menuitem', { name: '投诉处理' }).click();
    await page.getByRole('heading', { name: '投诉处理' }).waitFor();
    const row = page.getByTestId('complaint-list').getByText(reason);
    await row.waitFor();
    await shot('complaint-2-list');
    await row.click();
    const detail = page.getByTestId('complaint-detail');
    await detail.getByTestId('complaint-order').getByText(bookingId).waitFor();
    await detail.getByTestId('complaint-lines').getByText('包间空调不制冷').waitFor();
    await page.getByTestId('complaint-reply').fill('您好，平台已介入，请门店核实当天空调情况。');
    await page.getByRole('button', { name: '发送' }).click();
    await detail.getByTestId('complaint-status').getByText('平台已介入').waitFor();
    await detail.getByText('您好，平台已介入，请门店核实当天空调情况。').waitFor();
    await shot('complaint-3-joined');

    // Closed with an outcome and words.
    await pickOption(page, page.getByTestId('complaint-outcome-select'), '投诉属实');
    await page.getByTestId('complaint-words').fill('门店同意退还一半房费并致歉');
    await page.getByRole('button', { name: '结案并通知双方' }).click();
    await detail
      .getByTestId('complaint-outcome')
      .getByText(/投诉属实：门店同意退还一半房费并致歉/)
      .waitFor();
    await shot('complaint-4-closed');
    await page.keyboard.press('Escape');

    // The phone shows the platform's lines, as 平台客服, and the outcome, without a reload.
    await mobile.getByTestId('complaint-banner').getByText('投诉已处理').waitFor();
    await mobile
      .getByTestId('complaint-outcome')
      .getByText('处理结果：投诉属实。门店同意退还一半房费并致歉')
      .waitFor();
    await mobile
      .locator('.chat-line.platform')
      .getByText(/平台客服/)
      .first()
      .waitFor();
    await mobile.screenshot({ path: join(shots, 'complaint-5-phone-closed.png'), fullPage: true });
    await mobile.close();
  }, 120_000);

  it('shows the staff and the audit trail, in English too', async () => {
    await page.getByRole('menuitem', { name: '平台员工' }).click();
    await page.getByRole('cell', { name: OWNER }).waitFor();
    await shot('08-staff-list');
    await page.getByRole('menuitem', { name: '操作日志' }).click();
    await page.getByRole('cell', { name: '冻结用户' }).waitFor();
    await page.getByRole('cell', { name: '开启先审后发' }).waitFor();
    await shot('09-audit');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('cell', { name: 'Customer frozen' }).waitFor();
    await shot('10-audit-english');
  }, 60_000);
});
