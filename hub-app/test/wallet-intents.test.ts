// A top-up the cloud took online reaches the store as a signed `wallet_topup` intent: the hub
// credits it once with its own package's bonus, however often the intent is handed over (again,
// after a restart, or another intent naming the same payment); a package no longer sold, or one
// whose price is not what the cloud took, is refused, so the cloud gives the money back.
import { IntentDocSchema, intentDocId } from '@roomhub/shared-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerIntent } from '../src/sync/intents';
import { as, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
const PHONE = '13912345678';

beforeEach(async () => {
  h = await startTestHub();
});
afterEach(async () => {
  await h.close();
});

let seq = 0;
const topUp = (body: {
  packageId?: string;
  amount: number;
  paymentId?: string;
  expiresInMs?: number;
}) => {
  const intentId = `wt${(seq += 1)}`;
  const intent = IntentDocSchema.parse({
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId: h.hub.store.getStore().id,
    customerId: 'c1',
    createdAt: new Date(h.clock.now()).toISOString(),
    ...(body.expiresInMs !== undefined
      ? { expiresAt: new Date(h.clock.now() + body.expiresInMs).toISOString() }
      : {}),
    kind: 'wallet_topup',
    body: {
      phone: PHONE,
      ...(body.packageId ? { packageId: body.packageId } : {}),
      payment: {
        paymentId: body.paymentId ?? `pay-${intentId}`,
        method: 'wechat',
        amount: body.amount,
      },
    },
  });
  if (intent.kind !== 'wallet_topup') throw new Error('not a wallet top-up');
  return intent;
};

const balance = async () =>
  (await h.api('GET', `/api/wallets/${PHONE}`, undefined, as('cashier'))).body as {
    principal: number;
    bonus: number;
    moves: unknown[];
  };

describe('a top-up taken online', () => {
  it('is credited once with the package’s bonus, however often it is handed over', async () => {
    const pkg = await h.api(
      'POST',
      '/api/wallet/packages',
      { name: '充200送100', pay: 20000, bonus: 10000, bonusValidDays: 90 },
      STAFF,
    );
    const intent = topUp({ packageId: pkg.body.id, amount: 20000 });
    expect(await answerIntent(h.hub, intent)).toEqual({ outcome: 'confirmed' });
    expect(await answerIntent(h.hub, intent)).toEqual({ outcome: 'confirmed' });
    // the same money named by another intent is not credited twice either
    const same = topUp({
      packageId: pkg.body.id,
      amount: 20000,
      paymentId: intent.body.payment.paymentId,
    });
    expect(await answerIntent(h.hub, same)).toEqual({ outcome: 'confirmed' });
    expect(await balance()).toMatchObject({ principal: 20000, bonus: 10000 });
    h = await h.restart();
    expect(await answerIntent(h.hub, intent)).toEqual({ outcome: 'confirmed' });
    const after = await balance();
    expect(after).toMatchObject({ principal: 20000, bonus: 10000 });
    expect(after.moves).toHaveLength(2);
    expect((await h.api('GET', '/api/wallet/owed', undefined, STAFF)).body).toMatchObject({
      principal: 20000,
      bonus: 10000,
    });
  });

  it('is refused when the package is no longer sold or its price is not what was taken', async () => {
    const pkg = await h.api(
      'POST',
      '/api/wallet/packages',
      { name: '充100送20', pay: 10000, bonus: 2000 },
      STAFF,
    );
    const wrong = await answerIntent(h.hub, topUp({ packageId: pkg.body.id, amount: 9000 }));
    expect(wrong).toMatchObject({ outcome: 'rejected' });
    expect(wrong.reason).toMatch(/price is now 10000/);
    await h.api('PATCH', `/api/wallet/packages/${pkg.body.id}`, { active: false }, STAFF);
    const stopped = await answerIntent(h.hub, topUp({ packageId: pkg.body.id, amount: 10000 }));
    expect(stopped).toMatchObject({ outcome: 'rejected' });
    expect(await balance()).toMatchObject({ principal: 0, bonus: 0 });
    // one the cloud is about to stop waiting for is not credited: its money goes back
    const late = await answerIntent(h.hub, topUp({ amount: 5000, expiresInMs: 30_000 }));
    expect(late).toMatchObject({ outcome: 'rejected' });
    expect(await balance()).toMatchObject({ principal: 0 });
    // a plain amount has no bonus
    expect(await answerIntent(h.hub, topUp({ amount: 5000, expiresInMs: 120_000 }))).toEqual({
      outcome: 'confirmed',
    });
    expect(await balance()).toMatchObject({ principal: 5000, bonus: 0 });
  });
});
