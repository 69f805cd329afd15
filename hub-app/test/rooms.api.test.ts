// A room's video over HTTP on a real SQLite file (O2): the owner sets it with the room, reads it
// back, sees it published in the room's profile for the customers' pages, and is told which field
// is wrong, in Chinese too, when the address is not an https .mp4.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RoomProfileDocSchema, roomProfileDocId } from '@roomhub/shared-types';
import { buildDocument } from '../src/sync/documents';
import { STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let room: string; // 听雨

beforeEach(async () => {
  h = await startTestHub();
  room = (await h.roomIds())[0]!;
});
afterEach(async () => {
  await h.close();
});

const VIDEO = 'https://cdn.example.com/rooms/tingyu.mp4';
const POSTER = 'https://cdn.example.com/rooms/tingyu.jpg';
const profile = () =>
  RoomProfileDocSchema.parse(buildDocument(h.hub, roomProfileDocId(room), undefined));

describe("a room's video", () => {
  it('has none until the owner sets one, then is read back and published with the room', async () => {
    expect((await h.api('GET', `/api/rooms/${room}`)).body).toMatchObject({
      video: null,
      videoPoster: null,
    });
    expect(profile()).toMatchObject({ video: null, videoPoster: null });

    const set = await h.api(
      'PATCH',
      `/api/rooms/${room}`,
      { video: ` ${VIDEO} `, videoPoster: POSTER },
      STAFF,
    );
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ video: VIDEO, videoPoster: POSTER });
    expect((await h.api('GET', `/api/rooms/${room}`)).body).toMatchObject({
      video: VIDEO,
      videoPoster: POSTER,
    });
    expect(profile()).toMatchObject({ video: VIDEO, videoPoster: POSTER });

    // A patch that leaves the video out leaves it alone; null takes it away.
    await h.api('PATCH', `/api/rooms/${room}`, { capacity: 5 }, STAFF);
    expect((await h.api('GET', `/api/rooms/${room}`)).body.video).toBe(VIDEO);
    const off = await h.api('PATCH', `/api/rooms/${room}`, { video: null }, STAFF);
    expect(off.body).toMatchObject({ video: null, videoPoster: POSTER });
    expect(profile().video).toBeNull();
  });

  it('is taken with a new room, and a new room without one has none', async () => {
    const base = {
      name: '揽月',
      capacity: 4,
      areaSqm: 14,
      style: '新中式茶室',
      pricePlan: { rates: { workday: 3800, weekend: 4800, holiday: 5800 } },
    };
    const withVideo = await h.api('POST', '/api/rooms', { ...base, video: VIDEO }, STAFF);
    expect(withVideo.status).toBe(201);
    expect(withVideo.body).toMatchObject({ video: VIDEO, videoPoster: null });
    const without = await h.api('POST', '/api/rooms', { ...base, name: '问松' }, STAFF);
    expect(without.body).toMatchObject({ video: null, videoPoster: null });
  });

  it('refuses an address that is not an https .mp4, naming the field, and changes nothing', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ video: 'http://cdn.example.com/rooms/tingyu.mp4' }, 'video', 'an .mp4 video'],
      [{ video: 'https://cdn.example.com/rooms/tingyu.mov' }, 'video', 'an .mp4 video'],
      [{ video: 'javascript:alert(1)//.mp4' }, 'video', 'an .mp4 video'],
      [{ video: `https://cdn.example.com/${'a'.repeat(500)}.mp4` }, 'video', 'at most 500'],
      [{ video: VIDEO, videoPoster: 'ftp://cdn.example.com/p.jpg' }, 'videoPoster', 'a picture'],
    ];
    for (const [patch, field, rule] of cases) {
      const r = await h.api('PATCH', `/api/rooms/${room}`, patch, STAFF);
      expect({ patch, status: r.status, field: r.body.error?.field }).toEqual({
        patch,
        status: 400,
        field,
      });
      expect(r.body.error.code).toBe('invalid_input');
      expect(r.body.error.message).toContain(`${field}: `);
      expect(r.body.error.message).toContain(rule);
    }
    const zh = await h.api(
      'PATCH',
      `/api/rooms/${room}`,
      { video: 'http://cdn.example.com/rooms/tingyu.mp4' },
      { ...STAFF, 'accept-language': 'zh-CN' },
    );
    expect(zh.status).toBe(400);
    expect(zh.body.error).toMatchObject({
      field: 'video',
      message: '视频：须为 https:// 开头的 .mp4 视频地址',
    });
    expect((await h.api('GET', `/api/rooms/${room}`)).body.video).toBeNull();
  });
});
