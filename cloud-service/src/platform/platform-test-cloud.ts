// For the platform's tests: a real cloud service over the embedded CouchDB-compatible server,
// provisioned as a deployment is, holding the platform's credential (the server admin's URL), and
// staff signed in the way a person does it (texted code, then the authenticator's code).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlatformRole } from '@roomhub/shared-types';
import { MemorySmsProvider } from '../auth/sms';
import { SimulatedWechatLogin } from '../auth/wechat';
import { SimulatedCloudChannel } from '../payments/payment-channel';
import { startCloudService, type CloudService } from '../service';
import { CLOUD_SECRETS, callApi, bearer } from '../../test/cloud-fixtures';
import { startTestCouch, type TestCouch } from '../../test/test-couch';
import { PlatformAuth } from './platform-auth';
import { changeStaff } from './platform-staff';
import { initPlatformStore, platformStore } from './platform-store';

export interface PlatformCloud {
  couch: TestCouch;
  service: CloudService;
  sms: MemorySmsProvider;
  clock: { now: () => number; set(ms: number): void };
  api(method: string, path: string, body?: unknown, token?: string): ReturnType<typeof callApi>;
  /** Makes the phone staff with these roles (as the admin's command line does) and signs it in. */
  staff(phone: string, roles: PlatformRole[]): Promise<string>;
  /** Signs in staff that exists: the texted code, then the authenticator (enrolling it first). */
  signIn(phone: string): Promise<string>;
  close(): Promise<void>;
}

export async function startPlatformCloud(
  startMs: number,
  name = 'platform',
  /** What the stores wrote before the cloud service first started. */
  before?: (couch: TestCouch) => Promise<void>,
  /**
   * Leave what the platform's settings govern to them: a phone's hourly sign-in codes and how
   * long a payment is held (the tests otherwise fix the codes high, to sign in freely).
   */
  bySettings = false,
): Promise<PlatformCloud> {
  let now = startMs;
  const clock = { now: () => now, set: (ms: number) => void (now = ms) };
  const couch = await startTestCouch(mkdtempSync(join(tmpdir(), `${name}-`)));
  await before?.(couch);
  const sms = new MemorySmsProvider();
  const service = await startCloudService({
    couchUrl: couch.cloudUrl,
    platformCouchUrl: couch.couch.adminUrl,
    jwtSecret: 'a-test-secret-that-is-long-enough-for-hs256',
    ...CLOUD_SECRETS,
    sms,
    payments: new SimulatedCloudChannel(),
    wechat: new SimulatedWechatLogin(),
    clock,
    sweepMs: 0,
    smsLimits: {
      minIntervalMs: 0,
      ...(bySettings ? {} : { perHour: 10_000 }),
      senderPerMinute: 10_000,
      senderPerHour: 10_000,
    },
  });
  const secrets = new Map<string, string>();
  // An authenticator code is taken once: a second sign-in within the same 30 seconds uses the
  // next step's code, which the window of one step either side still accepts.
  const lastStep = new Map<string, number>();
  const api = (method: string, path: string, body?: unknown, token?: string) =>
    callApi(service.url, method, path, body, bearer(token));
  const signIn = async (phone: string): Promise<string> => {
    await api('POST', '/api/auth/sms/send', { phone });
    const first = await api('POST', '/api/platform/login', { phone, code: sms.lastCode(phone) });
    if (first.status !== 200) throw new Error(`sign-in ${phone}: ${JSON.stringify(first.json)}`);
    if (first.json.step === 'enrol') secrets.set(phone, first.json.secret);
    const step = Math.max(Math.floor(now / 30_000), (lastStep.get(phone) ?? -Infinity) + 1);
    if (step > Math.floor(now / 30_000) + 1) {
      throw new Error(`sign-in ${phone}: a third sign-in within 30 seconds; move the clock on`);
    }
    lastStep.set(phone, step);
    const code = PlatformAuth.codeFor(secrets.get(phone)!, step * 30_000);
    const second = await api('POST', '/api/platform/login/totp', {
      ticket: first.json.ticket,
      code,
    });
    if (second.status !== 200) throw new Error(`totp ${phone}: ${JSON.stringify(second.json)}`);
    return second.json.token as string;
  };
  const admin = platformStore(couch.admin, couch.couch.adminUrl);
  await initPlatformStore(admin);
  return {
    couch,
    service,
    sms,
    clock,
    api,
    signIn,
    async staff(phone, roles) {
      await changeStaff(
        couch.admin,
        { kind: 'set', phone, name: `Staff ${phone.slice(-4)}`, roles, by: 'cli' },
        now,
      );
      return signIn(phone);
    },
    async close() {
      await service.close();
      await couch.close();
    },
  };
}
