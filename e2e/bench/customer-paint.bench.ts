// `npm run bench` (the customer's pages): what a customer opening the store's pages on a phone waits
// for, measured in Debian's Chromium against a cloud service on this machine with a store's hub
// and the embedded CouchDB behind it: the first paint of the H5 (375 x 812, touch, twice the
// pixels) and the store list on screen, from a cold load (a new profile each time), once as the
// loopback gives it and once over a phone's 4G line (Chromium's network emulation: 40 ms round
// trip, 9 Mbit/s down); and the H5's JavaScript gzipped as the build prints it. Printed beside the
// targets; never throws on a miss.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { startStoreAndCloud } from '../fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = Number(process.env.BENCH_CUSTOMER_RUNS ?? 10);
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'];
const TARGET = { paintMs: 1_500 };
/** A phone on 4G, as Chromium's DevTools throttle it (bytes per second). */
const FOUR_G = {
  latency: 40,
  downloadThroughput: (9_000_000 / 8) * 0.9,
  uploadThroughput: (1_500_000 / 8) * 0.9,
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const worst = (xs: number[]) => Math.max(...xs);
const verdict = (value: number, target: number) =>
  `${value < target ? 'PASS' : 'MISS'} (${(value / target).toFixed(2)}× target)`;

function row(label: string, value: string, target: string, word: string): void {
  console.log(`  ${label.padEnd(54)}${value.padEnd(18)}${target.padEnd(10)}${word}`);
}

const built = await promisify(execFile)('npm', ['run', 'build:screens'], {
  cwd: ROOT,
  env: { ...process.env, NODE_ENV: 'production' },
});
const h5Line = /h5: JavaScript ([\d.]+) KB gzipped/.exec(built.stdout);
const h5Kb = h5Line ? Number(h5Line[1]) : NaN;

if (!existsSync(CHROMIUM)) {
  console.log(`\ncustomer pages: no Chromium at ${CHROMIUM}; only the bundle size is measured`);
  row('H5 JavaScript, gzipped', `${h5Kb} KB`, '', '');
  process.exit(0);
}

process.env.CLOUD_PAGES_DIR = resolve(ROOT, 'ui/dist');
const running = await startStoreAndCloud('bench-customer');
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });

/** Cold loads of the H5's first page: first paint, and the store's name on screen. */
async function loads(
  b: Browser,
  throttled: boolean,
): Promise<{ paints: number[]; lists: number[] }> {
  const storeName = running.hub.hub.store.getStore().name;
  const paints: number[] = [];
  const lists: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await b.newContext({
      locale: 'zh-CN',
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    if (throttled) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, ...FOUR_G });
    }
    await page.goto(`${running.cloud.url}/h5/`);
    await page.getByText(storeName).first().waitFor({ timeout: 30_000 });
    const timing = await page.evaluate(() => ({
      paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
      list: performance.now(),
    }));
    paints.push(timing.paint);
    lists.push(timing.list);
    await context.close();
  }
  return { paints, lists };
}

try {
  // The store in the cloud's catalogue, as a customer's list shows it.
  for (let i = 0; i < 100; i++) {
    await running.cloud.refreshCatalogue();
    const r = await running.api('GET', '/api/stores?lat=31.23&lng=121.47');
    if (r.body.stores?.length) break;
    await new Promise((done) => setTimeout(done, 200));
  }
  const local = await loads(browser, false);
  const phone = await loads(browser, true);
  console.log(
    `\ncustomer's H5 in Chromium over the cloud service (${RUNS} cold loads each, 375 x 812)`,
  );
  row('what', 'measured', 'target', 'result');
  for (const [label, r] of [
    ['loopback', local],
    ['4G (40 ms, 9 Mbit/s)', phone],
  ] as const) {
    row(
      `first paint, ${label}, median (worst)`,
      `${median(r.paints).toFixed(0)} (${worst(r.paints).toFixed(0)}) ms`,
      `< ${TARGET.paintMs}`,
      verdict(median(r.paints), TARGET.paintMs),
    );
    row(`store list on screen, ${label}, median`, `${median(r.lists).toFixed(0)} ms`, '', '');
  }
  row('H5 JavaScript, gzipped', `${h5Kb} KB`, '', '');
} finally {
  await browser.close();
  await running.close();
}
