// A store's hub redeems Meituan and Douyin vouchers through the cloud with its own client
// (cloud-sync's CloudPlatformVouchers, signed in with the CouchDB user provisioning gave it): the
// cloud service on an embedded CouchDB-compatible server provisioned as a deployment is, each
// platform's local simulator in place of the platform, the store linked by its owner through the
// platforms' OAuth pages. The cloud's own tests (cloud-service/test/platform-vouchers.test.ts)
// go through every case; this proves the hub's side of the wire.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudPlatformVouchers } from '@roomhub/cloud-sync';
import type { EmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  SimulatedWechatLogin,
  startCloudService,
  startDouyinSimulator,
  startMeituanSimulator,
  type CloudService,
  type DouyinSimulator,
  type MeituanSimulator,
} from '@roomhub/cloud-service';
import { DomainError, type VoucherPlatform } from '@roomhub/shared-types';
import {
  JWT_SECRET,
  linkPlatforms,
  platformsOf,
  provisionerOn,
  startCouch,
  urlFor,
} from './fixtures';

const STORE = 'e2e-vouchers';
const MEITUAN = { developerId: '108802', signKey: 'e2e-meituan-sign-key' };
const DOUYIN = { clientKey: 'awe2eclientkey', clientSecret: 'e2e-douyin-client-secret' };

let couch: EmbeddedCouch;
let cloud: CloudService;
let mt: MeituanSimulator;
let dy: DouyinSimulator;
let hub: CloudPlatformVouchers;
let hubPassword: string;

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  couch = await startCouch('platform-vouchers-e2e-');
  const provisioner = provisionerOn(couch);
  const cloudUser = await provisioner.cloud();
  const hubUser = await provisioner.store(STORE);
  hubPassword = hubUser.password!;
  mt = await startMeituanSimulator(MEITUAN);
  dy = await startDouyinSimulator(DOUYIN);
  cloud = await startCloudService({
    couchUrl: urlFor(couch.url, cloudUser.user, cloudUser.password!),
    jwtSecret: JWT_SECRET,
    signingKey: generateKeyPairSync('ed25519').privateKey,
    customerIdKey: 'e2e-platform-vouchers-customer-id-key',
    sms: new MemorySmsProvider(),
    payments: new SimulatedCloudChannel(),
    wechat: new SimulatedWechatLogin(),
    sweepMs: 0,
    voucherPlatforms: platformsOf(mt, dy, MEITUAN, DOUYIN),
  });
  await linkPlatforms(cloud, STORE, mt, dy);
  hub = new CloudPlatformVouchers({
    cloudUrl: cloud.url,
    username: hubUser.user,
    password: hubPassword,
  });
});

afterAll(async () => {
  await cloud?.close();
  await mt?.close();
  await dy?.close();
  await couch?.close();
});

describe.each([
  {
    platform: 'meituan' as VoucherPlatform,
    code: () => mt.addVoucher(),
    used: () => mt.demo.used,
    lose: () => mt.dropNextConsumeAnswer(),
    count: (code: string) => mt.consumptionsOf(code),
  },
  {
    platform: 'douyin' as VoucherPlatform,
    code: () => dy.addVoucher(),
    used: () => dy.demo.used,
    lose: () => dy.dropNextVerifyAnswer(),
    count: (code: string) => dy.consumptionsOf(code),
  },
])("the hub's client, $platform", ({ platform, code, used, lose, count }) => {
  it('prepares, consumes once through a lost answer and its retry, and undoes', async () => {
    const voucher = code();
    const prepared = await hub.prepare({ platform, code: voucher });
    const ask = {
      platform,
      code: voucher,
      prepareToken: prepared.prepareToken,
      requestId: `e2e-${randomBytes(6).toString('hex')}`,
    };
    lose();
    const lost = await refusal(hub.consume(ask));
    expect(lost.code).toBe('platform_unavailable');
    const consumed = await hub.consume(ask);
    expect(consumed).toMatchObject({ platform, count: 1, title: prepared.title });
    expect(count(voucher)).toBe(1);

    const undone = await hub.undo({
      platform,
      consumptionId: consumed.consumptionId,
      requestId: `e2e-${randomBytes(6).toString('hex')}`,
    });
    expect(undone.consumptionId).toBe(consumed.consumptionId);
    expect(count(voucher)).toBe(0);
  });

  it('gets refusals back as DomainErrors a cashier reads', async () => {
    const e = await refusal(hub.prepare({ platform, code: used() }));
    expect([e.code, e.status]).toEqual(['voucher_used', 409]);
    expect(e.messageIn('zh-CN')).toBe('这张券已经核销过了');
  });
});

it('refuses a hub whose password is wrong', async () => {
  const wrong = new CloudPlatformVouchers({
    cloudUrl: cloud.url,
    username: `hub-${STORE}`,
    password: `${hubPassword}x`,
  });
  const e = await refusal(wrong.prepare({ platform: 'meituan', code: mt.demo.good[0]! }));
  expect([e.code, e.status]).toEqual(['invalid_login', 401]);
});
