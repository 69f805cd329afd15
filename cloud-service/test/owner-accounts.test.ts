// Owners of the remote view, made as a deployment makes them: the admin links an owner's phone to
// a store with `npm run owner` (the real command, as the admin, against a real CouchDB-compatible
// server), the owner signs in with a code texted to that phone; the cloud's own start (the real
// process) makes the demo owner while SMS is simulated and prints how to sign in.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  SimulatedWechatLogin,
  startCloudService,
  type CloudService,
} from '../src/index';
import {
  CLOUD_KEYS,
  CLOUD_SECRETS,
  CUSTOMER_ID_KEY,
  callApi,
  seedStoreDocs,
} from './cloud-fixtures';
import { startTestCouch, type TestCouch } from './test-couch';

const SRC = resolve(import.meta.dirname, '../src');
const T0 = Date.parse('2026-11-23T10:00:00+08:00');

let couch: TestCouch;
let service: CloudService;
let sms: MemorySmsProvider;
/** Moved on before each code, past the one-a-minute limit of a phone. */
let now = T0;

beforeAll(async () => {
  couch = await startTestCouch(mkdtempSync(join(tmpdir(), 'owner-accounts-')));
  for (const storeId of ['oa', 'ob']) {
    await seedStoreDocs(
      couch.writers,
      {
        storeId,
        lat: 31.23,
        lng: 121.47,
        hours: { open: '09:00', close: '23:00' },
        rooms: [{ roomId: `${storeId}-r1`, style: 'tea', capacity: 4, workday: 6000 }],
      },
      T0,
    );
  }
  sms = new MemorySmsProvider();
  service = await startCloudService({
    couchUrl: couch.cloudUrl,
    jwtSecret: 'a-test-secret-that-is-long-enough-for-hs256',
    ...CLOUD_SECRETS,
    sms,
    payments: new SimulatedCloudChannel(),
    wechat: new SimulatedWechatLogin(),
    clock: { now: () => now },
    sweepMs: 0,
  });
});
afterAll(async () => {
  await service?.close();
  await couch?.close();
});

const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  callApi(service.url, method, path, body, headers);

/** `npm run owner -- <args>` as the admin. */
async function ownerCommand(...args: string[]) {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(SRC, 'provision/owner-main.ts'), ...args],
      { env: { ...process.env, COUCHDB_URL: couch.couch.adminUrl }, encoding: 'utf8' },
    );
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

/** Texts a code to the phone and trades it at the owner's sign-in. */
async function ownerSignIn(phone: string, code?: string) {
  now += 2 * 60_000;
  expect((await api('POST', '/api/auth/sms/send', { phone })).status).toBe(202);
  return api('POST', '/api/owner/login', { phone, code: code ?? sms.lastCode(phone) });
}

describe('owner accounts', () => {
  it('links an owner to a store with npm run owner, and the owner signs in with a texted code', async () => {
    const phone = '13900000777';
    const unknown = await ownerCommand('add', phone, '--store', 'nowhere');
    expect(unknown.code).toBe(1);
    expect(unknown.out).toMatch(/not provisioned: nowhere/);
    expect((await ownerCommand('add', phone)).code).toBe(2);

    // Not linked yet: the right code still signs nobody in as an owner.
    const before = await ownerSignIn(phone);
    expect(before.status).toBe(401);
    expect(before.json.error.code).toBe('invalid_login');

    const added = await ownerCommand('add', phone, '--store', 'oa');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/Owner 13900000777 runs oa/);
    expect((await ownerCommand('list')).out).toMatch(/13900000777\s+oa/);

    const login = await ownerSignIn(phone);
    expect(login.status).toBe(200);
    expect(login.json.storeIds).toEqual(['oa']);
    const token = login.json.token as string;
    const board = await api('GET', '/api/owner/stores/oa/board?date=2026-11-23', undefined, {
      Authorization: `Bearer ${token}`,
    });
    expect(board.status).toBe(200);
    expect(
      (
        await api('GET', '/api/owner/stores/ob/board?date=2026-11-23', undefined, {
          Authorization: `Bearer ${token}`,
        })
      ).status,
    ).toBe(403);

    expect((await ownerCommand('remove', phone, '--store', 'oa')).out).toMatch(/no store now/);
  });

  it("refuses an owner's wrong code", async () => {
    const phone = '13900000778';
    expect((await ownerCommand('add', phone, '--store', 'ob')).code).toBe(0);
    const wrong = await ownerSignIn(phone, '000000' === sms.lastCode(phone) ? '111111' : '000000');
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('invalid_code');
  });
});

describe('the demo owner', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGTERM');
  });

  it("is made by the cloud's start while SMS is simulated, which prints how to sign in", async () => {
    const lines: string[] = [];
    let seen: () => void = () => {};
    child = spawn(process.execPath, ['--import', 'tsx', join(SRC, 'main.ts')], {
      env: {
        ...process.env,
        COUCHDB_URL: couch.cloudUrl,
        CLOUD_PORT: '0',
        CLOUD_SIGNING_KEY: CLOUD_KEYS.privateKey
          .export({ type: 'pkcs8', format: 'pem' })
          .toString(),
        CUSTOMER_ID_KEY,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        lines.push(...chunk.split('\n'));
        seen();
      });
    }
    const waitFor = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((res, rej) => {
        const timer = setTimeout(
          () => rej(new Error(`no ${pattern} in:\n${lines.join('\n')}`)),
          20_000,
        );
        const look = () => {
          for (const line of lines) {
            const m = pattern.exec(line);
            if (m) {
              clearTimeout(timer);
              return res(m);
            }
          }
        };
        seen = look;
        look();
      });
    const [, phone, url] = await waitFor(
      /Owner sign-in\s+phone (\d{11}) \(demo owner of [^)]*\boa\b[^)]*\): POST (http:\/\/[^/\s]+)\/api\/auth\/sms\/send/,
    );
    const call = (path: string, body: unknown) => callApi(url!, 'POST', path, body, {});
    expect((await call('/api/auth/sms/send', { phone })).status).toBe(202);
    const [, code] = await waitFor(new RegExp(`SMS to ${phone}: .*?(\\d{6})`));
    const login = await call('/api/owner/login', { phone, code });
    expect(login.status).toBe(200);
    expect(login.json.storeIds).toEqual(expect.arrayContaining(['oa', 'ob']));
  });
});
