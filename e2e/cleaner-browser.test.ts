// The cleaner's phone page in a real browser (Debian's Chromium through playwright-core, a phone's
// screen) against a real hub with its Modbus simulator: the cleaner signs in with their PIN, two
// sessions end and their rooms appear live, another cleaner is quicker to one of them (the page
// names who), the cleaner takes the other, gives it back and takes it again, opens its door,
// sends a photo from the phone's camera input, marks it clean with a note, and the room is free
// on the board; the page says so when the phone loses the hub, and reads in English too. The
// screens are built from the current source into a folder of the test's own, and every screen
// the cleaner sees is saved as a screenshot (the folder is printed).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { as, at, startTestHub, type TestHub } from '@roomhub/hub-app/testing';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/cleaner');
shotOnFailure(() => page, SHOTS);
const DATE = '2026-11-23';

let h: TestHub;
let wifi: Wifi;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'cleaner-browser-'));

beforeAll(async () => {
  // The screens as the source makes them now, built once for every browser test.
  process.env.HUB_SCREENS_DIR = await builtScreens();
  h = await startTestHub();
  wifi = await storeWifi(new URL(h.url));
  // A phone held upright: an ordinary 6.1" screen, touch, twice the pixels.
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  screenshotFolder('cleaner');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await wifi?.close();
  await h?.close();
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

interface Wifi {
  /** Where the phone reaches the hub through it. */
  url: string;
  /** Out of range: every connection dies and new ones are refused. */
  drop(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * The store's Wi-Fi between the phone and the hub: a relay of bytes that can drop every
 * connection and refuse new ones, as walking out of range does.
 */
async function storeWifi(hub: URL): Promise<Wifi> {
  const open = new Set<Socket>();
  let up = true;
  const server: Server = createServer((phone) => {
    if (!up) return phone.destroy();
    const toHub = connect(Number(hub.port), hub.hostname);
    const end = () => {
      phone.destroy();
      toHub.destroy();
      open.delete(phone);
    };
    open.add(phone);
    phone.pipe(toHub).pipe(phone);
    for (const s of [phone, toHub]) {
      s.on('error', end);
      s.on('close', end);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    drop() {
      up = false;
      for (const s of open) s.destroy();
    },
    restore() {
      up = true;
    },
    close: () => {
      for (const s of open) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const shot = (name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/**
 * A picture as a phone's camera input hands it over: a PNG file of a soft gradient, or with
 * `grain` a camera's full-size picture whose noise does not compress (megabytes).
 */
function writePng(path: string, width = 320, height = 240, grain = false): Buffer {
  const rows = grain
    ? randomBytes((width * 3 + 1) * height)
    : Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    rows[row] = 0; // no filter
    if (grain) continue;
    for (let x = 0; x < width; x++) {
      rows[row + 1 + x * 3] = 200 - Math.round((y / height) * 60);
      rows[row + 2 + x * 3] = 190 + Math.round((x / width) * 40);
      rows[row + 3 + x * 3] = 160;
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  writeFileSync(path, png);
  return png;
}

/** A walk-in paid at the counter whose guests opened the door at 10:00: their session is on. */
async function sessionUnderWay(roomId: string, phone: string): Promise<string> {
  const b = await h.api('POST', '/api/bookings', {
    roomId,
    start: at('10:00'),
    end: at('12:00'),
    partySize: 2,
    customer: { phone },
  });
  expect(b.status).toBe(201);
  const paid = await h.api(
    'POST',
    `/api/bookings/${b.body.id}/payments`,
    { method: 'cash' },
    as('cashier'),
  );
  expect(paid.status).toBe(201);
  expect((await h.api('POST', `/api/bookings/${b.body.id}/door`)).status).toBe(200);
  return b.body.id;
}

/** The guests leave early: the counter ends their session. */
async function sessionEnds(bookingId: string): Promise<void> {
  const r = await h.api('POST', `/api/bookings/${bookingId}/finish`);
  expect(r.status).toBe(200);
}

/** The pulses the hub sent to the room locks (relay board 1). */
const lockPulses = () => h.devices.simulator!.writes().filter((w) => w.slaveId === 1).length;

/** A task's photo as staff see it. */
async function photoOf(taskId: string): Promise<{ type: string | null; bytes: Buffer }> {
  const res = await fetch(`${h.url}/api/cleaning/tasks/${taskId}/photo`, {
    headers: await h.headersOf('manager'),
  });
  expect(res.status).toBe(200);
  return { type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The width and height a JPEG says it has (its start-of-frame marker). */
function jpegSize(jpeg: Buffer): { width: number; height: number } {
  for (let i = 2; i < jpeg.length - 9;) {
    const marker = jpeg[i + 1]!;
    if (marker >= 0xc0 && marker <= 0xc2) {
      return { height: jpeg.readUInt16BE(i + 5), width: jpeg.readUInt16BE(i + 7) };
    }
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  throw new Error('no frame in this JPEG');
}

const card = (room: string) => page.locator(`[data-testid="task"][data-room="${room}"]`);

describe("the cleaner's phone", () => {
  it('is served by the hub itself at /cleaner/', async () => {
    for (const path of ['/cleaner/', '/cleaner/tasks/some-task']) {
      const res = await fetch(`${h.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('<div id="root">');
    }
  });

  it('follows rooms to clean live, is told who was quicker, and cleans one until it is free on the board', async () => {
    const rooms = (await h.api('GET', '/api/rooms')).body as { id: string; name: string }[];
    const [first, second] = rooms;
    // A second cleaner, made by the owner.
    const liu = await h.api(
      'POST',
      '/api/staff',
      { name: '刘保洁', role: 'cleaner', pin: '666666' },
      as('owner'),
    );
    expect(liu.status).toBe(201);

    // Guests are in two rooms; it is half past ten when the cleaner opens the page.
    const inFirst = await sessionUnderWay(first!.id, '13800138000');
    const inSecond = await sessionUnderWay(second!.id, '13900139000');
    h.clock.set(Date.parse(at('10:30')));

    // Signing in: a wrong PIN, then someone who does not clean, then the cleaner.
    await page.goto(`${wifi.url}/cleaner/`);
    await page.getByText('保洁登录').waitFor();
    await shot('01-sign-in');
    const pin = page.getByRole('textbox', { name: '员工密码' });
    await pin.fill('000000');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('员工密码不对，请重新输入。').waitFor();
    await pin.fill('333333');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('这个页面给保洁用。李收银是收银员，请到收银台的屏幕上操作。').waitFor();
    await shot('02-not-a-cleaner');
    await pin.fill('555555');
    await page.getByRole('button', { name: '登录' }).click();

    // Nothing to clean yet: the guests are still in.
    await page.getByText('现在没有要打扫的房间').waitFor();
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('陈保洁');
    await shot('03-nothing-to-clean');

    // Both sessions end; the rooms appear on the phone by the hub's events, no reload.
    await sessionEnds(inFirst);
    await sessionEnds(inSecond);
    await card(first!.name).waitFor();
    await card(second!.name).waitFor();
    expect(await card(first!.name).textContent()).toContain('10:30 客人离开');
    expect(await card(first!.name).textContent()).toContain('10:45 起可再预订');
    await shot('04-rooms-to-clean');

    // 刘保洁 takes the second room a moment before this cleaner's tap reaches the hub.
    const liuToken = (await h.api('POST', '/api/auth/sign-in', { pin: '666666' }, as('anonymous')))
      .body.token as string;
    await page.route('**/api/cleaning/tasks/*/take', async (route) => {
      const id = /tasks\/([^/]+)\/take/.exec(route.request().url())![1]!;
      const quicker = await h.api('POST', `/api/cleaning/tasks/${id}/take`, undefined, {
        ...as('anonymous'),
        authorization: `Bearer ${liuToken}`,
      });
      expect(quicker.status).toBe(200);
      await route.continue();
    });
    await card(second!.name).getByRole('button', { name: '接单' }).click();
    await page.getByText('刘保洁已经接了这个房间，请打扫别的房间。').waitFor();
    await page.unroute('**/api/cleaning/tasks/*/take');
    await page.getByText('刘保洁正在打扫').waitFor();
    expect(await card(second!.name).getAttribute('data-status')).toBe('taken');
    await shot('05-someone-was-quicker');

    // The first room: taken, given back, taken again.
    await card(first!.name).getByRole('button', { name: '接单' }).click();
    await page.getByRole('button', { name: '打扫完成' }).waitFor();
    await shot('06-cleaning-a-room');
    await page.getByRole('button', { name: '不打扫了，退回任务' }).click();
    await page.getByText('退回后别的保洁可以接这个房间。确定退回吗？').waitFor();
    await shot('07-give-back');
    await page.getByRole('button', { name: '确定' }).click();
    await card(first!.name).getByRole('button', { name: '接单' }).waitFor();
    const [task] = (
      await h.api('GET', `/api/cleaning/tasks?roomId=${first!.id}`, undefined, as('manager'))
    ).body as { id: string; status: string }[];
    expect(task!.status).toBe('open');
    await card(first!.name).getByRole('button', { name: '接单' }).click();

    // The door opens on the simulator's lock relay.
    const before = lockPulses();
    await page.getByRole('button', { name: '开门' }).click();
    await page.getByText('门已打开').waitFor();
    expect(lockPulses()).toBe(before + 1);
    await shot('08-door-open');

    // The camera's full-size picture, more than the hub takes, is made smaller on the phone.
    const input = page.getByTestId('photo-input');
    expect(await input.getAttribute('capture')).toBe('environment');
    expect(await input.getAttribute('accept')).toBe('image/*');
    const camera = writePng(join(scratch, 'camera.png'), 2400, 1800, true);
    expect(camera.length).toBeGreaterThan(5 * 1024 * 1024);
    const sent = () =>
      page.waitForResponse((r) => r.url().endsWith('/photo') && r.request().method() === 'POST');
    let answer = sent();
    await input.setInputFiles(join(scratch, 'camera.png'));
    expect((await answer).status()).toBe(200);
    await page.getByTestId('photo-saved').waitFor();
    let photo = await photoOf(task!.id);
    expect(photo.type).toBe('image/jpeg');
    expect(jpegSize(photo.bytes)).toEqual({ width: 1600, height: 1200 });

    // Taken again: a small picture goes to the hub as it is, in place of the first.
    const png = writePng(join(scratch, 'room.png'));
    answer = sent();
    await page.getByRole('button', { name: '重拍' }).click();
    await input.setInputFiles(join(scratch, 'room.png'));
    expect((await answer).status()).toBe(200);
    await page.getByTestId('photo-preview').waitFor();
    photo = await photoOf(task!.id);
    expect(photo.type).toBe('image/png');
    expect(photo.bytes.equals(png)).toBe(true);
    await page.getByPlaceholder('有东西坏了或少了？写一句').fill('茶杯少了一个');
    await shot('09-photo-and-note');

    // Clean: the room is free on the board at once, not at the end of the cleaning buffer.
    await page.getByRole('button', { name: '打扫完成' }).click();
    await page.getByText(`${first!.name}已打扫完成，可以接待下一位客人了`).waitFor();
    await shot('10-room-clean');
    const done = await h.api('GET', `/api/cleaning/tasks/${task!.id}`, undefined, as('manager'));
    expect(done.body).toMatchObject({
      status: 'done',
      holder: { name: '陈保洁' },
      note: '茶杯少了一个',
      photo: `/api/cleaning/tasks/${task!.id}/photo`,
    });
    const board = (await h.api('GET', `/api/board?date=${DATE}`)).body as {
      rooms: { room: { id: string }; now: string }[];
    };
    expect(board.rooms.find((r) => r.room.id === first!.id)?.now).toBe('free');
    expect(board.rooms.find((r) => r.room.id === second!.id)?.now).toBe('cleaning');

    await page.getByRole('button', { name: '任务列表' }).click();
    await page.getByText('今天我已打扫 1 间').waitFor();
    expect(await card(first!.name).count()).toBe(0);
    await shot('11-after-cleaning');
    expect(readFileSync(join(SHOTS, '11-after-cleaning.png')).length).toBeGreaterThan(0);
  }, 90_000);

  it('says in one quiet line when the phone cannot reach the hub, and carries on when it can', async () => {
    wifi.drop();
    await page.getByTestId('hub-down').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('hub-down').textContent()).toBe(
      '连不上门店主机，请确认手机连着店里的 Wi-Fi',
    );
    await shot('12-hub-unreachable');
    wifi.restore();
    await page.getByTestId('hub-down').waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByText('今天我已打扫 1 间').waitFor();
  }, 30_000);

  it('reads in English at a tap, and keeps the choice', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('Others are cleaning').waitFor();
    await page.getByText('Rooms I cleaned today: 1').waitFor();
    await shot('13-english');
    await page.reload();
    await page.getByText('Others are cleaning').waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByText('别人在打扫').waitFor();
  }, 30_000);

  it('asks for the PIN again once the sign-in has ended, rather than saying the hub is away', async () => {
    // The manager gives 陈保洁 a new PIN: sign-ins with the old one end.
    const id = await h.staffId('cleaner');
    const reset = await h.api('POST', `/api/staff/${id}/pin`, { pin: '555556' }, as('manager'));
    expect(reset.status).toBe(200);
    wifi.drop();
    wifi.restore();
    await page.getByText('保洁登录').waitFor({ timeout: 15_000 });
    await shot('14-signed-out');
  }, 30_000);
});

/** This machine's first address on a network other than loopback, if it has one. */
function lanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

describe.skipIf(!lanAddress())("a new cleaner's phone on the store's Wi-Fi", () => {
  it('is paired once with the manager’s code, then the cleaner signs in on it', async () => {
    const lanHub = await startTestHub({ host: '0.0.0.0' });
    const phone = await browser.newPage();
    try {
      const url = `http://${lanAddress()}:${new URL(lanHub.url).port}/cleaner/`;
      await phone.goto(url);
      const pin = phone.getByRole('textbox', { name: '员工密码' });
      await pin.fill('555555');
      await phone.getByRole('button', { name: '登录' }).click();
      await phone.getByText('这部手机还没有和门店主机配对，请输入店长给的配对码。').waitFor();
      const code = await lanHub.api(
        'POST',
        '/api/screens/pairing-codes',
        { name: '陈保洁的手机', kind: 'phone' },
        as('manager'),
      );
      expect(code.status, JSON.stringify(code.body)).toBe(201);
      await phone.screenshot({ path: join(SHOTS, '15-pair-phone.png'), fullPage: true });
      await phone.getByRole('textbox', { name: '配对码（8 位数字）' }).fill(code.body.code);
      await phone.getByRole('button', { name: '配对这部手机' }).click();
      await pin.fill('555555');
      await phone.getByRole('button', { name: '登录' }).click();
      // Signed in: nothing to clean in this new store yet, and the hub answers the phone.
      await phone.getByText('现在没有要打扫的房间').waitFor();
      await phone.screenshot({ path: join(SHOTS, '16-paired-signed-in.png'), fullPage: true });
    } finally {
      await phone.close();
      await lanHub.close();
    }
  }, 60_000);
});
