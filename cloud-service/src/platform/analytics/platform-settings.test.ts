// The system settings and their history over real HTTP against the embedded CouchDB-compatible
// server: the platform owner changes them with a reason, the history says each value that moved
// with its before and after (the review gate's switches among them), a change of the settings
// leaves the review gate as it was, and nobody else reads either.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, type SettingsHistoryEntry } from '@roomhub/shared-types';
import { startPlatformCloud, type PlatformCloud } from '../platform-test-cloud';

const T0 = Date.parse('2026-12-03T10:00:00+08:00');
let p: PlatformCloud;
let owner: string;
let analyst: string;
let reviewer: string;

beforeAll(async () => {
  p = await startPlatformCloud(T0, 'platform-settings');
  owner = await p.staff('13900003001', ['platform_owner']);
  analyst = await p.staff('13900003002', ['analyst']);
  reviewer = await p.staff('13900003003', ['merchant_admin']);
}, 60_000);
afterAll(async () => {
  await p?.close();
});

const history = async (token = owner): Promise<SettingsHistoryEntry[]> => {
  const res = await p.api('GET', '/api/platform/settings/history', undefined, token);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.changes as SettingsHistoryEntry[];
};

describe('the settings history', () => {
  it('is empty while the defaults hold', async () => {
    expect(await history()).toEqual([]);
  });

  it('lists each change newest first with every value it moved, before and after', async () => {
    const first = structuredClone(DEFAULT_PLATFORM_SETTINGS);
    first.uploads.maxImageMb = 4;
    first.sms.perPhonePerHour = 8;
    const a = await p.api(
      'PUT',
      '/api/platform/settings',
      { settings: first, reason: '照片更清晰；验证码放宽' },
      owner,
    );
    expect(a.status).toBe(200);
    p.clock.set(T0 + 60_000);
    const gate = await p.api(
      'PUT',
      '/api/platform/review-gate',
      { on: true, reason: '十二月起先审后发' },
      owner,
    );
    expect(gate.status).toBe(200);
    p.clock.set(T0 + 120_000);
    const second = structuredClone(first);
    second.uploads.maxImageMb = 3;
    second.uploads.types = ['jpg', 'png'];
    second.anomalies.offlineMinutes = 45;
    const b = await p.api(
      'PUT',
      '/api/platform/settings',
      { settings: second, reason: '门店网络不稳，放宽离线时长' },
      owner,
    );
    expect(b.status).toBe(200);

    const changes = await history();
    expect(changes.map((c) => `${c.action} ${c.by} ${c.reason}`)).toEqual([
      'settings.change 13900003001 门店网络不稳，放宽离线时长',
      'review_gate.on 13900003001 十二月起先审后发',
      'settings.change 13900003001 照片更清晰；验证码放宽',
    ]);
    expect(changes[0]!.lines).toEqual([
      { section: 'uploads', field: 'maxImageMb', before: 4, after: 3 },
      {
        section: 'uploads',
        field: 'types',
        before: ['jpg', 'png', 'webp', 'pdf'],
        after: ['jpg', 'png'],
      },
      { section: 'anomalies', field: 'offlineMinutes', before: 30, after: 45 },
    ]);
    expect(changes[2]!.lines).toEqual([
      { section: 'sms', field: 'perPhonePerHour', before: 5, after: 8 },
      { section: 'uploads', field: 'maxImageMb', before: 5, after: 4 },
    ]);
    expect(changes[0]!.at).toBe(new Date(T0 + 120_000).toISOString());
    const limited = await p.api('GET', '/api/platform/settings/history?limit=1', undefined, owner);
    expect(limited.json.changes).toHaveLength(1);
  });

  it('keeps the review gate on when the settings change', async () => {
    const reviews = await p.api('GET', '/api/platform/reviews', undefined, reviewer);
    expect(reviews.json.gateOn).toBe(true);
  });

  it('is the platform owner’s alone, and a bad limit is refused naming it', async () => {
    for (const token of [analyst, reviewer]) {
      const res = await p.api('GET', '/api/platform/settings/history', undefined, token);
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('not_allowed');
    }
    expect((await p.api('GET', '/api/platform/settings/history')).status).toBe(401);
    const bad = await p.api('GET', '/api/platform/settings/history?limit=0', undefined, owner);
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('limit');
  });
});
