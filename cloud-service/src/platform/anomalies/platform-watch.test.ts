// The platform's anomalies, figures, settings and backups (P4, P5, B8) over real HTTP against the
// embedded CouchDB-compatible server, the stores' facts written as their hubs write them: each
// anomaly kind is raised by writing what causes it and flagged once with what explains it; the
// overview counts users, stores, orders and revenue by region and day from the stores' day
// documents; the settings are the platform owner's, checked and audited; a backup restores into
// an empty CouchDB with every document as it was.
import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLOUD_DBS,
  DEFAULT_PLATFORM_SETTINGS,
  HUB_ALIVE_ID,
  STORE_PROFILE_ID,
  StatsDayDocSchema,
  anomalyDocId,
  storeDbName,
  type AnomalyView,
  type PlatformOverview,
} from '@roomhub/shared-types';
import { createCouchClient, type CouchDoc } from '../../couch';
import {
  bookingFact,
  ledgerFact,
  seedStoreDocs,
  type StoreSeed,
} from '../../../test/cloud-fixtures';
import { startPlatformCloud, type PlatformCloud } from '../platform-test-cloud';
import { PLATFORM_DB } from '../platform-store';
import { startTestCouch } from '../../../test/test-couch';
import { restoreBackupFile, writeBackupFile } from '../backup/cloud-backup';

/** Thursday 2026-12-03, 10:00 in Shanghai. */
const T0 = Date.parse('2026-12-03T10:00:00+08:00');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const seed = (storeId: string, name: string): StoreSeed => ({
  storeId,
  name,
  lat: 31.2,
  lng: 121.4,
  hours: { open: '09:00', close: '23:00' },
  rooms: [{ roomId: `${storeId}-r1`, style: 'tea', capacity: 4, workday: 6000 }],
});

let p: PlatformCloud;
let owner: string;
let orderAdmin: string;
let analyst: string;

async function put(storeId: string, doc: CouchDoc): Promise<void> {
  const db = storeDbName(storeId);
  const old = await p.couch.writers.get(db, doc._id);
  await p.couch.writers.put(db, { ...doc, ...(old?._rev ? { _rev: old._rev } : {}) });
}

async function anomalies(query = ''): Promise<AnomalyView[]> {
  const res = await p.api('GET', `/api/platform/anomalies${query}`, undefined, orderAdmin);
  expect(res.status).toBe(200);
  return res.json.anomalies as AnomalyView[];
}

const booking = (
  storeId: string,
  bookingId: string,
  customerId: string,
  startMs: number,
  hours: number,
  status: 'paid' | 'completed' = 'paid',
) =>
  bookingFact({
    storeId,
    bookingId,
    roomId: `${storeId}-r1`,
    start: iso(startMs),
    end: iso(startMs + hours * 60 * MIN),
    amount: 12000,
    customerId,
    status,
    at: iso(p.clock.now()),
  });

function statsDay(
  storeId: string,
  date: string,
  received: number,
  refunded: number,
  count: number,
) {
  return StatsDayDocSchema.parse({
    _id: `stats:day:${date}`,
    type: 'stats_day',
    storeId,
    date,
    timeZone: 'Asia/Shanghai',
    revenue: [],
    received,
    refunded,
    net: received - refunded,
    bookings: [
      { status: 'completed', count, total: received },
      { status: 'cancelled', count: 5, total: 0 },
    ],
    roomCount: 1,
    rooms: [],
    hourMinutes: Array.from({ length: 24 }, () => 0),
    slots: [],
    products: [],
    deals: [],
    topUps: [],
    members: { joined: 0, total: 0 },
    campaigns: [],
    refunds: [],
    cancellations: { customer: 0, staff: 0, system: 0 },
    energy: [],
    updatedAt: iso(p.clock.now()),
  }) as CouchDoc;
}

beforeAll(async () => {
  p = await startPlatformCloud(T0, 'platform-watch');
  owner = await p.staff('13900000001', ['platform_owner']);
  orderAdmin = await p.staff('13900000002', ['order_admin']);
  analyst = await p.staff('13900000003', ['analyst']);
  for (const [storeId, name, address] of [
    ['pa', '茶隐', '上海市黄浦区南京东路1号'],
    ['pb', '棋语', '浙江省杭州市西湖区文三路2号'],
  ] as const) {
    await seedStoreDocs(await p.couch.hub(storeId), seed(storeId, name), T0);
    const profile = (await p.couch.writers.get(storeDbName(storeId), STORE_PROFILE_ID))!;
    await put(storeId, { ...profile, address });
  }
}, 60_000);
afterAll(async () => {
  await p?.close();
});

describe('anomalies, each raised by what causes it', () => {
  it('flags a payment whose booking never came, after the grace', async () => {
    await put(
      'pa',
      ledgerFact({
        storeId: 'pa',
        bookingId: 'ghost1',
        entryId: '1',
        kind: 'payment',
        method: 'wechat',
        amount: 8800,
        at: iso(T0),
      }),
    );
    await p.service.sweepNow();
    expect((await anomalies()).filter((a) => a.kind === 'payment_without_booking')).toEqual([]);
    p.clock.set(T0 + 11 * MIN);
    await p.service.sweepNow();
    const found = (await anomalies()).filter((a) => a.kind === 'payment_without_booking');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      storeId: 'pa',
      storeName: '茶隐',
      bookingId: 'ghost1',
      raisedBy: 'platform',
      facts: { reason: 'no_booking', amount: 8800, method: 'wechat', graceMinutes: 10 },
    });
    await p.service.sweepNow();
    expect((await anomalies()).filter((a) => a.kind === 'payment_without_booking')).toHaveLength(1);
  });

  it('flags one customer’s bookings that overlap, across stores', async () => {
    const start = Date.parse('2026-12-03T14:00:00+08:00');
    await put('pa', booking('pa', 'dup1', 'cust-dup', start, 2));
    await put('pb', booking('pb', 'dup2', 'cust-dup', start + 60 * MIN, 2));
    // Another customer at the same time is no duplicate.
    await put('pb', booking('pb', 'solo', 'cust-solo', start, 2));
    await p.service.sweepNow();
    await p.service.sweepNow();
    const dups = (await anomalies()).filter((a) => a.kind === 'duplicate_booking');
    expect(dups).toHaveLength(1);
    expect(dups[0]).toMatchObject({ customerId: 'cust-dup', storeId: 'pa', bookingId: 'dup1' });
    expect(dups[0]!.facts).toMatchObject({ otherStoreId: 'pb', otherBookingId: 'dup2' });
  });

  it('flags many refunds of one customer within the window', async () => {
    for (let i = 1; i <= 3; i++) {
      const storeId = i === 2 ? 'pb' : 'pa';
      const start = T0 - i * 24 * 60 * MIN;
      await put(storeId, booking(storeId, `rf${i}`, 'cust-refunds', start, 1, 'completed'));
      await put(
        storeId,
        ledgerFact({
          storeId,
          bookingId: `rf${i}`,
          entryId: '2',
          kind: 'refund',
          method: 'wechat',
          amount: -12000,
          at: iso(start + 2 * 60 * MIN),
        }),
      );
      await p.service.sweepNow();
      const abuse = (await anomalies()).filter((a) => a.kind === 'refund_abuse');
      expect(abuse).toHaveLength(i < 3 ? 0 : 1);
    }
    const [abuse] = (await anomalies()).filter((a) => a.kind === 'refund_abuse');
    expect(abuse).toMatchObject({
      customerId: 'cust-refunds',
      facts: { refunds: 3, stores: 2, windowDays: 7, threshold: 3 },
    });
  });

  it('flags a burst of voucher redemptions at a store', async () => {
    for (let i = 1; i <= 10; i++) {
      const at = T0 + 20 * MIN + i * 3 * MIN;
      await put('pb', booking('pb', `v${i}`, `cust-v${i}`, at, 1));
      await put(
        'pb',
        ledgerFact({
          storeId: 'pb',
          bookingId: `v${i}`,
          entryId: '1',
          kind: 'payment',
          method: 'voucher',
          amount: 9900,
          at: iso(at),
        }),
      );
      if (i === 9) {
        await p.service.sweepNow();
        expect((await anomalies()).filter((a) => a.kind === 'voucher_spike')).toEqual([]);
      }
    }
    await p.service.sweepNow();
    const spikes = (await anomalies()).filter((a) => a.kind === 'voucher_spike');
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toMatchObject({ storeId: 'pb', facts: { lastHour: 10, threshold: 10 } });
  });

  it('flags a store silent longer than the threshold, and notes when it came back', async () => {
    p.clock.set(T0 + 60 * MIN);
    await put('pb', {
      _id: HUB_ALIVE_ID,
      type: 'hub_alive',
      storeId: 'pb',
      at: iso(p.clock.now()),
    });
    await put('pa', {
      _id: HUB_ALIVE_ID,
      type: 'hub_alive',
      storeId: 'pa',
      at: iso(p.clock.now()),
    });
    await p.service.sweepNow();
    p.clock.set(T0 + 85 * MIN);
    await put('pa', {
      _id: HUB_ALIVE_ID,
      type: 'hub_alive',
      storeId: 'pa',
      at: iso(p.clock.now()),
    });
    await p.service.sweepNow();
    p.clock.set(T0 + 95 * MIN);
    await p.service.sweepNow();
    let offline = (await anomalies()).filter((a) => a.kind === 'store_offline');
    expect(offline).toHaveLength(1);
    expect(offline[0]).toMatchObject({ storeId: 'pb', facts: { thresholdMinutes: 30 } });
    await p.service.sweepNow();
    await put('pb', {
      _id: HUB_ALIVE_ID,
      type: 'hub_alive',
      storeId: 'pb',
      at: iso(p.clock.now()),
    });
    await p.service.sweepNow();
    offline = (await anomalies()).filter((a) => a.kind === 'store_offline');
    expect(offline).toHaveLength(1);
    expect(offline[0]!.facts.backAt).toBe(iso(T0 + 95 * MIN));
  });

  it('shows the anomalies a store’s hub raised itself', async () => {
    await put('pa', {
      _id: anomalyDocId('a1'),
      type: 'anomaly',
      storeId: 'pa',
      anomalyId: 'a1',
      kind: 'door_without_session',
      at: iso(T0 + 90 * MIN),
      roomId: 'pa-r1',
      bookingId: null,
      facts: { room: '101 听雨', lock: 'pa-r1-lock', graceSeconds: 120 },
      updatedAt: iso(T0 + 90 * MIN),
    });
    await p.service.sweepNow();
    const door = await anomalies('?kind=door_without_session');
    expect(door).toHaveLength(1);
    expect(door[0]).toMatchObject({ raisedBy: 'store', storeName: '茶隐', roomId: 'pa-r1' });
  });

  it('lets order staff mark one handled with a reason; analysts only read', async () => {
    const [first] = await anomalies('?kind=payment_without_booking');
    const path = `/api/platform/anomalies/${encodeURIComponent(first!.id)}/handled`;
    expect((await p.api('GET', '/api/platform/anomalies', undefined, analyst)).status).toBe(200);
    expect((await p.api('POST', path, { reason: '已退款' }, analyst)).status).toBe(403);
    const empty = await p.api('POST', path, { reason: ' ' }, orderAdmin);
    expect(empty.status).toBe(400);
    expect(empty.json.error.field).toBe('reason');
    const done = await p.api('POST', path, { reason: '门店已退款' }, orderAdmin);
    expect(done.status).toBe(200);
    expect(done.json.handled).toMatchObject({ by: '13900000002', reason: '门店已退款' });
    expect((await p.api('POST', path, { reason: '再次' }, orderAdmin)).status).toBe(409);
    expect((await anomalies('?open=true')).some((a) => a.id === first!.id)).toBe(false);
    const audit = await p.api('GET', '/api/platform/audit', undefined, owner);
    expect(audit.json.some((e: { action: string }) => e.action === 'anomaly.handled')).toBe(true);
  });
});

describe('the overview', () => {
  it('counts users, stores, orders and revenue by day and region', async () => {
    await put('pa', statsDay('pa', '2026-12-03', 50000, 2000, 7));
    await put('pb', statsDay('pb', '2026-12-03', 30000, 0, 4));
    await put('pb', statsDay('pb', '2026-12-02', 10000, 0, 1));
    await p.service.sweepNow();
    const res = await p.api('GET', '/api/platform/overview?days=7', undefined, analyst);
    expect(res.status).toBe(200);
    const o = res.json as PlatformOverview;
    expect(o.to).toBe('2026-12-03');
    expect(o.byDay).toHaveLength(7);
    expect(o.today).toMatchObject({ orders: 11, received: 80000, refunded: 2000, net: 78000 });
    expect(o.totals).toMatchObject({ orders: 12, net: 88000, stores: 2, storesOnline: 2 });
    // Customers: dup, solo, refunds and the ten voucher customers.
    expect(o.totals.users).toBe(13);
    expect(o.byRegion).toEqual([
      { region: '上海市', stores: 1, orders: 7, net: 48000 },
      { region: '浙江省', stores: 1, orders: 5, net: 40000 },
    ]);
    expect(o.anomalies.open).toBe(5);
    expect(o.anomalies.byKind.voucher_spike).toBe(1);
    const one = await p.api(
      'GET',
      '/api/platform/overview?days=7&region=浙江省',
      undefined,
      analyst,
    );
    expect(one.json.totals.net).toBe(40000);
    // The store publishes its day again within the same second (its stamp is to the second),
    // with one more booking paid: the figures read last stand.
    await put('pa', statsDay('pa', '2026-12-03', 56000, 2000, 8));
    await p.service.sweepNow();
    const again = await p.api('GET', '/api/platform/overview?days=7', undefined, analyst);
    expect((again.json as PlatformOverview).today).toMatchObject({ orders: 12, received: 86000 });
    await put('pa', statsDay('pa', '2026-12-03', 50000, 2000, 7));
    await p.service.sweepNow();
    expect((await p.api('GET', '/api/platform/overview?days=0', undefined, analyst)).status).toBe(
      400,
    );
    expect((await p.api('GET', '/api/platform/overview')).status).toBe(401);
  });
});

describe('system settings', () => {
  it('are the platform owner’s, checked and audited', async () => {
    const got = await p.api('GET', '/api/platform/settings', undefined, owner);
    expect(got.json).toEqual({
      settings: DEFAULT_PLATFORM_SETTINGS,
      updatedAt: null,
      updatedBy: null,
    });
    expect((await p.api('GET', '/api/platform/settings', undefined, analyst)).status).toBe(403);
    const settings = structuredClone(DEFAULT_PLATFORM_SETTINGS);
    settings.uploads.maxImageMb = 4;
    settings.anomalies.offlineMinutes = 60;
    const bad = await p.api(
      'PUT',
      '/api/platform/settings',
      {
        settings: { ...settings, payment: { ...settings.payment, holdMinutes: 0 } },
        reason: '调整',
      },
      owner,
    );
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toContain('holdMinutes');
    const ok = await p.api(
      'PUT',
      '/api/platform/settings',
      { settings, reason: '照片更小，加载更快' },
      owner,
    );
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({
      updatedBy: '13900000001',
      settings: { uploads: { maxImageMb: 4 } },
    });
    const audit = await p.api('GET', '/api/platform/audit', undefined, owner);
    const entry = audit.json.find((e: { action: string }) => e.action === 'settings.change');
    expect(entry).toMatchObject({
      reason: '照片更小，加载更快',
      detail: { uploads: settings.uploads },
    });
    expect(Object.keys(entry.detail).sort()).toEqual(['anomalies', 'uploads']);
  });
});

describe('backups of the cloud’s databases', () => {
  it('restore into an empty CouchDB with every document as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloud-backup-'));
    const file = join(dir, 'cloud.jsonl');
    const at = new Date(p.clock.now());
    // A real platform action writes to the audit trail: the owner downloads a backup.
    const download = await fetch(`${p.service.url}/api/platform/backup`, {
      headers: { Authorization: `Bearer ${owner}` },
    });
    expect(download.status).toBe(200);
    await download.text();
    // The cloud's user may not read the platform's audit trail: its backup is refused, no file.
    const refused = join(dir, 'refused.jsonl');
    const cloudOnly = { cloud: p.couch.cloudUrl, platform: p.couch.cloudUrl };
    await expect(writeBackupFile(cloudOnly, refused, { at })).rejects.toThrow(/reading platform/);
    await expect(readFile(refused)).rejects.toThrow(/ENOENT/);
    const readers = { cloud: p.couch.cloudUrl, platform: p.couch.couch.adminUrl };
    const summary = await writeBackupFile(readers, file, { at });
    const anomalyCount = summary.dbs.find((d) => d.db === CLOUD_DBS.anomalies)!.docs;
    expect(anomalyCount).toBeGreaterThan(6);
    const from = createCouchClient(p.couch.couch.adminUrl);
    // The platform's audit trail, the owner's download above among it.
    const trail = await from.byPrefix(PLATFORM_DB, '');
    expect(trail.some((d) => d.action === 'backup.download' && d.actor === '13900000001')).toBe(
      true,
    );
    expect(summary.dbs).toContainEqual({ db: PLATFORM_DB, docs: trail.length });
    const target = await startTestCouch(join(dir, 'restored'), { provisionCloud: false });
    try {
      const restored = await restoreBackupFile(target.couch.adminUrl, file);
      expect(restored.dbs).toEqual(summary.dbs);
      const to = createCouchClient(target.couch.adminUrl);
      const before = await from.byPrefix(CLOUD_DBS.anomalies, 'anomaly:');
      const after = await to.byPrefix(CLOUD_DBS.anomalies, 'anomaly:');
      expect(after).toEqual(before);
      expect(await to.byPrefix(PLATFORM_DB, '')).toEqual(trail);
      // A second restore would mix two states: refused.
      await expect(restoreBackupFile(target.couch.adminUrl, file)).rejects.toThrow(/not empty/);
    } finally {
      await target.close();
    }
    // A backup made before `platform` was backed up still restores, without it.
    const text = await readFile(file, 'utf8');
    const older = join(dir, 'older.jsonl');
    const lines = text.split('\n').filter((l) => l && JSON.parse(l).db !== PLATFORM_DB);
    const header = JSON.parse(lines[0]!) as { dbs: string[] };
    lines[0] = JSON.stringify({ ...header, dbs: header.dbs.filter((db) => db !== PLATFORM_DB) });
    await writeFile(older, `${lines.join('\n')}\n`);
    const old = await startTestCouch(join(dir, 'older'), { provisionCloud: false });
    try {
      const restored = await restoreBackupFile(old.couch.adminUrl, older);
      expect(restored.dbs).toEqual(summary.dbs.filter((d) => d.db !== PLATFORM_DB));
      expect(await createCouchClient(old.couch.adminUrl).exists(PLATFORM_DB)).toBe(false);
    } finally {
      await old.close();
    }
    // A file cut short is refused.
    const cut = join(dir, 'cut.jsonl');
    await writeFile(cut, text.split('\n').slice(0, 5).join('\n'));
    const fresh = await startTestCouch(join(dir, 'fresh'), { provisionCloud: false });
    try {
      await expect(restoreBackupFile(fresh.couch.adminUrl, cut)).rejects.toThrow(/cut short/);
    } finally {
      await fresh.close();
    }
  });

  it('downloads for the platform owner only', async () => {
    expect((await p.api('GET', '/api/platform/backup', undefined, analyst)).status).toBe(403);
    const res = await fetch(`${p.service.url}/api/platform/backup`, {
      headers: { Authorization: `Bearer ${owner}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="cloud-backup-/);
    const lines = (await res.text()).trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'roomhub-cloud-backup', version: 1 });
    expect(JSON.parse(lines[lines.length - 1]!)).toEqual({ end: true });
    // The platform's audit trail is in it, this download's own entry too.
    const trail = lines
      .map((l) => JSON.parse(l) as { db?: string; doc?: { action?: string } })
      .filter((e) => e.db === PLATFORM_DB && e.doc);
    expect(trail.map((e) => e.doc!.action)).toContain('backup.download');
  });
});
