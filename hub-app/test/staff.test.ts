// Staff at the store (O9), over HTTP: sign-in with a PIN and what ends it, wrong PINs that slow
// down without locking anyone out, who manages whom, paired screens, the kiosk's proof of a
// booking, and the audit log of what staff did.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '@roomhub/shared-types';
import { as, at, OWNER_PIN, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
beforeEach(async () => {
  h = await startTestHub();
});
afterEach(async () => {
  await h.close();
});

/** A raw call: exactly these headers, nothing the harness adds. */
async function call(method: string, path: string, body?: unknown, headers = {}) {
  const r = await fetch(h.url + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = (await r.json().catch(() => null)) as any;
  return { status: r.status, body: json, retryAfter: r.headers.get('retry-after') };
}
const signIn = (pin: string, headers = {}) => call('POST', '/api/auth/sign-in', { pin }, headers);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function pairScreen(kind: 'kiosk' | 'cashier', name = `another ${kind}`) {
  const code = await h.api('POST', '/api/screens/pairing-codes', { name, kind }, STAFF);
  expect(code.status).toBe(201);
  const paired = await call('POST', '/api/screens/pair', { code: code.body.code });
  expect(paired.status).toBe(201);
  return paired.body as { token: string; screen: { id: string } };
}

describe('signing in', () => {
  it('trades a PIN for a token that says who is calling, until it expires or is ended', async () => {
    const r = await signIn('333333');
    expect(r.status).toBe(200);
    expect(r.body.staff).toEqual({ id: expect.any(String), name: '李收银', role: 'cashier' });
    expect(r.body.token).toMatch(/^[\w-]{40,}$/);
    const me = await call('GET', '/api/auth/me', undefined, bearer(r.body.token));
    expect(me.body.staff).toMatchObject({ name: '李收银', role: 'cashier', status: 'active' });

    h.clock.advance(12 * HOUR - MINUTE);
    expect((await call('GET', '/api/auth/me', undefined, bearer(r.body.token))).status).toBe(200);
    h.clock.advance(2 * MINUTE);
    const expired = await call('GET', '/api/auth/me', undefined, bearer(r.body.token));
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('sign_in_expired');

    const again = (await signIn('333333')).body.token as string;
    expect((await call('POST', '/api/auth/sign-out', {}, bearer(again))).status).toBe(200);
    expect((await call('GET', '/api/auth/me', undefined, bearer(again))).status).toBe(401);
  });

  it('refuses forged tokens and malformed PINs with words that say why', async () => {
    const forged = await call('GET', '/api/sessions', undefined, bearer('not-a-token'));
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('sign_in_expired');
    const short = await signIn('1234');
    expect(short.status).toBe(400);
    expect(short.body.error.message).toMatch(/pin.*6 to 12 digits/i);
    const missing = await call('POST', '/api/auth/sign-in', {});
    expect(missing.status).toBe(400);
    expect((await call('POST', '/api/auth/sign-in', '{"pin":')).status).toBe(400);
  });

  it('ends every sign-in of a staff member who is disabled or gets a new PIN', async () => {
    const cashier = await signIn('333333');
    const id = cashier.body.staff.id as string;
    const cleaner = await signIn('555555');
    const cleanerId = cleaner.body.staff.id as string;

    const reset = await h.api('POST', `/api/staff/${id}/pin`, { pin: '343434' }, STAFF);
    expect(reset.status).toBe(200);
    expect((await call('GET', '/api/auth/me', undefined, bearer(cashier.body.token))).status).toBe(
      401,
    );
    expect((await signIn('333333')).status).toBe(401);
    expect((await signIn('343434')).body.staff.id).toBe(id);

    const off = await h.api('PATCH', `/api/staff/${cleanerId}`, { status: 'disabled' }, STAFF);
    expect(off.body.status).toBe('disabled');
    expect((await call('GET', '/api/auth/me', undefined, bearer(cleaner.body.token))).status).toBe(
      401,
    );
    expect((await signIn('555555')).status).toBe(401);
    await h.api('PATCH', `/api/staff/${cleanerId}`, { status: 'active' }, STAFF);
    expect((await signIn('555555')).status).toBe(200);
  });
});

describe('wrong PINs', () => {
  it('slow down after five, doubling, never lock the cashier out elsewhere, and the owner ends the wait', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await signIn('000001');
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('wrong_pin');
    }
    // The sixth try waits, even with the right PIN: guessing is what the wait stops.
    const sixth = await signIn('333333');
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.code).toBe('wait_before_trying');
    expect(sixth.retryAfter).toBe('60');

    // Another source (the paired cashier screen) signs in meanwhile.
    const counter = await pairScreen('cashier');
    const there = await signIn('333333', { 'x-screen-token': counter.token });
    expect(there.status).toBe(200);

    h.clock.advance(61_000);
    expect((await signIn('000002')).status).toBe(401);
    const doubled = await signIn('000003');
    expect(doubled.status).toBe(429);
    expect(doubled.retryAfter).toBe('120');

    // The owner ends the wait from the cashier screen.
    const owner = await signIn(OWNER_PIN, { 'x-screen-token': counter.token });
    const cleared = await call(
      'POST',
      '/api/auth/waits/clear',
      {},
      { ...bearer(owner.body.token), 'x-screen-token': counter.token },
    );
    expect(cleared.status).toBe(200);
    expect(cleared.body.cleared).toBeGreaterThan(0);
    expect((await signIn('333333')).status).toBe(200);

    const log = await h.api('GET', '/api/audit?action=auth.sign_in&limit=50', undefined, STAFF);
    const refused = log.body.filter((e: { outcome: string }) => e.outcome === 'refused');
    expect(refused.length).toBe(6);
    expect(refused[0].target).toMatch(/^ip:/);
    const cleanup = await h.api('GET', '/api/audit?action=auth.clear_wait', undefined, STAFF);
    expect(cleanup.body).toHaveLength(1);
  });

  it('cap the wait at fifteen minutes', async () => {
    for (let i = 0; i < 5; i++) await signIn('000001');
    let retry = '';
    for (let i = 0; i < 8; i++) {
      const waited = await signIn('000001');
      expect(waited.status).toBe(429);
      retry = waited.retryAfter ?? '';
      h.clock.advance(Number(retry) * 1000 + 1000);
      expect((await signIn('000001')).status).toBe(401);
    }
    expect(retry).toBe('900');
  });
});

describe('who manages whom', () => {
  it('lets a manager manage the roles below and no one else, and nobody manage themselves', async () => {
    const manager = { ...as('manager') };
    const made = await h.api(
      'POST',
      '/api/staff',
      { name: '周收银', role: 'cashier', pin: '666666' },
      manager,
    );
    expect(made.status).toBe(201);
    expect(made.body).not.toHaveProperty('pin');
    expect(made.body).not.toHaveProperty('pinHash');

    const owner = await h.api(
      'POST',
      '/api/staff',
      { name: '假老板', role: 'owner', pin: '676767' },
      manager,
    );
    expect(owner.status).toBe(403);
    expect(owner.body.error.code).toBe('not_your_staff');
    const promote = await h.api(
      'PATCH',
      `/api/staff/${made.body.id}`,
      { role: 'manager' },
      manager,
    );
    expect(promote.body.error.code).toBe('not_your_staff');
    const ownerId = await h.staffId('owner');
    const resetOwner = await h.api('POST', `/api/staff/${ownerId}/pin`, { pin: '787878' }, manager);
    expect(resetOwner.body.error.code).toBe('not_your_staff');

    const managerId = await h.staffId('manager');
    const self = await h.api('PATCH', `/api/staff/${managerId}`, { status: 'disabled' }, manager);
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('not_your_staff');
    const ownerOff = await h.api('PATCH', `/api/staff/${ownerId}`, { status: 'disabled' }, STAFF);
    expect(ownerOff.status).toBe(409);
    expect(ownerOff.body.error.code).toBe('not_yourself');
    const ownerSelf = await h.api('PATCH', `/api/staff/${ownerId}`, { role: 'manager' }, STAFF);
    expect(ownerSelf.body.error.code).toBe('not_yourself');

    const taken = await h.api(
      'POST',
      '/api/staff',
      { name: '重复', role: 'cleaner', pin: '333333' },
      STAFF,
    );
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('pin_taken');
    expect(taken.body.error.field).toBe('pin');

    // A cashier changes nobody else's PIN, lists no staff, and changes their own; the change
    // ends their sign-in and the new PIN starts the next one.
    const cashierId = await h.staffId('cashier');
    const other = await h.api(
      'POST',
      `/api/staff/${made.body.id}/pin`,
      { pin: '323232' },
      as('cashier'),
    );
    expect(other.status).toBe(403);
    expect((await h.api('GET', '/api/staff', undefined, as('cashier'))).status).toBe(403);
    const own = await h.api(
      'POST',
      `/api/staff/${cashierId}/pin`,
      { pin: '313131' },
      as('cashier'),
    );
    expect(own.status).toBe(200);
    expect((await h.api('GET', '/api/auth/me', undefined, as('cashier'))).status).toBe(401);
    expect((await signIn('333333')).status).toBe(401);
    const fresh = await signIn('313131');
    expect(fresh.body.staff.name).toBe('李收银');
    const names = (await h.api('GET', '/api/staff', undefined, STAFF)).body.map(
      (s: { name: string }) => s.name,
    );
    expect(names).toContain('周收银');
  });
});

describe('paired screens', () => {
  it('pair once with a code that expires, and stop at once when unpaired', async () => {
    const code = await h.api(
      'POST',
      '/api/screens/pairing-codes',
      { name: '前台', kind: 'cashier' },
      STAFF,
    );
    expect(code.body.code).toMatch(/^\d{8}$/);
    const first = await call('POST', '/api/screens/pair', { code: code.body.code });
    expect(first.status).toBe(201);
    const second = await call('POST', '/api/screens/pair', { code: code.body.code });
    expect(second.status).toBe(401);
    expect(second.body.error.code).toBe('pairing_code_invalid');

    const late = await h.api(
      'POST',
      '/api/screens/pairing-codes',
      { name: '门口', kind: 'kiosk' },
      STAFF,
    );
    h.clock.advance(11 * MINUTE);
    expect((await call('POST', '/api/screens/pair', { code: late.body.code })).status).toBe(401);

    const door = await h.api(
      'POST',
      '/api/screens/pairing-codes',
      { name: '门', kind: 'door' },
      STAFF,
    );
    expect(door.status).toBe(400);
    expect(door.body.error.message).toMatch(/roomId/);

    const token = { 'x-screen-token': first.body.token as string };
    expect((await call('GET', '/api/rooms', undefined, token)).status).toBe(200);
    const gone = await h.api('DELETE', `/api/screens/${first.body.screen.id}`, undefined, STAFF);
    expect(gone.status).toBe(200);
    const after = await call('GET', '/api/rooms', undefined, token);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('screen_not_paired');
    const list = (await h.api('GET', '/api/screens', undefined, STAFF)).body;
    expect(list.find((s: { id: string }) => s.id === first.body.screen.id).revokedAt).toEqual(
      expect.any(String),
    );
    expect(list.find((s: { id: string }) => s.id === h.kioskId).revokedAt).toBeNull();
  });
});

describe('a customer at the kiosk', () => {
  it('proves a booking with its QR and acts on that booking there only, for ten minutes', async () => {
    const [room] = await h.roomIds();
    const b = await h.api(
      'POST',
      '/api/bookings',
      {
        roomId: room,
        start: at('10:30'),
        end: at('12:00'),
        partySize: 2,
        customer: { phone: '13800138000' },
      },
      as('cashier'),
    );
    expect(b.status).toBe(201);
    await h.api('POST', `/api/bookings/${b.body.id}/payments`, { method: 'cash' }, as('cashier'));
    const qr = (await h.api('GET', `/api/bookings/${b.body.id}/door-code`, undefined, STAFF)).body
      .qrPayload as string;

    const kiosk = await h.headersOf('kiosk');
    // Without a pass the kiosk cannot act on the booking.
    const blind = await call('GET', `/api/bookings/${b.body.id}`, undefined, kiosk);
    expect(blind.status).toBe(403);

    const wrong = await call(
      'POST',
      '/api/kiosk/prove',
      { qr: qr.replace(/\d{6}$/, '000000') },
      kiosk,
    );
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('wrong_code');

    const proved = await call('POST', '/api/kiosk/prove', { qr }, kiosk);
    expect(proved.status).toBe(200);
    expect(proved.body.booking.id).toBe(b.body.id);
    const withPass = { ...kiosk, 'x-booking-pass': proved.body.pass as string };
    const seen = await call('GET', `/api/bookings/${b.body.id}`, undefined, withPass);
    expect(seen.status).toBe(200);

    // The same pass at another kiosk is nothing.
    const other = await pairScreen('kiosk');
    const elsewhere = await call('GET', `/api/bookings/${b.body.id}`, undefined, {
      'x-screen-token': other.token,
      'x-booking-pass': proved.body.pass,
    });
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.error.code).toBe('pass_expired');

    h.clock.advance(10 * MINUTE + 1000);
    const stale = await call('GET', `/api/bookings/${b.body.id}`, undefined, withPass);
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('pass_expired');
    // Staff do not prove bookings at a kiosk.
    expect(
      (await call('POST', '/api/kiosk/prove', { qr }, await h.headersOf('cashier'))).status,
    ).toBe(403);
  });
});

describe('a booking made at the kiosk', () => {
  it('keeps its pass while it is held, so the door code still comes up when paid at the hold’s last minute', async () => {
    const [room] = await h.roomIds();
    const kiosk = await h.headersOf('kiosk');
    const made = await call(
      'POST',
      '/api/bookings',
      {
        roomId: room,
        start: at('16:00'),
        end: at('17:00'),
        partySize: 2,
        customer: { phone: '13800138011' },
      },
      kiosk,
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const withPass = { ...kiosk, 'x-booking-pass': made.body.pass.pass as string };
    // The store holds an unpaid booking 15 minutes: the customer walks to the counter and pays.
    h.clock.advance(14 * MINUTE);
    const paid = await h.api(
      'POST',
      `/api/bookings/${made.body.id}/payments`,
      { method: 'cash' },
      as('cashier'),
    );
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    const code = await call('GET', `/api/bookings/${made.body.id}/door-code`, undefined, withPass);
    expect(code.status, JSON.stringify(code.body)).toBe(200);
    expect(code.body.code).toMatch(/^\d{6}$/);
    // Long after the hold, the pass is gone.
    h.clock.advance(10 * MINUTE);
    const stale = await call('GET', `/api/bookings/${made.body.id}`, undefined, withPass);
    expect(stale.status).toBe(401);
  });
});

describe('the audit log', () => {
  it('records who did what on which screen, with before and after, refusals too, for the owner only', async () => {
    const [room] = await h.roomIds();
    const counter = await pairScreen('cashier', '收银台');
    const manager = await signIn('222222', { 'x-screen-token': counter.token });
    const onCounter = { ...bearer(manager.body.token), 'x-screen-token': counter.token };
    const renamed = await call('PATCH', `/api/rooms/${room}`, { name: '兰亭' }, onCounter);
    expect(renamed.status).toBe(200);
    const cleanerId = await h.staffId('cleaner');
    await call('PATCH', `/api/staff/${cleanerId}`, { name: '陈阿姨' }, onCounter);
    // A refusal is kept too.
    const refused = await h.api('POST', `/api/rooms/${room}/door/open`, {}, as('customer_service'));
    expect(refused.status).toBe(403);

    const managerId = manager.body.staff.id as string;
    const mine = (await h.api('GET', `/api/audit?actorId=${managerId}`, undefined, STAFF)).body;
    const roomEdit = mine.find((e: { action: string }) => e.action === 'PATCH /api/rooms/:id');
    expect(roomEdit).toMatchObject({
      actor: { kind: 'staff', id: managerId, role: 'manager', screenId: counter.screen.id },
      target: room,
      outcome: 'done',
      after: { name: '兰亭' },
    });
    expect(roomEdit.at).toMatch(/^2026-11-23T10:0\d:\d\d/);
    const staffEdit = mine.find((e: { action: string }) => e.action === 'staff.patch');
    expect(staffEdit.before.name).toBe('陈保洁');
    expect(staffEdit.after.name).toBe('陈阿姨');

    const doors = (
      await h.api('GET', '/api/audit?action=POST /api/rooms/:id/door/open', undefined, STAFF)
    ).body;
    expect(doors[0]).toMatchObject({ outcome: 'refused', actor: { role: 'customer_service' } });
    const byTarget = (await h.api('GET', `/api/audit?target=${cleanerId}`, undefined, STAFF)).body;
    expect(byTarget.map((e: { action: string }) => e.action)).toEqual([
      'staff.patch',
      'staff.create', // the demo store's seed
    ]);

    expect((await h.api('GET', '/api/audit', undefined, as('manager'))).status).toBe(403);
    expect((await h.api('GET', '/api/audit', undefined, as('cashier'))).status).toBe(403);

    // Append-only, whatever writes to the file (through the hub's connection: it holds the file).
    const db = h.hub.db;
    expect(() => db.prepare(`UPDATE audit_log SET actor_id = 'someone'`).run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });
});
