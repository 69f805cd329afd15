// Meituan / Dianping and Douyin vouchers through the cloud, as a store's hub redeems them: the
// cloud's routes called as the hub calls them (HTTP Basic with the hub's own CouchDB user; the
// hub's client itself, cloud-sync's CloudPlatformVouchers, runs the same path in
// e2e/platform-vouchers-e2e.test.ts), on a real CouchDB-compatible server, each platform's adapter
// against its local simulator (its protocol, its signatures, its undo window). The owner links
// the store's shops first, through each platform's OAuth pages as a browser would follow them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLOUD_DBS,
  DomainError,
  hubUserName,
  type LocalDate,
  type PlatformConsumeRequest,
  type PlatformConsumption,
  type PlatformConsumptionListItem,
  type PlatformPrepareRequest,
  type PlatformUndoRequest,
  type PlatformUndone,
  type PlatformVoucherPrepared,
  type VoucherPlatform,
} from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  SimulatedWechatLogin,
  startCloudService,
  type CloudService,
} from '../src/index';
import { DouyinAdapter } from '../src/vouchers/douyin-adapter';
import { MeituanAdapter } from '../src/vouchers/meituan-adapter';
import {
  startDouyinSimulator,
  type DouyinSimulator,
} from '../src/vouchers/simulators/douyin-simulator';
import {
  startMeituanSimulator,
  type MeituanSimulator,
} from '../src/vouchers/simulators/meituan-simulator';
import { CLOUD_SECRETS, bearer, callApi, seedStoreDocs } from './cloud-fixtures';
import { startTestCouch, type TestCouch } from './test-couch';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const MINUTE = 60_000;
const MEITUAN = { developerId: '108801', signKey: 'meituan-test-sign-key' };
const DOUYIN = { clientKey: 'awtestclientkey', clientSecret: 'douyin-test-client-secret' };

let now = T0;
const clock = { now: () => now };
let couch: TestCouch;
let service: CloudService;
let mt: MeituanSimulator;
let dy: DouyinSimulator;
let hub: HubClient;
let ownerToken: string;
let serial = 0;
const requestId = () => `req-${Date.now()}-${++serial}`;

/** The DomainError an adapter's call ends with. */
async function platformRefusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

/** What the cloud answered instead: its status and error body. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The cloud's platform voucher routes as a store's hub calls them, in the language asked. */
class HubClient {
  constructor(private readonly o: { username: string; password: string; language?: string }) {}
  prepare = (b: PlatformPrepareRequest) =>
    this.call<PlatformVoucherPrepared>('POST', '/api/hub/platform-vouchers/prepare', b);
  consume = (b: PlatformConsumeRequest) =>
    this.call<PlatformConsumption>('POST', '/api/hub/platform-vouchers/consume', b);
  undo = (b: PlatformUndoRequest) =>
    this.call<PlatformUndone>('POST', '/api/hub/platform-vouchers/undo', b);
  consumptions = (platform: VoucherPlatform, date: LocalDate) =>
    this.call<PlatformConsumptionListItem[]>(
      'GET',
      `/api/hub/platform-vouchers/consumptions?platform=${platform}&date=${date}`,
    );
  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const basic = Buffer.from(`${this.o.username}:${this.o.password}`).toString('base64');
    const { status, json } = await callApi(service.url, method, path, body, {
      authorization: `Basic ${basic}`,
      ...(this.o.language ? { 'accept-language': this.o.language } : {}),
    });
    if (status >= 400) throw new Refusal(status, json.error.code, json.error.message);
    return json as T;
  }
}
let hubZh: HubClient;

/** The refusal a promise ends with. */
async function refusal(p: Promise<unknown>): Promise<Refusal> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(Refusal);
    return e as Refusal;
  }
  throw new Error('expected a refusal');
}

/** The owner links a store's shop: the platform's page, the grant, the callback. */
async function authorise(storeId: string, platform: VoucherPlatform, pick: string) {
  const start = await callApi(
    service.url,
    'POST',
    `/api/owner/stores/${storeId}/platforms/${platform}/authorise`,
    undefined,
    bearer(ownerToken),
  );
  expect(start.status).toBe(200);
  const page = await fetch(`${start.json.authoriseUrl}&${pick}`, { redirect: 'manual' });
  expect(page.status).toBe(302);
  const back = await fetch(page.headers.get('location')!);
  expect(back.status).toBe(200);
  return (await back.json()) as { shopId: string; platform: string };
}

beforeAll(async () => {
  couch = await startTestCouch(mkdtempSync(join(tmpdir(), 'platform-vouchers-')));
  for (const storeId of ['pv', 'pw']) {
    await seedStoreDocs(
      couch.writers,
      {
        storeId,
        lat: 31.23,
        lng: 121.47,
        hours: { open: '09:00', close: '23:00' },
        rooms: [{ roomId: `${storeId}-r1`, style: 'mahjong', capacity: 4, workday: 6000 }],
      },
      T0,
    );
  }
  mt = await startMeituanSimulator({ ...MEITUAN, clock });
  dy = await startDouyinSimulator({ ...DOUYIN, clock });
  service = await startCloudService({
    couchUrl: couch.cloudUrl,
    jwtSecret: 'a-test-secret-that-is-long-enough-for-hs256',
    ...CLOUD_SECRETS,
    sms: new MemorySmsProvider(),
    payments: new SimulatedCloudChannel(),
    wechat: new SimulatedWechatLogin(),
    clock,
    sweepMs: 0,
    voucherPlatforms: {
      meituan: {
        apiUrl: mt.url,
        authUrl: `${mt.url}/general/auth`,
        ...MEITUAN,
        timeoutMs: 3_000,
      },
      douyin: {
        apiUrl: dy.url,
        authUrl: `${dy.url}/platform/oauth/connect/`,
        ...DOUYIN,
        timeoutMs: 3_000,
      },
    },
  });
  ownerToken = await service.cloud.tokens.owner({ username: 'owner-pv', storeIds: ['pv', 'pw'] });
  const hubUrl = new URL(await couch.hubUrl('pv'));
  const credentials = {
    username: hubUserName('pv'),
    password: decodeURIComponent(hubUrl.password),
  };
  hub = new HubClient(credentials);
  hubZh = new HubClient({ ...credentials, language: 'zh-CN' });
  await authorise('pv', 'meituan', `shop=${mt.demo.shopId}`);
  await authorise('pv', 'douyin', `poi_id=${dy.demo.poiId}`);
});

afterAll(async () => {
  await service?.close();
  await mt?.close();
  await dy?.close();
  await couch?.close();
});

interface Sim {
  platform: VoucherPlatform;
  demo: () => MeituanSimulator['demo'] | DouyinSimulator['demo'];
  add: (v?: { uses?: number }) => string;
  dropNextAnswer: () => void;
  consumptionsOf: (code: string) => number;
}

const sims: Sim[] = [
  {
    platform: 'meituan',
    demo: () => mt.demo,
    add: (v) => mt.addVoucher(v),
    dropNextAnswer: () => mt.dropNextConsumeAnswer(),
    consumptionsOf: (code) => mt.consumptionsOf(code),
  },
  {
    platform: 'douyin',
    demo: () => dy.demo,
    add: (v) => dy.addVoucher(v),
    dropNextAnswer: () => dy.dropNextVerifyAnswer(),
    consumptionsOf: (code) => dy.consumptionsOf(code),
  },
];

describe.each(sims)('$platform vouchers through the cloud', (sim) => {
  const { platform } = sim;
  beforeAll(() => {
    now = T0;
  });

  it('prepares a good code, consumes it once, and the same requestId answers the same consumption', async () => {
    const code = sim.add();
    const prepared = await hub.prepare({ platform, code });
    expect(prepared).toMatchObject({ platform, available: 1 });
    expect(prepared.maskedCode).toMatch(/^\*+\d{4}$/);
    expect(prepared.maskedCode.endsWith(code.slice(-4))).toBe(true);
    expect(prepared.faceValue).toBeGreaterThan(prepared.settleAmount);
    expect(prepared.settleAmount).toBeGreaterThan(0);
    expect(prepared.validUntil).toMatch(/\+08:00$/);

    const ask = { platform, code, prepareToken: prepared.prepareToken, requestId: requestId() };
    const consumed = await hub.consume(ask);
    expect(consumed).toMatchObject({
      platform,
      platformDealId: prepared.platformDealId,
      title: prepared.title,
      faceValue: prepared.faceValue,
      settleAmount: prepared.settleAmount,
      count: 1,
      consumedAt: '2026-11-23T10:00:00+08:00',
      undoUntil: '2026-11-23T11:00:00+08:00',
    });
    expect(await hub.consume(ask)).toEqual(consumed);
    expect(sim.consumptionsOf(code)).toBe(1);

    // Prepared again, the code is used.
    const again = await refusal(hub.prepare({ platform, code }));
    expect(again.code).toBe('voucher_used');
  });

  it("refuses a used code, an expired code and another shop's code in words a cashier reads", async () => {
    const used = await refusal(hubZh.prepare({ platform, code: sim.demo().used }));
    expect([used.code, used.status]).toEqual(['voucher_used', 409]);
    expect(used.message).toBe('这张券已经核销过了');
    const expired = await refusal(hub.prepare({ platform, code: sim.demo().expired }));
    expect([expired.code, expired.status]).toEqual(['voucher_expired', 410]);
    const other = await refusal(hub.prepare({ platform, code: sim.demo().otherShop }));
    expect([other.code, other.status]).toEqual(['voucher_other_shop', 422]);
    const unknown = await refusal(hubZh.prepare({ platform, code: '99999999999' }));
    expect(unknown.code).toBe('voucher_not_found');
    expect(unknown.message).toContain(platform === 'meituan' ? '美团' : '抖音');
  });

  it('consumes exactly once when the answer is lost mid-consume and the hub asks again', async () => {
    const code = sim.add();
    const prepared = await hub.prepare({ platform, code });
    const ask = { platform, code, prepareToken: prepared.prepareToken, requestId: requestId() };
    sim.dropNextAnswer();
    const lost = await refusal(hub.consume(ask));
    expect([lost.code, lost.status]).toEqual(['platform_unavailable', 503]);
    // The consumption happened at the platform; the hub only knows it did not hear.
    expect(sim.consumptionsOf(code)).toBe(1);

    const retried = await hub.consume(ask);
    expect(retried).toMatchObject({ platform, count: 1, title: prepared.title });
    expect(await hub.consume(ask)).toEqual(retried);
    expect(sim.consumptionsOf(code)).toBe(1);
  });

  it('needs a prepare of this code by this store before consuming, and a request id for one code only', async () => {
    const code = sim.add();
    const other = sim.add();
    const prepared = await hub.prepare({ platform, code });
    const forged = await refusal(
      hub.consume({
        platform,
        code,
        prepareToken: `${prepared.prepareToken}x`,
        requestId: requestId(),
      }),
    );
    expect(forged.code).toBe('voucher_not_prepared');
    const swapped = await refusal(
      hub.consume({
        platform,
        code: other,
        prepareToken: prepared.prepareToken,
        requestId: requestId(),
      }),
    );
    expect(swapped.code).toBe('voucher_not_prepared');

    const id = requestId();
    await hub.consume({ platform, code, prepareToken: prepared.prepareToken, requestId: id });
    const otherPrepared = await hub.prepare({ platform, code: other });
    const reused = await refusal(
      hub.consume({
        platform,
        code: other,
        prepareToken: otherPrepared.prepareToken,
        requestId: id,
      }),
    );
    expect([reused.code, reused.status]).toEqual(['request_id_reused', 409]);
    expect(sim.consumptionsOf(other)).toBe(0);
  });

  it("consumes two uses of one order, and prepares from the text of the voucher's QR", async () => {
    const code = sim.add({ uses: 2 });
    const prepared = await hub.prepare({ platform, code });
    expect(prepared.available).toBe(2);
    const consumed = await hub.consume({
      platform,
      code,
      prepareToken: prepared.prepareToken,
      requestId: requestId(),
      count: 2,
    });
    expect(consumed.count).toBe(2);

    const qr = sim.demo().goodQr;
    const scanned = await hub.prepare({ platform, code: qr });
    expect(scanned.available).toBe(1);
    expect(scanned.title).toBeTruthy();
  });

  it('undoes inside the window (once, however often asked) and refuses after it', async () => {
    const code = sim.add();
    const prepared = await hub.prepare({ platform, code });
    const consumed = await hub.consume({
      platform,
      code,
      prepareToken: prepared.prepareToken,
      requestId: requestId(),
    });
    now += 30 * MINUTE;
    const undo = { platform, consumptionId: consumed.consumptionId, requestId: requestId() };
    const undone = await hub.undo(undo);
    expect(undone).toEqual({
      platform,
      consumptionId: consumed.consumptionId,
      undoneAt: '2026-11-23T10:30:00+08:00',
    });
    expect(await hub.undo({ ...undo, requestId: requestId() })).toEqual(undone);
    expect(sim.consumptionsOf(code)).toBe(0);

    // The voucher is good again: consumed anew, then too late to undo.
    const again = await hub.prepare({ platform, code });
    const second = await hub.consume({
      platform,
      code,
      prepareToken: again.prepareToken,
      requestId: requestId(),
    });
    now += 61 * MINUTE;
    const late = await refusal(
      hubZh.undo({ platform, consumptionId: second.consumptionId, requestId: requestId() }),
    );
    expect([late.code, late.status]).toEqual(['undo_window_passed', 409]);
    expect(late.message).toContain('超过可撤销时间');
    expect(sim.consumptionsOf(code)).toBe(1);

    const unknown = await refusal(
      hub.undo({ platform, consumptionId: 'no-such-consumption', requestId: requestId() }),
    );
    expect(unknown.code).toBe('voucher_not_found');
  });

  it("lists the store's day as the platform does, undone consumptions marked", async () => {
    const list = await hub.consumptions(platform, '2026-11-23');
    expect(list.length).toBeGreaterThanOrEqual(6);
    expect(list.some((c) => c.undone)).toBe(true);
    expect(list.some((c) => !c.undone && c.count === 2)).toBe(true);
    for (const c of list) expect(c.consumedAt.startsWith('2026-11-23T')).toBe(true);
    // The used demo voucher was consumed days before: not in this day.
    expect(await hub.consumptions(platform, '2026-11-22')).toEqual([]);
  });
});

describe('who may ask', () => {
  it('refuses a hub with wrong credentials, none, or a user that is no hub', async () => {
    const wrong = new HubClient({ username: hubUserName('pv'), password: 'not-the-password' });
    const refused = await refusal(wrong.prepare({ platform: 'meituan', code: mt.demo.good[0]! }));
    expect([refused.code, refused.status]).toEqual(['invalid_login', 401]);
    const none = await callApi(service.url, 'POST', '/api/hub/platform-vouchers/prepare', {
      platform: 'meituan',
      code: mt.demo.good[0],
    });
    expect([none.status, none.json.error.code]).toEqual([401, 'sign_in_required']);
    const cloudUser = new URL(couch.cloudUrl);
    const notHub = new HubClient({
      username: decodeURIComponent(cloudUser.username),
      password: decodeURIComponent(cloudUser.password),
    });
    const forbidden = await refusal(
      notHub.prepare({ platform: 'meituan', code: mt.demo.good[0]! }),
    );
    expect([forbidden.code, forbidden.status]).toEqual(['not_allowed', 403]);
  });

  it("refuses a store that has not authorised the platform, and forgets a store's link when withdrawn", async () => {
    const url = new URL(await couch.hubUrl('pw'));
    const other = new HubClient({
      username: hubUserName('pw'),
      password: decodeURIComponent(url.password),
      language: 'zh-CN',
    });
    const refused = await refusal(other.prepare({ platform: 'douyin', code: dy.demo.good[0]! }));
    expect([refused.code, refused.status]).toEqual(['platform_not_authorised', 403]);
    expect(refused.message).toBe('本店还没有授权抖音验券，请店主在后台授权');

    await authorise('pw', 'meituan', `shop=${mt.demo.shopId}`);
    const listed = await callApi(
      service.url,
      'GET',
      '/api/owner/stores/pw/platforms',
      undefined,
      bearer(ownerToken),
    );
    expect(listed.json).toEqual([
      expect.objectContaining({ storeId: 'pw', platform: 'meituan', shopId: mt.demo.shopId }),
    ]);
    expect(JSON.stringify(listed.json)).not.toContain('accessToken');
    const gone = await callApi(
      service.url,
      'DELETE',
      '/api/owner/stores/pw/platforms/meituan',
      undefined,
      bearer(ownerToken),
    );
    expect([gone.status, gone.json]).toEqual([200, []]);
    const after = await refusal(other.prepare({ platform: 'meituan', code: mt.demo.good[1]! }));
    expect(after.code).toBe('platform_not_authorised');

    const notTheirs = await callApi(
      service.url,
      'POST',
      '/api/owner/stores/zz/platforms/douyin/authorise',
      undefined,
      bearer(ownerToken),
    );
    expect([notTheirs.status, notTheirs.json.error.code]).toEqual([403, 'not_your_store']);
    const forgedState = await callApi(
      service.url,
      'GET',
      '/api/platform-auth/meituan/callback?code=abc&state=forged.state',
    );
    expect([forgedState.status, forgedState.json.error.code]).toEqual([
      422,
      'authorisation_link_expired',
    ]);
  });

  it("sends the owner's browser back to the dashboard's 平台账号 page, saying what happened", async () => {
    const asBrowser = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const start = await callApi(
      service.url,
      'POST',
      '/api/owner/stores/pw/platforms/douyin/authorise',
      undefined,
      bearer(ownerToken),
    );
    const page = await fetch(`${start.json.authoriseUrl}&poi_id=${dy.demo.poiId}`, {
      redirect: 'manual',
    });
    const back = await fetch(page.headers.get('location')!, {
      headers: asBrowser,
      redirect: 'manual',
    });
    expect([back.status, back.headers.get('location')]).toEqual([
      303,
      '/owner/platforms?store=pw&linked=douyin',
    ]);
    const listed = await callApi(
      service.url,
      'GET',
      '/api/owner/stores/pw/platforms',
      undefined,
      bearer(ownerToken),
    );
    expect(listed.json).toEqual([
      expect.objectContaining({ platform: 'douyin', shopId: dy.demo.poiId }),
    ]);
    // The grant ends with its refresh token (30 days), after the token's own 15.
    const [linked] = listed.json as { expiresAt: string; endsAt: string }[];
    expect(Date.parse(linked!.endsAt)).toBeGreaterThan(Date.parse(linked!.expiresAt));
    // The same link again: the code was spent, so the platform refuses it.
    const again = await fetch(page.headers.get('location')!, {
      headers: asBrowser,
      redirect: 'manual',
    });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toMatch(
      /^\/owner\/platforms\?platform=douyin&refused=platform_refused$/,
    );
    const forged = await fetch(
      `${service.url}/api/platform-auth/meituan/callback?code=abc&state=forged.state`,
      { headers: asBrowser, redirect: 'manual' },
    );
    expect(forged.headers.get('location')).toBe(
      '/owner/platforms?platform=meituan&refused=authorisation_link_expired',
    );
    await callApi(
      service.url,
      'DELETE',
      '/api/owner/stores/pw/platforms/douyin',
      undefined,
      bearer(ownerToken),
    );
  });
});

describe('signatures and tokens', () => {
  it('is refused by each platform when the request is signed with a forged key', async () => {
    const grant = (await couch.cloud.get(CLOUD_DBS.vouchers, 'grant:pv:meituan')) as unknown as {
      shopId: string;
      accessToken: string;
    };
    const forgedMeituan = new MeituanAdapter({
      apiUrl: mt.url,
      authUrl: `${mt.url}/general/auth`,
      developerId: MEITUAN.developerId,
      signKey: 'a-forged-sign-key',
      clock,
    });
    const mtRefused = await platformRefusal(forgedMeituan.prepare(grant, mt.demo.good[2]!));
    expect(mtRefused.code).toBe('platform_refused');
    expect(mtRefused.params).toMatchObject({ platformCode: '1001' });

    const forgedDouyin = new DouyinAdapter({
      apiUrl: dy.url,
      authUrl: `${dy.url}/platform/oauth/connect/`,
      clientKey: DOUYIN.clientKey,
      clientSecret: 'a-forged-secret',
      clock,
    });
    const dyRefused = await platformRefusal(
      forgedDouyin.prepare({ shopId: dy.demo.poiId, accessToken: '' }, dy.demo.good[2]!),
    );
    expect(dyRefused.code).toBe('platform_refused');
    expect(dyRefused.params).toMatchObject({ platformCode: '10003' });
  });

  it("refreshes a shop's token before it runs out", async () => {
    const before = (await couch.cloud.get(CLOUD_DBS.vouchers, 'grant:pv:meituan')) as unknown as {
      accessToken: string;
      expiresAt: number;
    };
    // Two days before the 30-day token runs out, the next use refreshes it first.
    now = before.expiresAt - 36 * 3_600_000;
    const prepared = await hub.prepare({ platform: 'meituan', code: mt.addVoucher() });
    expect(prepared.available).toBe(1);
    const after = (await couch.cloud.get(CLOUD_DBS.vouchers, 'grant:pv:meituan')) as unknown as {
      accessToken: string;
      expiresAt: number;
      refreshedAt: number;
    };
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.expiresAt).toBeGreaterThan(before.expiresAt);
    expect(after.refreshedAt).toBe(now);
    // The sweep refreshes the others that are due (Douyin's 15-day token is by now).
    expect(await service.cloud.platformVouchers.grants.refreshDue()).toBe(1);
  });
});
