// The platform's banners on the customer's home page: placed by content staff with dates, shown
// to customers only while running, taken down with a reason, each change audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformCloud, type PlatformCloud } from './platform-test-cloud';

const T0 = Date.parse('2026-12-01T10:00:00+08:00');
let p: PlatformCloud;
let reviewer: string;
let analyst: string;

beforeAll(async () => {
  p = await startPlatformCloud(T0, 'platform-campaigns');
  reviewer = await p.staff('13900006001', ['merchant_admin']);
  analyst = await p.staff('13900006002', ['analyst']);
}, 60_000);
afterAll(async () => {
  await p?.close();
});

const banner = (startsAt: string, endsAt: string, title = '双十二 茶室 8 折') => ({
  title,
  text: '全平台门店下午场 8 折',
  link: '/h5/',
  startsAt,
  endsAt,
  reason: '年末促销',
});

describe('campaigns on the home page', () => {
  it('shows customers only the banners running now, in their order', async () => {
    const placed = await p.api(
      'PUT',
      '/api/platform/campaigns/dec-12',
      banner('2026-12-01T00:00:00+08:00', '2026-12-13T00:00:00+08:00'),
      reviewer,
    );
    expect(placed.status).toBe(200);
    await p.api(
      'PUT',
      '/api/platform/campaigns/new-year',
      banner('2026-12-31T00:00:00+08:00', '2027-01-02T00:00:00+08:00', '元旦 包场特惠'),
      reviewer,
    );
    const now = await p.api('GET', '/api/campaigns');
    expect(now.json.map((c: { title: string }) => c.title)).toEqual(['双十二 茶室 8 折']);
    p.clock.set(Date.parse('2026-12-31T12:00:00+08:00'));
    const later = await p.api('GET', '/api/campaigns');
    expect(later.json.map((c: { title: string }) => c.title)).toEqual(['元旦 包场特惠']);
    p.clock.set(T0);
  });

  it('refuses an end before the start and an outside link, naming the field', async () => {
    const backwards = await p.api(
      'PUT',
      '/api/platform/campaigns/oops',
      banner('2026-12-05T00:00:00+08:00', '2026-12-04T00:00:00+08:00'),
      reviewer,
    );
    expect(backwards.status).toBe(400);
    expect(backwards.json.error.field).toBe('endsAt');
    const link = await p.api(
      'PUT',
      '/api/platform/campaigns/oops',
      {
        ...banner('2026-12-01T00:00:00+08:00', '2026-12-04T00:00:00+08:00'),
        link: 'javascript:alert(1)',
      },
      reviewer,
    );
    expect(link.status).toBe(400);
    expect(link.json.error.field).toBe('link');
    const denied = await p.api(
      'PUT',
      '/api/platform/campaigns/oops',
      banner('2026-12-01T00:00:00+08:00', '2026-12-04T00:00:00+08:00'),
      analyst,
    );
    expect(denied.status).toBe(403);
  });

  it('takes a banner down with a reason, audited', async () => {
    const down = await p.api(
      'DELETE',
      '/api/platform/campaigns/dec-12',
      { reason: '活动提前结束' },
      reviewer,
    );
    expect(down.status).toBe(200);
    expect((await p.api('GET', '/api/campaigns')).json).toEqual([]);
    const staff = await p.staff('13900006003', ['platform_owner']);
    const audit = await p.api(
      'GET',
      '/api/platform/audit?target=campaign:dec-12',
      undefined,
      staff,
    );
    expect(
      audit.json.map((e: { action: string; reason: string }) => `${e.action} ${e.reason}`),
    ).toEqual(['campaign.remove 活动提前结束', 'campaign.set 年末促销']);
  });
});
