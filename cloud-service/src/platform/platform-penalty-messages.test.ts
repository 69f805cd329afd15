// A merchant hears of the platform's penalties in the owner's inbox, over real HTTP and a real
// CouchDB-compatible server: each penalty set makes one message naming the penalty, the stores,
// the reason, the period and what it means for customers; lifting one early makes one more; telling
// the same event again, or reading the inbox again, makes no second; another merchant hears nothing.
import { REGISTRY_DB } from '@roomhub/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeOwnerLink } from '../auth/owner-links';
import { MESSAGES_DB } from '../messages/message-contacts';
import { tellPenalty } from '../messages/penalty-notices';
import { seedStoreDocs } from '../../test/cloud-fixtures';
import { readPenalties } from './penalty-gate';
import { startPlatformCloud, type PlatformCloud } from './platform-test-cloud';

const T0 = Date.parse('2026-12-01T10:00:00+08:00');
const M = '13800009201';
const OTHER = '13800009301';
let p: PlatformCloud;
let admin: string;
let ownerM: string;
let ownerOther: string;

interface Msg {
  id: string;
  kind: string;
  title: string;
  body: string;
  read: boolean;
}
const inbox = async (token: string) =>
  (await p.api('GET', '/api/owner/messages', undefined, token)).json as {
    messages: Msg[];
    unread: number;
  };

const ownerSignIn = async (phone: string) => {
  await p.api('POST', '/api/auth/sms/send', { phone });
  const res = await p.api('POST', '/api/owner/login', { phone, code: p.sms.lastCode(phone) });
  expect(res.status).toBe(200);
  return res.json.token as string;
};

const store = (storeId: string, name: string) =>
  seedStoreDocs(
    p.couch.writers,
    {
      storeId,
      name,
      lat: 31.23,
      lng: 121.47,
      hours: { open: '00:00', close: '24:00' },
      rooms: [{ roomId: 'r1', style: 'tea', capacity: 4, workday: 6000 }],
    },
    p.clock.now(),
  );

beforeAll(async () => {
  p = await startPlatformCloud(T0, 'penalty-messages');
  admin = await p.staff('13900007001', ['merchant_admin']);
  await store('qa', '清茶小筑');
  await store('qb', '清茶小筑二店');
  await store('oc', '别家茶室');
  // Approved merchants and the phones linked to their stores (what approving them writes).
  for (const [phone, name, storeIds] of [
    [M, '清茶小筑', ['qa', 'qb']],
    [OTHER, '别家茶室', ['oc']],
  ] as const) {
    await p.couch.admin.put(REGISTRY_DB, {
      _id: `merchant:${phone}`,
      type: 'merchant',
      phone,
      name,
      contactPhone: phone,
      storeIds: [...storeIds],
      applicationIds: [],
      approvedAt: new Date(T0).toISOString(),
    });
    await changeOwnerLink(p.couch.admin, { phone, add: [...storeIds] }, T0);
  }
  ownerM = await ownerSignIn(M);
  ownerOther = await ownerSignIn(OTHER);
}, 60_000);
afterAll(async () => {
  await p?.close();
});

describe("the platform's penalties in the merchant's inbox", () => {
  it('tells each penalty set and lifted once, in words the merchant reads, and no one else', async () => {
    expect((await inbox(ownerM)).messages).toEqual([]);

    const hidden = await p.api(
      'POST',
      `/api/platform/merchants/${M}/penalties`,
      { kind: 'hidden', reason: '虚假宣传。', until: '2026-12-01T12:00:00+08:00' },
      admin,
    );
    expect(hidden.status).toBe(201);
    let mine = await inbox(ownerM);
    expect(mine.unread).toBe(1);
    expect(mine.messages).toHaveLength(1);
    expect(mine.messages[0]).toMatchObject({
      id: `penalty:${hidden.json.penaltyId}:set`,
      kind: 'platform_penalty',
      title: '平台处罚通知',
      body:
        '平台对你的门店（清茶小筑、清茶小筑二店）作出处罚：限制曝光。原因：虚假宣传。' +
        '期限：2026-12-01 10:00 至 2026-12-01 12:00。' +
        '期间这些门店不出现在顾客的附近门店和推荐里，顾客仍能打开门店页面、在线预订和到店。' +
        '如有疑问请联系平台客服。',
    });

    p.clock.set(T0 + 60_000);
    const paused = await p.api(
      'POST',
      `/api/platform/merchants/${M}/penalties`,
      { kind: 'no_online_booking', storeId: 'qb', reason: '多次爽约' },
      admin,
    );
    expect(paused.status).toBe(201);
    mine = await inbox(ownerM);
    expect(mine.messages).toHaveLength(2);
    const second = mine.messages[0]!;
    expect(second.id).toBe(`penalty:${paused.json.penaltyId}:set`);
    expect(second.body).toContain('（清茶小筑二店）作出处罚：暂停线上接单。原因：多次爽约。');
    expect(second.body).toContain('期限：2026-12-01 10:01 起，直至解除。');
    expect(second.body).toContain('期间顾客不能在线预订这些门店');
    // Queued for the owner's SMS like the other owner notices.
    expect(await p.couch.admin.get(MESSAGES_DB, `due:o:${M}:${second.id}`)).toBeTruthy();

    // Told again (a replay, on this or another instance) and read again: nothing new.
    const messages = p.service.cloud.messages;
    for (const doc of await readPenalties(p.couch.admin)) {
      expect(await tellPenalty(messages, doc, 'set')).toBe(0);
    }
    await p.api('POST', '/api/owner/messages/read', {}, ownerM);
    for (let i = 0; i < 2; i += 1) {
      mine = await inbox(ownerM);
      expect(mine.messages).toHaveLength(2);
      expect(mine.unread).toBe(0);
    }

    p.clock.set(T0 + 120_000);
    const lifted = await p.api(
      'POST',
      `/api/platform/merchants/${M}/penalties/${paused.json.penaltyId}/lift`,
      { reason: '商家已整改' },
      admin,
    );
    expect(lifted.status).toBe(200);
    mine = await inbox(ownerM);
    expect(mine.messages).toHaveLength(3);
    expect(mine.unread).toBe(1);
    expect(mine.messages[0]).toMatchObject({
      id: `penalty:${paused.json.penaltyId}:lifted`,
      kind: 'platform_penalty_lifted',
      title: '平台处罚已解除',
      body:
        '平台已提前解除对你的门店（清茶小筑二店）的处罚：暂停线上接单' +
        '（原期限：2026-12-01 10:01 起，直至解除）。解除原因：商家已整改。' +
        '顾客已可以重新在线预订这些门店。',
    });
    const after = (await readPenalties(p.couch.admin)).find(
      (x) => x.penaltyId === paused.json.penaltyId,
    )!;
    expect(await tellPenalty(messages, after, 'lifted')).toBe(0);
    expect(await tellPenalty(messages, after, 'set')).toBe(0);
    expect((await inbox(ownerM)).messages).toHaveLength(3);

    // The other merchant's owner hears none of it.
    expect((await inbox(ownerOther)).messages).toEqual([]);
  }, 60_000);

  it('tells a penalty whose telling failed when it was set at the next sweep, once', async () => {
    const penalties = p.service.cloud.platform.penalties;
    const tell = penalties.tell;
    // The inbox cannot be written as the penalty is set.
    penalties.tell = () => Promise.resolve(undefined);
    p.clock.set(T0 + 180_000);
    const warned = await p.api(
      'POST',
      `/api/platform/merchants/${OTHER}/penalties`,
      { kind: 'warning', reason: '投诉未及时处理' },
      admin,
    );
    expect(warned.status).toBe(201);
    expect((await inbox(ownerOther)).messages).toEqual([]);
    penalties.tell = tell;
    await p.service.sweepNow();
    await p.service.sweepNow();
    const theirs = await inbox(ownerOther);
    expect(theirs.messages.map((m: { id: string }) => m.id)).toEqual([
      `penalty:${warned.json.penaltyId}:set`,
    ]);
  }, 60_000);

  it("shows a store's owner its penalties, without who at the platform set or lifted them", async () => {
    const res = await p.api('GET', '/api/owner/stores/qb/penalties', undefined, ownerM);
    expect(res.status).toBe(200);
    const list = res.json as { kind: string; by: string; lifted: { by: string } | null }[];
    expect(list.map((x) => x.kind).sort()).toEqual(['hidden', 'no_online_booking']);
    expect(
      list.every((x) => x.by === 'platform' && (x.lifted?.by ?? 'platform') === 'platform'),
    ).toBe(true);
    expect(JSON.stringify(list)).not.toMatch(/139\d{8}/);
    const theirs = await p.api('GET', '/api/owner/stores/oc/penalties', undefined, ownerM);
    expect(theirs.status).toBe(403);
  });
});
