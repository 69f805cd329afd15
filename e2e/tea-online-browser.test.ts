// Tea and snacks from the phone in a real browser (Debian's Chromium through playwright-core): a
// customer on a phone's screen (375 x 812) with a booking opens it, orders from the store's menu
// (a large pot of jasmine and seeds, the cart priced line by line), pays, and the counter's tea
// queue (the cashier screen the store's hub serves) shows the order live; once the counter has
// made and delivered it, the booking's page says so; the cashier gives the seeds' money back from
// the queue, the cloud pays it back to the phone, and the booking's page says that too. The hub,
// an embedded CouchDB and the cloud run on one clock. Every step is saved as a screenshot (the folder is printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { at, STAFF, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud } from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/tea-online');
shotOnFailure(() => page, SHOTS);
const PHONE = '13800000817';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let phone: BrowserContext;
let counter: BrowserContext;
let page: Page;
let desk: Page;
const scratch = mkdtempSync(join(tmpdir(), 'tea-online-browser-'));

beforeAll(async () => {
  const screens = await builtScreens();
  process.env.CLOUD_PAGES_DIR = screens;
  process.env.HUB_SCREENS_DIR = screens;
  running = await startStoreAndCloud('tea-online-browser');
  phone = await openBrowser(join(scratch, 'phone'), {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  page = phone.pages()[0] ?? (await phone.newPage());
  await page.clock.setSystemTime(running.hub.clock.now());
  counter = await openBrowser(join(scratch, 'counter'), {
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
  });
  desk = counter.pages()[0] ?? (await counter.newPage());
  screenshotFolder('tea-online');
}, 240_000);

afterAll(async () => {
  await phone?.close();
  await counter?.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = (p: Page, name: string) =>
  p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe('tea and snacks ordered from the phone', () => {
  it('reaches the counter’s tea queue, and the phone follows it to the room', async () => {
    const { hub, cloud, api, signIn } = running;
    const storeId = hub.hub.store.getStore().id;
    const [roomId] = await hub.roomIds();
    const teas = await hub.api('POST', '/api/menu/categories', { name: '茶饮' }, STAFF);
    const snacks = await hub.api('POST', '/api/menu/categories', { name: '小食', sort: 1 }, STAFF);
    await hub.api(
      'POST',
      '/api/menu/items',
      {
        categoryId: teas.body.id,
        name: '茉莉花茶',
        price: 3800,
        description: '福州茉莉，一壶可续水',
        specs: [
          {
            name: '壶型',
            kind: 'size',
            choices: [
              { name: '小壶', priceDelta: 0 },
              { name: '大壶', priceDelta: 1000 },
            ],
            defaultChoice: '小壶',
          },
        ],
      },
      STAFF,
    );
    const seeds = await hub.api(
      'POST',
      '/api/menu/items',
      { categoryId: snacks.body.id, name: '瓜子', price: 1200, stockTracked: true },
      STAFF,
    );
    await hub.api('POST', `/api/stock/${seeds.body.id}`, { kind: 'received', quantity: 5 }, STAFF);
    await hub.api(
      'POST',
      '/api/menu/items',
      { categoryId: snacks.body.id, name: '牛肉干', price: 2800, soldOut: true },
      STAFF,
    );

    // The counter's tea queue is open, its cashier signed in.
    await desk.goto(`${hub.url}/cashier/`);
    await desk.getByPlaceholder('员工密码').fill('333333');
    await desk.getByRole('button', { name: '登录' }).click();
    await desk.getByTestId('signed-in-as').waitFor();
    await desk.getByRole('link', { name: '茶点' }).click();
    await desk.getByText('暂时没有待处理的茶点订单').waitFor();

    // The customer is signed in on the phone and booked online for the morning.
    const token = await signIn(PHONE);
    const booked = await until('the store known and booked online', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api(
        'POST',
        '/api/bookings',
        { storeId, roomId, start: at('10:30'), end: at('12:00'), partySize: 2 },
        token,
      );
      return r.status === 201 ? r.body : undefined;
    });
    const bookingId = booked.bookingId as string;
    await until('the menu in the cloud', async () => {
      const r = await api('GET', `/api/stores/${storeId}/menu`);
      return r.body.categories?.[1]?.items?.length === 2 ? true : undefined;
    });
    await page.goto(`${cloud.url}/h5/`);
    await page.evaluate(`localStorage.setItem('roomhub.customer.token', ${JSON.stringify(token)})`);

    // From the booking's page to the menu.
    await page.goto(`${cloud.url}/h5/orders/${bookingId}`);
    await page
      .getByText('我点的茶点')
      .waitFor({ timeout: 60_000 })
      .catch(async (e) => {
        await shot(page, '00-order-page-without-tea');
        throw e;
      });
    await page.getByRole('button', { name: '点茶点' }).click();
    await page.getByText('茉莉花茶').waitFor();
    await page.getByText(/送到 .+（10:30–12:00）/).waitFor();
    await expect(page.getByText('已售罄').count()).resolves.toBe(1);
    await shot(page, '01-menu');

    // A large pot (the price follows the choice) and two packets of seeds.
    await page.getByText('大壶 +¥10.00').click();
    await page.getByText('¥48.00').first().waitFor();
    await page.getByRole('button', { name: '把茉莉花茶加入购物车' }).click();
    await page.getByRole('button', { name: '把瓜子加入购物车' }).click();
    await page.getByRole('button', { name: '把瓜子加入购物车' }).click();
    const pay = page.getByRole('button', { name: '微信支付 ¥72.00' });
    await pay.waitFor();
    await expect(page.locator('table.quote').textContent()).resolves.toMatch(
      /茉莉花茶 · 大壶.*¥48\.00.*瓜子.*¥24\.00.*合计.*¥72\.00/,
    );
    await pay.scrollIntoViewIfNeeded();
    await shot(page, '02-cart');
    await pay.click();
    await page.getByText('门店已接单，做好后送到包间。').waitFor({ timeout: 30_000 });
    await shot(page, '03-placed');

    // The counter's queue has it at once, for the booking's room, paid.
    const order = (await hub.api('GET', '/api/orders', undefined, STAFF)).body[0] as {
      id: string;
      number: string;
      total: number;
      paid: number;
    };
    expect(order).toMatchObject({ total: 7200, paid: 7200 });
    const card = desk.getByTestId(`order-${order.number}`);
    await card.waitFor({ timeout: 15_000 });
    expect(await card.textContent()).toContain('茉莉花茶');
    await shot(desk, '04-counter-queue');

    // Made and brought to the room; the phone's booking page follows.
    await page.getByRole('button', { name: '查看订单进度' }).click();
    await page.getByText('门店已接单').first().waitFor();
    await shot(page, '05-received-on-order-page');
    await card.getByRole('button', { name: '已做好' }).click();
    await card.getByText('待送达').waitFor();
    await card.getByRole('button', { name: '已送达' }).click();
    await desk.getByText('今日已处理').waitFor();
    await page.getByText('已送到', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByText('我点的茶点').scrollIntoViewIfNeeded();
    await shot(page, '06-delivered-on-order-page');

    // The seeds were damp: the cashier gives their 24.00 back from the queue, with the reason.
    await card.getByRole('button', { name: '退款' }).click();
    const dialog = desk.locator('.ant-modal');
    await dialog.getByText('最多可退 ¥72.00').waitFor();
    await dialog.getByLabel('金额').fill('24');
    await dialog.getByLabel('原因').fill('瓜子受潮');
    await shot(desk, '07-counter-refund');
    await dialog.getByRole('button', { name: '退款' }).click();
    await card.getByTestId('order-refunded').waitFor();
    expect(await card.getByTestId('order-refunded').textContent()).toBe('已退 ¥24.00');
    await shot(desk, '08-counter-refunded');
    // The money was the cloud's to give back: it pays the phone's payment back, once.
    const paymentId = `pay-${(await api('GET', '/api/me/tea-orders', undefined, token)).body.orders[0].intentId}`;
    await until('the 24.00 paid back by the cloud', async () => {
      await cloud.cloud.follower.followNow();
      const back = [...running.payments.refunds.values()].filter((r) => r.paymentId === paymentId);
      return back.length === 1 ? back : undefined;
    });
    expect(
      [...running.payments.refunds.values()].filter((r) => r.paymentId === paymentId),
    ).toMatchObject([{ amount: 2400 }]);
    await page.reload();
    await page.getByText(/已原路退回 ¥24\.00/).waitFor({ timeout: 30_000 });
    await page.getByText('我点的茶点').scrollIntoViewIfNeeded();
    await shot(page, '09-refunded-on-order-page');
  }, 240_000);
});
