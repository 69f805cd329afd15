// The kiosk in a real browser (Debian's Chromium through playwright-core) against a real hub with
// its Modbus simulator: paired once with the owner's code, a walk-in booked from the board, paid by
// the simulated WeChat Pay QR, the door code shown, typed on the keypad, and the room's lock relay
// pulsed on the simulator. The screens are built from the current source into a folder of the
// test's own, and every screen the customer sees is saved as a screenshot (the folder is printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { as, startTestHub, type TestHub } from '@roomhub/hub-app/testing';
import {
  builtScreens,
  openTouchscreen,
  screenshots,
  tapDigits as tap,
} from './kiosk-browser-setup';

let h: TestHub;
let browser: BrowserContext;
let page: Page;
let shot: (name: string) => Promise<unknown>;
const scratch = mkdtempSync(join(tmpdir(), 'kiosk-browser-'));

beforeAll(async () => {
  process.env.HUB_SCREENS_DIR = await builtScreens();
  h = await startTestHub();
  ({ browser, page } = await openTouchscreen(scratch));
  shot = screenshots(() => page, 'kiosk');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

/** Taps digits on one of the page's keypads, as a finger would. */
const tapDigits = (keypad: string, digits: string) => tap(page, keypad, digits);

/** The day's booking of a room, as the counter sees it. */
async function bookingIn(room: string): Promise<{ id: string; status: string } | undefined> {
  const list = await h.api('GET', '/api/bookings?date=2026-11-23', undefined, as('cashier'));
  return list.body.find((b: { room: { name: string } }) => b.room.name === room);
}

/** The pulses the hub sent to the first room's lock (relay board 1, relay 0). */
const lockPulses = () =>
  h.devices.simulator!.writes().filter((w) => w.slaveId === 1 && w.address === 0x0200);

describe('the kiosk', () => {
  it('is served by the hub itself, and says how to build it when the build is missing', async () => {
    const page = await fetch(`${h.url}/kiosk/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const deep = await fetch(`${h.url}/kiosk/pay/some-booking`);
    expect(deep.status).toBe(200);
    expect((await fetch(`${h.url}/api/nothing-here`)).status).toBe(404);

    const built = process.env.HUB_SCREENS_DIR;
    process.env.HUB_SCREENS_DIR = join(scratch, 'no-build');
    const bare = await startTestHub();
    try {
      const missing = await fetch(`${bare.url}/kiosk/`);
      expect(missing.status).toBe(503);
      expect(await missing.text()).toContain('npm run build -w @roomhub/ui');
    } finally {
      await bare.close();
      process.env.HUB_SCREENS_DIR = built;
    }
  });

  it('books a walk-in, takes the QR payment, shows the door code, and the keypad opens the door', async () => {
    // Paired once: the owner makes a kiosk code, typed on the kiosk's own keypad.
    const made = await h.api(
      'POST',
      '/api/screens/pairing-codes',
      { name: '大堂自助机', kind: 'kiosk' },
      as('owner'),
    );
    expect(made.status).toBe(201);
    await page.goto(`${h.url}/kiosk/`);
    await page.getByText('配对这台自助机').waitFor();
    await tapDigits('pairing-keypad', made.body.code);
    await shot('01-pairing');
    await page.getByRole('button', { name: '配对' }).click();

    // Other customers' bookings, so the board has something on it: one paid, one still held.
    const [, second, third] = await h.roomIds();
    const other = await h.api('POST', '/api/bookings', {
      roomId: second,
      start: '2026-11-23T14:00:00+08:00',
      end: '2026-11-23T16:00:00+08:00',
      partySize: 4,
      customer: { phone: '13900139000' },
    });
    expect(other.status).toBe(201);
    await h.api(
      'POST',
      `/api/bookings/${other.body.id}/payments`,
      { method: 'cash' },
      as('cashier'),
    );
    const held = await h.api('POST', '/api/bookings', {
      roomId: third,
      start: '2026-11-23T11:00:00+08:00',
      end: '2026-11-23T13:00:00+08:00',
      partySize: 2,
      customer: { phone: '13700137000' },
    });
    expect(held.status).toBe(201);

    // The board: every room's day, now at 10:00 on the hub's clock.
    await page.getByText('今日房态').waitFor();
    await page.locator('.board-row[data-room="听雨"] .seg.bookable').first().waitFor();
    await shot('02-board');
    const free = page.locator('.board-row[data-room="听雨"] .seg.bookable').first();
    await free.click({ position: { x: 4, y: 20 } });

    // The walk-in: the room and the start come from the tap; two hours, three people, a phone.
    await page.getByText('预订房间').waitFor();
    await page.getByRole('button', { name: '2 小时' }).click();
    await page.getByRole('button', { name: '增加一人' }).click();
    await tapDigits('phone-keypad', '13800138000');
    // What the number is for and how long it is kept, beside the keypad (personal information).
    expect(await page.locator('.notice', { hasText: '手机号' }).textContent()).toBe(
      '手机号用于识别您的订单和您在本店的会员身份（积分、储值），仅本店使用，保存到您注销账号为止。',
    );
    await expect
      .poll(() => page.getByTestId('quote-total').textContent(), { timeout: 10_000 })
      .toBe('¥76.00');
    expect(await page.getByTestId('quote').textContent()).toContain('工作日 · 标准时段 · 120 分钟');
    await expect.poll(() => page.getByRole('button', { name: '确认预订' }).isEnabled()).toBe(true);
    await shot('03-walk-in');
    await page.getByRole('button', { name: '确认预订' }).click();

    // Paying: the simulated WeChat Pay QR on screen; the payer pays it on their phone.
    await page.getByText('微信支付').waitFor();
    expect(await page.getByTestId('due').textContent()).toBe('¥76.00');
    await shot('04-pay');
    await page.getByRole('button', { name: '微信支付' }).click();
    const qr = page.getByTestId('pay-qr');
    await qr.waitFor();
    await page.locator('img.qr').waitFor();
    await shot('05-pay-qr');
    const paymentId = await qr.getAttribute('data-payment-id');
    await h.gateway!.pay(paymentId!);

    // The screen follows the booking to paid by the hub's events, then shows the door code.
    const code = page.getByTestId('door-code');
    await code.waitFor({ timeout: 15_000 });
    const digits = (await code.textContent())!.trim();
    expect(digits).toMatch(/^\d{6}$/);
    await page.locator('img.qr').waitFor();
    await shot('06-door-code');
    expect((await bookingIn('听雨'))?.status).toBe('paid');

    // The keypad: a wrong code is refused in one plain sentence, the right one opens the door.
    await page.getByRole('button', { name: '现在去开门' }).click();
    await page.getByText('输入开门码').first().waitFor();
    const wrong = digits === '000000' ? '111111' : '000000';
    await tapDigits('door-keypad', wrong);
    await page.getByTestId('door-open').click();
    await page.getByText('开门码不对，请核对后重新输入。').waitFor();
    await shot('07-door-refused');
    expect(lockPulses()).toHaveLength(0);

    await tapDigits('door-keypad', digits);
    await shot('08-door-keypad');
    await page.getByTestId('door-open').click();
    await page.getByText('门已打开，请进').waitFor();
    await shot('09-door-opened');
    expect(lockPulses()).toHaveLength(1);
    expect((await bookingIn('听雨'))?.status).toBe('in_use');
  }, 90_000);

  it('holds a booking for the counter, and shows the door code once the cashier takes the cash', async () => {
    await page.locator('.kiosk-store').click();
    await page.getByRole('button', { name: '立即预订' }).click();
    await page.getByRole('button', { name: /竹影/ }).click();
    await page.getByRole('button', { name: '现在' }).click();
    await page.getByRole('button', { name: '1 小时' }).click();
    await tapDigits('phone-keypad', '13600136000');
    await expect
      .poll(() => page.getByTestId('quote-total').textContent(), { timeout: 10_000 })
      .toMatch(/^¥\d+\.\d\d$/);
    await page.getByRole('button', { name: '确认预订' }).click();
    await page.getByRole('button', { name: '到前台付款' }).click();
    await page.getByTestId('pay-at-counter').waitFor();
    await shot('10-pay-at-counter');

    // The cashier takes the cash; the kiosk hears it from the hub and shows the door code.
    const booking = await bookingIn('竹影');
    expect(booking?.status).toBe('pending_payment');
    const cash = await h.api(
      'POST',
      `/api/bookings/${booking!.id}/payments`,
      { method: 'cash' },
      as('cashier'),
    );
    expect(cash.status).toBe(201);
    await page.getByTestId('door-code').waitFor({ timeout: 15_000 });
    await shot('11-counter-paid-door-code');

    // Back on the board the room shows booked, live.
    await page.getByRole('button', { name: '回到首页' }).click();
    await page.locator('.board-row[data-room="竹影"] .seg-booked').first().waitFor();
    await shot('12-board-after');
  }, 60_000);

  it('lets a customer give up a held booking, and says so when a hold runs out unpaid', async () => {
    const bookAndWaitToPay = async (room: string, phone: string) => {
      await page.locator('.kiosk-store').click();
      await page.getByRole('button', { name: '立即预订' }).click();
      await page.getByRole('button', { name: new RegExp(room) }).click();
      await page.getByRole('button', { name: '现在' }).click();
      await page.getByRole('button', { name: '1 小时' }).click();
      await tapDigits('phone-keypad', phone);
      await page.getByRole('button', { name: '确认预订' }).click();
      await page.getByRole('button', { name: '到前台付款' }).waitFor();
    };

    // A session package this time: the afternoon's, at its own start.
    await page.locator('.kiosk-store').click();
    await page.getByRole('button', { name: '立即预订' }).click();
    await page.getByRole('button', { name: /竹影/ }).click();
    await page.getByRole('button', { name: '套餐', exact: true }).click();
    await page.getByRole('button', { name: /下午场/ }).click();
    await tapDigits('phone-keypad', '13500135000');
    await expect
      .poll(() => page.getByTestId('quote').textContent(), { timeout: 10_000 })
      .toContain('套餐 · 下午场');
    await shot('13-package');
    await page.getByRole('button', { name: '确认预订' }).click();
    await page.getByRole('button', { name: '不订了，取消' }).click();
    await page.getByText('今日房态').waitFor();
    const day = await h.api('GET', '/api/bookings?date=2026-11-23', undefined, as('cashier'));
    const given = day.body.find((b: { packageId: string | null }) => b.packageId === 'afternoon');
    expect(given.status).toBe('cancelled');

    // A store that holds a booking five minutes: it runs out while the kiosk still holds its pass.
    const rules = await h.api('PATCH', '/api/store', { rules: { holdMinutes: 5 } }, as('owner'));
    expect(rules.status).toBe(200);
    await bookAndWaitToPay('一隅', '13400134000');
    h.clock.advance(6 * 60_000);
    await h.runJobs();
    await page.getByText('保留时间已过，房间已释放。如仍需要，请重新预订。').waitFor();
    await shot('15-hold-ended');
    expect((await bookingIn('一隅'))?.status).toBe('cancelled');
  }, 60_000);

  it('offers only the ways to pay the owner has not switched off, and follows a switch live', async () => {
    const owner = as('owner');
    const switchTo = async (on: boolean) => {
      for (const [place, choice] of [
        ['kiosk', 'payment_code'],
        ['kiosk', 'alipay'],
        ['counter', 'cash'],
        ['counter', 'payment_code'],
      ]) {
        const r = await h.api('PUT', `/api/payment-channels/${place}/${choice}`, { on }, owner);
        expect(r.status).toBe(200);
      }
    };
    await switchTo(false);
    await page.locator('.kiosk-store').click();
    await page.getByRole('button', { name: '立即预订' }).click();
    await page.getByRole('button', { name: /一隅/ }).click();
    await page.getByRole('button', { name: '现在' }).click();
    await page.getByRole('button', { name: '1 小时' }).click();
    await tapDigits('phone-keypad', '13300133000');
    await expect.poll(() => page.getByRole('button', { name: '确认预订' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: '确认预订' }).click();
    await page.getByRole('button', { name: '微信支付' }).waitFor();
    // No Alipay and no payment code here, and nobody sent to a counter that cannot take the money.
    const ways = page.locator('.pay-ways button');
    await expect
      .poll(() => ways.allTextContents(), { timeout: 10_000 })
      .toEqual(['微信支付', '云闪付', '会员储值支付', '扫团购券']);
    await shot('16a-ways-switched-off');
    await page.getByRole('button', { name: '扫团购券' }).click();
    await page.getByText('请出示团购券').waitFor();
    expect(await page.getByTestId('scan-to-pay').textContent()).not.toContain('付款码');
    await shot('16b-vouchers-only');
    await page.getByRole('button', { name: '换一种付款方式' }).click();

    // Switched on again, the screen in front of the customer lists them at once.
    await switchTo(true);
    await expect
      .poll(() => ways.allTextContents(), { timeout: 10_000 })
      .toEqual(['微信支付', '支付宝', '云闪付', '会员储值支付', '扫付款码或团购券', '到前台付款']);
    await shot('16c-ways-on-again');
    await page.getByRole('button', { name: '不订了，取消' }).click();
    await page.getByText('今日房态').waitFor();
  }, 60_000);

  it('goes back to the board after a minute untouched, and asks for pairing again once unpaired', async () => {
    await page.clock.install();
    await page.locator('.kiosk-store').click();
    await page.getByRole('button', { name: '立即预订' }).click();
    await page.getByText('预订房间').waitFor();
    await page.getByRole('button', { name: /观山/ }).click();
    await page.clock.fastForward(61_000);
    await page.getByText('今日房态').waitFor();

    const screens = await h.api('GET', '/api/screens', undefined, as('owner'));
    const kiosk = screens.body.find((x: { name: string }) => x.name === '大堂自助机');
    expect((await h.api('DELETE', `/api/screens/${kiosk.id}`, undefined, as('owner'))).status).toBe(
      200,
    );
    await page.reload();
    await page.getByText('配对这台自助机').waitFor();
    await shot('17-unpaired');
  }, 60_000);
});
