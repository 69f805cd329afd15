// A merchant's deposit (保证金): over random sequences of pay-ins, fines, refunds of fines lifted
// on appeal and returns, some of them at the same moment, the balance is the sum of the entries
// and never below zero, and a refused fine or return writes nothing, in the ledger or the audit
// trail. Then over real HTTP against the embedded CouchDB-compatible server: only the merchant
// admins and the platform owner write, analysts read, a fine larger than the balance is a 409
// naming both, a fine is refunded once, and a store's owner reads their own merchant's deposit and
// never another's.
import fc from 'fast-check';
import { changeOwnerLink } from '../auth/owner-links';
import {
  REGISTRY_DB,
  depositBalances,
  type DepositEntryKind,
  type DepositView,
} from '@roomhub/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouchError, type CouchClient, type CouchDoc } from '../couch';
import { bearer, callApi, seedStoreDocs } from '../../test/cloud-fixtures';
import { PlatformAudit } from './platform-audit';
import { PlatformDeposits } from './platform-deposits';
import { PLATFORM_DB } from './platform-store';
import { startPlatformCloud, type PlatformCloud } from './platform-test-cloud';

const T0 = Date.parse('2026-12-01T10:00:00+08:00');
const M = '13800009201';
const OTHER = '13800009202';

/** Just what the deposit reads and writes, in memory: a second put of an id is a conflict. */
function memoryCouch(): CouchClient & { count(db: string): number } {
  const dbs = new Map<string, Map<string, CouchDoc>>();
  const db = (name: string) => dbs.get(name) ?? dbs.set(name, new Map()).get(name)!;
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  const fake = {
    count: (name: string) => db(name).size,
    async get(name: string, id: string) {
      await tick();
      return db(name).get(id);
    },
    async byPrefix(name: string, prefix: string) {
      await tick();
      return [...db(name).values()]
        .filter((d) => d._id.startsWith(prefix))
        .sort((a, b) => (a._id < b._id ? -1 : 1));
    },
    async put(name: string, doc: CouchDoc) {
      await tick();
      if (db(name).has(doc._id)) throw new CouchError(409, 'Document update conflict.');
      db(name).set(doc._id, { ...doc, _rev: '1-x' });
      return '1-x';
    },
  };
  return fake as unknown as CouchClient & { count(db: string): number };
}

type Step =
  | { kind: 'paid_in'; amount: number }
  | { kind: 'fine'; amount: number }
  | { kind: 'fine_refund'; pick: number }
  | { kind: 'returned'; amount: number };

const amount = fc.integer({ min: 1, max: 50_000 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('paid_in' as const), amount }),
  fc.record({ kind: fc.constant('fine' as const), amount }),
  fc.record({ kind: fc.constant('fine_refund' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('returned' as const), amount }),
);

describe('the deposit ledger', () => {
  const caller = { phone: '13900007001', roles: ['merchant_admin'] } as never;

  async function setUp() {
    const couch = memoryCouch();
    await couch.put(REGISTRY_DB, {
      _id: `merchant:${M}`,
      type: 'merchant',
      phone: M,
      storeIds: ['dp'],
    });
    let n = 0;
    const clock = { now: () => T0 };
    const deposits = new PlatformDeposits({
      store: { read: couch, write: couch },
      audit: new PlatformAudit({ clock, newId: () => `a${(n += 1)}` }),
      clock,
    });
    return { couch, deposits };
  }

  /** Each payment its own bank reference, as the bank gives them. */
  let reference = 0;
  async function run(deposits: PlatformDeposits, s: Step): Promise<DepositView | 'refused'> {
    try {
      if (s.kind === 'paid_in') {
        return await deposits.payIn(caller, M, {
          amount: s.amount,
          reference: `BANK-${(reference += 1)}`,
        });
      }
      if (s.kind === 'fine') {
        return await deposits.fine(caller, M, { amount: s.amount, reason: '违规罚款' });
      }
      if (s.kind === 'returned') {
        return await deposits.returnToMerchant(caller, M, {
          amount: s.amount,
          reference: `BANK-${(reference += 1)}`,
          reason: '退还保证金',
        });
      }
      const fines = (await deposits.read(M)).entries.filter((e) => e.kind === 'fine');
      const fine = fines[s.pick % Math.max(1, fines.length)];
      return await deposits.refundFine(caller, M, fine?.entryId ?? '00000099', '申诉成立');
    } catch (error) {
      const code = (error as { code?: string }).code;
      expect(['deposit_short', 'fine_not_found', 'fine_refunded']).toContain(code);
      return 'refused';
    }
  }

  function holds(view: DepositView) {
    const inOrder = [...view.entries].reverse();
    const sum = inOrder.reduce((total, e) => total + e.amount, 0);
    expect(view.balance).toBe(sum);
    expect(view.balance).toBeGreaterThanOrEqual(0);
    for (const e of inOrder) expect(e.balance).toBeGreaterThanOrEqual(0);
    expect(inOrder.map((e) => e.entryId)).toEqual(
      inOrder.map((_, i) => String(i + 1).padStart(8, '0')),
    );
    // A fine is refunded at most once, by the amount it took.
    const refunds = inOrder.filter((e) => e.kind === 'fine_refund');
    expect(new Set(refunds.map((e) => e.fineEntryId)).size).toBe(refunds.length);
    for (const r of refunds) {
      const fine = inOrder.find((e) => e.entryId === r.fineEntryId)!;
      expect(fine.kind).toBe('fine');
      expect(r.amount).toBe(-fine.amount);
      expect(fine.refundedBy).toBe(r.entryId);
    }
  }

  it('keeps the balance the sum of its entries, never below zero; a refused entry writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
        const { couch, deposits } = await setUp();
        let expected = 0;
        for (const s of steps) {
          const entriesBefore = couch.count(REGISTRY_DB);
          const auditBefore = couch.count(PLATFORM_DB);
          const out = await run(deposits, s);
          if (out === 'refused') {
            expect(couch.count(REGISTRY_DB)).toBe(entriesBefore);
            expect(couch.count(PLATFORM_DB)).toBe(auditBefore);
            if (s.kind === 'fine' || s.kind === 'returned')
              expect(s.amount).toBeGreaterThan(expected);
            continue;
          }
          expect(couch.count(REGISTRY_DB)).toBe(entriesBefore + 1);
          expect(couch.count(PLATFORM_DB)).toBe(auditBefore + 1);
          expected += out.entries[0]!.amount;
          expect(out.balance).toBe(expected);
          holds(out);
        }
        const view = await deposits.read(M);
        expect(view.balance).toBe(expected);
        holds(view);
      }),
      { numRuns: 150 },
    );
  });

  it('never goes below zero when entries are written at the same moment', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 8 }),
        fc.array(step, { minLength: 2, maxLength: 8 }),
        async (before, together) => {
          const { couch, deposits } = await setUp();
          for (const s of before) await run(deposits, s);
          await Promise.all(together.map((s) => run(deposits, s)));
          const view = await deposits.read(M);
          holds(view);
          // Every entry written was audited once.
          expect(couch.count(PLATFORM_DB)).toBe(view.entries.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('audits an entry whose audit failed once the same request is sent again, and only once', async () => {
    const { couch, deposits } = await setUp();
    const put = couch.put.bind(couch);
    let failAudit = true;
    couch.put = async (db: string, doc: CouchDoc) => {
      if (db === PLATFORM_DB && failAudit) {
        failAudit = false;
        throw new CouchError(503, 'Service Unavailable');
      }
      return put(db, doc);
    };
    const body = { amount: 300_000, reference: 'ICBC-0001' };
    // The entry is written, its audit is not: the request fails and the console sends it again.
    await expect(deposits.payIn(caller, M, body, 'pay-in-0001')).rejects.toThrow();
    expect(couch.count(REGISTRY_DB)).toBe(2);
    expect(couch.count(PLATFORM_DB)).toBe(0);
    for (let i = 0; i < 2; i++) {
      const view = await deposits.payIn(caller, M, body, 'pay-in-0001');
      expect(view.entries).toHaveLength(1);
      expect(view.balance).toBe(300_000);
      expect(couch.count(PLATFORM_DB)).toBe(1);
    }
    const [audit] = await couch.byPrefix(PLATFORM_DB, 'audit:');
    expect(audit).toMatchObject({
      actor: '13900007001',
      action: 'deposit.paid_in',
      target: `merchant:${M}`,
      detail: { entryId: '00000001', amount: 300_000, reference: 'ICBC-0001' },
    });
  });

  it('sums a ledger the same way in the console and the cloud', () => {
    const kinds: DepositEntryKind[] = ['paid_in', 'fine', 'fine_refund', 'returned'];
    const { balances, balance, neverNegative } = depositBalances(
      kinds.map((kind) => ({ kind, amount: 100 })),
    );
    expect(balances).toEqual([100, 0, 100, 0]);
    expect(balance).toBe(0);
    expect(neverNegative).toBe(true);
  });
});

describe("a merchant's deposit over HTTP", () => {
  let p: PlatformCloud;
  let admin: string;
  let analyst: string;
  let owner: string;
  let storeOwner: string;

  beforeAll(async () => {
    p = await startPlatformCloud(T0, 'platform-deposits');
    admin = await p.staff('13900007001', ['merchant_admin']);
    analyst = await p.staff('13900007002', ['analyst']);
    owner = await p.staff('13900007003', ['platform_owner']);
    for (const [storeId, name] of [
      ['dp', '清心茶舍'],
      ['dq', '隔壁棋社'],
    ] as const) {
      await seedStoreDocs(
        p.couch.writers,
        {
          storeId,
          name,
          lat: 31.23,
          lng: 121.47,
          hours: { open: '00:00', close: '24:00' },
          rooms: [{ roomId: 'r1', style: 'tea', capacity: 4, workday: 6000 }],
        },
        p.clock.now(),
      );
    }
    for (const [phone, storeId] of [
      [M, 'dp'],
      [OTHER, 'dq'],
    ] as const) {
      await p.couch.admin.put(REGISTRY_DB, {
        _id: `merchant:${phone}`,
        type: 'merchant',
        phone,
        name: storeId,
        contactPhone: phone,
        storeIds: [storeId],
        applicationIds: [],
        approvedAt: new Date(T0).toISOString(),
      });
    }
    await changeOwnerLink(p.couch.admin, { phone: M, add: ['dp'] }, T0);
    await p.api('POST', '/api/auth/sms/send', { phone: M });
    const login = await p.api('POST', '/api/owner/login', { phone: M, code: p.sms.lastCode(M) });
    expect(login.status).toBe(200);
    storeOwner = login.json.token;
  }, 60_000);
  afterAll(async () => {
    await p?.close();
  });

  const base = `/api/platform/merchants/${M}/deposit`;

  it('takes pay-ins and fines from the merchant admins and the owner, and refuses analysts', async () => {
    const empty = await p.api('GET', base, undefined, analyst);
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual({ merchantPhone: M, balance: 0, entries: [] });

    const paid = await p.api(
      'POST',
      `${base}/pay-ins`,
      { amount: 500_000, reference: 'ICBC-20261201-01' },
      admin,
    );
    expect(paid.status).toBe(201);
    expect(paid.json).toMatchObject({ balance: 500_000 });
    expect(paid.json.entries[0]).toMatchObject({
      entryId: '00000001',
      kind: 'paid_in',
      amount: 500_000,
      reference: 'ICBC-20261201-01',
      by: '13900007001',
    });

    const byAnalyst = await p.api(
      'POST',
      `${base}/fines`,
      { amount: 100, reason: '分析员不能罚款' },
      analyst,
    );
    expect(byAnalyst.status).toBe(403);
    expect(
      (await p.api('POST', `${base}/pay-ins`, { amount: 100, reference: 'X-1' }, analyst)).status,
    ).toBe(403);

    const fined = await p.api(
      'POST',
      `${base}/fines`,
      { amount: 200_000, reason: '虚假宣传，罚款两千元', storeId: 'dp' },
      owner,
    );
    expect(fined.status).toBe(201);
    expect(fined.json.balance).toBe(300_000);
    expect(fined.json.entries[0]).toMatchObject({
      entryId: '00000002',
      kind: 'fine',
      amount: -200_000,
      balance: 300_000,
      storeId: 'dp',
      refundedBy: null,
    });
  });

  it('refuses a fine larger than the balance with a 409 naming both, writing nothing', async () => {
    const refused = await callApi(
      p.service.url,
      'POST',
      `${base}/fines`,
      { amount: 300_001, reason: '超过余额的罚款' },
      { authorization: `Bearer ${admin}`, 'Accept-Language': 'zh-CN' },
    );
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'deposit_short', field: 'amount' });
    expect(refused.json.error.message).toBe(
      '金额 ¥3000.01 超过保证金余额 ¥3000.00，保证金不能扣成负数',
    );
    const english = await p.api(
      'POST',
      `${base}/returns`,
      { amount: 300_001, reference: 'R-1', reason: '退还保证金' },
      admin,
    );
    expect(english.status).toBe(409);
    expect(english.json.error.message).toBe(
      "amount: the return of ¥3000.01 is more than the deposit's balance of ¥3000.00",
    );
    const after = await p.api('GET', base, undefined, analyst);
    expect(after.json.balance).toBe(300_000);
    expect(after.json.entries).toHaveLength(2);
  });

  it('gives a fine lifted on appeal back once, as an entry of its own', async () => {
    const refund = await p.api(
      'POST',
      `${base}/fines/00000002/refund`,
      { reason: '申诉成立，撤销罚款' },
      admin,
    );
    expect(refund.status).toBe(201);
    expect(refund.json.balance).toBe(500_000);
    expect(refund.json.entries[0]).toMatchObject({
      entryId: '00000003',
      kind: 'fine_refund',
      amount: 200_000,
      fineEntryId: '00000002',
    });
    // The fine itself is unchanged, and says which entry refunded it.
    expect(refund.json.entries[1]).toMatchObject({
      entryId: '00000002',
      amount: -200_000,
      reason: '虚假宣传，罚款两千元',
      refundedBy: '00000003',
    });
    const again = await p.api(
      'POST',
      `${base}/fines/00000002/refund`,
      { reason: '再退一次' },
      admin,
    );
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('fine_refunded');
    const notAFine = await p.api(
      'POST',
      `${base}/fines/00000001/refund`,
      { reason: '不是罚款' },
      admin,
    );
    expect(notAFine.status).toBe(404);
    expect(notAFine.json.error).toMatchObject({ code: 'fine_not_found', field: 'entryId' });

    const returned = await p.api(
      'POST',
      `${base}/returns`,
      { amount: 500_000, reference: 'ICBC-R-01', reason: '商家退出平台' },
      owner,
    );
    expect(returned.status).toBe(201);
    expect(returned.json.balance).toBe(0);

    const audit = await p.api('GET', '/api/platform/audit', undefined, owner);
    const lines = audit.json
      .filter((e: { action: string }) => e.action.startsWith('deposit.'))
      .map(
        (e: { action: string; target: string; reason: string }) =>
          `${e.action} ${e.target} ${e.reason}`,
      );
    expect(lines).toEqual([
      `deposit.returned merchant:${M} 商家退出平台`,
      'deposit.fine_refund store:dp 申诉成立，撤销罚款',
      'deposit.fine store:dp 虚假宣传，罚款两千元',
      `deposit.paid_in merchant:${M} ICBC-20261201-01`,
    ]);
  });

  it('names the field and the rule of a bad entry', async () => {
    const zero = await p.api('POST', `${base}/pay-ins`, { amount: 0, reference: 'X-1' }, admin);
    expect(zero.status).toBe(400);
    expect(zero.json.error.field).toBe('amount');
    const noReference = await p.api('POST', `${base}/pay-ins`, { amount: 100 }, admin);
    expect(noReference.status).toBe(400);
    expect(noReference.json.error.field).toBe('reference');
    const notTheirs = await p.api(
      'POST',
      `${base}/fines`,
      { amount: 1, reason: '别家的门店', storeId: 'dq' },
      admin,
    );
    expect(notTheirs.status).toBe(422);
    expect(notTheirs.json.error).toMatchObject({ code: 'store_not_merchants', field: 'storeId' });
    const badEntry = await p.api('POST', `${base}/fines/abc/refund`, { reason: '编号不对' }, admin);
    expect(badEntry.status).toBe(400);
    expect(badEntry.json.error.field).toBe('entryId');
    const nobody = await p.api(
      'GET',
      '/api/platform/merchants/13800009999/deposit',
      undefined,
      admin,
    );
    expect(nobody.status).toBe(404);
  });

  it("shows a store's owner their own deposit and never another merchant's", async () => {
    await p.api(
      'POST',
      `/api/platform/merchants/${OTHER}/deposit/pay-ins`,
      { amount: 123_456, reference: 'OTHER-1' },
      admin,
    );
    const own = await p.api('GET', '/api/owner/stores/dp/deposit', undefined, storeOwner);
    expect(own.status).toBe(200);
    expect(own.json.merchantPhone).toBe(M);
    expect(own.json.balance).toBe(0);
    expect(own.json.entries.map((e: { kind: string }) => e.kind)).toEqual([
      'returned',
      'fine_refund',
      'fine',
      'paid_in',
    ]);
    expect(JSON.stringify(own.json)).not.toContain('123456');
    // Who at the platform wrote each entry is the platform's to know.
    expect(own.json.entries.map((e: { by: string }) => e.by)).toEqual([
      'platform',
      'platform',
      'platform',
      'platform',
    ]);
    expect(JSON.stringify(own.json)).not.toContain('1390000700');
    const other = await p.api('GET', '/api/owner/stores/dq/deposit', undefined, storeOwner);
    expect(other.status).toBe(403);
    expect(other.json.error.code).toBe('not_your_store');
    expect(JSON.stringify(other.json)).not.toContain('OTHER-1');
  });
  it('records a pay-in, a fine or a return sent again once, and a payment reference once', async () => {
    const at = `/api/platform/merchants/${OTHER}/deposit`;
    const send = (path: string, body: unknown, key: string) =>
      callApi(p.service.url, 'POST', `${at}${path}`, body, {
        ...bearer(admin),
        'Idempotency-Key': key,
      });
    const before = (await p.api('GET', at, undefined, admin)).json.entries.length as number;
    // A double click, or a retry after a timeout: the same key, one entry.
    const first = await send('/pay-ins', { amount: 300_000, reference: 'BANK-77' }, 'pay-in-77');
    const again = await send('/pay-ins', { amount: 300_000, reference: 'BANK-77' }, 'pay-in-77');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.json.entries).toEqual(first.json.entries);
    const fine = await send('/fines', { amount: 1_000, reason: '超时未处理投诉' }, 'fine-0001');
    const fineAgain = await send(
      '/fines',
      { amount: 1_000, reason: '超时未处理投诉' },
      'fine-0001',
    );
    expect(fineAgain.json.balance).toBe(fine.json.balance);
    // The same payment's reference under another key is refused naming it, in Chinese too.
    const twice = await send('/pay-ins', { amount: 300_000, reference: 'BANK-77' }, 'pay-in-78');
    expect(twice.status).toBe(409);
    expect(twice.json.error).toMatchObject({ code: 'reference_used', field: 'reference' });
    const zh = await callApi(
      p.service.url,
      'POST',
      `${at}/returns`,
      { amount: 100, reference: 'BANK-77-R', reason: '退还' },
      { ...bearer(admin), 'Idempotency-Key': 'return-0001', 'Accept-Language': 'zh-CN' },
    );
    expect(zh.status).toBe(201);
    const zhAgain = await callApi(
      p.service.url,
      'POST',
      `${at}/returns`,
      { amount: 100, reference: 'BANK-77-R', reason: '退还' },
      { ...bearer(admin), 'Idempotency-Key': 'return-0002', 'Accept-Language': 'zh-CN' },
    );
    expect(zhAgain.status).toBe(409);
    expect(zhAgain.json.error.message).toContain('这个付款流水号已经记过了');
    const after = (await p.api('GET', at, undefined, admin)).json;
    expect(after.entries.length).toBe(before + 3);
  });
});
