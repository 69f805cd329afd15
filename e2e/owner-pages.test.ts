// The owner's pages over the hub's own API, in a real browser (Debian's Chromium through
// playwright-core) against a real hub: the owner edits the store's hours, adds a room, changes a
// price and sees the quote preview and the kiosk's quote follow, sets a day in the calendar, adds
// a product and restocks it, exports the members (masked, audited), sets the member levels, makes a
// backup; a manager sees the pages without the member export, a cashier none, and the hub refuses
// them when the page is bypassed.
// Every page is saved as a screenshot.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { OWNER_PIN, as, startTestHub, until, type TestHub } from '@roomhub/hub-app/testing';
import {
  builtScreens,
  openBrowser,
  pickOption,
  ROOT,
  screenshotFolder,
  settledDialog,
  shotOnFailure,
} from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/owner-pages');
const MANAGER_PIN = '222222';
const CASHIER_PIN = '333333';
const MEMBER_PHONE = '13900139001';

let h: TestHub;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'owner-pages-'));
shotOnFailure(() => page, SHOTS);

beforeAll(async () => {
  process.env.HUB_SCREENS_DIR = await builtScreens();
  h = await startTestHub();
  const rooms = await h.roomIds();
  // A customer who booked and paid is a member the members page lists.
  const made = await h.api('POST', '/api/bookings', {
    roomId: rooms[1],
    start: '2026-11-23T11:00:00+08:00',
    end: '2026-11-23T13:00:00+08:00',
    partySize: 2,
    customer: { phone: MEMBER_PHONE },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const paid = await h.api(
    'POST',
    `/api/bookings/${made.body.id}/payments`,
    { method: 'cash' },
    as('cashier'),
  );
  expect(paid.status, JSON.stringify(paid.body)).toBe(201);

  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  screenshotFolder('owner-pages');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

/** Saves the page as the owner sees it, once what moves in has stopped moving. */
async function shot(name: string): Promise<void> {
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function signIn(pin: string): Promise<void> {
  // A test before that failed may have left its staff signed in.
  if (await page.getByRole('button', { name: '退出登录' }).isVisible()) await signOut();
  await page.getByPlaceholder('员工密码').fill(pin);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByText('店主后台登录').waitFor();
}

const open = (menu: string) => page.getByRole('menuitem', { name: menu, exact: true }).click();

// A test that failed with a dialog open would leave it over every later test's page: the page
// is loaded again (its sign-in is kept) so each test starts from the pages, not from that dialog.
beforeEach(async () => {
  if (page && (await page.getByRole('dialog').count()) > 0) await page.reload();
});

/** Tries of the campaign test so far: a retry names its campaigns anew. */
let CAMPAIGN_TRIES = 0;
/** Tries of the price test so far: a retry pairs a kiosk of its own (the first is paired). */
let PRICE_TRIES = 0;

describe('the owner’s pages', () => {
  it('edits the store’s hours', async () => {
    await page.goto(`${h.url}/owner/`);
    await signIn(OWNER_PIN);
    for (const item of [
      '门店',
      '包间',
      '价格',
      '日历',
      '商品库存',
      '会员',
      '优惠券',
      '设备',
      '备份',
      '云端同步',
    ])
      await page.getByRole('menuitem', { name: item, exact: true }).waitFor();
    await open('门店');
    const close = page.getByLabel('关门时间');
    await expect.poll(() => close.inputValue()).toBe('24:00');
    await close.fill('23:00');
    await page.getByLabel('纬度').fill('31.2286');
    await page.getByLabel('经度').fill('121.4547');
    await page.getByLabel('门店主题色').fill('#8A4B2A');
    await page.getByRole('button', { name: '保存门店信息' }).click();
    await page.getByText('门店信息已保存').waitFor();
    await shot('01-store');
    const store = await h.api('GET', '/api/store', undefined, as('owner'));
    expect(store.body.hours).toEqual({ open: '00:00', close: '23:00' });
    expect(store.body.location).toEqual({ lat: 31.2286, lng: 121.4547 });
    expect(store.body.theme).toBe('#8a4b2a');

    // A time the hub cannot take is refused on the page, before anything is sent.
    await close.fill('25:00');
    await page.getByRole('button', { name: '保存门店信息' }).click();
    await page.getByText('时间写成 时:分').first().waitFor();
    await shot('02-store-refused');
  }, 120_000);

  it('adds a room', async () => {
    await open('包间');
    await page.getByRole('cell', { name: '听雨' }).waitFor();
    // A retry goes on with the room the first try added.
    if ((await page.getByRole('cell', { name: '竹韵' }).count()) === 0) {
      await page.getByRole('button', { name: '添加包间' }).click();
      // Filled once it has finished zooming in (a click while it moves can be lost).
      const dialog = await settledDialog(page);
      await dialog.getByLabel('名称').fill('竹韵');
      await dialog.getByLabel('风格').fill('中式麻将房');
      await dialog.getByRole('combobox', { name: '设施' }).fill('自动麻将机');
      await dialog.getByRole('combobox', { name: '设施' }).press('Enter');
      await shot('03-room-add');
      await dialog.getByRole('button', { name: '保存' }).click();
    }
    await page.getByRole('cell', { name: '竹韵' }).waitFor();
    await shot('04-rooms');
    const rooms = await h.api('GET', '/api/rooms', undefined, as('owner'));
    const added = rooms.body.find((r: { name: string }) => r.name === '竹韵');
    expect(added).toMatchObject({
      style: '中式麻将房',
      facilities: ['自动麻将机'],
      pricePlan: { rates: { workday: 6800, weekend: 8800, holiday: 9800 } },
    });

    // 观山 has a booking to come: the hub refuses to retire it, and the page says why.
    await page.getByRole('row', { name: /观山/ }).getByRole('button', { name: '停用' }).click();
    await page.getByRole('tooltip').getByRole('button', { name: '停用' }).click();
    await page
      .getByTestId('rooms-refusal')
      .getByText('观山：这个包间还有未完成的预订，请先改期或取消这些预订再停用。')
      .waitFor();
    await shot('04b-room-retire-refused');
    const still = await h.api('GET', '/api/rooms', undefined, as('owner'));
    expect(still.body.find((r: { name: string }) => r.name === '观山').status).toBe('active');
  }, 120_000);

  it('changes a price and adds a promotion, and sees the quote preview and the kiosk follow', async () => {
    PRICE_TRIES += 1;
    await open('价格');
    const total = page.getByTestId('preview-total');
    const workday = page.getByLabel('工作日').first();
    const promotion = page.getByRole('cell', { name: '冬季九折', exact: true });
    // Tomorrow (a Tuesday) 14:00 to 16:00 in 听雨, at its workday rate of 38 yuan an hour; a
    // retry finds what the first try saved: 45 yuan, and perhaps the promotion's 10% off too.
    const saved = await h.api('GET', '/api/promotions', undefined, as('owner'));
    const off = (saved.body as { name: string }[]).some((p) => p.name === '冬季九折');
    const newTotal = off ? '¥81.00' : '¥90.00';
    if (PRICE_TRIES === 1) {
      await expect.poll(() => total.textContent()).toBe('¥76.00');
      await shot('05-prices');
    } else {
      await expect.poll(() => total.textContent()).toMatch(/^¥(76|90|81)\.00$/);
    }
    await workday.fill('45');
    await page.getByRole('button', { name: '保存价格方案' }).click();
    await page.getByText('听雨 的价格已保存').waitFor();
    await expect.poll(() => total.textContent()).toBe(newTotal);
    const rooms = await h.api('GET', '/api/rooms', undefined, as('owner'));
    const quote = await h.api('POST', '/api/quotes', {
      roomId: rooms.body[0].id,
      start: '2026-11-24T14:00:00+08:00',
      end: '2026-11-24T16:00:00+08:00',
    });
    expect(quote.body.total).toBe(off ? 8100 : 9000);
    await shot('06-prices-changed');

    // The kiosk, paired by the owner, quotes the new rate: two hours in 听雨 from 10:00 today, a
    // workday in the standard band, 45 yuan an hour where it was 38.
    const pairing = await h.api(
      'POST',
      '/api/screens/pairing-codes',
      { name: '大堂自助机', kind: 'kiosk' },
      as('owner'),
    );
    expect(pairing.status).toBe(201);
    const kiosk = await openBrowser(join(scratch, `kiosk-${PRICE_TRIES}`), {
      viewport: { width: 1280, height: 1024 },
      reducedMotion: 'reduce',
    });
    try {
      const k = kiosk.pages()[0] ?? (await kiosk.newPage());
      const tap = async (keypad: string, digits: string) => {
        for (const d of digits) {
          await k.getByTestId(keypad).getByRole('button', { name: d, exact: true }).click();
        }
      };
      await k.goto(`${h.url}/kiosk/`);
      await k.getByText('配对这台自助机').waitFor();
      await tap('pairing-keypad', pairing.body.code as string);
      await k.getByRole('button', { name: '配对' }).click();
      await k.getByText('今日房态').waitFor();
      const free = k.locator('.board-row[data-room="听雨"] .seg.bookable').first();
      await free.waitFor();
      await free.click({ position: { x: 4, y: 20 } });
      await k.getByText('预订房间').waitFor();
      await k.getByRole('button', { name: '2 小时' }).click();
      await tap('phone-keypad', '13800138000');
      await expect
        .poll(() => k.getByTestId('quote-total').textContent(), { timeout: 10_000 })
        .toBe(newTotal);
      expect(await k.getByTestId('quote').textContent()).toContain('工作日 · 标准时段 · 120 分钟');
      await k.screenshot({ path: join(SHOTS, '06a-kiosk-quote-follows.png'), fullPage: true });
    } finally {
      await kiosk.close();
    }

    // A promotion of 10% off is its own line of the quote.
    // A retry goes on with the promotion the first try added.
    if ((await promotion.count()) === 0) {
      await page.getByRole('button', { name: '新建优惠活动' }).click();
      const dialog = await settledDialog(page);
      await dialog.getByLabel('活动名称').fill('冬季九折');
      await dialog.getByLabel('减百分之几').fill('10');
      await dialog.getByRole('button', { name: '保存' }).click();
    }
    await promotion.waitFor();
    await expect.poll(() => total.textContent()).toBe('¥81.00');
    await page.getByTestId('quote-preview').getByText('优惠活动').waitFor();
    await shot('06b-prices-promotion');
  }, 120_000);

  it('sets a day of the calendar', async () => {
    await open('日历');
    const month = page.getByTestId('calendar-month');
    // A try before may have left October shown (the page stays open across the menu's click).
    await month.getByText(/^2026-1[01]$/).waitFor();
    if (await month.getByText('2026-10').isVisible()) {
      await page.getByRole('button', { name: '下个月' }).click();
    }
    await month.getByText('2026-11').waitFor();
    await page.getByTestId('day-2026-11-25').click();
    await settledDialog(page);
    // Should a click still be lost on a busy machine, the choice is clicked until it holds, as an
    // owner would tap again.
    const holiday = page.getByRole('dialog').getByRole('radio', { name: '按节假日价' });
    await until('按节假日价 chosen', async () => {
      if (!(await holiday.isChecked())) {
        await page.getByRole('dialog').getByText('按节假日价').click();
      }
      return (await holiday.isChecked()) ? true : undefined;
    });
    await page.getByLabel('备注').fill('店庆');
    await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
    await page.getByTestId('day-2026-11-25').getByText('店庆').waitFor();
    await shot('07-calendar');
    // October: the National Day week from the official calendar, with its make-up working days.
    await page.getByRole('button', { name: '上个月' }).click();
    await page.getByTestId('day-2026-10-01').getByText('法定节假日').waitFor();
    expect(await page.getByText('调休上班', { exact: true }).count()).toBeGreaterThan(1);
    await shot('07b-calendar-national-day');
    const days = await h.api('GET', '/api/calendar?from=2026-11-25&to=2026-11-25');
    expect(days.body[0]).toMatchObject({ type: 'holiday', source: 'override', note: '店庆' });
  }, 120_000);

  it('adds a product and restocks it', async () => {
    await open('商品库存');
    // A retry goes on from what the first try made: the category and the product stay.
    const empty = page.getByText('还没有商品分类');
    await empty
      .or(page.getByRole('button', { name: '添加商品' }))
      .first()
      .waitFor();
    if ((await empty.count()) > 0) {
      await shot('08-products-empty');
      await page.getByRole('button', { name: '添加分类' }).click();
      // Each dialog is filled once it has finished zooming in (a click while it moves can be lost).
      await (await settledDialog(page)).getByLabel('分类名称').fill('茶叶');
      await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
      await page.getByText('已添加分类 茶叶').waitFor();
    }
    const product = page.getByRole('cell', { name: '西湖龙井', exact: true });
    if ((await product.count()) === 0) {
      await page.getByRole('button', { name: '添加商品' }).click();
      const dialog = await settledDialog(page);
      await dialog.getByLabel('商品名称').fill('西湖龙井');
      await dialog.getByLabel('价格（元）').fill('58');
      await dialog.getByLabel('规格').fill('杯型: 中杯, 大杯+5');
      await dialog.getByLabel('照片').fill('/media/longjing.jpg');
      await dialog.getByLabel('照片').press('Enter');
      await dialog.getByLabel('计库存').click();
      await dialog.getByLabel('库存提醒数量').fill('5');
      await dialog.getByRole('button', { name: '保存' }).click();
      await product.waitFor();
    }
    const before = (await h.api('GET', '/api/stock', undefined, as('owner'))).body.find(
      (s: { name: string }) => s.name === '西湖龙井',
    ) as { balance: number };
    if (before.balance <= 5) {
      // At or below its threshold (none on the shelf yet), it is called out.
      await page
        .getByTestId('low-stock')
        .getByText(/西湖龙井/)
        .waitFor();
      await shot('09-products-low');
    }
    await page
      .getByRole('row', { name: /西湖龙井/ })
      .getByRole('button', { name: '进货/盘点' })
      .click();
    await (await settledDialog(page)).getByLabel('数量', { exact: true }).fill('20');
    await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
    await expect
      .poll(() => page.getByTestId('stock-西湖龙井').textContent())
      .toMatch(new RegExp(`^${before.balance + 20}`));
    expect(await page.getByTestId('low-stock').count()).toBe(0);
    await shot('10-products-restocked');
    const stock = await h.api('GET', '/api/stock', undefined, as('owner'));
    expect(stock.body).toContainEqual(
      expect.objectContaining({ name: '西湖龙井', balance: before.balance + 20, low: false }),
    );
    const menu = await h.api('GET', '/api/menu', undefined, as('owner'));
    expect(
      (menu.body.categories as { items: { name: string; photos: string[] }[] }[])
        .flatMap((c) => c.items)
        .find((i) => i.name === '西湖龙井')?.photos,
    ).toEqual(['/media/longjing.jpg']);
  }, 120_000);

  it('exports the members, masked, and the hub audits it', async () => {
    await open('会员');
    await page
      .getByRole('cell', { name: MEMBER_PHONE })
      .or(page.getByRole('cell', { name: '139****9001' }))
      .first()
      .waitFor();
    await shot('11-members');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('members-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^members-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('139****9001');
    expect(csv).not.toContain(MEMBER_PHONE);
    await page.getByText(/已导出/).waitFor();
    const audit = await h.api('GET', '/api/audit?limit=5', undefined, as('owner'));
    expect(audit.body.map((e: { action: string }) => e.action)).toContain('member.export');
  }, 120_000);

  it('sets the member levels and points rules; a level a member holds is not removed', async () => {
    const levels = page.getByTestId('member-levels');
    await levels.getByText('还没有会员等级').waitFor();
    await levels.getByRole('button', { name: '添加等级' }).click();
    await levels.getByRole('button', { name: '添加等级' }).click();
    const names = levels.getByLabel('等级名称');
    await names.nth(0).fill('普通会员');
    await names.nth(1).fill('金卡');
    await levels.getByLabel('累计消费达到').nth(1).fill('1000');
    await levels.getByLabel('包间折扣').nth(1).fill('10');
    await levels.getByLabel('生日送积分').nth(1).fill('200');
    await levels.getByLabel('每积分抵扣').fill('0.05');
    await shot('11-levels');
    await levels.getByRole('button', { name: '保存等级与积分规则' }).click();
    await page.getByText('会员等级与积分规则已保存').waitFor();
    const saved = await h.api('GET', '/api/member-levels', undefined, as('owner'));
    expect(saved.body.rules).toMatchObject({ levelRule: 'spend', fenPerPoint: 5 });
    expect(saved.body.levels).toMatchObject([
      { name: '普通会员', threshold: 0, roomPercentOff: 0 },
      { name: '金卡', threshold: 100000, roomPercentOff: 10, birthdayPoints: 200 },
    ]);
    // The list above shows the level the member now holds.
    await page.getByRole('row', { name: /139.*普通会员/ }).waitFor();
    // The member who paid a booking holds the lowest level; removing it is refused in words.
    await levels.getByRole('button', { name: '删除' }).first().click();
    await levels.getByRole('button', { name: '保存等级与积分规则' }).click();
    await page
      .getByText(/还有.*会员|会员.*等级/)
      .first()
      .waitFor();
    expect(
      (await h.api('GET', '/api/member-levels', undefined, as('owner'))).body.levels,
    ).toHaveLength(2);
    await shot('11-levels-refused');
    await open('会员');
  }, 120_000);

  it('starts a coupon campaign, switches a light by hand and gives it back, reads the sync, backs up', async () => {
    // A retry names its campaigns anew: the first try's are still there.
    CAMPAIGN_TRIES += 1;
    const winter =
      ['冬日领券', '新春领券', '元宵领券'][CAMPAIGN_TRIES - 1] ?? `领券${CAMPAIGN_TRIES}`;
    const birthday =
      ['金卡生日礼', '金卡寿星礼', '金卡庆生礼'][CAMPAIGN_TRIES - 1] ?? `生日礼${CAMPAIGN_TRIES}`;
    const winterRow = new RegExp(`^${winter}`);
    await open('优惠券');
    await page.getByText('优惠券活动', { exact: true }).waitFor();
    await page.getByRole('button', { name: '新建活动' }).click();
    // Each dialog is filled once it has finished zooming in (a click while it moves can be lost).
    const dialog = await settledDialog(page);
    await dialog.getByLabel('活动名称').fill(winter);
    await dialog.getByLabel('券名称').fill('包间立减10元');
    await dialog.getByLabel('减多少').fill('10');
    await shot('12-coupons-new');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByRole('cell', { name: winterRow }).waitFor();
    // Its results: nothing issued yet.
    await page.getByRole('row', { name: winterRow }).getByText('进行中').waitFor();
    await shot('12-coupons');
    const listed = await h.api('GET', '/api/campaigns', undefined, as('owner'));
    const made = listed.body.find((c: { name: string }) => c.name === winter);
    expect(made).toMatchObject({
      name: winter,
      kind: 'claim',
      coupon: { rule: { kind: 'amount', amountOff: 1000, minSpend: 0 } },
    });

    // Its coupon given by hand to two customers, the second number pasted after a comma.
    await page.getByRole('row', { name: winterRow }).getByRole('button', { name: '发券' }).click();
    await settledDialog(page);
    await dialog.getByLabel('顾客手机号').fill('13800138071，13800138072');
    await dialog.getByLabel('备注').fill('开业回馈');
    await dialog.getByText('共 2 个号码').waitFor();
    await shot('12-coupons-give');
    await dialog.getByRole('button', { name: '发给 2 人' }).click();
    await page.getByText('已发出 2 张券。').waitFor();
    const givenTo = await h.api('GET', `/api/campaigns/${made.id}/results`, undefined, as('owner'));
    expect(givenTo.body.issued).toBe(2);

    // Its terms changed once it runs: a total below the two given out is refused in words, then
    // a total of 100, a later claim end and a new name are kept; the coupons given stay given.
    const laterEnd = new Date(Date.parse(`${made.claimTo}T00:00:00Z`) + 10 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    await page.getByRole('row', { name: winterRow }).getByRole('button', { name: '修改' }).click();
    await settledDialog(page);
    await dialog.getByText(`从 ${made.claimFrom} 开始领取`).waitFor();
    await dialog.getByLabel('总共发放').fill('1');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('这个活动发出的券已经比这个总量多了，请填一个更大的数。').waitFor();
    await shot('12-coupons-edit-refused');
    await dialog.getByLabel('活动名称').fill(`${winter}（加量）`);
    await dialog.getByLabel('结束领取').fill(laterEnd);
    await dialog.getByLabel('总共发放').fill('100');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText(`已修改活动 ${winter}（加量）`).waitFor();
    await page.getByRole('cell', { name: `${winter}（加量）` }).waitFor();
    const edited = await h.api('GET', `/api/campaigns/${made.id}`, undefined, as('owner'));
    expect(edited.body).toMatchObject({
      name: `${winter}（加量）`,
      claimTo: laterEnd,
      totalLimit: 100,
    });
    const stillGiven = await h.api(
      'GET',
      `/api/campaigns/${made.id}/results`,
      undefined,
      as('owner'),
    );
    expect(stillGiven.body.issued).toBe(2);
    await shot('12-coupons-edited');

    // A birthday gift for one level's members only (the levels set on the members page).
    await page.getByRole('button', { name: '新建活动' }).click();
    await settledDialog(page);
    await dialog.getByLabel('活动名称').fill(birthday);
    await pickOption(page, dialog.getByLabel('发放方式'), '生日礼');
    await dialog.getByText('不选则所有会员都收到').waitFor();
    await pickOption(page, dialog.getByLabel('会员等级'), '金卡');
    await dialog.getByLabel('券名称').fill('生日立减20元');
    await dialog.getByLabel('减多少').fill('20');
    await shot('12-coupons-birthday-level');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByRole('cell', { name: new RegExp(`^${birthday}`) }).waitFor();
    const withBirthday = await h.api('GET', '/api/campaigns', undefined, as('owner'));
    expect(withBirthday.body.find((c: { name: string }) => c.name === birthday)).toMatchObject({
      kind: 'birthday',
      level: '金卡',
    });

    await open('设备');
    await page.getByText('总线', { exact: true }).waitFor();
    const light = page.getByRole('row', { name: /^101 听雨 灯/ });
    // A try that failed with the light held by hand gives it back first.
    await light
      .getByRole('button', { name: /手动开|恢复自动/ })
      .first()
      .waitFor();
    if ((await light.getByRole('button', { name: '恢复自动' }).count()) > 0) {
      await light.getByRole('button', { name: '恢复自动' }).click();
      await (await settledDialog(page)).getByLabel('原因').fill('重试前恢复');
      await page.getByRole('dialog').getByRole('button', { name: '恢复自动' }).click();
      await expect.poll(() => light.getByRole('button', { name: '恢复自动' }).count()).toBe(0);
    }
    await light.getByRole('button', { name: '手动开' }).click();
    // Filled and answered once the dialog has finished zooming in: a click while it still moved
    // was lost on a busy machine, and the dialog stayed open.
    await (await settledDialog(page)).getByLabel('原因').fill('保洁检查灯具');
    await page.getByRole('dialog').getByRole('button', { name: '手动开' }).click();
    await page.getByText('已手动打开').waitFor();
    await light.getByRole('button', { name: '恢复自动' }).waitFor();
    await shot('13-devices');
    const devices = await h.api('GET', '/api/devices', undefined, as('owner'));
    const rooms = await h.api('GET', '/api/rooms', undefined, as('owner'));
    const held = devices.body.devices.find(
      (d: { kind: string; rooms: string[] }) =>
        d.kind === 'light' && d.rooms.length === 1 && d.rooms[0] === rooms.body[0].id,
    );
    expect(held.override).toBe(true);
    await light.getByRole('button', { name: '恢复自动' }).click();
    await (await settledDialog(page)).getByLabel('原因').fill('检查完毕');
    await page.getByRole('dialog').getByRole('button', { name: '恢复自动' }).click();
    await page.getByText('已恢复按订单自动控制').waitFor();
    await expect.poll(() => light.getByRole('button', { name: '恢复自动' }).count()).toBe(0);
    await open('云端同步');
    await page.getByTestId('sync-state').waitFor();
    await shot('14-sync');
    await open('备份');
    await page.getByRole('button', { name: '立即备份' }).click();
    await page.getByTestId('backup-file').waitFor();
    expect(await page.getByTestId('backup-file').textContent()).toMatch(/hub-.*\.db/);
    await shot('15-backup');
    // The same pages in English.
    await page.getByRole('button', { name: 'English' }).click();
    await open('Prices');
    await page.getByText('Quote preview').waitFor();
    await expect.poll(() => page.getByTestId('preview-total').textContent()).toBe('¥81.00');
    await shot('15b-prices-english');
    await page.getByRole('button', { name: '中文' }).click();
    await signOut();
  }, 120_000);

  it('shows a manager the pages without the member export; the hub refuses the export', async () => {
    await signIn(MANAGER_PIN);
    await open('会员');
    await page.getByText(/共 \d+ 位会员/).waitFor();
    expect(await page.getByTestId('members-csv').count()).toBe(0);
    await shot('16-manager-members');
    const answer = await page.evaluate(async () => {
      const storage = (
        globalThis as unknown as { sessionStorage: { getItem: (k: string) => string | null } }
      ).sessionStorage;
      const token = (
        JSON.parse(storage.getItem('roomhub.staffSignIn') ?? '{}') as { token?: string }
      ).token;
      const res = await fetch('/api/members/export.csv?full=1', {
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: res.status, body: (await res.json()) as unknown };
    });
    expect(answer).toMatchObject({ status: 403, body: { error: { code: 'not_allowed' } } });
    await signOut();
  }, 60_000);

  it('shows a cashier none of the pages, and the hub refuses them when bypassed', async () => {
    await signIn(CASHIER_PIN);
    await page.getByTestId('not-for-role').waitFor();
    expect(await page.getByRole('menuitem').count()).toBe(0);
    await page.goto(`${h.url}/owner/prices`);
    await page.getByTestId('not-for-role').waitFor();
    await shot('17-cashier-refused');
    const answers = await page.evaluate(async () => {
      const storage = (
        globalThis as unknown as { sessionStorage: { getItem: (k: string) => string | null } }
      ).sessionStorage;
      const token = (
        JSON.parse(storage.getItem('roomhub.staffSignIn') ?? '{}') as { token?: string }
      ).token;
      const send = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(path, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        return { status: res.status, body: (await res.json()) as unknown };
      };
      return [
        await send('PATCH', '/api/store', { hours: { open: '00:00', close: '12:00' } }),
        await send('POST', '/api/menu/items', { categoryId: 'x', name: '茶', price: 1 }),
        await send('GET', '/api/members'),
        await send('POST', '/api/backups'),
      ];
    });
    for (const a of answers)
      expect(a).toMatchObject({ status: 403, body: { error: { code: 'not_allowed' } } });
    const store = await h.api('GET', '/api/store', undefined, as('owner'));
    expect(store.body.hours.close).toBe('23:00');
  }, 60_000);
});
