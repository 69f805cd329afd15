// Errors a person reads: each names the field and the rule in words a cashier understands, in
// zh-CN when the screen asks for it, and the API document lists what each route may answer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, at, startTestHub, type TestHub } from './harness';

let h: TestHub;
beforeEach(async () => {
  h = await startTestHub();
});
afterEach(async () => {
  await h.close();
});

const ZH = { 'accept-language': 'zh-CN,zh;q=0.9' };

describe('errors in words', () => {
  it('say a missing date is required, not what the validator expected', async () => {
    const en = await h.api('GET', '/api/board');
    expect(en.status).toBe(400);
    expect(en.body.error).toMatchObject({ field: 'date', message: 'date: is required' });
    const zh = await h.api('GET', '/api/board', undefined, ZH);
    expect(zh.body.error.message).toBe('日期：必填');
  });

  it('ask for JSON when a body comes as plain text, instead of naming a field it never read', async () => {
    const r = await fetch(`${h.url}/api/bookings`, {
      method: 'POST',
      headers: { ...(await h.headersOf('kiosk')), 'content-type': 'text/plain' },
      body: 'roomId=1',
    });
    expect(r.status).toBe(415);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unsupported_media_type');
    expect(body.error.message).toContain('JSON');
  });

  it('say the booking rules with their numbers in Chinese', async () => {
    const room = (await h.roomIds())[0]!;
    const r = await h.api(
      'POST',
      '/api/bookings',
      {
        roomId: room,
        start: at('14:00'),
        end: at('14:30'),
        partySize: 2,
        customer: { phone: '13800138000' },
      },
      ZH,
    );
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'too_short', field: 'end' });
    expect(r.body.error.message).toBe('一次预订至少 60 分钟');
    const door = await h.api(
      'POST',
      `/api/rooms/${room}/door/code`,
      { code: '000000' },
      {
        ...as('kiosk'),
        ...ZH,
      },
    );
    expect(door.body.error.message).toBe('开门码错误或已过期，还可以试 4 次');
    const missing = await h.api('GET', '/api/bookings/nope', undefined, { ...as('owner'), ...ZH });
    expect(missing.body.error.message).toBe('找不到这个预订（nope）');
  });

  it('are listed by route in the API document', async () => {
    const doc = (await h.api('GET', '/api/openapi.json')).body;
    const book = doc.paths['/api/bookings'].post.responses;
    expect(book['409'].description).toContain('slot_taken');
    expect(book['422'].description).toContain('too_short');
    expect(book['415'].description).toContain('unsupported_media_type');
    const door = doc.paths['/api/rooms/{id}/door/code'].post.responses;
    expect(door['429'].description).toContain('door_locked_out');
    expect(door['503'].description).toContain('door_failed');
  });
});

describe('a hub started on a port another program holds', () => {
  it('refuses to start, saying the address is in use', async () => {
    const { createServer } = await import('node:net');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { startHubServer } = await import('../src/server');
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as { port: number }).port;
    try {
      await expect(
        startHubServer({
          dataDir: mkdtempSync(join(tmpdir(), 'hub-port-')),
          port,
          runScheduler: false,
          devicePollMs: 0,
          simulatedGateway: false,
          ownerPin: '900000',
        }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      holder.close();
    }
  });
});
