// Who may call what (O9), over HTTP: the permission table covers every route, and every route
// answers every kind of caller as its row says, staff by role and paired screens by kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteAccess, ScreenKind, StaffRole } from '@roomhub/shared-types';
import { routes } from '../src/http/routes';
import { PERMISSIONS, PLANNED, routeKey } from '../src/http/permissions';
import { withPermissions } from '../src/http/routes';
import { route } from '../src/http/route';
import { OWNER_PIN, startTestHub, type TestHub } from './harness';
import { DEMO_STAFF } from '../src/demo/seed';

let h: TestHub;
beforeAll(async () => {
  h = await startTestHub();
});
afterAll(async () => {
  await h.close();
});

type Caller =
  | { name: string; role: StaffRole; pin: string }
  | { name: string; screen: ScreenKind }
  | { name: 'anonymous' };

const CALLERS: Caller[] = [
  { name: 'owner', role: 'owner', pin: OWNER_PIN },
  ...DEMO_STAFF.map((d) => ({ name: d.role, role: d.role, pin: d.pin })),
  { name: 'kiosk', screen: 'kiosk' },
  { name: 'cashier screen', screen: 'cashier' },
  { name: 'door scanner', screen: 'door' },
  { name: 'anonymous' },
];

/** What the table says, read plainly: the spec this test holds the HTTP layer to. */
function allowed(access: RouteAccess, c: Caller): boolean {
  if (access === 'anyone') return true;
  if (typeof access === 'string') return false;
  if ('role' in c) return access.staff.includes(c.role);
  if ('screen' in c) return (access.screens ?? []).includes(c.screen);
  return false;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(h.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return (await r.json()) as Record<string, unknown>;
}

async function credentials(c: Caller): Promise<Record<string, string>> {
  if ('role' in c) {
    const r = await post('/api/auth/sign-in', { pin: c.pin });
    expect(r.token, `signing in as ${c.name}`).toBeTypeOf('string');
    return { authorization: `Bearer ${r.token as string}` };
  }
  if ('screen' in c) {
    const roomId = c.screen === 'door' ? { roomId: (await h.roomIds())[0] } : {};
    const code = await post(
      '/api/screens/pairing-codes',
      { name: c.name, kind: c.screen, ...roomId },
      await h.headersOf('owner'),
    );
    const paired = await post('/api/screens/pair', { code: code.code });
    expect(paired.token, `pairing the ${c.name}`).toBeTypeOf('string');
    return { 'x-screen-token': paired.token as string };
  }
  return {};
}

describe('the permission table', () => {
  it('has a row for every route, and a route for every row', () => {
    const keys = routes(h.hub).map((d) => routeKey(d.method, d.path));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => !PERMISSIONS[k])).toEqual([]);
    expect(Object.keys(PERMISSIONS).filter((k) => !keys.includes(k))).toEqual([]);
    // A planned row moves into the table when its route lands.
    expect(Object.keys(PLANNED).filter((k) => keys.includes(k))).toEqual([]);
  });

  it('stops the hub from starting a route without a row', () => {
    const stray = route({
      method: 'post',
      path: '/api/nowhere',
      tag: 'hub',
      summary: 'a route nobody decided about',
      handle: () => null,
    });
    expect(() => withPermissions([stray])).toThrow(/POST \/api\/nowhere has no row/);
  });

  it('keeps staff management, the audit log and the door log from the counter', () => {
    // Hand-written, so a wrong edit of the table shows here as well as in the matrix.
    const staffOf = (k: string) => {
      const a = PERMISSIONS[k]!;
      return typeof a === 'string' ? a : [...a.staff].sort();
    };
    expect(staffOf('GET /api/audit')).toEqual(['owner']);
    expect(staffOf('POST /api/auth/waits/clear')).toEqual(['owner']);
    expect(staffOf('POST /api/staff')).toEqual(['manager', 'owner']);
    expect(staffOf('GET /api/rooms/:id/door/log')).toEqual(['manager', 'owner']);
    expect(staffOf('POST /api/bookings/:id/refund/approve')).not.toContain('cashier');
    expect(staffOf('POST /api/bookings')).not.toContain('cleaner');
  });
});

describe('every route against every caller', () => {
  it('answers as the table says: 401 to nobody, 403 to the wrong role or screen, never to the right one', async () => {
    const roomId = (await h.roomIds())[0]!;
    const headers = new Map<string, Record<string, string>>();
    for (const c of CALLERS) headers.set(c.name, await credentials(c));
    const wrong: string[] = [];
    let checked = 0;
    for (const def of routes(h.hub)) {
      const key = routeKey(def.method, def.path);
      const path = def.path
        .replace(':id', def.path.startsWith('/api/rooms') ? roomId : 'no-such-id')
        .replace(':date', '2026-12-31')
        .replace(':method', 'wechat');
      for (const c of CALLERS) {
        const res = await fetch(h.url + path, {
          method: def.method.toUpperCase(),
          headers: { 'content-type': 'application/json', ...headers.get(c.name) },
          ...(def.method === 'get' ? {} : { body: '{}' }),
        });
        // The event stream stays open: its status is the answer.
        const text = res.headers.get('content-type')?.startsWith('text/event-stream')
          ? (await res.body?.cancel(), '')
          : await res.text();
        const code = /"code":"([a-z_]+)"/.exec(text)?.[1];
        const refused =
          (res.status === 401 && code === 'sign_in_required') ||
          (res.status === 403 && code === 'not_allowed');
        const should = allowed(def.access, c);
        if (should === refused) wrong.push(`${key} as ${c.name}: ${res.status} ${code ?? ''}`);
        if (!should && 'name' in c && c.name === 'anonymous' && res.status !== 401)
          wrong.push(`${key} as anonymous: ${res.status}, not 401`);
        checked++;
        // Signing out ends that caller's sign-in: sign in again for the routes after it.
        if (key === 'POST /api/auth/sign-out' && should) headers.set(c.name, await credentials(c));
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(routes(h.hub).length * CALLERS.length);
  });
});
