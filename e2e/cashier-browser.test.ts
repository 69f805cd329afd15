// The cashier's screen in a real browser (Debian's Chromium through playwright-core) against a real
// hub with its Modbus simulator and a serial scanner on a pseudo-terminal pair (socat): a cashier
// signs in with their PIN, a voucher read by the scanner is redeemed and undone, cash is taken for
// a kiosk booking and a member's code read by the scanner pays one from their wallet, the tea
// queue follows an order live, an order with no booking is taken at a member's price named by
// phone, the devices are seen but not switched; a cashier finds no manager's controls and the hub refuses them when the page is bypassed; a
// manager reviews a refund and switches a light by hand. Every screen is saved as a screenshot.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { socatAvailable, startPtyPair, type PtyPair } from '@roomhub/firmware-bridge/simulator';
import { IntentKeys } from '@roomhub/cloud-sync';
import {
  customerIdForPhone,
  MEMBER_CODE_TTL_SECONDS,
  memberCodeText,
  type MemberCode,
} from '@roomhub/shared-types';
import {
  as,
  CLOUD_KEYS,
  CUSTOMER_ID_KEY,
  signedByCloud,
  startTestHub,
  type TestHub,
} from '@roomhub/hub-app/testing';
import {
  builtScreens,
  confirmPopup,
  confirmUntil,
  openBrowser,
  pickOption,
  ROOT,
  screenshotFolder,
  shotOnFailure,
} from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/cashier');
shotOnFailure(() => page, SHOTS);
const PIN = { cashier: '333333', manager: '222222' };

let h: TestHub;
let pty: PtyPair;
let browser: BrowserContext;
let page: Page;
let rooms: string[];
const scratch = mkdtempSync(join(tmpdir(), 'cashier-browser-'));

beforeAll(async () => {
  if (!socatAvailable()) {
    throw new Error("no socat: install Debian's (apt-get install socat), as .ci/run does");
  }
  // The screens as the source makes them now, built once for every browser test.
  process.env.HUB_SCREENS_DIR = await builtScreens();
  // The counter's USB scanner, as a serial scanner on one end of a pseudo-terminal pair.
  pty = await startPtyPair();
  const scanners = join(scratch, 'scanners.json');
  writeFileSync(scanners, JSON.stringify({ serial: [{ path: pty.b, baudRate: 9600 }] }));
  h = await startTestHub({ scannersFile: scanners });
  // As the hub does with a cloud link: the cloud's keys check the member codes it signs.
  h.hub.memberCodes.trustCloud(new IntentKeys([CLOUD_KEYS.publicKey]), CUSTOMER_ID_KEY);
  rooms = await h.roomIds();
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  // Generous: the machine may be busy with other suites; a step that works is quick anyway.
  screenshotFolder('cashier');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await pty?.close();
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

/** Saves the screen as the cashier sees it, once drawers and dialogs have finished moving in. */
async function shot(name: string): Promise<void> {
  // A spinner turns for ever: wait only for what ends, and never more than a second.
  await page.evaluate(() => {
    type Moving = {
      finished: Promise<unknown>;
      effect: { getTiming: () => { iterations?: number } } | null;
    };
    const doc = (globalThis as unknown as { document: { getAnimations: () => Moving[] } }).document;
    const ending = doc
      .getAnimations()
      .filter((a) => a.effect?.getTiming().iterations !== Infinity)
      .map((a) => a.finished.catch(() => undefined));
    return Promise.race([Promise.all(ending), new Promise((r) => setTimeout(r, 1000))]);
  });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** What the counter's scanner sends down its serial line when it reads a code. */
function scan(text: string): void {
  const fd = openSync(pty.a, 'w');
  writeSync(fd, `${text}\r\n`);
  closeSync(fd);
}

async function signIn(pin: string): Promise<void> {
  await page.getByPlaceholder('员工密码').fill(pin);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByText('收银台登录').waitFor();
}

/** Opens a booking from the list of the day, by its number. */
async function openBooking(number: string): Promise<void> {
  await page.getByRole('link', { name: '订单' }).click();
  await page.locator(`tr[data-number="${number}"]`).click();
  await page.getByTestId('booking-detail').waitFor();
}

/**
 * Closes the booking's drawer. On a machine busy with every test file's hubs and browsers, a click
 * landing while the drawer still redraws after a change can be lost: it is clicked again until the
 * drawer is gone. A message at the top of the screen can lie over the close button, and it stays
 * while the pointer rests on it: the pointer first leaves for a corner and the messages go.
 */
async function closeDrawer(): Promise<void> {
  const open = page.locator('.ant-drawer-open');
  for (let tries = 1; ; tries += 1) {
    if (await open.isVisible()) {
      const size = page.viewportSize() ?? { width: 1280, height: 800 };
      await page.mouse.move(2, size.height - 2);
      await expect
        .poll(() => page.locator('.ant-message-notice').count(), { timeout: 10_000 })
        .toBe(0)
        .catch(() => undefined);
      await page
        .locator('.ant-drawer-close')
        .click({ timeout: 8_000 })
        .catch(() => undefined);
    }
    try {
      await open.waitFor({ state: 'hidden', timeout: 8_000 });
      return;
    } catch (e) {
      if (tries >= 5) throw e;
    }
  }
}

const booking = async (id: string) =>
  (await h.api('GET', `/api/bookings/${id}`, undefined, as('manager'))).body;

describe('the cashier screen', () => {
  // A test that failed with a booking's drawer open leaves it over the tabs: closed, so that the
  // next test tells its own story.
  afterEach(async () => {
    if (await page.locator('.ant-drawer-open').isVisible()) await closeDrawer();
  });

  it('is served by the hub itself at /cashier/', async () => {
    const res = await fetch(`${h.url}/cashier/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="root">');
    expect((await fetch(`${h.url}/cashier/bookings`)).status).toBe(200);
  });

  it('signs a cashier in with their PIN, and refuses a wrong one in plain words', async () => {
    await page.goto(`${h.url}/cashier/`);
    await page.getByText('收银台登录').waitFor();
    await shot('01-sign-in');
    await page.getByPlaceholder('员工密码').fill('123456');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('员工密码不对，请重新输入。').waitFor();
    await shot('02-sign-in-refused');
    await signIn(PIN.cashier);
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('李收银 · 收银员');
    // The scanner's screen first; the tabs a cashier has.
    await page.getByText('扫码核销').waitFor();
    for (const tab of ['核销', '订单', '茶点', '设备'])
      await page.getByRole('link', { name: tab }).waitFor();
  }, 120_000);

  it('redeems a voucher read by the serial scanner, undoes it, and reads it again typed by a keyboard-wedge scanner', async () => {
    const deal = await h.api(
      'POST',
      '/api/deals',
      {
        source: 'own',
        title: '茶室两小时畅饮',
        entitlement: { kind: 'hours', minutes: 120, maxPartySize: 4 },
        price: 5800,
        status: 'on_sale',
      },
      as('owner'),
    );
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    const voucher = await h.api(
      'POST',
      '/api/vouchers',
      { dealId: deal.body.id, customer: { phone: '13812345678' } },
      as('cashier'),
    );
    expect(voucher.status, JSON.stringify(voucher.body)).toBe(201);

    // The customer shows the voucher's QR; the scanner at the counter reads it.
    scan(voucher.body.qr);
    const prepared = page.getByTestId('prepared');
    await prepared.waitFor();
    expect(await page.getByTestId('voucher-buys').textContent()).toBe('2 小时包间');
    expect(await prepared.textContent()).toContain('茶室两小时畅饮');
    await shot('03-voucher-scanned');

    // A booking in the first room at noon for three people; the voucher pays it. It has not
    // started, so it can still be given back.
    await pickOption(page, page.getByLabel('开始时间'), '12:00');
    await page.getByLabel('人数').fill('3');
    await page.getByRole('button', { name: '确认核销' }).click();
    const done = page.getByTestId('redeemed');
    await done.waitFor();
    const number = /订单 (\d+)/.exec((await done.textContent()) ?? '')?.[1];
    expect(number).toBeTruthy();
    await page.locator('td', { hasText: number! }).first().waitFor();
    await shot('04-voucher-redeemed');
    const list = await h.api(
      'GET',
      '/api/vouchers/redemptions?date=2026-11-23',
      undefined,
      as('cashier'),
    );
    expect(list.body).toHaveLength(1);
    const redemption = list.body[0];
    expect(redemption).toMatchObject({ status: 'done', bookingNumber: number });
    expect((await booking(redemption.bookingId)).status).toBe('paid');

    // Undone with a reason: the booking goes back to waiting, the voucher is good again.
    await page.getByRole('button', { name: '撤销核销' }).click();
    await page.getByLabel('原因').fill('顾客想改天再来');
    await shot('05-voucher-undo');
    await page.locator('.ant-modal').getByRole('button', { name: '撤销核销' }).click();
    await page.getByText('已撤销').waitFor();
    await shot('06-voucher-undone');
    const after = await h.api(
      'GET',
      `/api/vouchers/redemptions/${redemption.id}`,
      undefined,
      as('cashier'),
    );
    expect(after.body.status).toBe('undone');

    // A scanner in keyboard mode types the code into the page, fast, and ends with Enter. Its
    // keys reach the page a few milliseconds apart whatever the machine is doing; the browser's
    // own key presses, one round trip each, can come further apart than a person's on a busy
    // machine, so the burst is handed to the page as the scanner's would be.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.evaluate((code) => {
      type Key = new (type: string, init: { key: string; bubbles: boolean }) => Event;
      const win = globalThis as unknown as {
        document: { body: EventTarget };
        KeyboardEvent: Key;
      };
      for (const key of [...code.split(''), 'Enter']) {
        win.document.body.dispatchEvent(new win.KeyboardEvent('keydown', { key, bubbles: true }));
      }
    }, voucher.body.code as string);
    await prepared.waitFor();
    expect(await page.getByTestId('voucher-code').inputValue()).toBe(voucher.body.code);
    expect(await prepared.textContent()).toContain('茶室两小时畅饮');
    expect(await page.getByTestId('not-usable').count()).toBe(0);
    await shot('07-voucher-keyboard-wedge');
  }, 120_000);

  it('takes cash for a booking made at the kiosk', async () => {
    // A customer booked at the kiosk and chose to pay at the counter.
    const made = await h.api('POST', '/api/bookings', {
      roomId: rooms[1],
      start: '2026-11-23T14:00:00+08:00',
      end: '2026-11-23T16:00:00+08:00',
      partySize: 4,
      customer: { phone: '13900139000' },
    });
    expect(made.status).toBe(201);
    await page.getByRole('link', { name: '订单' }).click();
    await page.locator(`tr[data-number="${made.body.number}"]`).waitFor();
    await shot('08-bookings');
    await openBooking(made.body.number);
    expect(await page.getByTestId('booking-status').textContent()).toBe('待付款');
    const due = (await page.getByTestId('booking-due').textContent())!;
    expect(due).toMatch(/^¥\d+\.\d\d$/);
    await shot('09-booking-detail');
    await confirmUntil(
      page,
      page.getByRole('button', { name: `收现金 ${due}` }),
      async () => (await page.getByTestId('booking-status').textContent()) === '已付款',
    );
    expect(await page.getByTestId('booking-due').textContent()).toBe('¥0.00');
    await page.getByText('付款记录').waitFor();
    await shot('10-cash-taken');
    const b = await booking(made.body.id);
    expect(b.status).toBe('paid');
    expect(b.payments).toMatchObject([{ method: 'cash', status: 'succeeded' }]);

    // The customer will come two hours later: moved at the counter, for as long as booked.
    await page.getByRole('button', { name: '改期' }).click();
    await page.getByLabel('开始时间').fill('16:00');
    await shot('10b-change');
    await page.getByRole('button', { name: '确认改期' }).click();
    await page.getByText('2026-11-23 16:00-18:00').waitFor();
    expect((await booking(made.body.id)).start).toBe('2026-11-23T16:00:00+08:00');

    // The list filtered to the paid ones of that customer.
    await closeDrawer();
    await page.getByPlaceholder('顾客手机号').fill('13900139000');
    await page.locator(`tr[data-number="${made.body.number}"]`).waitFor();
    expect(await page.locator('tr[data-number]').count()).toBe(1);
    await page.getByPlaceholder('顾客手机号').fill('');
  }, 120_000);

  it('follows a session in a room: time added, paid by the payer’s payment code read by the scanner, ended', async () => {
    const made = await h.api('POST', '/api/bookings', {
      roomId: rooms[2],
      start: '2026-11-23T10:00:00+08:00',
      end: '2026-11-23T11:00:00+08:00',
      partySize: 2,
      customer: { phone: '13700137000' },
    });
    expect(made.status).toBe(201);
    await h.api(
      'POST',
      `/api/bookings/${made.body.id}/payments`,
      { method: 'cash' },
      as('cashier'),
    );
    const door = await h.api('POST', `/api/bookings/${made.body.id}/door`);
    expect(door.status, JSON.stringify(door.body)).toBe(200);

    await page.getByRole('link', { name: '核销' }).click();
    await page.getByRole('link', { name: '订单' }).click();
    const chip = page.getByTestId('sessions-now').getByRole('button', { name: /松风/ });
    await chip.waitFor();
    expect(await chip.textContent()).toContain('剩余 60 分钟');
    await shot('11-sessions-now');
    await chip.click();
    await page.getByTestId('booking-detail').waitFor();
    expect(await page.getByTestId('booking-status').textContent()).toBe('使用中');

    await pickOption(page, page.getByLabel('续时时长'), '30 分钟');
    await page.getByRole('button', { name: '续时', exact: true }).click();
    const due = page.getByTestId('booking-due');
    await expect.poll(() => due.textContent()).not.toBe('¥0.00');
    // The payer shows their WeChat payment code; the counter's scanner reads it and it is charged.
    await page.getByTestId('scan-to-pay').waitFor();
    scan(h.gateway!.payerCode());
    await expect.poll(() => due.textContent()).toBe('¥0.00');
    const extended = await booking(made.body.id);
    expect(extended.end).toBe('2026-11-23T11:30:00+08:00');
    expect(extended.payments.map((p: { method: string }) => p.method)).toEqual(['cash', 'wechat']);
    await shot('12-extended-and-paid');

    await confirmUntil(
      page,
      page.getByRole('button', { name: '结束使用' }),
      async () => (await page.getByTestId('booking-status').textContent()) === '已完成',
    );
    expect((await booking(made.body.id)).status).toBe('completed');
    await closeDrawer();
    await page.getByTestId('sessions-now').waitFor({ state: 'detached' });
  }, 120_000);

  it('takes a member’s code read by the scanner to pay a booking from their wallet', async () => {
    const member = '13600136111';
    await h.api('POST', '/api/wallet/top-ups', { phone: member, amount: 30000 }, as('cashier'));
    const made = await h.api('POST', '/api/bookings', {
      roomId: rooms[3],
      start: '2026-11-23T20:00:00+08:00',
      end: '2026-11-23T21:00:00+08:00',
      partySize: 2,
      customer: { phone: member },
    });
    expect(made.status).toBe(201);
    await openBooking(made.body.number);
    await page.getByTestId('scan-to-pay').waitFor();
    const code = signedByCloud({
      type: 'member_code' as const,
      id: 'cashier-e2e-code-1',
      customer: customerIdForPhone(member, CUSTOMER_ID_KEY),
      store: h.hub.store.getStore().id,
      exp: Math.floor(h.clock.now() / 1000) + MEMBER_CODE_TTL_SECONDS,
    }) as MemberCode;
    scan(memberCodeText(code));
    await expect.poll(() => page.getByTestId('booking-due').textContent()).toBe('¥0.00');
    await page.getByText(/会员 136\*\*\*\*6111 储值支付/).waitFor();
    await shot('12b-member-code-paid');
    const b = await booking(made.body.id);
    expect(b.payments).toMatchObject([{ method: 'wallet', status: 'succeeded' }]);
    const wallet = await h.api('GET', `/api/wallets/${member}`, undefined, as('cashier'));
    expect(wallet.body.total).toBe(30000 - b.total);
    await closeDrawer();
  }, 60_000);

  it('offers no cash once the owner switches it off at the counter, and offers it again once it is back on', async () => {
    const owner = as('owner');
    const made = await h.api('POST', '/api/bookings', {
      roomId: rooms[0],
      start: '2026-11-23T21:00:00+08:00',
      end: '2026-11-23T22:00:00+08:00',
      partySize: 2,
      customer: { phone: '13700137222' },
    });
    expect(made.status).toBe(201);
    await openBooking(made.body.number);
    const due = (await page.getByTestId('booking-due').textContent())!;
    const cash = page.getByRole('button', { name: `收现金 ${due}` });
    await cash.waitFor();

    // The owner switches cash off at the counter: the open booking hears of it and offers none.
    const off = await h.api('PUT', '/api/payment-channels/counter/cash', { on: false }, owner);
    expect(off.status).toBe(200);
    await cash.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('scan-to-pay').textContent()).toBe(
      '前台已停收现金：请用扫码枪扫顾客的微信/支付宝付款码，或会员码用储值付',
    );
    await shot('12c-cash-switched-off');

    // Payment codes off too: a member's code is all that is left, and a payment code read by
    // the scanner is refused in words, charging nothing.
    await h.api('PUT', '/api/payment-channels/counter/payment_code', { on: false }, owner);
    await expect
      .poll(() => page.getByTestId('scan-to-pay').textContent())
      .toBe('前台已停收现金和付款码：请扫顾客的会员码，用储值付款');
    scan('134567890123456789');
    await expect
      .poll(() => page.getByTestId('detail-error').textContent())
      .toBe('前台已停收付款码，请换一种方式付款');
    expect((await booking(made.body.id)).payments).toEqual([]);
    await shot('12d-codes-switched-off');

    // Both on again: cash is offered again, beside the scanner.
    await h.api('PUT', '/api/payment-channels/counter/payment_code', { on: true }, owner);
    await h.api('PUT', '/api/payment-channels/counter/cash', { on: true }, owner);
    await cash.waitFor();
    expect(await page.getByTestId('scan-to-pay').textContent()).toBe(
      '或用扫码枪扫顾客的微信/支付宝付款码',
    );
    await closeDrawer();
  }, 60_000);

  it('shows a cashier no manager’s controls, and the hub refuses them when the page is bypassed', async () => {
    // The paid kiosk booking's customer asks for money back at the kiosk.
    const list = await h.api('GET', '/api/bookings?phone=13900139000', undefined, as('cashier'));
    const id = list.body[0].id as string;
    const asked = await h.api('POST', `/api/bookings/${id}/refund`, {
      reason: '临时有事来不了',
      amount: 3000,
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    await openBooking(list.body[0].number);
    await page.getByTestId('refund-request').waitFor();
    expect(await page.getByTestId('refund-request').textContent()).toContain(
      '退款审核由店长或客服处理',
    );
    expect(await page.getByRole('button', { name: /同意退款/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '拒绝退款' }).count()).toBe(0);
    await shot('13-refund-not-for-cashier');
    await closeDrawer();

    await page.getByRole('link', { name: '设备' }).click();
    await page.getByTestId('bus-health').waitFor();
    await page.locator('[data-testid^="room-devices-"]').first().waitFor();
    expect(await page.getByTestId('device-override').count()).toBe(0);
    await shot('14-devices-cashier');
    // A door a cashier may open by hand, with a reason: the room's lock relay is pulsed.
    const pulses = () =>
      h.devices.simulator!.writes().filter((w) => w.slaveId === 1 && w.address === 0x0200).length;
    const before = pulses();
    await page.getByTestId('room-devices-听雨').getByRole('button', { name: '开门' }).click();
    await page.getByLabel('原因').fill('顾客忘带手机，核对身份后开门');
    await page.locator('.ant-modal').getByRole('button', { name: '确认' }).click();
    await page.getByText('「听雨」的门已打开').waitFor();
    expect(pulses()).toBe(before + 1);

    // The page bypassed: the cashier's own token, straight at the hub.
    const answers = await page.evaluate(
      async ({ light, booking }) => {
        // Runs in the page: its tab's storage holds the sign-in.
        const tab = globalThis as unknown as {
          sessionStorage: { getItem: (key: string) => string | null };
        };
        const signedIn = tab.sessionStorage.getItem('roomhub.staffSignIn');
        const { token } = JSON.parse(signedIn!) as { token: string };
        const post = (path: string, body: unknown) =>
          fetch(path, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }).then(async (r) => ({ status: r.status, body: (await r.json()) as unknown }));
        return [
          await post(`/api/devices/${light}/override`, { on: true, reason: 'try' }),
          await post(`/api/bookings/${booking}/refund/approve`, {}),
        ];
      },
      { light: `${rooms[0]}-light`, booking: id },
    );
    for (const a of answers) {
      expect(a.status).toBe(403);
      expect(a.body).toMatchObject({ error: { code: 'not_allowed' } });
    }
    expect((await booking(id)).status).toBe('refunding');
  }, 120_000);

  it('follows the tea queue live, prepared and delivered, and says what runs low', async () => {
    const cat = await h.api('POST', '/api/menu/categories', { name: '茶点' }, as('owner'));
    const tea = await h.api(
      'POST',
      '/api/menu/items',
      { categoryId: cat.body.id, name: '金骏眉', price: 3800 },
      as('owner'),
    );
    const seeds = await h.api(
      'POST',
      '/api/menu/items',
      { categoryId: cat.body.id, name: '瓜子', price: 1500, stockTracked: true, lowStockAt: 2 },
      as('owner'),
    );
    await h.api(
      'POST',
      `/api/stock/${seeds.body.id}`,
      { kind: 'received', quantity: 4 },
      as('owner'),
    );
    await page.getByRole('link', { name: '茶点' }).click();
    await page.getByText('暂时没有待处理的茶点订单').waitFor();

    // Placed while the screen is open: it arrives by the hub's events.
    const order = await h.api(
      'POST',
      '/api/orders',
      {
        lines: [
          { itemId: tea.body.id, quantity: 1 },
          { itemId: seeds.body.id, quantity: 2 },
        ],
        note: '少放糖',
      },
      as('cashier'),
    );
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const card = page.getByTestId(`order-${order.body.number}`);
    await card.waitFor();
    await page.getByTestId('low-stock').waitFor();
    expect(await page.getByTestId('low-stock').textContent()).toContain('瓜子 剩 2 份');
    await shot('15-tea-queue');
    await card.getByRole('button', { name: /收现金/ }).click();
    // The card's buttons wait together while one is sent (a tap on another meanwhile does
    // nothing): the cash is taken once its button is gone.
    await card.getByRole('button', { name: /收现金/ }).waitFor({ state: 'detached' });
    await card.getByRole('button', { name: '已做好' }).click();
    await card.getByText('待送达').waitFor();
    await card.getByRole('button', { name: '已送达' }).click();
    await page.getByText('今日已处理').waitFor();
    await shot('16-tea-delivered');
    const o = await h.api('GET', `/api/orders/${order.body.id}`, undefined, as('cashier'));
    expect(o.body).toMatchObject({ status: 'delivered', due: 0 });
  }, 120_000);

  it('takes an order with no booking at the counter, at the price of a member named by phone', async () => {
    // A member (their paid booking made them one) at a level that takes 10% off tea and snacks.
    const member = '13800138123';
    const made = await h.api('POST', '/api/bookings', {
      roomId: rooms[1],
      start: '2026-11-23T19:00:00+08:00',
      end: '2026-11-23T20:00:00+08:00',
      partySize: 2,
      customer: { phone: member },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await h.api('POST', `/api/bookings/${made.body.id}/payments`, { method: 'cash' }, as('owner'));
    const levels = await h.api(
      'PUT',
      '/api/member-levels',
      { levels: [{ name: '银卡', threshold: 0, itemPercentOff: 10 }] },
      as('owner'),
    );
    expect(levels.status, JSON.stringify(levels.body)).toBe(200);

    await page.getByRole('link', { name: '茶点' }).click();
    const form = page.getByTestId('counter-order');
    await form.getByText('前台点单（无预订）').waitFor();
    await form.getByRole('combobox', { name: '选择茶点' }).fill('金骏眉');
    // A retry of the tea queue's test before adds its menu again: either 金骏眉 is the same tea.
    await page.locator('.ant-select-item-option', { hasText: '金骏眉' }).first().click();
    await form.getByRole('spinbutton', { name: '数量' }).fill('2');
    await form.getByRole('button', { name: '加入' }).click();
    // Priced by the hub in full until a member is named: 2 x ¥38.00.
    await form.getByRole('button', { name: '下单 ¥76.00' }).waitFor();

    // A phone that is no member's: said in words, the cart stays at its full price.
    await form.getByRole('textbox', { name: '会员手机号（可不填）' }).fill('13900139999');
    await form.getByRole('button', { name: '用会员价' }).click();
    await form.getByTestId('counter-member-refused').waitFor();
    expect(await form.getByTestId('counter-member-refused').textContent()).toContain(
      '不是本店会员',
    );
    await form.getByRole('button', { name: '下单 ¥76.00' }).waitFor();
    await shot('16a-counter-order-not-member');

    // The member: their level's line under the items, the phone masked, ¥76.00 less 10%.
    await form.getByRole('textbox', { name: '会员手机号（可不填）' }).fill(member);
    await form.getByRole('button', { name: '用会员价' }).click();
    await form.getByTestId('counter-member').getByText('138****8123').waitFor();
    expect(await form.getByTestId('order-discount').textContent()).toContain('银卡');
    await form.getByRole('button', { name: '下单 ¥68.40' }).waitFor();
    expect(await form.textContent()).not.toContain(member);
    await shot('16b-counter-order-member');
    await form.getByRole('button', { name: '下单 ¥68.40' }).click();
    await page.getByText(/已下单 #\d+，¥68.40/).waitFor();

    // The order is the member's at their price, and reaches the queue like any other.
    const list = await h.api('GET', '/api/orders', undefined, as('cashier'));
    const placed = (list.body as { total: number; member: { phone: string } | null }[]).find(
      (o) => o.total === 6840,
    );
    expect(placed?.member).toMatchObject({ phone: '138****8123', level: '银卡' });
    await shot('16c-counter-order-placed');
  }, 120_000);

  it('takes a drink at the counter with its cup size and temperature, from a menu changing as it is taken', async () => {
    const form = page.getByTestId('counter-order');
    await form.getByText('前台点单（无预订）').waitFor();
    // The owner adds a drink while the counter's page is open: it reaches the form without a reload.
    const cats = await h.api('GET', '/api/menu', undefined, as('owner'));
    const added = await h.api(
      'POST',
      '/api/menu/items',
      {
        categoryId: cats.body.categories[0].id,
        name: '柠檬茶',
        price: 1800,
        specs: [
          {
            name: '杯型',
            kind: 'size',
            choices: [{ name: '中杯' }, { name: '大杯', priceDelta: 500 }],
          },
          {
            name: '温度',
            kind: 'temperature',
            choices: [{ name: '热' }, { name: '冰' }],
            defaultChoice: '热',
          },
        ],
      },
      as('owner'),
    );
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    await form.getByRole('combobox', { name: '选择茶点' }).fill('柠檬茶');
    await page.locator('.ant-select-item-option', { hasText: '柠檬茶' }).click();
    // The cup size has no default: the cashier must choose it before the drink goes in the cart.
    const add = form.getByRole('button', { name: '请先选杯型' });
    await add.waitFor();
    expect(await add.isDisabled()).toBe(true);
    await form.getByRole('combobox', { name: '杯型' }).click();
    await page.locator('.ant-select-item-option', { hasText: '大杯 +¥5.00' }).click();
    await form.getByRole('combobox', { name: '温度' }).click();
    await page.locator('.ant-select-item-option', { hasText: '冰' }).click();
    await shot('16d-counter-order-specs');
    // The owner replaces the large cup with an extra large one meanwhile: the pick no longer
    // stands, and the cashier chooses again before the drink goes in.
    const changed = await h.api(
      'PATCH',
      `/api/menu/items/${added.body.id}`,
      {
        specs: [
          {
            name: '杯型',
            kind: 'size',
            choices: [{ name: '中杯' }, { name: '超大杯', priceDelta: 800 }],
          },
          {
            name: '温度',
            kind: 'temperature',
            choices: [{ name: '热' }, { name: '冰' }],
            defaultChoice: '热',
          },
        ],
      },
      as('owner'),
    );
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    await form.getByRole('button', { name: '请先选杯型' }).waitFor();
    await form.getByRole('combobox', { name: '杯型' }).click();
    await page.locator('.ant-select-item-option', { hasText: '超大杯 +¥8.00' }).click();
    await form.getByRole('button', { name: '加入' }).click();
    // ¥18.00 and ¥8.00 for the extra large cup, the choices (冰 still) on the cart's line.
    await form.getByTestId('counter-cart').getByText('柠檬茶（超大杯 · 冰） ×1 ¥26.00').waitFor();
    await form.getByRole('button', { name: '下单 ¥26.00' }).click();
    await page.getByText(/已下单 #\d+，¥26.00/).waitFor();
    const list = await h.api('GET', '/api/orders', undefined, as('cashier'));
    const placed = (list.body as { total: number; lines: { specs: unknown }[] }[]).find(
      (o) => o.total === 2600,
    );
    expect(placed?.lines[0]?.specs).toEqual([
      { spec: '杯型', choice: '超大杯', priceDelta: 800 },
      { spec: '温度', choice: '冰', priceDelta: 0 },
    ]);
    await shot('16e-counter-order-specs-placed');
  }, 120_000);

  it('hands back the cash a customer who cancelled at the kiosk is owed', async () => {
    const made = await h.api('POST', '/api/bookings', {
      roomId: rooms[3],
      start: '2026-11-23T18:00:00+08:00',
      end: '2026-11-23T19:00:00+08:00',
      partySize: 2,
      customer: { phone: '13600136000' },
    });
    await h.api(
      'POST',
      `/api/bookings/${made.body.id}/payments`,
      { method: 'cash' },
      as('cashier'),
    );
    // At the kiosk, with nobody at the counter: the cash is owed until someone hands it over.
    const cancelled = await h.api('POST', `/api/bookings/${made.body.id}/cancel`, {
      reason: '计划有变',
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const owed = (await h.api('GET', '/api/refunds/owed', undefined, as('cashier'))).body;
    expect(owed.refunds).toHaveLength(1);

    await page.getByRole('link', { name: '茶点' }).click();
    await page.getByRole('link', { name: '订单' }).click();
    const card = page.getByTestId('owed-refunds');
    await card.waitFor();
    expect(await card.textContent()).toContain(made.body.number);
    await shot('17-cash-owed');
    await card.getByRole('button', { name: '已当面退还' }).click();
    await page.getByText('确认已把现金 ¥58.00 当面交给顾客？').waitFor();
    await confirmPopup(page);
    await card.waitFor({ state: 'detached' });
    expect(
      (await h.api('GET', '/api/refunds/owed', undefined, as('cashier'))).body.refunds,
    ).toEqual([]);
  }, 120_000);

  it('lets a manager review the refund in part and switch a light by hand', async () => {
    await signOut();
    await signIn(PIN.manager);
    const list = await h.api('GET', '/api/bookings?phone=13900139000', undefined, as('manager'));
    const { id, number } = list.body[0] as { id: string; number: string };
    await openBooking(number);
    await page.getByRole('button', { name: '同意退款 ¥30.00' }).waitFor();
    await shot('18-refund-review');
    await page.getByLabel('部分退款金额').fill('20');
    await page.getByRole('button', { name: '部分退款' }).click();
    await expect.poll(async () => (await booking(id)).status).not.toBe('refunding');
    await page.getByText('退款记录').waitFor();
    await shot('19-refund-approved');
    const b = await booking(id);
    expect(b.refunds.map((r: { amount: number }) => r.amount)).toEqual([2000]);
    await closeDrawer();

    // Lights on by hand in the first room, with a reason, then back to the sessions.
    await page.getByRole('link', { name: '设备' }).click();
    const room = page.locator('[data-testid^="room-devices-"]').first();
    const light = room.locator('tr', { hasText: '灯光' });
    await light.getByRole('button', { name: '打开' }).click();
    await page.getByLabel('原因').fill('保洁需要照明');
    await page.locator('.ant-modal').getByRole('button', { name: '确认' }).click();
    await page.locator('.ant-modal').waitFor({ state: 'hidden' });
    await light.getByTestId('by-hand').waitFor();
    await shot('20-devices-manager');
    const states = await h.api('GET', '/api/devices', undefined, as('manager'));
    expect(
      states.body.devices.find((d: { deviceId: string }) => d.deviceId === `${rooms[0]}-light`),
    ).toMatchObject({ override: true });
    await light.getByRole('button', { name: '交还自动' }).click();
    await page.getByLabel('原因').fill('保洁完成');
    await page.locator('.ant-modal').getByRole('button', { name: '确认' }).click();
    await expect.poll(() => light.getByTestId('by-hand').count()).toBe(0);
  }, 120_000);

  it('shows each control only to the roles the hub’s permission table lets call it', async () => {
    // Read from their files: the screens and the hub share no code, only the routes' names.
    const load = (path: string) => import(pathToFileURL(resolve(ROOT, path)).href);
    const { CONTROLS } = (await load('ui/src/cashier/role-access.ts')) as {
      CONTROLS: Record<string, { route: string; roles: readonly string[] }>;
    };
    const { PERMISSIONS } = (await load('hub-app/src/http/permissions.ts')) as {
      PERMISSIONS: Record<string, 'anyone' | { staff: readonly string[] }>;
    };
    for (const [control, { route, roles }] of Object.entries(CONTROLS)) {
      const row = PERMISSIONS[route];
      expect(row, `${control}: ${route}`).toBeDefined();
      const staff = typeof row === 'object' ? [...row.staff] : [];
      expect([...roles].sort(), `${control}: ${route}`).toEqual(staff.sort());
    }
  });

  it('reads in English too', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Bookings' }).click();
    await page.getByText('Any status').waitFor();
    await shot('21-english');
    await page.getByRole('button', { name: '中文' }).click();
  });
});

/** This machine's first address on a network other than loopback, if it has one. */
function lanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

describe.skipIf(!lanAddress())('a counter computer on the store network', () => {
  it('is paired once with a manager’s code, then its cashier signs in', async () => {
    const store = await startTestHub({ host: '0.0.0.0' });
    const counterPage = await browser.newPage();
    try {
      const url = `http://${lanAddress()}:${new URL(store.url).port}/cashier/`;
      await counterPage.goto(url);
      await counterPage.getByPlaceholder('员工密码').fill(PIN.cashier);
      await counterPage.getByRole('button', { name: '登录' }).click();
      await counterPage.getByText('这台电脑还没有配对，请先输入店长给的配对码。').waitFor();
      const made = await store.api(
        'POST',
        '/api/screens/pairing-codes',
        { name: '前台电脑', kind: 'cashier' },
        as('manager'),
      );
      expect(made.status).toBe(201);
      await counterPage.getByPlaceholder('8 位配对码').fill(made.body.code);
      await counterPage.screenshot({ path: join(SHOTS, '22-pair-counter.png'), fullPage: true });
      await counterPage.getByRole('button', { name: '配对' }).click();
      await counterPage.getByTestId('pair-counter').waitFor({ state: 'detached' });
      await counterPage.getByPlaceholder('员工密码').fill(PIN.cashier);
      await counterPage.getByRole('button', { name: '登录' }).click();
      await counterPage.getByTestId('signed-in-as').waitFor();
      await counterPage.getByText('今日核销').waitFor();
      const screens = await store.api('GET', '/api/screens', undefined, as('manager'));
      expect(
        screens.body.map((x: { kind: string; name: string }) => [x.kind, x.name]),
      ).toContainEqual(['cashier', '前台电脑']);
    } finally {
      await counterPage.close();
      await store.close();
    }
  }, 120_000);
});
