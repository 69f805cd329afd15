// Our own voucher used at the owner's other store, end to end: two real hubs of one owner (stores
// A and B), each replicating through a TCP proxy the test can cut, the cloud service on an
// embedded CouchDB-compatible server, and B's line to the cloud service through a proxy too. A
// voucher bought online for A is scanned at B: B asks the cloud, the cloud asks A, A marks it moved
// and B redeems it at once; A refuses it from then on. A offline, B offline, a voucher used at A
// first, a store of another owner, and the same voucher asked for by two stores at once: it is
// never used twice. One hand-moved clock drives both hubs and the cloud.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudVoucherMoves } from '@roomhub/cloud-sync';
import type { EmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';
import { startTcpProxy, type TcpProxy } from '@roomhub/cloud-sync/testing';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  createCouchClient,
  putOwnerAccount,
  startCloudService,
  type CloudService,
} from '@roomhub/cloud-service';
import {
  as,
  CLOUD_KEYS,
  CUSTOMER_ID_KEY,
  ManualClock,
  startTestHub,
  T0,
  type TestHub,
  until,
} from '@roomhub/hub-app/testing';
import {
  answerDocId,
  DomainError,
  intentIdOf,
  readVoucherQr,
  storeDbName,
  storeInboxDbName,
} from '@roomhub/shared-types';
import {
  cloudApi,
  hubLink,
  JWT_SECRET,
  provisionerOn,
  putDealOnSale,
  signInBySms,
  startCouch,
  storeIdOf,
  tempDir,
  untilDealInCloud,
  urlFor,
} from './fixtures';

const CASHIER = as('cashier');
const ZH = { ...CASHIER, 'accept-language': 'zh-CN' };
const PHONE = '13800000031';
const HALF_HOUR = 30 * 60_000;

const clock = new ManualClock(T0);
let couch: EmbeddedCouch;
let cloud: CloudService;
let a: TestHub;
let b: TestHub;
let lineA: TcpProxy;
let lineB: TcpProxy;
/** B's hub's line to the cloud service (its voucher calls). */
let cloudLineB: TcpProxy;
/** Store C (the same owner) and D (another owner), asking straight as their hubs would. */
let hubC: CloudVoucherMoves;
let hubD: CloudVoucherMoves;
let dealId: string;
let customer: string;

const api = cloudApi(() => cloud.url);

/** A voucher of A's deal, bought online: its QR and id. */
async function buy(): Promise<{ voucherId: string; qr: string; storeId: string }> {
  const r = await api('POST', `/api/deals/${dealId}/purchases`, {}, customer);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.voucher;
}

let scans = 0;
async function redeem(hub: TestHub, qr: string, headers = CASHIER) {
  const rooms = await hub.roomIds();
  // A walk-in of two hours per scan: the clock moves on a half hour and the room changes.
  clock.advance(HALF_HOUR);
  scans += 1;
  return hub.api(
    'POST',
    '/api/vouchers/redeem',
    {
      text: qr,
      use: {
        kind: 'book',
        roomId: rooms[scans % rooms.length],
        partySize: 2,
        customer: { phone: PHONE },
      },
      requestId: randomUUID(),
    },
    headers,
  );
}

beforeAll(async () => {
  couch = await startCouch('voucher-moves-e2e-');
  const provisioner = provisionerOn(couch);
  const cloudUser = await provisioner.cloud();
  const sms = new MemorySmsProvider();
  const dirA = tempDir('hub-moves-a-');
  const dirB = tempDir('hub-moves-b-');
  const [storeA, storeB] = await Promise.all([storeIdOf(dirA), storeIdOf(dirB)]);
  const [userA, userB, userC, userD] = [
    await provisioner.store(storeA),
    await provisioner.store(storeB),
    await provisioner.store('e2e-moves-c'),
    await provisioner.store('e2e-moves-d'),
  ];
  // Owner accounts are the cloud service's to write.
  const asCloud = createCouchClient(urlFor(couch.url, cloudUser.user, cloudUser.password!));
  await putOwnerAccount(asCloud, {
    username: 'owner-one',
    password: 'owner-one-password',
    storeIds: [storeA, storeB, 'e2e-moves-c'],
  });
  await putOwnerAccount(asCloud, {
    username: 'owner-two',
    password: 'owner-two-password',
    storeIds: ['e2e-moves-d'],
  });

  const couchPort = Number(new URL(couch.url).port);
  [lineA, lineB] = [await startTcpProxy(couchPort), await startTcpProxy(couchPort)];
  a = await startTestHub({ dataDir: dirA, clock, cloud: hubLink(lineA.url, userA) });
  b = await startTestHub({ dataDir: dirB, clock, cloud: hubLink(lineB.url, userB) });
  cloud = await startCloudService({
    couchUrl: urlFor(couch.url, cloudUser.user, cloudUser.password!),
    jwtSecret: JWT_SECRET,
    signingKey: CLOUD_KEYS.privateKey,
    customerIdKey: CUSTOMER_ID_KEY,
    sms,
    payments: new SimulatedCloudChannel(),
    clock,
    intentWaitMs: 1_500,
    voucherMoveWaitMs: 3_000,
    sweepMs: 0,
    catalogueRefreshMs: 0,
    log: () => {},
  });
  cloudLineB = await startTcpProxy(Number(new URL(cloud.url).port));
  b.hub.setVoucherMoves(
    new CloudVoucherMoves({
      cloudUrl: cloudLineB.url,
      username: userB.user,
      password: userB.password!,
    }),
  );
  const direct = (user: { user: string; password?: string }) =>
    new CloudVoucherMoves({ cloudUrl: cloud.url, username: user.user, password: user.password! });
  [hubC, hubD] = [direct(userC), direct(userD)];

  // A's deal on sale online; a customer signed in.
  dealId = await putDealOnSale(a, {
    source: 'own',
    title: '任意包间 2 小时',
    entitlement: { kind: 'hours', minutes: 120, maxPartySize: 4 },
    price: 6800,
    validDays: 30,
    status: 'on_sale',
  });
  await untilDealInCloud(cloud, api, storeA, dealId);
  customer = await signInBySms(api, sms, PHONE);
}, 60_000);

afterAll(async () => {
  await cloud?.close();
  await a?.close();
  await b?.close();
  await cloudLineB?.close();
  await lineA?.close();
  await lineB?.close();
  await couch?.close();
});

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

describe("our own voucher at the owner's other store", () => {
  it('bought online for A, is redeemed at B; A shows it moved and refuses it', async () => {
    const v = await buy();
    const r = await redeem(b, v.qr);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.booking).toMatchObject({ status: 'paid', customer: { phone: PHONE } });
    expect(r.body.dealTitle).toBe('任意包间 2 小时');
    expect(b.hub.vouchers.find(v.voucherId)).toMatchObject({
      store_id: b.hub.store.getStore().id,
      moved_from: a.hub.store.getStore().id,
    });
    const atA = a.hub.vouchers.find(v.voucherId)!;
    expect(a.hub.vouchers.status(atA)).toBe('moved');
    const again = await redeem(a, v.qr, ZH);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('voucher_moved');
    // The customer's voucher is B's now, and shown used once B's ledger reaches the cloud.
    const mine = await until('my voucher used at B', async () => {
      await cloud.sweepNow();
      const list = await api('GET', '/api/me/vouchers', undefined, customer);
      const one = list.body.vouchers.find(
        (x: { voucherId: string }) => x.voucherId === v.voucherId,
      );
      return one?.status === 'used' ? one : undefined;
    });
    expect(mine.storeId).toBe(b.hub.store.getStore().id);
    expect(readVoucherQr(mine.qr)?.store).toBe(b.hub.store.getStore().id);
  });

  it('is refused at B while A is offline, and stays usable at A', async () => {
    const v = await buy();
    lineA.cut();
    const r = await redeem(b, v.qr, ZH);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('voucher_other_store');
    expect(r.body.error.message).toBe('这张券属于其他门店，该门店联网时才能在本店使用');
    // Back online after B stopped waiting: A does not give it away late.
    clock.advance(HALF_HOUR);
    lineA.heal();
    const storeA = a.hub.store.getStore().id;
    const admin = createCouchClient(couch.adminUrl);
    const [move] = (await admin.byPrefix(storeInboxDbName(storeA), 'intent:')).filter(
      (d) =>
        (d as { kind?: string }).kind === 'voucher_move' && JSON.stringify(d).includes(v.voucherId),
    );
    const late = await until('A answers the late move', async () =>
      admin.get(storeDbName(storeA), answerDocId(intentIdOf(move!._id)!)),
    );
    expect(late).toMatchObject({ outcome: 'rejected' });
    expect(a.hub.vouchers.status(a.hub.vouchers.find(v.voucherId)!)).toBe('valid');
    const atA = await redeem(a, v.qr);
    expect(atA.status, JSON.stringify(atA.body)).toBe(200);
  });

  it('is refused at B while B cannot reach the cloud', async () => {
    const v = await buy();
    cloudLineB.cut();
    try {
      const r = await redeem(b, v.qr);
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('voucher_other_store');
    } finally {
      cloudLineB.heal();
    }
    expect(b.hub.vouchers.find(v.voucherId)).toBeUndefined();
  });

  it('used at A first, is refused at B', async () => {
    const v = await buy();
    expect((await redeem(a, v.qr)).status).toBe(200);
    const r = await redeem(b, v.qr);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('voucher_used');
  });

  it('is refused to a store of another owner', async () => {
    const v = await buy();
    const e = await refusal(hubD.move({ pass: readVoucherQr(v.qr)! }));
    expect(e.code).toBe('voucher_other_owner');
    const atA = await redeem(a, v.qr);
    expect(atA.status, JSON.stringify(atA.body)).toBe(200);
  });

  it('asked for by two stores at once, moves to exactly one', async () => {
    const v = await buy();
    const [atB, atC] = await Promise.allSettled([
      redeem(b, v.qr),
      hubC.move({ pass: readVoucherQr(v.qr)! }),
    ]);
    const bWon = atB.status === 'fulfilled' && atB.value.status === 200;
    const cWon = atC.status === 'fulfilled';
    expect([bWon, cWon].filter(Boolean)).toHaveLength(1);
    if (bWon) {
      expect(atC.status === 'rejected' && (atC.reason as DomainError).code).toBe('voucher_moved');
    } else {
      expect(atB.status === 'fulfilled' && atB.value.body.error.code).toBe('voucher_moved');
    }
    const atA = a.hub.vouchers.find(v.voucherId)!;
    expect(atA.moved_to).toBe(bWon ? b.hub.store.getStore().id : 'e2e-moves-c');
  });
});
