// What someone who reaches the hub without proving anything can do, over real HTTP: headers that
// once named a caller mean nothing, what everyone sees names no customer, unpaid holds and quotes
// are limited, a hub listening on the store's network answers only paired screens and signed-in
// staff from there, and a copied data folder gives away no PIN, token or door secret.
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { as, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function raw(url: string, method = 'GET', body?: unknown, headers = {}) {
  const r = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = (await r.json().catch(() => null)) as any;
  return { status: r.status, body: json, retryAfter: r.headers.get('retry-after') };
}

const booking = (room: string, phone: string, start: string, end: string) => ({
  roomId: room,
  start: at(start),
  end: at(end),
  partySize: 2,
  customer: { phone, name: '王女士' },
});

describe('a caller who proved nothing', () => {
  it('gains nothing from headers that once named the caller', async () => {
    h = await startTestHub();
    const [room] = await h.roomIds();
    const made = await h.api(
      'POST',
      '/api/bookings',
      booking(room!, '13800138000', '14:00', '16:00'),
    );
    expect(made.status).toBe(201);
    const ownerId = await h.staffId('owner');
    const forged = {
      'x-staff-id': ownerId,
      'x-kiosk-id': h.kioskId,
      'x-customer-phone': '13800138000',
    };
    for (const [method, path, body] of [
      ['GET', '/api/bookings', undefined],
      ['GET', `/api/bookings/${made.body.id}`, undefined],
      ['POST', `/api/bookings/${made.body.id}/cancel`, {}],
      ['POST', `/api/bookings/${made.body.id}/payments`, { method: 'cash' }],
      ['POST', `/api/rooms/${room}/door/open`, { reason: '打扫' }],
      ['GET', '/api/staff', undefined],
      ['GET', '/api/audit', undefined],
    ] as const) {
      const r = await raw(h.url + path, method, body, forged);
      expect({ path, method, status: r.status, code: r.body?.error?.code }).toEqual({
        path,
        method,
        status: 401,
        code: 'sign_in_required',
      });
    }
    expect(
      (await h.api('GET', `/api/bookings/${made.body.id}`, undefined, STAFF)).body.status,
    ).toBe('pending_payment');
  });

  it('sees free and taken time on the board and a room, never whose', async () => {
    h = await startTestHub();
    const [room] = await h.roomIds();
    const made = await h.api(
      'POST',
      '/api/bookings',
      booking(room!, '13800138000', '14:00', '16:00'),
    );
    const date = '2026-11-23';
    const board = await raw(`${h.url}/api/board?date=${date}`);
    const day = await raw(`${h.url}/api/rooms/${room}/availability?date=${date}`);
    for (const seen of [board.body, day.body]) {
      const text = JSON.stringify(seen);
      expect(text).toContain('held');
      expect(text).not.toContain(made.body.id);
      expect(text).not.toContain(made.body.number);
      expect(text).not.toContain('13800138000');
    }
    const counter = await h.api('GET', `/api/board?date=${date}`, undefined, as('cashier'));
    expect(JSON.stringify(counter.body)).toContain(made.body.number);
  });

  it('hears no events and opens no door with a guessed code', async () => {
    h = await startTestHub();
    const [room] = await h.roomIds();
    const events = await fetch(`${h.url}/api/events`);
    expect(events.status).toBe(401);
    await events.body?.cancel();
    const code = await raw(`${h.url}/api/rooms/${room}/door/code`, 'POST', { code: '12345678' });
    expect(code.status).toBe(401);
    const log = await h.api('GET', `/api/rooms/${room}/door/log`, undefined, STAFF);
    expect(log.body).toEqual([]);
  });
});

describe('limits on what costs the store nothing to ask', () => {
  it('holds at most two unpaid bookings per phone and three per kiosk', async () => {
    h = await startTestHub();
    const [a, b, c] = await h.roomIds();
    const first = await h.api(
      'POST',
      '/api/bookings',
      booking(a!, '13800138000', '10:30', '11:30'),
    );
    const second = await h.api(
      'POST',
      '/api/bookings',
      booking(b!, '13800138000', '10:30', '11:30'),
    );
    expect([first.status, second.status]).toEqual([201, 201]);
    const third = await h.api(
      'POST',
      '/api/bookings',
      booking(c!, '13800138000', '10:30', '11:30'),
    );
    expect(third.status).toBe(409);
    expect(third.body.error).toMatchObject({ code: 'too_many_holds', field: 'customer.phone' });

    // A third phone fills the kiosk; the next hold waits until one is paid or cancelled.
    expect(
      (await h.api('POST', '/api/bookings', booking(c!, '13900139000', '10:30', '11:30'))).status,
    ).toBe(201);
    const fourth = await h.api(
      'POST',
      '/api/bookings',
      booking(c!, '13700137000', '12:00', '13:00'),
    );
    expect(fourth.status).toBe(409);
    expect(fourth.body.error.code).toBe('too_many_holds');
    // The cashier, at the counter, is not a kiosk: the store's own staff are not limited per kiosk.
    const counter = await h.api(
      'POST',
      '/api/bookings',
      booking(c!, '13700137000', '12:00', '13:00'),
      as('cashier'),
    );
    expect(counter.status).toBe(201);
    await h.api('POST', `/api/bookings/${first.body.id}/payments`, { method: 'cash' }, STAFF);
    expect(
      (await h.api('POST', '/api/bookings', booking(a!, '13600136000', '14:00', '15:00'))).status,
    ).toBe(201);
  });

  it('answers 120 quotes a minute to a caller who proved nothing, and a paired kiosk all it asks', async () => {
    h = await startTestHub();
    const [room] = await h.roomIds();
    const quote = { roomId: room, start: at('14:00'), end: at('16:00') };
    for (let i = 0; i < 120; i++) {
      const r = await raw(`${h.url}/api/quotes`, 'POST', quote);
      if (r.status !== 200) throw new Error(`quote ${i + 1}: ${r.status}`);
    }
    const over = await raw(`${h.url}/api/quotes`, 'POST', quote);
    expect(over.status).toBe(429);
    expect(Number(over.retryAfter)).toBeGreaterThan(0);
    expect(Number(over.retryAfter)).toBeLessThanOrEqual(60);
    for (let i = 0; i < 130; i++) {
      const r = await h.api('POST', '/api/quotes', quote, as('kiosk'));
      if (r.status !== 200) throw new Error(`kiosk quote ${i + 1}: ${r.status}`);
    }
  });
});

/** This machine's first address on a network other than loopback, if it has one. */
function lanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

describe.skipIf(!lanAddress())('a hub listening on the store network', () => {
  it('serves that network only to paired screens and signed-in staff; this machine as before', async () => {
    h = await startTestHub({ host: '0.0.0.0' });
    const port = new URL(h.url).port;
    const lan = `http://${lanAddress()}:${port}`;
    const refused = await raw(`${lan}/api/board`);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('screen_or_staff_only');
    expect((await raw(`${lan}/api/health`)).status).toBe(401);
    expect((await raw(`${lan}/api/auth/sign-in`, 'POST', { pin: '333333' })).status).toBe(401);
    const kiosk = await h.headersOf('kiosk');
    expect((await raw(`${lan}/api/board?date=2026-11-23`, 'GET', undefined, kiosk)).status).toBe(
      200,
    );
    const cashier = await h.headersOf('cashier');
    expect((await raw(`${lan}/api/bookings`, 'GET', undefined, cashier)).status).toBe(200);
    // A new screen pairs from the network with the code the owner made.
    const code = await h.api(
      'POST',
      '/api/screens/pairing-codes',
      { name: '前台', kind: 'cashier' },
      STAFF,
    );
    const paired = await raw(`${lan}/api/screens/pair`, 'POST', { code: code.body.code });
    expect(paired.status).toBe(201);
    const screen = { 'x-screen-token': paired.body.token };
    // On a paired screen, staff sign in from the network.
    const onScreen = await raw(`${lan}/api/auth/sign-in`, 'POST', { pin: '333333' }, screen);
    expect(onScreen.status).toBe(200);
    // A cleaner's phone is paired the same way: it may do nothing by itself, but the cleaner
    // signs in on it from the store's Wi-Fi.
    const phoneCode = await h.api(
      'POST',
      '/api/screens/pairing-codes',
      { name: '保洁手机', kind: 'phone' },
      STAFF,
    );
    expect(phoneCode.status, JSON.stringify(phoneCode.body)).toBe(201);
    const phone = await raw(`${lan}/api/screens/pair`, 'POST', { code: phoneCode.body.code });
    expect(phone.status).toBe(201);
    const onPhone = { 'x-screen-token': phone.body.token };
    expect((await raw(`${lan}/api/bookings`, 'GET', undefined, onPhone)).status).toBe(403);
    expect((await raw(`${lan}/api/events`, 'GET', undefined, onPhone)).status).toBe(403);
    const cleaner = await raw(`${lan}/api/auth/sign-in`, 'POST', { pin: '555555' }, onPhone);
    expect(cleaner.status, JSON.stringify(cleaner.body)).toBe(200);
    const asCleaner = { authorization: `Bearer ${cleaner.body.token}` };
    expect((await raw(`${lan}/api/cleaning/tasks`, 'GET', undefined, asCleaner)).status).toBe(200);
    // This machine itself is served as before; the payment simulator stays on loopback only.
    expect((await raw(`http://127.0.0.1:${port}/api/board?date=2026-11-23`)).status).toBe(200);
    expect(new URL(h.gateway!.url).hostname).toBe('127.0.0.1');
  });
});

describe('a copied data folder', () => {
  it('holds no PIN, token or door secret in the clear, and only the hub may read it', async () => {
    h = await startTestHub();
    const [room] = await h.roomIds();
    const made = await h.api(
      'POST',
      '/api/bookings',
      booking(room!, '13800138000', '10:30', '11:30'),
    );
    await h.api('POST', `/api/bookings/${made.body.id}/payments`, { method: 'cash' }, STAFF);
    const token = (await h.headersOf('cashier')).authorization!.slice('Bearer '.length);
    const backup = await h.api('POST', '/api/backups', undefined, STAFF);
    expect(backup.status).toBe(201);

    // The database as it is on disk, read through the hub's connection: it holds the file.
    const db = h.hub.db;
    const secrets = db.prepare('SELECT secret FROM door_codes').all() as { secret: string }[];
    expect(secrets.length).toBeGreaterThan(0);
    for (const s of secrets) expect(s.secret.startsWith('v1:')).toBe(true);
    const pins = db.prepare('SELECT pin_hash FROM staff').all() as { pin_hash: string }[];
    for (const p of pins) {
      expect(p.pin_hash).not.toMatch(/^\d+$/);
      expect(p.pin_hash).not.toContain('333333');
    }
    const tokens = db.prepare('SELECT token_hash FROM staff_tokens').all() as {
      token_hash: string;
    }[];
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.map((t) => t.token_hash)).not.toContain(token);
    const dump = JSON.stringify(
      new Database(backup.body.file, { readonly: true })
        .prepare('SELECT * FROM staff_tokens')
        .all(),
    );
    expect(dump).not.toContain(token);

    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(h.dataDir)).toBe(0o700);
    expect(mode(join(h.dataDir, 'secret.key'))).toBe(0o600);
    expect(mode(join(h.dataDir, 'hub.db'))).toBe(0o600);
    expect(mode(backup.body.file)).toBe(0o600);
  });
});
