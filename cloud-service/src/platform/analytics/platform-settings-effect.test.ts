// What the platform owner's system settings change, over real HTTP against the embedded
// CouchDB-compatible server, each seen from the side of the person it reaches: a customer is
// offered no way to pay the platform switched off and cannot book with it, and pays again once it
// is back on; a booking's payment is held as long as the platform says; a phone gets as many
// sign-in codes an hour as the platform allows; a merchant uploads only the kinds and sizes of file
// it allows. (Marketing texts switched off: the recall test in messages.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_PLATFORM_SETTINGS,
  IntentDocSchema,
  storeInboxDbName,
  type PlatformSettings,
} from '@roomhub/shared-types';
import { seedStoreDocs } from '../../../test/cloud-fixtures';
import { startPlatformCloud, type PlatformCloud } from '../platform-test-cloud';

const T0 = Date.parse('2026-12-03T10:00:00+08:00');
const STORE = 'se1';
let p: PlatformCloud;
let owner: string;
let settings: PlatformSettings = structuredClone(DEFAULT_PLATFORM_SETTINGS);

beforeAll(async () => {
  p = await startPlatformCloud(
    T0,
    'platform-settings-effect',
    async (couch) => {
      await seedStoreDocs(
        await couch.hub(STORE),
        {
          storeId: STORE,
          lat: 31.2,
          lng: 121.4,
          hours: { open: '09:00', close: '23:00' },
          rooms: [{ roomId: 'se1-r1', style: 'tea', capacity: 4, workday: 5000 }],
        },
        T0 - 3_600_000,
      );
    },
    true,
  );
  owner = await p.staff('13900005001', ['platform_owner']);
}, 60_000);
afterAll(async () => {
  await p?.close();
});

/** The platform owner changes the settings; every instance reads them within half a minute. */
async function change(edit: (s: PlatformSettings) => void, reason: string): Promise<void> {
  const next = structuredClone(settings);
  edit(next);
  const res = await p.api('PUT', '/api/platform/settings', { settings: next, reason }, owner);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  settings = next;
}

async function customer(phone: string): Promise<string> {
  const sent = await p.api('POST', '/api/auth/sms/send', { phone });
  expect(sent.status, JSON.stringify(sent.json)).toBe(202);
  const r = await p.api('POST', '/api/auth/sms/verify', { phone, code: p.sms.lastCode(phone) });
  return r.json.token as string;
}

const book = (token: string, hour: number) =>
  p.api(
    'POST',
    '/api/bookings',
    {
      storeId: STORE,
      roomId: 'se1-r1',
      start: `2026-12-03T${hour}:00:00+08:00`,
      end: `2026-12-03T${hour + 1}:00:00+08:00`,
      partySize: 2,
    },
    token,
  );

describe('the platform’s payment switches and hold', () => {
  it('offers no way to pay it switched off, refuses to book with it in words, and pays again once on', async () => {
    const token = await customer('13800006001');
    const methods = async () =>
      (await p.api('GET', '/api/payment-methods?surface=mini_program')).json.methods;
    expect(await methods()).toEqual(['wechat']);

    await change((s) => (s.payment.wechat = false), '微信支付通道维护');
    expect(await methods()).toEqual([]);
    const refused = await book(token, 14);
    expect(refused.status).toBe(503);
    expect(refused.json.error).toMatchObject({ code: 'channel_off', field: 'method' });

    await change((s) => (s.payment.wechat = true), '通道恢复');
    expect(await methods()).toEqual(['wechat']);
    const booked = await book(token, 14);
    expect(booked.status, JSON.stringify(booked.json)).toBe(202);
  });

  it('holds a booking’s payment for as many minutes as the platform says', async () => {
    const token = await customer('13800006002');
    await change((s) => (s.payment.holdMinutes = 7), '门店确认慢，延长等待');
    const booked = await book(token, 17);
    expect(booked.status, JSON.stringify(booked.json)).toBe(202);
    const inbox = await p.couch.admin.byPrefix(storeInboxDbName(STORE), 'intent:');
    const request = inbox
      .map((d) => IntentDocSchema.parse(d))
      .find((d) => d._id.endsWith(booked.json.intentId as string));
    expect(request?.expiresAt).toBeDefined();
    expect(Date.parse(request!.expiresAt!) - Date.parse(request!.createdAt)).toBe(7 * 60_000);
  });
});

describe('the platform’s SMS limit', () => {
  it('texts a phone as many sign-in codes an hour as the platform allows', async () => {
    const phone = '13800006003';
    await change((s) => (s.sms.perPhonePerHour = 2), '防止短信轰炸');
    const send = () => p.api('POST', '/api/auth/sms/send', { phone });
    expect((await send()).status).toBe(202);
    expect((await send()).status).toBe(202);
    const third = await send();
    expect(third.status).toBe(429);
    expect(third.json.error).toMatchObject({ field: 'phone' });
    expect(third.json.error.message).toContain('at most 2 codes an hour');

    await change((s) => (s.sms.perPhonePerHour = 3), '放宽一条');
    expect((await send()).status).toBe(202);
  });
});

describe('the platform’s upload limits', () => {
  const pdf = (extra = 0) =>
    Buffer.concat([Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1'), Buffer.alloc(extra)]);
  const webp = () =>
    Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);

  it('takes only the kinds and sizes of file it allows from a merchant', async () => {
    const token = await customer('13800006004');
    const created = await p.api(
      'POST',
      '/api/merchant-applications',
      {
        merchantName: '设置测试茶舍',
        contactPhone: '13800006004',
        stores: [{ name: '设置测试茶舍·一店', address: '上海市徐汇区漕溪北路 1 号' }],
      },
      token,
    );
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const upload = async (type: string, body: Buffer) => {
      const res = await fetch(
        `${p.service.url}/api/merchant-applications/${created.json.applicationId}/documents/business_licence`,
        {
          method: 'PUT',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': type,
            'Accept-Language': 'zh-CN',
          },
          body: new Uint8Array(body),
        },
      );
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read loosely here
      return { status: res.status, json: (await res.json()) as any };
    };
    expect((await upload('image/webp', webp())).status).toBe(200);
    expect((await upload('application/pdf', pdf(2 * 1024 * 1024))).status).toBe(200);

    await change((s) => {
      s.uploads.maxDocumentMb = 1;
      s.uploads.types = ['jpg', 'pdf'];
    }, '材料只收 JPG 和小于 1 MB 的 PDF');
    const big = await upload('application/pdf', pdf(1024 * 1024));
    expect(big.status).toBe(422);
    expect(big.json.error).toMatchObject({ code: 'document_too_large', field: 'body' });
    expect(big.json.error.message).toContain('1 MB');
    const kind = await upload('image/webp', webp());
    expect(kind.status).toBe(422);
    expect(kind.json.error).toMatchObject({ code: 'document_type', field: 'body' });
    expect(kind.json.error.message).toContain('JPG, PDF');
    expect((await upload('application/pdf', pdf(1000))).status).toBe(200);
  });

  it('refuses a limit above what a document can hold, naming it', async () => {
    const next = structuredClone(settings);
    next.uploads.maxImageMb = 6;
    const res = await p.api(
      'PUT',
      '/api/platform/settings',
      { settings: next, reason: '照片更大' },
      owner,
    );
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json.error)).toContain('maxImageMb');
  });
});
