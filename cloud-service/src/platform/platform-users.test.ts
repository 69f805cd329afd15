// The platform's customers page, with a real customer signing in by SMS: found by phone with their
// sign-ins, frozen with a reason (their token stops at once, a new sign-in is refused in words,
// a booking request too), an appeal proved by a texted code, and upholding it unfreezes them; a
// user admin may also unfreeze by hand, with a reason, audited; the customer reads their appeals
// and the platform's answer back with another texted code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneId } from '../../test/cloud-fixtures';
import { startPlatformCloud, type PlatformCloud } from './platform-test-cloud';

const T0 = Date.parse('2026-12-01T10:00:00+08:00');
const PHONE = '13800007777';
let p: PlatformCloud;
let userAdmin: string;
let merchantAdmin: string;

const customerSignIn = async () => {
  await p.api('POST', '/api/auth/sms/send', { phone: PHONE });
  return p.api('POST', '/api/auth/sms/verify', { phone: PHONE, code: p.sms.lastCode(PHONE) });
};

beforeAll(async () => {
  p = await startPlatformCloud(T0, 'platform-users');
  userAdmin = await p.staff('13900003001', ['user_admin']);
  merchantAdmin = await p.staff('13900003002', ['merchant_admin']);
}, 60_000);
afterAll(async () => {
  await p?.close();
});

describe('customers on the platform', () => {
  it('finds a customer by phone with their sign-ins; a merchant admin may not look', async () => {
    expect((await customerSignIn()).status).toBe(200);
    const found = await p.api('GET', `/api/platform/users?phone=${PHONE}`, undefined, userAdmin);
    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({ customerId: phoneId(PHONE), phone: PHONE, frozen: null });
    expect(found.json.signIns).toHaveLength(1);
    expect(found.json.signIns[0].via).toBe('sms');
    const denied = await p.api(
      'GET',
      `/api/platform/users?phone=${PHONE}`,
      undefined,
      merchantAdmin,
    );
    expect(denied.status).toBe(403);
    const neither = await p.api('GET', '/api/platform/users', undefined, userAdmin);
    expect(neither.status).toBe(400);
    expect(neither.json.error.field).toBe('phone');
  });

  it("shows the customer's profile edits, what changed and when, a phone in them masked", async () => {
    const token = (await customerSignIn()).json.token as string;
    const save = (body: unknown) => p.api('PUT', '/api/me/profile', body, token);
    expect((await save({ name: '小林', birthday: '1990-05-01' })).status).toBe(200);
    p.clock.set(T0 + 60_000);
    expect(
      (await save({ name: '林先生', birthday: '1990-05-01', signature: '约茶 13912345678' }))
        .status,
    ).toBe(200);
    // Saved again unchanged: nothing new to show.
    p.clock.set(T0 + 120_000);
    await save({ name: '林先生', birthday: '1990-05-01', signature: '约茶 13912345678' });
    const found = await p.api('GET', `/api/platform/users?phone=${PHONE}`, undefined, userAdmin);
    expect(found.json.profileEdits).toEqual([
      {
        at: new Date(T0 + 60_000).toISOString(),
        changes: [
          { field: 'name', before: '小林', after: '林先生' },
          { field: 'signature', before: null, after: '约茶 139****5678' },
        ],
      },
      {
        at: new Date(T0).toISOString(),
        changes: [
          { field: 'name', before: null, after: '小林' },
          { field: 'birthday', before: null, after: '1990-05-01' },
        ],
      },
    ]);
    p.clock.set(T0);
  });

  it('freezes a customer: their token stops, signing in and booking are refused in words', async () => {
    const token = (await customerSignIn()).json.token as string;
    expect((await p.api('GET', '/api/me/profile', undefined, token)).status).toBe(200);
    const frozen = await p.api(
      'PUT',
      `/api/platform/users/${phoneId(PHONE)}/freeze`,
      { frozen: true, reason: '多次恶意退款', phone: PHONE },
      userAdmin,
    );
    expect(frozen.status).toBe(200);
    expect(frozen.json.frozen).toMatchObject({ reason: '多次恶意退款', by: '13900003001' });

    const call = await p.api('GET', '/api/me/profile', undefined, token);
    expect(call.status).toBe(403);
    expect(call.json.error.code).toBe('account_frozen');
    const booking = await p.api(
      'POST',
      '/api/bookings',
      {
        storeId: 'nowhere',
        roomId: 'r1',
        start: '2026-12-02T10:00:00+08:00',
        end: '2026-12-02T12:00:00+08:00',
      },
      token,
    );
    expect(booking.status).toBe(403);
    const again = await customerSignIn();
    expect(again.status).toBe(403);
    expect(again.json.error.code).toBe('account_frozen');
    expect(again.json.error.message).toContain('多次恶意退款');
  });

  it('takes an appeal proved by a texted code, and upholding it unfreezes the customer', async () => {
    await p.api('POST', '/api/auth/sms/send', { phone: PHONE });
    const wrong = await p.api('POST', '/api/appeals', {
      phone: PHONE,
      code: p.sms.lastCode(PHONE) === '000000' ? '111111' : '000000',
      text: '那几次退款是门锁故障造成的',
    });
    expect(wrong.status).toBe(401);
    const appeal = await p.api('POST', '/api/appeals', {
      phone: PHONE,
      code: p.sms.lastCode(PHONE),
      text: '那几次退款是门锁故障造成的',
    });
    expect(appeal.status).toBe(201);
    const list = await p.api('GET', '/api/platform/appeals', undefined, userAdmin);
    expect(list.json[0]).toMatchObject({ status: 'open', phone: PHONE });
    const answer = await p.api(
      'POST',
      `/api/platform/appeals/${encodeURIComponent(list.json[0].appealId)}/answer`,
      { decision: 'uphold', answer: '门店确认门锁故障，解除冻结' },
      userAdmin,
    );
    expect(answer.status).toBe(200);
    expect(answer.json.status).toBe('upheld');
    expect((await customerSignIn()).status).toBe(200);
    const twice = await p.api(
      'POST',
      `/api/platform/appeals/${encodeURIComponent(list.json[0].appealId)}/answer`,
      { decision: 'reject', answer: 'again' },
      userAdmin,
    );
    expect(twice.status).toBe(409);
  });

  it('unfreezes a customer by hand with a reason, audited, and they sign in again', async () => {
    const path = `/api/platform/users/${phoneId(PHONE)}/freeze`;
    const frozen = await p.api(
      'PUT',
      path,
      { frozen: true, reason: '疑似盗号', phone: PHONE },
      userAdmin,
    );
    expect(frozen.status).toBe(200);
    expect((await customerSignIn()).status).toBe(403);
    const noReason = await p.api('PUT', path, { frozen: false, reason: ' ' }, userAdmin);
    expect(noReason.status).toBe(400);
    expect(noReason.json.error.field).toBe('reason');
    expect(
      (await p.api('PUT', path, { frozen: false, reason: '本人已核实' }, merchantAdmin)).status,
    ).toBe(403);
    const thawed = await p.api('PUT', path, { frozen: false, reason: '本人已核实' }, userAdmin);
    expect(thawed.status).toBe(200);
    expect(thawed.json.frozen).toBeNull();
    expect((await customerSignIn()).status).toBe(200);
    const owner = await p.staff('13900003003', ['platform_owner']);
    const audit = await p.api('GET', '/api/platform/audit', undefined, owner);
    expect(audit.json).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'customer.unfreeze', reason: '本人已核实' }),
      ]),
    );
  });

  it("lets the customer read their own appeals and the platform's answer with a texted code", async () => {
    const lookup = async (phone: string, code?: string) => {
      await p.api('POST', '/api/auth/sms/send', { phone });
      return p.api('POST', '/api/appeals/mine', { phone, code: code ?? p.sms.lastCode(phone) });
    };
    const wrong = await lookup(PHONE, p.sms.lastCode(PHONE) === '000000' ? '111111' : '000000');
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('invalid_code');
    const mine = await lookup(PHONE);
    expect(mine.status).toBe(200);
    expect(mine.json).toEqual([
      expect.objectContaining({
        text: '那几次退款是门锁故障造成的',
        status: 'upheld',
        answer: '门店确认门锁故障，解除冻结',
      }),
    ]);
    expect(mine.json[0]).not.toHaveProperty('phone');
    expect((await lookup('13800007778')).json).toEqual([]);
  });
});
