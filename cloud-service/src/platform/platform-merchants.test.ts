// Merchant onboarding end to end over real HTTP and a real CouchDB-compatible server: a would-be
// owner applies with documents checked by size and by their bytes, another applicant sees none of
// it, a merchant admin sends it back with reasons and then approves it, and the owner signs in to
// the remote view of the store the approval linked.
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformCloud, type PlatformCloud } from './platform-test-cloud';

const T0 = Date.parse('2026-12-01T10:00:00+08:00');
const A = '13800008001';
const B = '13800008002';
let p: PlatformCloud;
let reviewer: string;
let tokenA: string;
let tokenB: string;
let appId: string;

/** A real 1x1 PNG. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crcTable = Array.from({ length: 256 }, (_, n) => {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      return c >>> 0;
    });
    let crc = 0xffffffff;
    for (const b of Buffer.concat([Buffer.from(type), data])) {
      crc = crcTable[(crc ^ b) & 0xff]! ^ (crc >>> 8);
    }
    const out = Buffer.alloc(4);
    out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
    return Buffer.concat([len, Buffer.from(type), data, out]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const pdf = () => Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

async function customer(phone: string) {
  await p.api('POST', '/api/auth/sms/send', { phone });
  const r = await p.api('POST', '/api/auth/sms/verify', { phone, code: p.sms.lastCode(phone) });
  return r.json.token as string;
}
async function upload(token: string, id: string, kind: string, type: string, body: Buffer) {
  const res = await fetch(`${p.service.url}/api/merchant-applications/${id}/documents/${kind}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': type },
    body: new Uint8Array(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read loosely here
  return { status: res.status, json: (await res.json()) as any };
}

beforeAll(async () => {
  p = await startPlatformCloud(T0, 'platform-merchants');
  reviewer = await p.staff('13900004001', ['merchant_admin']);
  tokenA = await customer(A);
  tokenB = await customer(B);
  await p.couch.hub('ma1');
}, 60_000);
afterAll(async () => {
  await p?.close();
});

describe('a merchant application', () => {
  it('checks each document by its size and its bytes, and submits only with all three', async () => {
    const created = await p.api(
      'POST',
      '/api/merchant-applications',
      {
        merchantName: '静心茶舍',
        contactPhone: A,
        stores: [{ name: '静心茶舍·徐汇店', address: '上海市徐汇区漕溪北路 88 号' }],
      },
      tokenA,
    );
    expect(created.status).toBe(201);
    appId = created.json.applicationId;
    expect(created.json.status).toBe('draft');

    const fake = await upload(
      tokenA,
      appId,
      'business_licence',
      'application/pdf',
      Buffer.from('not a pdf'),
    );
    expect(fake.status).toBe(422);
    expect(fake.json.error).toMatchObject({ code: 'document_type', field: 'body' });
    const big = await upload(
      tokenA,
      appId,
      'business_licence',
      'application/pdf',
      Buffer.concat([pdf(), Buffer.alloc(5 * 1024 * 1024)]),
    );
    expect(big.status).toBe(413);
    expect((await upload(tokenA, appId, 'business_licence', 'image/png', png())).status).toBe(200);

    const early = await p.api(
      'POST',
      `/api/merchant-applications/${appId}/submit`,
      undefined,
      tokenA,
    );
    expect(early.status).toBe(422);
    expect(early.json.error.message).toContain('health_permit, fire_permit');

    await upload(tokenA, appId, 'health_permit', 'application/pdf', pdf());
    await upload(tokenA, appId, 'fire_permit', 'application/pdf', pdf());
    const sent = await p.api(
      'POST',
      `/api/merchant-applications/${appId}/submit`,
      undefined,
      tokenA,
    );
    expect(sent.status).toBe(200);
    expect(sent.json.status).toBe('submitted');
  });

  it("never shows one applicant another's application or documents", async () => {
    const mineB = await p.api('GET', '/api/merchant-applications/mine', undefined, tokenB);
    expect(mineB.json).toEqual([]);
    const doc = await fetch(
      `${p.service.url}/api/merchant-applications/${appId}/documents/business_licence`,
      { headers: { Authorization: `Bearer ${tokenB}` } },
    );
    expect(doc.status).toBe(404);
    const upB = await upload(tokenB, appId, 'fire_permit', 'application/pdf', pdf());
    expect(upB.status).toBe(404);
    const own = await fetch(
      `${p.service.url}/api/merchant-applications/${appId}/documents/business_licence`,
      { headers: { Authorization: `Bearer ${tokenA}` } },
    );
    expect(own.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await own.arrayBuffer()).equals(png())).toBe(true);
  });

  it('is sent back with reasons, fixed, then approved: the owner signs in to the linked store', async () => {
    const queue = await p.api(
      'GET',
      '/api/platform/merchants/applications?status=submitted',
      undefined,
      reviewer,
    );
    expect(queue.json.map((a: { applicationId: string }) => a.applicationId)).toEqual([appId]);
    const details = {
      merchantName: '静心茶舍',
      contactPhone: A,
      stores: [{ name: '静心茶舍·徐汇店', address: '上海市徐汇区漕溪北路 88 号 2 楼' }],
    };
    const edit = (token: string) =>
      p.api('PUT', `/api/merchant-applications/${appId}`, details, token);
    expect((await edit(tokenA)).status).toBe(409);
    const back = await p.api(
      'POST',
      `/api/platform/merchants/applications/${appId}/decision`,
      { decision: 'return', reason: '营业执照照片不清晰，请重新上传' },
      reviewer,
    );
    expect(back.status).toBe(200);
    const mine = await p.api('GET', '/api/merchant-applications/mine', undefined, tokenA);
    expect(mine.json[0]).toMatchObject({
      status: 'returned',
      reasons: '营业执照照片不清晰，请重新上传',
    });
    expect((await edit(tokenB)).status).toBe(404);
    const edited = await edit(tokenA);
    expect(edited.status).toBe(200);
    expect(edited.json).toMatchObject({ status: 'returned', stores: details.stores });

    await upload(tokenA, appId, 'business_licence', 'image/png', png());
    await p.api('POST', `/api/merchant-applications/${appId}/submit`, undefined, tokenA);
    const wrongCount = await p.api(
      'POST',
      `/api/platform/merchants/applications/${appId}/decision`,
      { decision: 'approve', storeIds: ['ma1', 'ma2'], reason: '资料齐全' },
      reviewer,
    );
    expect(wrongCount.status).toBe(400);
    expect(wrongCount.json.error.field).toBe('storeIds');
    const ok = await p.api(
      'POST',
      `/api/platform/merchants/applications/${appId}/decision`,
      { decision: 'approve', storeIds: ['ma1'], reason: '资料齐全' },
      reviewer,
    );
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ status: 'approved', linked: ['ma1'], toProvision: [] });

    await p.api('POST', '/api/auth/sms/send', { phone: A });
    const owner = await p.api('POST', '/api/owner/login', { phone: A, code: p.sms.lastCode(A) });
    expect(owner.status).toBe(200);
    expect(owner.json.storeIds).toEqual(['ma1']);
    const again = await p.api(
      'POST',
      `/api/platform/merchants/applications/${appId}/decision`,
      { decision: 'return', reason: 'twice' },
      reviewer,
    );
    expect(again.status).toBe(409);
  });

  it("rates a merchant from its stores' reviews, less its complaints, disputes and suspensions", async () => {
    const before = await p.api('GET', '/api/platform/merchants', undefined, reviewer);
    expect(before.json).toEqual([
      expect.objectContaining({
        phone: A,
        name: '静心茶舍',
        storeIds: ['ma1'],
        rating: {
          reviews: 0,
          reviewAverage: null,
          complaints: 0,
          disputes: 0,
          upheld: 0,
          suspensions: 0,
          warnings: 0,
          score: null,
        },
      }),
    ]);
    // Reviews the stores accepted, as the cloud's follower copies them: two of this merchant's
    // store (4.5 and 4.25, in two rooms), one of another merchant's store (not counted).
    const review = (storeId: string, roomId: string, intentId: string, ratings: number[]) =>
      p.couch.cloud.put('reviews', {
        _id: `review:${storeId}:${roomId}:${intentId}`,
        type: 'review',
        storeId,
        roomId,
        bookingId: `b-${intentId}`,
        ratings: {
          environment: ratings[0],
          facilities: ratings[1],
          teaSnacks: ratings[2],
          service: ratings[3],
        },
        at: new Date(T0).toISOString(),
      });
    await review('ma1', 'r1', 'intent1', [5, 4, 4, 5]);
    await review('ma1', 'r2', 'intent2', [4, 4, 4, 5]);
    await review('mb1', 'r1', 'intent3', [1, 1, 1, 1]);
    await p.api(
      'PUT',
      '/api/platform/stores/ma1/limit',
      { suspended: true, reason: '顾客投诉卫生问题属实' },
      reviewer,
    );
    const after = await p.api('GET', '/api/platform/merchants', undefined, reviewer);
    expect(after.json[0]).toMatchObject({
      suspendedStores: ['ma1'],
      rating: { reviews: 2, reviewAverage: 4.4, suspensions: 1, score: 3.9 },
    });

    // Complaints as the cloud keeps them beside the conversations: one the platform stepped into
    // and upheld (0.1 + 0.2 + 0.2), one still open (0.1), one found not upheld (nothing), and one
    // of another merchant's store (not this merchant's).
    const complaint = (storeId: string, chatId: string, more: object) =>
      p.couch.cloud.put('chats', {
        _id: `complaint:${storeId}:${chatId}`,
        type: 'complaint',
        storeId,
        chatId,
        bookingId: 'b1',
        customerId: 'c1',
        status: 'open',
        reason: '包间有烟味',
        filedAt: new Date(T0).toISOString(),
        platformLines: 0,
        ...more,
      });
    const by = { phone: '13900004001', name: 'Staff 4001' };
    const at = new Date(T0).toISOString();
    await complaint('ma1', 'k1', {
      status: 'closed',
      joinedAt: at,
      joinedBy: by,
      platformLines: 1,
      closed: { outcome: 'upheld', words: '门店同意退一半', at, by },
    });
    await complaint('ma1', 'k2', {});
    await complaint('ma1', 'k3', {
      status: 'closed',
      closed: { outcome: 'not_upheld', words: '监控显示已打扫', at, by },
    });
    await complaint('mb1', 'k4', {});
    const rated = await p.api('GET', '/api/platform/merchants', undefined, reviewer);
    expect(rated.json[0].rating).toEqual({
      reviews: 2,
      reviewAverage: 4.4,
      complaints: 2,
      disputes: 1,
      upheld: 1,
      suspensions: 1,
      warnings: 0,
      score: 3.3,
    });
  });
});
