// Properties of the member wallet on a real SQLite file, with operations sent at once through the
// hub's write queue (as concurrent requests are): top-ups, spends, refunds back into the wallet,
// principal refunds and the bonus expiring as days pass. Checked against a small model after
// every batch: each operation is accepted or refused as the model says, the bonus goes first, the
// balances are the ledger's sums and never negative, refundable principal never below zero, and
// the store's total owed is the sum of its wallets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError, type Actor } from '@roomhub/shared-types';
import { startTestHub } from './harness';

const DAY = 24 * 60 * 60_000;
const CASHIER: Actor = { kind: 'staff', id: 'cashier', role: 'cashier' };
const PHONES = ['13800000001', '13800000002'];

type Op =
  | { kind: 'topup'; phone: number; pkg: boolean; amount: number }
  | { kind: 'spend'; phone: number; amount: number }
  | { kind: 'giveBack'; spend: number; amount: number }
  | { kind: 'refund'; phone: number; amount: number | null }
  | { kind: 'day' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('topup' as const),
    phone: fc.nat(1),
    pkg: fc.boolean(),
    amount: fc.integer({ min: 1, max: 5000 }),
  }),
  fc.record({
    kind: fc.constant('spend' as const),
    phone: fc.nat(1),
    amount: fc.integer({ min: 1, max: 12000 }),
  }),
  fc.record({
    kind: fc.constant('giveBack' as const),
    spend: fc.nat(20),
    amount: fc.integer({ min: 1, max: 8000 }),
  }),
  fc.record({
    kind: fc.constant('refund' as const),
    phone: fc.nat(1),
    amount: fc.option(fc.integer({ min: 1, max: 15000 })),
  }),
  fc.constant({ kind: 'day' as const }),
);

/** The model: each wallet's principal, and its bonus lots (all expire two days after their top-up). */
interface Wallet {
  principal: number;
  bonus: { exp: number; left: number }[];
}
type Share = { pot: 'principal' } | { pot: 'bonus'; lot: { exp: number; left: number } };

class Model {
  wallets = PHONES.map((): Wallet => ({ principal: 0, bonus: [] }));
  spends: { phone: number; taken: { share: Share; amount: number }[] }[] = [];

  expire(now: number) {
    for (const w of this.wallets) for (const l of w.bonus) if (l.exp <= now) l.left = 0;
  }

  apply(o: Op, now: number): boolean {
    this.expire(now);
    switch (o.kind) {
      case 'topup': {
        const w = this.wallets[o.phone]!;
        if (o.pkg) {
          w.principal += 10000;
          w.bonus.push({ exp: now + 2 * DAY, left: 5000 });
        } else w.principal += o.amount;
        return true;
      }
      case 'spend': {
        const w = this.wallets[o.phone]!;
        const bonus = w.bonus.reduce((s, l) => s + l.left, 0);
        if (bonus + w.principal < o.amount) return false;
        let rest = o.amount;
        const taken: { share: Share; amount: number }[] = [];
        for (const l of [...w.bonus].sort((a, b) => a.exp - b.exp)) {
          const part = Math.min(rest, l.left);
          if (part > 0) {
            l.left -= part;
            rest -= part;
            taken.push({ share: { pot: 'bonus', lot: l }, amount: part });
          }
        }
        if (rest > 0) {
          w.principal -= rest;
          taken.push({ share: { pot: 'principal' }, amount: rest });
        }
        this.spends.push({ phone: o.phone, taken });
        return true;
      }
      case 'giveBack': {
        const s = this.spends[o.spend];
        if (!s) return false;
        const held = s.taken.reduce((sum, t) => sum + t.amount, 0);
        if (o.amount > held) return false;
        let rest = o.amount;
        for (const t of [...s.taken].reverse()) {
          const part = Math.min(rest, t.amount);
          if (part <= 0) continue;
          t.amount -= part;
          rest -= part;
          if (t.share.pot === 'principal') this.wallets[s.phone]!.principal += part;
          else t.share.lot.left += part;
        }
        this.expire(now);
        return true;
      }
      case 'refund': {
        const w = this.wallets[o.phone]!;
        if (w.principal <= 0) return false;
        const amount = o.amount ?? w.principal;
        if (amount > w.principal) return false;
        const bonus = w.bonus.reduce((s, l) => s + l.left, 0);
        let back =
          amount >= w.principal
            ? bonus
            : Math.min(bonus, Math.ceil((bonus * amount) / w.principal));
        for (const l of [...w.bonus].reverse()) {
          const part = Math.min(back, l.left);
          l.left -= part;
          back -= part;
        }
        w.principal -= amount;
        return true;
      }
      case 'day':
        return true;
    }
  }
}

describe('the wallet ledger, under concurrent operations', () => {
  it('matches the model: bonus first, balances its ledger, never negative', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { maxLength: 8 }),
        async (batches) => {
          const t = await startTestHub();
          const { hub, clock } = t;
          try {
            const pkg = await hub.writes.run(() =>
              hub.wallet.createPackage({
                name: '充100送50',
                pay: 10000,
                bonus: 5000,
                bonusValidDays: 2,
                active: true,
              }),
            );
            const model = new Model();
            const refs: { ref: string; phone: number }[] = [];
            for (const batch of batches) {
              const sent = batch.map((o) => {
                if (o.kind === 'day') {
                  clock.advance(DAY);
                  return hub.scheduler.runDue().then(() => true);
                }
                return hub.writes
                  .run(() => {
                    switch (o.kind) {
                      case 'topup':
                        hub.wallet.topUpAtCounter(
                          o.pkg
                            ? { phone: PHONES[o.phone]!, packageId: pkg.id, method: 'cash' }
                            : { phone: PHONES[o.phone]!, amount: o.amount, method: 'cash' },
                          CASHIER,
                        );
                        return;
                      case 'spend': {
                        const ref = `order:${refs.length}:${o.phone}`;
                        hub.wallet.spend(PHONES[o.phone]!, o.amount, ref, ref, CASHIER);
                        refs.push({ ref, phone: o.phone });
                        return;
                      }
                      case 'giveBack': {
                        const r = refs[o.spend];
                        if (!r) throw new DomainError('not_found', 'payment_not_found', 'none');
                        hub.wallet.giveBack(r.ref, o.amount, `back:${Math.random()}`, 'x', CASHIER);
                        return;
                      }
                      case 'refund':
                        hub.walletRefunds.refundPrincipal(
                          PHONES[o.phone]!,
                          {
                            reason: 'moving away',
                            method: 'cash',
                            ...(o.amount ? { amount: o.amount } : {}),
                          },
                          CASHIER,
                          () => undefined,
                        );
                        return;
                    }
                  })
                  .then(
                    () => true,
                    (e: unknown) => {
                      if (e instanceof DomainError) return false;
                      throw e;
                    },
                  );
              });
              const outcomes = await Promise.all(sent);
              // The queue commits in the order sent: the model replays that order at the batch's time.
              batch.forEach((o, i) => {
                if (o.kind === 'day') return;
                expect(outcomes[i], JSON.stringify(o)).toBe(model.apply(o, clock.now()));
              });
              model.expire(clock.now());
              await hub.scheduler.runDue();
              let principal = 0;
              let bonus = 0;
              PHONES.forEach((phone, i) => {
                const w = model.wallets[i]!;
                const b = hub.wallet.balanceOf(phone);
                const expected = {
                  principal: w.principal,
                  bonus: w.bonus.reduce((s, l) => s + l.left, 0),
                };
                expect({ principal: b.principal, bonus: b.bonus }).toEqual(expected);
                expect(b.principal).toBeGreaterThanOrEqual(0);
                expect(b.bonus).toBeGreaterThanOrEqual(0);
                const sums = hub.db
                  .prepare(
                    `SELECT pot, SUM(amount) AS s FROM wallet_moves WHERE phone = ? GROUP BY pot`,
                  )
                  .all(phone) as { pot: string; s: number }[];
                for (const s of sums)
                  expect(s.s).toBe(s.pot === 'principal' ? b.principal : b.bonus);
                principal += b.principal;
                bonus += b.bonus;
              });
              expect(hub.wallet.owed()).toMatchObject({ principal, bonus });
            }
            const negative = hub.db
              .prepare(
                'SELECT COUNT(*) AS n FROM (SELECT lot, pot FROM wallet_moves GROUP BY lot, pot HAVING SUM(amount) < 0)',
              )
              .get() as { n: number };
            expect(negative.n).toBe(0);
          } finally {
            await t.close();
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);

  it('refuses an edit or a delete of a movement', async () => {
    const t = await startTestHub();
    const { hub } = t;
    try {
      await hub.writes.run(() =>
        hub.wallet.topUpAtCounter({ phone: PHONES[0]!, amount: 100, method: 'cash' }, CASHIER),
      );
      expect(() => hub.db.prepare('UPDATE wallet_moves SET amount = 1000').run()).toThrow(
        /append-only/,
      );
      expect(() => hub.db.prepare('DELETE FROM wallet_moves').run()).toThrow(/append-only/);
      expect(hub.wallet.balanceOf(PHONES[0]!).total).toBe(100);
    } finally {
      await t.close();
    }
  });
});
