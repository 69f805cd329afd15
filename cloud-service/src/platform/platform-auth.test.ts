// The platform's guard and sign-in over real HTTP and a real CouchDB-compatible server: every
// platform route against every role (allowed, or a 403 in words), staff made by the admin's
// command line, the authenticator enrolled at the first sign-in, a removed member stopped at once,
// and every change in the audit trail with its reason.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_ROLES, platformMay, type PlatformRole } from '@roomhub/shared-types';
import { routes } from '../http/routes';
import { PlatformAuth } from './platform-auth';
import { startPlatformCloud, type PlatformCloud } from './platform-test-cloud';

const T0 = Date.parse('2026-12-01T10:00:00+08:00');
const SRC = resolve(import.meta.dirname, '..');
let p: PlatformCloud;
const tokens = new Map<PlatformRole, string>();
const phoneOf = (i: number) => `1390000100${i}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read loosely here
type Json = any;

/** One call, its answer read as JSON only when it is JSON (an export is a file). */
async function call(method: string, path: string, token?: string) {
  const res = await fetch(`${p.service.url}${path}`, {
    method: method.toUpperCase(),
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) as Json };
  } catch {
    return { status: res.status, json: text as Json };
  }
}

beforeAll(async () => {
  p = await startPlatformCloud(T0, 'platform-auth');
  for (const [i, role] of PLATFORM_ROLES.entries()) {
    tokens.set(role, await p.staff(phoneOf(i), [role]));
  }
}, 60_000);
afterAll(async () => {
  await p?.close();
});

describe('the permission table, route by route and role by role', () => {
  it('lets each role through exactly the routes its actions allow, and says who may otherwise', async () => {
    const table = routes(p.service.cloud).filter((r) => r.access === 'platform');
    expect(table.length).toBeGreaterThan(4);
    // Routes added since are in the table, so they are walked role by role below.
    expect(table.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'get /api/platform/settings/history',
        'get /api/platform/complaints',
        'get /api/platform/complaints/:storeId/:chatId',
        'post /api/platform/complaints/:storeId/:chatId/lines',
        'post /api/platform/complaints/:storeId/:chatId/close',
        'get /api/platform/orders',
        'get /api/platform/orders/:storeId/:bookingId/ledger',
        'get /api/platform/merchants/:phone/deposit',
        'post /api/platform/merchants/:phone/deposit/pay-ins',
        'post /api/platform/merchants/:phone/deposit/fines',
        'post /api/platform/merchants/:phone/deposit/fines/:entryId/refund',
        'post /api/platform/merchants/:phone/deposit/returns',
      ]),
    );
    const seen: string[] = [];
    for (const r of table) {
      // Sample values for path parameters; a refused value is a 400 after the guard.
      const path = r.path.replace(/:(\w+)/g, (_, name: string) =>
        name === 'phone' ? '13900009999' : 'nothing-here',
      );
      for (const role of PLATFORM_ROLES) {
        const allowed = r.action === undefined || platformMay([role], r.action);
        // No body: a write the guard lets through stops at its body's check, changing nothing.
        const res = await call(r.method, path, tokens.get(role));
        seen.push(`${r.method} ${r.path} ${role} ${res.status}`);
        if (allowed) {
          expect([401, 403], `${r.method} ${r.path} as ${role}`).not.toContain(res.status);
        } else {
          expect(res.status, `${r.method} ${r.path} as ${role}`).toBe(403);
          expect(res.json.error.code).toBe('not_allowed');
          expect(res.json.error.message).toMatch(/^only .* may do this \(.+\); you are /);
        }
      }
      // Nobody signed in, and a customer's token, are turned away before anything runs.
      expect((await call(r.method, path)).status).toBe(401);
    }
    expect(seen.length).toBe(table.length * PLATFORM_ROLES.length);
  });

  it('refuses a customer token on a platform route', async () => {
    await p.api('POST', '/api/auth/sms/send', { phone: '13800005555' });
    const customer = await p.api('POST', '/api/auth/sms/verify', {
      phone: '13800005555',
      code: p.sms.lastCode('13800005555'),
    });
    expect(customer.status).toBe(200);
    const res = await p.api('GET', '/api/platform/me', undefined, customer.json.token);
    expect(res.status).toBe(401);
  });
});

describe('signing in', () => {
  it('refuses a phone that is not on the staff, in words', async () => {
    await p.api('POST', '/api/auth/sms/send', { phone: '13700000001' });
    const res = await p.api('POST', '/api/platform/login', {
      phone: '13700000001',
      code: p.sms.lastCode('13700000001'),
    });
    expect(res.status).toBe(401);
    expect(res.json.error).toMatchObject({ code: 'not_platform_staff', field: 'phone' });
  });

  it('asks for the authenticator once enrolled, and stops after five wrong codes', async () => {
    const phone = phoneOf(0);
    await p.api('POST', '/api/auth/sms/send', { phone });
    const first = await p.api('POST', '/api/platform/login', {
      phone,
      code: p.sms.lastCode(phone),
    });
    expect(first.json.step).toBe('totp');
    expect(first.json.secret).toBeUndefined();
    for (let i = 0; i < 5; i += 1) {
      const wrong = await p.api('POST', '/api/platform/login/totp', {
        ticket: first.json.ticket,
        code: '000000',
      });
      expect(wrong.json.error.code).toBe('invalid_totp');
    }
    const stopped = await p.api('POST', '/api/platform/login/totp', {
      ticket: first.json.ticket,
      code: '123456',
    });
    expect(stopped.json.error.code).toBe('too_many_codes');
    // A ticket is good for five minutes only.
    const again = await p.api('POST', '/api/auth/sms/send', { phone });
    expect(again.status).toBe(202);
    const fresh = await p.api('POST', '/api/platform/login', {
      phone,
      code: p.sms.lastCode(phone),
    });
    p.clock.set(T0 + 6 * 60_000);
    const late = await p.api('POST', '/api/platform/login/totp', {
      ticket: fresh.json.ticket,
      code: PlatformAuth.codeFor('JBSWY3DPEHPK3PXP', p.clock.now()),
    });
    expect(late.json.error.code).toBe('ticket_expired');
    p.clock.set(T0);
  });

  it('takes an authenticator code once, on this instance or another', async () => {
    const phone = '13900005555';
    const owner = tokens.get('platform_owner')!;
    await p.api(
      'PUT',
      `/api/platform/staff/${phone}`,
      { phone, name: '周敏', roles: ['analyst'], reason: 'joins the analysts' },
      owner,
    );
    p.clock.set(T0 + 10 * 60_000);
    const ticket = async () => {
      await p.api('POST', '/api/auth/sms/send', { phone });
      const r = await p.api('POST', '/api/platform/login', { phone, code: p.sms.lastCode(phone) });
      return r.json as { ticket: string; secret?: string };
    };
    const enrol = await ticket();
    const secret = enrol.secret!;
    const code = PlatformAuth.codeFor(secret, p.clock.now());
    const first = await p.api('POST', '/api/platform/login/totp', { ticket: enrol.ticket, code });
    expect(first.status).toBe(200);
    // The same code again, on a new ticket: refused in words, and it is not a wrong code.
    const replay = await p.api('POST', '/api/platform/login/totp', {
      ticket: (await ticket()).ticket,
      code,
    });
    expect(replay.status).toBe(401);
    expect(replay.json.error).toMatchObject({ code: 'totp_used', field: 'code' });
    expect(replay.json.error.message).toMatch(/used already/);
    // An older code still inside the window is refused too; the next one is taken.
    const older = await p.api('POST', '/api/platform/login/totp', {
      ticket: (await ticket()).ticket,
      code: PlatformAuth.codeFor(secret, p.clock.now() - 30_000),
    });
    expect(older.json.error.code).toBe('totp_used');

    // Two instances of the cloud (two PlatformAuth over the same CouchDB) given the same new code
    // at once: one signs in, the other is refused.
    p.clock.set(T0 + 11 * 60_000);
    const parts = p.service.cloud.platform;
    const deps = {
      store: parts.store,
      smsCodes: p.service.cloud.smsCodes,
      audit: parts.audit,
      secret: 'a-test-secret-that-is-long-enough-for-hs256',
      clock: p.clock,
    };
    const [one, two] = [new PlatformAuth(deps), new PlatformAuth(deps)];
    const next = PlatformAuth.codeFor(secret, p.clock.now());
    const [t1, t2] = [(await ticket()).ticket, (await ticket()).ticket];
    const results = await Promise.allSettled([one.confirm(t1, next), two.confirm(t2, next)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'totp_used' });
    // And the first instance refuses it afterwards as well.
    await expect(one.confirm((await ticket()).ticket, next)).rejects.toMatchObject({
      code: 'totp_used',
    });
    p.clock.set(T0);
  });

  it('shows a new member a QR to enrol, and the first right code signs them in', async () => {
    const owner = tokens.get('platform_owner')!;
    const added = await p.api(
      'PUT',
      '/api/platform/staff/13900002222',
      { phone: '13900002222', name: '王丽', roles: ['user_admin'], reason: 'joins customer care' },
      owner,
    );
    expect(added.status).toBe(200);
    expect(added.json).toMatchObject({ name: '王丽', roles: ['user_admin'], enrolled: false });
    await p.api('POST', '/api/auth/sms/send', { phone: '13900002222' });
    const first = await p.api('POST', '/api/platform/login', {
      phone: '13900002222',
      code: p.sms.lastCode('13900002222'),
    });
    expect(first.json.step).toBe('enrol');
    expect(first.json.otpauthUri).toMatch(/^otpauth:\/\/totp\/.*13900002222\?.*secret=/);
    const ok = await p.api('POST', '/api/platform/login/totp', {
      ticket: first.json.ticket,
      code: PlatformAuth.codeFor(first.json.secret, p.clock.now()),
    });
    expect(ok.status).toBe(200);
    expect(ok.json.staff).toMatchObject({ phone: '13900002222', enrolled: true });
    const me = await p.api('GET', '/api/platform/me', undefined, ok.json.token);
    expect(me.json.actions).toEqual(['users.read', 'users.manage', 'analytics.read']);
  });
});

describe('the staff page', () => {
  it('changes roles and removes members at once, each change audited with its reason', async () => {
    const owner = tokens.get('platform_owner')!;
    const analyst = tokens.get('analyst')!;
    expect((await p.api('GET', '/api/platform/staff', undefined, analyst)).status).toBe(403);
    const promoted = await p.api(
      'PUT',
      `/api/platform/staff/${phoneOf(4)}`,
      {
        phone: phoneOf(4),
        name: 'Analyst',
        roles: ['analyst', 'merchant_admin'],
        reason: 'covers merchants in December',
      },
      owner,
    );
    expect(promoted.status).toBe(200);
    // The same token now reaches the merchants' pages.
    expect((await p.api('GET', '/api/platform/me', undefined, analyst)).json.roles).toEqual([
      'analyst',
      'merchant_admin',
    ]);

    const noReason = await p.api('DELETE', `/api/platform/staff/${phoneOf(4)}`, {}, owner);
    expect(noReason.status).toBe(400);
    expect(noReason.json.error.field).toBe('reason');
    const removed = await p.api(
      'DELETE',
      `/api/platform/staff/${phoneOf(4)}`,
      { reason: 'left the company' },
      owner,
    );
    expect(removed.status).toBe(200);
    expect((await p.api('GET', '/api/platform/me', undefined, analyst)).status).toBe(401);

    const self = await p.api(
      'DELETE',
      `/api/platform/staff/${phoneOf(0)}`,
      { reason: 'testing' },
      owner,
    );
    expect(self.status).toBe(422);

    const audit = await p.api('GET', '/api/platform/audit', undefined, owner);
    const lines = audit.json.map(
      (e: { actor: string; action: string; target: string; reason: string }) =>
        `${e.actor} ${e.action} ${e.target} ${e.reason}`,
    );
    expect(lines).toContain(`${phoneOf(0)} staff.remove staff:${phoneOf(4)} left the company`);
    expect(lines).toContain(
      `${phoneOf(0)} staff.set staff:${phoneOf(4)} covers merchants in December`,
    );
    expect(lines).toContain(
      `${phoneOf(0)} staff.enrol_authenticator staff:${phoneOf(0)} first sign-in`,
    );
  });

  it('lets the admin make the first platform owner from the command line', async () => {
    const run = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        join(SRC, 'provision/platform-main.ts'),
        'add',
        '13900003333',
        '--role',
        'platform_owner',
        '--name',
        '陈总',
      ],
      { env: { ...process.env, COUCHDB_URL: p.couch.couch.adminUrl }, encoding: 'utf8' },
    );
    expect(run.stdout).toContain('13900003333 is platform staff: platform_owner.');
    const token = await p.signIn('13900003333');
    const staff = await p.api('GET', '/api/platform/staff', undefined, token);
    expect(staff.json.map((s: { phone: string }) => s.phone)).toContain('13900003333');
    const audit = await p.api('GET', '/api/platform/audit?actor=cli', undefined, token);
    expect(audit.json[0]).toMatchObject({ action: 'staff.set', target: 'staff:13900003333' });
  }, 30_000);
});
