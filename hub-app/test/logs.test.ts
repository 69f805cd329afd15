// The hub's diagnostics at 2 a.m.: structured lines kept under the data folder, each line of a
// request with its id, no phone number in full and no PIN or token at all, downloadable by the
// owner only.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logger } from '../src/log';
import { as, at, OWNER_PIN, startTestHub, until, type TestHub } from './harness';

let h: TestHub;
beforeEach(async () => {
  h = await startTestHub();
});
afterEach(async () => {
  await h.close();
});

const logText = () => {
  const dir = join(h.hub.dataDir, 'logs');
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('');
};

describe('the hub’s log', () => {
  it('keeps a line per request with its id, and never a phone in full nor a PIN or token', async () => {
    const room = (await h.roomIds())[0]!;
    const made = await h.api(
      'POST',
      '/api/bookings',
      {
        roomId: room,
        start: at('14:00'),
        end: at('16:00'),
        partySize: 2,
        customer: { phone: '13800138000' },
      },
      { 'x-request-id': 'booking-1' },
    );
    expect(made.status).toBe(201);
    await h.api('GET', '/api/bookings?phone=13800138000', undefined, as('cashier'));
    // A diagnostic that carries a customer's phone, as a sync or device fault might.
    logger().warn({ customer: { phone: '13800138000' } }, 'call back 13800138000');
    const signIn = await fetch(`${h.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'sign-in-1' },
      body: JSON.stringify({ pin: OWNER_PIN }),
    });
    const { token } = (await signIn.json()) as { token: string };
    const text = await until('the log lines', async () => {
      const t = logText();
      return t.includes('sign-in-1') && t.includes('138****8000') ? t : undefined;
    });
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.reqId === 'booking-1')).toMatchObject({
      method: 'POST',
      path: '/api/bookings',
      status: 201,
      level: 30,
    });
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain(OWNER_PIN);
    expect(text).not.toContain(token);
  });

  it('is the owner’s to download, for the last days asked', async () => {
    await h.api('GET', '/api/rooms', undefined, { 'x-request-id': 'rooms-1' });
    await until('the line', async () => (logText().includes('rooms-1') ? true : undefined));
    const cashier = await h.api('GET', '/api/logs?days=1', undefined, as('cashier'));
    expect(cashier.status).toBe(403);
    const bad = await h.api('GET', '/api/logs?days=30', undefined, as('owner'));
    expect(bad.body.error).toMatchObject({ field: 'days', message: 'days: must be at most 14' });
    const r = await fetch(`${h.url}/api/logs?days=1`, { headers: await h.headersOf('owner') });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toContain('attachment');
    expect(await r.text()).toContain('"reqId":"rooms-1"');
  });
});
