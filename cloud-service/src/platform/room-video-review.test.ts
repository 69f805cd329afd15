// A room's video goes through the platform's review as its photos do (P2, C2): with the gate on, a
// video the store's hub adds to an approved room reaches the customer's store page and the
// catalogue only once a reviewer approved the change; until then customers see the approved room
// without it. A room published by an older hub (no video field at all) keeps its approval. Over
// real HTTP and a real CouchDB-compatible server, the hub writing with its own CouchDB user.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLOUD_DBS,
  catalogueRoomDocId,
  roomProfileDocId,
  storeDbName,
} from '@roomhub/shared-types';
import { seedStoreDocs } from '../../test/cloud-fixtures';
import type { CouchDoc } from '../couch';
import { contentHash } from './review-gate';
import { startPlatformCloud, type PlatformCloud } from './platform-test-cloud';

const T0 = Date.parse('2026-12-01T10:00:00+08:00');
const VIDEO = 'https://cdn.example.com/rooms/qingfeng.mp4';
const POSTER = 'https://cdn.example.com/rooms/qingfeng.jpg';
let p: PlatformCloud;
let owner: string;
let reviewer: string;

/** The hub publishes its room again: as an older hub (no video field) or with these fields. */
async function publishRoom(fields: Record<string, unknown> | 'older hub') {
  const hub = await p.couch.hub('vd');
  const doc = (await hub.get(storeDbName('vd'), roomProfileDocId('r1')))!;
  const { video: _v, videoPoster: _p, ...older } = doc;
  await hub.put(
    storeDbName('vd'),
    (fields === 'older hub'
      ? older
      : { ...doc, ...fields, updatedAt: new Date(p.clock.now()).toISOString() }) as CouchDoc,
  );
  await p.service.sweepNow();
}

/** The room as the customer's store page shows it. */
const customerRoom = async () => {
  const page = await p.api('GET', '/api/stores/vd');
  expect(page.status).toBe(200);
  return page.json.rooms.find((r: { roomId: string }) => r.roomId === 'r1') as
    { name: string; video: string | null; videoPoster: string | null } | undefined;
};

const pendingRoom = async () =>
  (await p.api('GET', '/api/platform/reviews?storeId=vd', undefined, reviewer)).json.pending.find(
    (x: { kind: string; itemId: string }) => x.kind === 'room' && x.itemId === 'r1',
  );

const approve = async (hash: string) => {
  const ok = await p.api(
    'POST',
    '/api/platform/reviews',
    { storeId: 'vd', kind: 'room', itemId: 'r1', hash, decision: 'approve' },
    reviewer,
  );
  expect(ok.status).toBe(200);
};

beforeAll(async () => {
  p = await startPlatformCloud(T0, 'room-video-review');
  owner = await p.staff('13900003001', ['platform_owner']);
  reviewer = await p.staff('13900003002', ['merchant_admin']);
  await seedStoreDocs(
    p.couch.writers,
    {
      storeId: 'vd',
      name: '清风茶舍',
      lat: 31.2,
      lng: 121.4,
      hours: { open: '00:00', close: '24:00' },
      rooms: [{ roomId: 'r1', style: 'tea', capacity: 4, workday: 6000 }],
    },
    p.clock.now(),
  );
  await publishRoom('older hub');
  await p.service.refreshCatalogue();
}, 60_000);
afterAll(async () => {
  await p?.close();
});

describe("a room's video under review", () => {
  it('shows a room an older hub published with no video, as null', async () => {
    expect(await customerRoom()).toMatchObject({ video: null, videoPoster: null });
    const on = await p.api(
      'PUT',
      '/api/platform/review-gate',
      { on: true, reason: 'rooms are reviewed from December' },
      owner,
    );
    expect(on.status).toBe(200);
    expect(await customerRoom()).toBeUndefined();
    const r1 = await pendingRoom();
    expect(r1).toMatchObject({ current: { name: 'Room r1', video: null }, approved: null });
    await approve(r1.hash);
    expect(await customerRoom()).toMatchObject({ name: 'Room r1', video: null });
  });

  it('hashes a room without a video as before rooms had one, so earlier approvals stand', () => {
    const room = {
      name: '清风',
      style: 'tea',
      capacity: 4,
      areaSqm: 20,
      facilities: ['wifi'],
      photos: ['https://cdn.example.com/rooms/1.jpg'],
    };
    const before = createHash('sha256')
      .update(JSON.stringify(['清风', 'tea', 4, 20, ['wifi'], room.photos]))
      .digest('base64url')
      .slice(0, 22);
    expect(contentHash(room)).toBe(before);
    expect(contentHash({ ...room, video: null, videoPoster: null })).toBe(before);
    expect(contentHash({ ...room, video: VIDEO, videoPoster: null })).not.toBe(before);
    expect(contentHash({ ...room, video: VIDEO, videoPoster: POSTER })).not.toBe(
      contentHash({ ...room, video: VIDEO, videoPoster: null }),
    );
  });

  it('keeps an approved room approved when a newer hub publishes it with no video', async () => {
    await publishRoom({ video: null, videoPoster: null });
    expect(await pendingRoom()).toBeUndefined();
    expect(await customerRoom()).toMatchObject({ name: 'Room r1', video: null });
  });

  it('shows a video the store adds only once the platform approved the change', async () => {
    await publishRoom({ video: VIDEO, videoPoster: POSTER });
    // Waiting: the customer sees the approved room, without the video.
    expect(await customerRoom()).toMatchObject({ name: 'Room r1', video: null, videoPoster: null });
    const catalogued = () => p.couch.cloud.get(CLOUD_DBS.catalogue, catalogueRoomDocId('r1'));
    expect(await catalogued()).toMatchObject({ video: null });
    const change = await pendingRoom();
    expect(change).toMatchObject({
      current: { video: VIDEO, videoPoster: POSTER },
      approved: { name: 'Room r1' },
    });
    expect(change.approved.video ?? null).toBeNull();

    await approve(change.hash);
    expect(await customerRoom()).toMatchObject({ video: VIDEO, videoPoster: POSTER });
    expect(await catalogued()).toMatchObject({ video: VIDEO, videoPoster: POSTER });

    // Another video is another change: the approved one stays until it is approved too.
    await publishRoom({ video: 'https://cdn.example.com/rooms/qingfeng-2.mp4' });
    expect((await customerRoom())!.video).toBe(VIDEO);
    expect((await pendingRoom()).current.video).toBe(
      'https://cdn.example.com/rooms/qingfeng-2.mp4',
    );
  });
});
