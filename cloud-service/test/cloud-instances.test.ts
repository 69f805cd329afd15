// Two cloud instances over one embedded CouchDB-compatible server, as behind a load balancer:
// sign-in codes are shared (sent on one, used once on either, the limits per phone and per sender
// hold across both); a booking request waiting on either instance returns as soon as the hub's
// answer lands, and the same Idempotency-Key on both is one intent and one payment hold; an
// owner's change waiting on one instance keeps another from overtaking it on the other.
import { CLOUD_DBS } from '@roomhub/shared-types';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IntentDocSchema,
  answerDoc,
  storeDbName,
  storeInboxDbName,
  type IntentDoc,
} from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  putOwnerAccount,
  startCloudService,
  type CloudService,
} from '../src/index';
import type { CouchClient, CouchDoc } from '../src/couch';
import { startTestCouch, type TestCouch } from './test-couch';
import {
  bearer,
  bookingFact,
  callApi,
  seedStoreDocs,
  CLOUD_SECRETS,
  phoneId,
} from './cloud-fixtures';

/** Monday 2026-11-23, 10:00 in Shanghai. */
const T0 = Date.parse('2026-11-23T10:00:00+08:00');
/** How long a booking call waits for the hub; far longer than any answer below may take. */
const ANSWER_WAIT_MS = 8_000;

let clock = T0;
let root: string;
let couch: TestCouch;
let db: CouchClient;
let a: CloudService;
let b: CloudService;
const smsA = new MemorySmsProvider();
const smsB = new MemorySmsProvider();
const payments = new SimulatedCloudChannel();

const start = (sms: MemorySmsProvider) =>
  startCloudService({
    couchUrl: couch.cloudUrl,
    ...CLOUD_SECRETS,
    jwtSecret: 'instances-test-secret-instances-test-secret',
    sms,
    payments,
    clock: { now: () => clock },
    answerWaitMs: ANSWER_WAIT_MS,
    // Far beyond the wait: only the change feed can tell a waiting call its answer in time.
    answerRecheckMs: 60_000,
    sweepMs: 0,
    log: () => {},
  });

const api = (on: CloudService, method: string, url: string, body?: unknown, token?: string) =>
  callApi(on.url, method, url, body, bearer(token));

const sent = (phone: string) =>
  [...smsA.sent, ...smsB.sent].filter((m) => m.phone === phone).length;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'cloud-instances-'));
  couch = await startTestCouch(root);
  // Every write as its real writer makes it: facts as the store's hub, the rest as the cloud.
  db = couch.writers;
  await seedStoreDocs(
    db,
    {
      storeId: 'wa',
      lat: 31.23,
      lng: 121.47,
      hours: { open: '00:00', close: '24:00' },
      rooms: ['wa-r1', 'wa-r2', 'wa-r3'].map((roomId) => ({
        roomId,
        style: 'tea',
        capacity: 4,
        workday: 5000,
      })),
    },
    T0 - 3_600_000,
  );
  [a, b] = await Promise.all([start(smsA), start(smsB)]);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

describe('sign-in codes shared by two instances', () => {
  it('verifies a code sent through one instance on the other, exactly once', async () => {
    const phone = '13600000001';
    expect((await api(a, 'POST', '/api/auth/sms/send', { phone })).status).toBe(202);
    const refused = await api(b, 'POST', '/api/auth/sms/send', { phone });
    expect(refused.status).toBe(429);
    expect(refused.json.error).toMatchObject({ code: 'rate_limited', field: 'phone' });
    expect(sent(phone)).toBe(1);

    const code = smsA.lastCode(phone)!;
    const onB = await api(b, 'POST', '/api/auth/sms/verify', { phone, code });
    expect(onB.status).toBe(200);
    expect((await api(a, 'POST', '/api/auth/sms/verify', { phone, code })).status).toBe(401);
    expect((await api(b, 'POST', '/api/auth/sms/verify', { phone, code })).status).toBe(401);

    // The shared record holds neither the code nor the number.
    const stored = JSON.stringify(await db.byPrefix(CLOUD_DBS.auth, ''));
    expect(stored).not.toContain(code);
    expect(stored).not.toContain(phone);

    clock += 61_000;
    expect((await api(b, 'POST', '/api/auth/sms/send', { phone })).status).toBe(202);
    expect(sent(phone)).toBe(2);
  });

  it('sends one code when both instances are asked for one at the same moment', async () => {
    const phone = '13600000002';
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api(i % 2 === 0 ? a : b, 'POST', '/api/auth/sms/send', { phone }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([202, 429, 429, 429, 429, 429]);
    expect(sent(phone)).toBe(1);
  });

  it('accepts a code once when both instances are handed it at the same moment', async () => {
    const phone = '13600000003';
    clock += 61_000;
    expect((await api(b, 'POST', '/api/auth/sms/send', { phone })).status).toBe(202);
    const code = smsB.lastCode(phone)!;
    const tries = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        api(i % 2 === 0 ? a : b, 'POST', '/api/auth/sms/verify', { phone, code }),
      ),
    );
    expect(tries.map((r) => r.status).sort()).toEqual([200, 401, 401, 401]);
  });

  it('voids a code after five wrong guesses spread over both instances', async () => {
    const phone = '13600000004';
    clock += 61_000;
    expect((await api(a, 'POST', '/api/auth/sms/send', { phone })).status).toBe(202);
    const code = smsA.lastCode(phone)!;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1) {
      const on = i % 2 === 0 ? a : b;
      expect((await api(on, 'POST', '/api/auth/sms/verify', { phone, code: wrong })).status).toBe(
        401,
      );
    }
    expect((await api(b, 'POST', '/api/auth/sms/verify', { phone, code })).status).toBe(401);
  });
  it('holds the per-sender limit across both instances, however the burst is spread', async () => {
    clock += 3_600_000; // the sends above, from this same address, are an hour old
    const phones = Array.from({ length: 20 }, (_, i) => `1340000${1000 + i}`);
    const answers = await Promise.all(
      phones.map((phone, i) => api(i % 2 === 0 ? a : b, 'POST', '/api/auth/sms/send', { phone })),
    );
    expect(answers.filter((r) => r.status === 202)).toHaveLength(3);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(17);
    expect(phones.reduce((n, phone) => n + sent(phone), 0)).toBe(3);
    // Kept in the cloud's own database, under a keyed hash: no address in it.
    expect(JSON.stringify(await db.byPrefix(CLOUD_DBS.auth, 'sender:'))).not.toContain('127.0.0.1');
    clock += 61_000;
  });

  it('lets the customer ask again at once when the SMS gateway failed to send', async () => {
    class FlakySms extends MemorySmsProvider {
      down = true;
      override async send(phone: string, text: string): Promise<void> {
        if (this.down) throw new Error('the SMS gateway is down');
        return super.send(phone, text);
      }
    }
    const flaky = new FlakySms();
    const c = await start(flaky);
    try {
      const phone = '13600000005';
      const down = await api(c, 'POST', '/api/auth/sms/send', { phone });
      expect(down.status).toBe(503);
      expect(down.json.error).toMatchObject({ code: 'sms_unavailable', field: 'phone' });
      flaky.down = false;
      expect((await api(c, 'POST', '/api/auth/sms/send', { phone })).status).toBe(202);
      const code = flaky.lastCode(phone);
      expect((await api(a, 'POST', '/api/auth/sms/verify', { phone, code })).status).toBe(200);
    } finally {
      await c.close();
    }
  });
});

describe('a waiting booking request', () => {
  async function signIn(on: CloudService, phone: string): Promise<string> {
    clock += 61_000;
    expect((await api(on, 'POST', '/api/auth/sms/send', { phone })).status).toBe(202);
    const code = (on === a ? smsA : smsB).lastCode(phone);
    return (await api(on, 'POST', '/api/auth/sms/verify', { phone, code })).json.token as string;
  }

  /** The intent the cloud wrote for `customerId`, as the hub would see it. */
  async function intentOf(customerId: string): Promise<IntentDoc> {
    for (;;) {
      const found = (await db.byPrefix(storeInboxDbName('wa'), 'intent:'))
        .map((d) => IntentDocSchema.parse(d))
        .find((i) => 'customerId' in i && i.customerId === customerId);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Confirms as a hub would: the booking first, then the answer. */
  async function confirm(intent: IntentDoc): Promise<number> {
    if (intent.kind !== 'booking_request') throw new Error('not a booking request');
    const bookingId = `b-${intent.intentId}`;
    await db.put(
      storeDbName('wa'),
      bookingFact({
        storeId: 'wa',
        bookingId,
        roomId: intent.body.booking.roomId,
        start: intent.body.booking.start,
        end: intent.body.booking.end ?? intent.body.booking.start,
        amount: intent.body.payment?.amount ?? 0,
        customerId: intent.customerId,
        intentId: intent.intentId,
        at: new Date(clock).toISOString(),
      }),
    );
    const at = Date.now();
    await db.put(
      storeDbName('wa'),
      answerDoc(intent.intentId, { outcome: 'confirmed', bookingId }, clock) as CouchDoc,
    );
    return at;
  }

  it('returns as soon as the answer lands, on either instance, with others waiting too', async () => {
    const people = [
      { on: a, phone: '13500000001', roomId: 'wa-r1' },
      { on: a, phone: '13500000002', roomId: 'wa-r2' },
      { on: b, phone: '13500000003', roomId: 'wa-r3' },
    ];
    const signedIn = await Promise.all(
      people.map(async (p) => {
        const token = await signIn(p.on, p.phone);
        const me = await api(p.on, 'GET', '/api/orders', undefined, token);
        expect(me.status).toBe(200);
        return { ...p, token };
      }),
    );
    const calls = signedIn.map((p) => {
      const asked = Date.now();
      return api(
        p.on,
        'POST',
        '/api/bookings',
        {
          storeId: 'wa',
          roomId: p.roomId,
          start: '2026-11-24T14:00:00+08:00',
          end: '2026-11-24T15:00:00+08:00',
          partySize: 2,
        },
        p.token,
      ).then((res) => ({ res, asked, done: Date.now() }));
    });
    // A call that ends before its intent is seen failed: say how, instead of waiting forever.
    const intents = await Promise.all(
      people.map((p, i) =>
        Promise.race([
          intentOf(phoneId(p.phone)),
          calls[i]!.then(({ res }) => {
            throw new Error(`the request ended first: ${res.status} ${JSON.stringify(res.json)}`);
          }),
        ]),
      ),
    );
    // The hub answers one after another, last asked first, while the others keep waiting.
    const answeredAt: number[] = [];
    for (const intent of [...intents].reverse()) {
      await new Promise((r) => setTimeout(r, 300));
      answeredAt.unshift(await confirm(intent));
    }
    const results = await Promise.all(calls);
    results.forEach(({ res, done }, i) => {
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({ state: 'confirmed', payment: { state: 'captured' } });
      // Well inside the wait, and not a re-read on a timer: the feed told it.
      expect(done - answeredAt[i]!).toBeLessThan(2_000);
      expect(done - results[i]!.asked).toBeLessThan(ANSWER_WAIT_MS);
    });
  });

  it('is one intent and one payment hold when both instances get it with the same key', async () => {
    const phone = '13500000021';
    const token = await signIn(a, phone);
    const body = {
      storeId: 'wa',
      roomId: 'wa-r2',
      start: '2026-11-26T14:00:00+08:00',
      end: '2026-11-26T15:00:00+08:00',
      partySize: 2,
    };
    const headers = { ...bearer(token), 'Idempotency-Key': 'same-request-on-both-1' };
    const calls = [a, b].map((on) => callApi(on.url, 'POST', '/api/bookings', body, headers));
    const intent = await intentOf(phoneId(phone));
    await new Promise((r) => setTimeout(r, 300));
    await confirm(intent);
    const [onA, onB] = await Promise.all(calls);
    expect(onA!.status).toBe(201);
    expect(onB!.status).toBe(201);
    expect(onB!.json.intentId).toBe(onA!.json.intentId);
    const written = (await db.byPrefix(storeInboxDbName('wa'), 'intent:')).filter(
      (d) => d.customerId === phoneId(phone),
    );
    expect(written).toHaveLength(1);
    const held = payments.moves.filter(
      (m) => m.paymentId === `pay-${intent.intentId}` && m.to === 'authorised',
    );
    expect(held).toHaveLength(1);
  });

  it('still answers 202 at the end of the wait when no answer comes', async () => {
    const token = await signIn(b, '13500000009');
    const asked = Date.now();
    const res = await api(
      b,
      'POST',
      '/api/bookings',
      {
        storeId: 'wa',
        roomId: 'wa-r1',
        start: '2026-11-25T14:00:00+08:00',
        end: '2026-11-25T15:00:00+08:00',
        partySize: 2,
      },
      token,
    );
    expect(res.status).toBe(202);
    expect(Date.now() - asked).toBeGreaterThanOrEqual(ANSWER_WAIT_MS - 100);
  });
});

describe("an owner's change", () => {
  it('waits on one instance, keeps the other from overtaking it, and returns once answered', async () => {
    await putOwnerAccount(db, { username: 'owner-w', password: 'correct horse', storeIds: ['wa'] });
    const login = await api(b, 'POST', '/api/owner/login', {
      username: 'owner-w',
      password: 'correct horse',
    });
    const token = login.json.token as string;
    const asked = api(a, 'PATCH', '/api/owner/stores/wa', { name: 'Renamed' }, token);
    const intent = await (async () => {
      for (;;) {
        const found = (await db.byPrefix(storeInboxDbName('wa'), 'intent:')).find(
          (d) => d.ownerId === 'owner-w',
        );
        if (found) return IntentDocSchema.parse(found);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const behind = await api(
      b,
      'PATCH',
      '/api/owner/stores/wa/rooms/wa-r1',
      { capacity: 6 },
      token,
    );
    expect(behind.status).toBe(409);
    expect(behind.json.error.code).toBe('change_under_way');
    const answeredAt = Date.now();
    await db.put(
      storeDbName('wa'),
      answerDoc(intent.intentId, { outcome: 'done' }, clock) as CouchDoc,
    );
    const res = await asked;
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ kind: 'store_patch', state: 'done' });
    expect(Date.now() - answeredAt).toBeLessThan(2_000);
    // Answered: the next change goes.
    const next = api(b, 'PATCH', '/api/owner/stores/wa/rooms/wa-r1', { capacity: 6 }, token);
    const second = await (async () => {
      for (;;) {
        const found = (await db.byPrefix(storeInboxDbName('wa'), 'intent:')).find(
          (d) => d.ownerId === 'owner-w' && d.kind === 'room_patch',
        );
        if (found) return IntentDocSchema.parse(found);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await db.put(
      storeDbName('wa'),
      answerDoc(second.intentId, { outcome: 'done' }, clock) as CouchDoc,
    );
    expect((await next).status).toBe(200);
  });
});
