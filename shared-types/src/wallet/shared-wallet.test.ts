// A model of one wallet shared by several stores, each store's hub going offline and back at any
// moment: a store online spends only by the cloud's grant, offline only out of the allowance the
// cloud set aside for it, and everything it wrote reaches the cloud when it is back
// (reconciliation). However the steps interleave, the wallet's true balance (every movement any
// store wrote, seen by the cloud or not) is never negative, and once every store has reconciled
// the cloud's sum is that balance.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptySharedWallet,
  freeOf,
  grant,
  observe,
  offlineSpendable,
  setAllowance,
  type SeenMovement,
  type SharedWalletBook,
} from './shared-wallet';

const STORES = ['north', 'south', 'east'];

type Step =
  | { kind: 'topup'; store: number; amount: number }
  | { kind: 'spend'; store: number; amount: number }
  | { kind: 'cut'; store: number }
  | { kind: 'restore'; store: number }
  | { kind: 'allowance'; store: number; amount: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('topup' as const),
    store: fc.nat(2),
    amount: fc.integer({ min: 1, max: 10000 }),
  }),
  fc.record({
    kind: fc.constant('spend' as const),
    store: fc.nat(2),
    amount: fc.integer({ min: 1, max: 10000 }),
  }),
  fc.record({ kind: fc.constant('cut' as const), store: fc.nat(2) }),
  fc.record({ kind: fc.constant('restore' as const), store: fc.nat(2) }),
  fc.record({
    kind: fc.constant('allowance' as const),
    store: fc.nat(2),
    amount: fc.integer({ min: 0, max: 6000 }),
  }),
);

interface Hub {
  online: boolean;
  /** The allowance (a running total) as the hub last heard it from the cloud. */
  allowance: number;
  /** What it spent offline out of the allowance, in all. */
  spentOffline: number;
  /** Movements written and not yet replicated. */
  outbox: SeenMovement[];
}

class World {
  book: SharedWalletBook = emptySharedWallet();
  hubs: Hub[] = STORES.map(() => ({ online: true, allowance: 0, spentOffline: 0, outbox: [] }));
  /** Every movement any store wrote: the wallet's true balance is their sum. */
  truth = 0;
  private grants = 0;

  private write(s: number, m: SeenMovement) {
    this.truth += m.amount;
    this.hubs[s]!.outbox.push(m);
  }

  /** Reconciliation: what the hub wrote reaches the cloud, which counts each movement once. */
  private sync(s: number) {
    const hub = this.hubs[s]!;
    if (!hub.online) return;
    for (const m of hub.outbox) this.book = observe(this.book, m);
    hub.outbox = [];
    hub.allowance = this.book.allowances[STORES[s]!]?.allowance ?? 0;
  }

  run(st: Step): boolean {
    const hub = this.hubs[st.store]!;
    const storeId = STORES[st.store]!;
    switch (st.kind) {
      case 'topup':
        this.write(st.store, { storeId, amount: st.amount });
        this.sync(st.store);
        return true;
      case 'spend': {
        if (hub.online) {
          const grantId = `g${(this.grants += 1)}`;
          const answer = grant(this.book, storeId, grantId, st.amount);
          if (!answer.ok) return false;
          this.book = answer.book;
          // Written by the hub; its replication may be cut before it lands (not synced here).
          this.write(st.store, { storeId, amount: -st.amount, grantId });
          return true;
        }
        if (st.amount > offlineSpendable(hub.allowance, hub.spentOffline)) return false;
        hub.spentOffline += st.amount;
        this.write(st.store, { storeId, amount: -st.amount, fromAllowance: true });
        return true;
      }
      case 'cut':
        hub.online = false;
        return true;
      case 'restore':
        hub.online = true;
        this.sync(st.store);
        return true;
      case 'allowance': {
        // The owner sets what the store may spend offline from now on; the cloud reaches the
        // store only while it is online, and sets aside only what is free.
        if (!hub.online) return false;
        this.sync(st.store);
        const answer = setAllowance(
          this.book,
          storeId,
          hub.spentOffline + st.amount,
          hub.spentOffline,
        );
        if (!answer.ok) return false;
        this.book = answer.book;
        hub.allowance = this.book.allowances[storeId]!.allowance;
        return true;
      }
    }
  }

  reconcileAll() {
    this.hubs.forEach((h, s) => {
      h.online = true;
      this.sync(s);
    });
  }
}

describe('a wallet shared by several stores', () => {
  it('is never negative, whatever the stores do offline, and reconciles to its true balance', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const w = new World();
        for (const st of steps) {
          w.run(st);
          expect(w.truth).toBeGreaterThanOrEqual(0);
          expect(freeOf(w.book)).toBeGreaterThanOrEqual(0);
          // The cloud never believes in more than there is: what it could still promise is there.
          expect(w.truth).toBeGreaterThanOrEqual(freeOf(w.book));
        }
        w.reconcileAll();
        expect(w.book.seen).toBe(w.truth);
        expect(w.book.seen).toBeGreaterThanOrEqual(0);
        // every grant was seen spent once its store was back
        expect(Object.keys(w.book.grants)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('lets two stores offline at once spend only what was set aside for each', () => {
    const w = new World();
    w.run({ kind: 'topup', store: 0, amount: 10000 });
    expect(w.run({ kind: 'allowance', store: 0, amount: 6000 })).toBe(true);
    // only 4000 is left to set aside for the second store
    expect(w.run({ kind: 'allowance', store: 1, amount: 6000 })).toBe(false);
    expect(w.run({ kind: 'allowance', store: 1, amount: 4000 })).toBe(true);
    w.run({ kind: 'cut', store: 0 });
    w.run({ kind: 'cut', store: 1 });
    expect(w.run({ kind: 'spend', store: 0, amount: 6001 })).toBe(false);
    expect(w.run({ kind: 'spend', store: 0, amount: 6000 })).toBe(true);
    expect(w.run({ kind: 'spend', store: 1, amount: 4000 })).toBe(true);
    expect(w.run({ kind: 'spend', store: 1, amount: 1 })).toBe(false);
    // a third store online is granted nothing: all of it is promised
    expect(w.run({ kind: 'spend', store: 2, amount: 1 })).toBe(false);
    w.reconcileAll();
    expect(w.book.seen).toBe(0);
    expect(w.truth).toBe(0);
  });

  it('grants one spend once, and two grants of the same money only while it lasts', () => {
    let book = observe(emptySharedWallet(), { storeId: 'north', amount: 5000 });
    const first = grant(book, 'north', 'g1', 3000);
    expect(first.ok).toBe(true);
    book = first.ok ? first.book : book;
    expect(grant(book, 'north', 'g1', 3000)).toEqual({ ok: true, book });
    expect(grant(book, 'south', 'g2', 3000)).toEqual({
      ok: false,
      code: 'wallet_short',
      free: 2000,
    });
  });
});
