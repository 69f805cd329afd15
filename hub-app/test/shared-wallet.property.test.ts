// A wallet shared by three stores' real hubs (real SQLite files), each going offline and back at any
// moment, with a relay in place of the cloud that asks the holding stores in turn as the cloud
// does, holds a move for a store that is offline until it is back, and sometimes loses an answer
// on the way back. Top-ups and spends run at any store, in any order. However the steps
// interleave: no store's wallet ever goes below zero (the ledger's own triggers would refuse it),
// a spend is refused only when the wallet truly cannot pay it where it is asked, and once every
// store is back and every move asked again, the stores' balances add up to every top-up less every
// spend: no fen lost between two stores, none counted twice.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DomainError,
  type Actor,
  type WalletMoveAnswer,
  type WalletMovePart,
  type WalletMoveRequest,
} from '@roomhub/shared-types';
import { WALLET_MOVE_JOB, type WalletMoveClient } from '../src/wallet/wallet-moves';
import { ManualClock, startTestHub, T0, type TestHub } from './harness';

const CASHIER: Actor = { kind: 'staff', id: 'cashier', role: 'cashier' };
const STORES = 3;

type Step =
  | { kind: 'topup'; store: number; amount: number; bonus: number }
  | { kind: 'spend'; store: number; amount: number }
  | { kind: 'cut'; store: number }
  | { kind: 'heal'; store: number }
  | { kind: 'loseAnswers'; store: number; on: boolean }
  | { kind: 'keepAtHand'; store: number; amount: number };

const store = fc.nat(STORES - 1);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('topup' as const),
      store,
      amount: fc.integer({ min: 1, max: 5000 }),
      bonus: fc.integer({ min: 0, max: 2000 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('spend' as const),
      store,
      amount: fc.integer({ min: 1, max: 8000 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cut' as const), store }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('heal' as const), store }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('loseAnswers' as const), store, on: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('keepAtHand' as const),
      store,
      amount: fc.integer({ min: 0, max: 3000 }),
    }),
  },
);

/**
 * The cloud, as far as moves go: asks each other store in turn for what is still lacking, once
 * per (asking store, move, holding store); a store offline answers when it is back.
 */
class Relay {
  online: boolean[] = Array.from({ length: STORES }, () => true);
  loseAnswers: boolean[] = Array.from({ length: STORES }, () => false);
  /** Each intent's answer, once its holding store gave it; absent while it waits. */
  answers = new Map<string, WalletMovePart>();
  /** Intents a store has not seen yet (it was offline when asked). */
  inbox: { to: number; intentId: string; from: number; phone: string; amount: number }[] = [];
  asked = new Map<string, true>();

  constructor(private readonly hubs: TestHub[]) {}

  clientFor(from: number): WalletMoveClient {
    return {
      move: async (req: WalletMoveRequest): Promise<WalletMoveAnswer> => {
        if (!this.online[from]) throw new Error('the cloud cannot be reached');
        const parts: WalletMovePart[] = [];
        let got = 0;
        for (let to = 0; to < STORES; to++) {
          if (to === from) continue;
          const intentId = `wm-${from}-${req.moveId}-${to}`;
          if (!this.asked.has(intentId)) {
            if (got >= req.amount) continue;
            this.asked.set(intentId, true);
            this.inbox.push({ to, intentId, from, phone: req.phone, amount: req.amount - got });
          }
          await this.deliver(to);
          const part = this.answers.get(intentId) ?? {
            fromStoreId: `s${to}`,
            intentId,
            state: 'waiting' as const,
            lots: [],
          };
          parts.push(part);
          if (part.state === 'done')
            got += part.lots.reduce((s, l) => s + l.principal + l.bonus, 0);
        }
        // The answer is lost on the way back to the asking store: it asks again later.
        if (this.loseAnswers[from]) throw new Error('the answer was lost');
        return { moveId: req.moveId, settled: parts.every((p) => p.state !== 'waiting'), parts };
      },
    };
  }

  /** A store online answers the intents waiting for it, as its replicator would. */
  async deliver(to: number): Promise<void> {
    if (!this.online[to]) return;
    const mine = this.inbox.filter((i) => i.to === to);
    this.inbox = this.inbox.filter((i) => i.to !== to);
    for (const i of mine) {
      const hub = this.hubs[to]!.hub;
      const part = await hub.writes.run((): WalletMovePart => {
        try {
          const lots = hub.walletMoves.moveOut(i.intentId, i.phone, i.amount, `s${i.from}`);
          return { fromStoreId: `s${to}`, intentId: i.intentId, state: 'done', lots };
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          return { fromStoreId: `s${to}`, intentId: i.intentId, state: 'refused', lots: [] };
        }
      });
      this.answers.set(i.intentId, part);
    }
  }
}

const clock = new ManualClock(T0);
let hubs: TestHub[] = [];

beforeAll(async () => {
  hubs = await Promise.all(Array.from({ length: STORES }, () => startTestHub({ clock })));
  for (const h of hubs) {
    await h.hub.writes.run(() => h.hub.wallet.setSettings({ mode: 'shared', offlineAllowance: 0 }));
  }
});
afterAll(async () => {
  await Promise.all(hubs.map((h) => h.close()));
});

let run = 0;

describe('a wallet shared by three stores going offline and back', () => {
  it('never goes negative, refuses only what it cannot pay, and loses or doubles no fen', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        run += 1;
        const phone = `138${String(run).padStart(8, '0')}`;
        const relay = new Relay(hubs);
        hubs.forEach((h, i) => h.hub.setWalletMoves(relay.clientFor(i)));
        const total = () => hubs.reduce((s, h) => s + h.hub.wallet.balanceOf(phone).total, 0);
        let toppedUp = 0;
        let spent = 0;
        for (const s of steps) {
          const h = hubs[s.store]!.hub;
          switch (s.kind) {
            case 'topup':
              await h.writes.run(() =>
                h.wallet.creditFromCloud({
                  phone,
                  cloudPaymentId: `p${run}-${toppedUp}-${s.store}`,
                  principal: s.amount,
                  bonus: s.bonus,
                  bonusValidDays: null,
                  packageId: null,
                  actor: CASHIER,
                }),
              );
              toppedUp += s.amount + s.bonus;
              break;
            case 'spend': {
              const allUp = relay.online.every(Boolean) && !relay.loseAnswers.some(Boolean);
              const everywhere = total();
              await h.walletMoves.bringIn(phone, s.amount, CASHIER);
              const here = h.wallet.spendableTotal(phone);
              try {
                await h.writes.run(() =>
                  h.wallet.spend(
                    phone,
                    s.amount,
                    `order:${run}-${spent}`,
                    `m${run}-${Math.random()}`,
                    CASHIER,
                  ),
                );
                spent += s.amount;
                expect(here).toBeGreaterThanOrEqual(s.amount);
              } catch (e) {
                expect((e as DomainError).code).toBe('wallet_short');
                // Refused only when what is here could not pay it, and with every store and
                // answer getting through, only when the whole wallet could not.
                expect(here).toBeLessThan(s.amount);
                if (allUp) expect(everywhere).toBeLessThan(s.amount);
              }
              break;
            }
            case 'cut':
              relay.online[s.store] = false;
              break;
            case 'heal':
              relay.online[s.store] = true;
              await relay.deliver(s.store);
              break;
            case 'loseAnswers':
              relay.loseAnswers[s.store] = s.on;
              break;
            case 'keepAtHand':
              await h.writes.run(() =>
                h.wallet.setSettings({ mode: 'shared', offlineAllowance: s.amount }),
              );
              break;
          }
          // Money on its way (written out, not yet in) is never more than what moves asked for.
          expect(total()).toBeLessThanOrEqual(toppedUp - spent);
        }
        // Everyone back, answers delivered, every move asked again until it is settled.
        relay.online.fill(true);
        relay.loseAnswers.fill(false);
        for (let i = 0; i < STORES; i++) await relay.deliver(i);
        clock.advance(15 * 60_000);
        for (const h of hubs) await h.hub.scheduler.runDue();
        for (const h of hubs) expect(h.hub.scheduler.pending(WALLET_MOVE_JOB)).toEqual([]);
        expect(total()).toBe(toppedUp - spent);
        for (const h of hubs) {
          const { principal, bonus } = h.hub.wallet.balanceOf(phone);
          expect(principal).toBeGreaterThanOrEqual(0);
          expect(bonus).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
