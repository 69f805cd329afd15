// A newcomer brought through another customer's share link, answered by a real hub: the cloud's
// `referral` intent records the referral under the store's referral campaigns (the newcomer's
// coupon at once), and the one who shared is rewarded when the newcomer first pays: the voucher
// they bought online (whichever of the two intents reaches the store first), else their first
// paid booking. Refused in words when no referral campaign runs, the newcomer booked here before
// or names themselves; each answered once.
import { randomUUID } from 'node:crypto';
import { IntentKeys } from '@roomhub/cloud-sync';
import {
  IntentDocSchema,
  intentDocId,
  luhnDigit,
  VoucherPassBodySchema,
  type IntentDoc,
  type VoucherPass,
} from '@roomhub/shared-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerIntent } from '../src/sync/intents';
import { at, CLOUD_KEYS, signedByCloud, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
const SHARER = '13912345611';
const FRIEND = '13912345612';

beforeEach(async () => {
  h = await startTestHub();
  h.hub.voucherKeys.trustCloud(new IntentKeys([CLOUD_KEYS.publicKey]));
});
afterEach(async () => {
  await h.close();
});

async function referralCampaign(): Promise<string> {
  const r = await h.api(
    'POST',
    '/api/campaigns',
    {
      name: '老带新',
      kind: 'referral',
      couponName: '邀请有礼 减10元',
      coupon: { rule: { kind: 'amount', amountOff: 1000 } },
      claimFrom: '2026-11-01',
      claimTo: '2026-11-30',
      useDays: 30,
      perPerson: 5,
    },
    STAFF,
  );
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

async function ownDeal(): Promise<{ id: string; rev: string }> {
  const r = await h.api(
    'POST',
    '/api/deals',
    {
      source: 'own',
      title: '任意包间 2 小时',
      entitlement: { kind: 'hours', minutes: 120, maxPartySize: 4 },
      price: 6800,
      status: 'on_sale',
    },
    STAFF,
  );
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return { id: r.body.id, rev: r.body.rev };
}

let codeSeq = 0;
function cloudPass(deal: { id: string; rev: string }): VoucherPass {
  const digits = `6${String((codeSeq += 1)).padStart(10, '0')}`;
  return signedByCloud(
    VoucherPassBodySchema.parse({
      type: 'voucher',
      id: randomUUID().replaceAll('-', ''),
      code: digits + String(luhnDigit(digits)),
      store: h.hub.store.getStore().id,
      dealId: deal.id,
      rev: deal.rev,
      price: 6800,
      validFrom: Date.parse(at('09:00')) / 1000,
      validUntil: Date.parse(at('09:00', 30)) / 1000,
      issuer: 'cloud',
    }),
  ) as VoucherPass;
}

function intent(kind: 'referral' | 'voucher_issued', body: object): IntentDoc {
  const intentId = randomUUID();
  return IntentDocSchema.parse({
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId: h.hub.store.getStore().id,
    customerId: 'c-friend',
    createdAt: new Date(h.clock.now()).toISOString(),
    kind,
    body,
  });
}

const couponsOf = async (phone: string) =>
  (await h.api('GET', `/api/coupons?phone=${phone}`, undefined, STAFF)).body as {
    name: string;
  }[];

describe('a friend brought through a share link', () => {
  it('gets the referral coupon at once; the sharer gets theirs when the voucher arrives', async () => {
    await referralCampaign();
    const pass = cloudPass(await ownDeal());
    const referral = intent('referral', {
      referrer: SHARER,
      referee: FRIEND,
      via: 'deal',
      voucherId: pass.id,
    });
    expect(await answerIntent(h.hub, referral)).toEqual({ outcome: 'done' });
    expect((await couponsOf(FRIEND)).map((c) => c.name)).toEqual(['邀请有礼 减10元']);
    // The voucher has not reached the store yet: nothing for the sharer so far.
    expect(await couponsOf(SHARER)).toEqual([]);
    const issued = intent('voucher_issued', { pass, phone: FRIEND });
    expect(await answerIntent(h.hub, issued)).toEqual({ outcome: 'done' });
    expect((await couponsOf(SHARER)).map((c) => c.name)).toEqual(['邀请有礼 减10元']);
    // Handed over again, each is its first answer: no second coupon on either side.
    expect(await answerIntent(h.hub, referral)).toEqual({ outcome: 'done' });
    expect(await answerIntent(h.hub, issued)).toEqual({ outcome: 'done' });
    expect(await couponsOf(SHARER)).toHaveLength(1);
    expect(await couponsOf(FRIEND)).toHaveLength(1);
  });

  it('rewards the sharer at once when the voucher reached the store first', async () => {
    await referralCampaign();
    const pass = cloudPass(await ownDeal());
    await answerIntent(h.hub, intent('voucher_issued', { pass, phone: FRIEND }));
    expect(await couponsOf(SHARER)).toEqual([]);
    const answer = await answerIntent(
      h.hub,
      intent('referral', { referrer: SHARER, referee: FRIEND, via: 'deal', voucherId: pass.id }),
    );
    expect(answer).toEqual({ outcome: 'done' });
    expect(await couponsOf(SHARER)).toHaveLength(1);
  });

  it('joining through the link rewards the sharer only once the friend pays', async () => {
    await referralCampaign();
    const join = intent('referral', { referrer: SHARER, referee: FRIEND, via: 'join' });
    expect(await answerIntent(h.hub, join)).toEqual({ outcome: 'done' });
    expect(await couponsOf(FRIEND)).toHaveLength(1);
    expect(await couponsOf(SHARER)).toEqual([]);
  });

  it('is refused in words with no campaign, an old customer or oneself, leaving nothing', async () => {
    const none = await answerIntent(
      h.hub,
      intent('referral', { referrer: SHARER, referee: FRIEND, via: 'join' }),
    );
    expect(none).toEqual({
      outcome: 'rejected',
      reason: 'the store runs no referral campaign now',
    });
    await referralCampaign();
    const self = await answerIntent(
      h.hub,
      intent('referral', { referrer: FRIEND, referee: FRIEND, via: 'join' }),
    );
    expect(self).toEqual({ outcome: 'rejected', reason: 'a customer cannot bring themselves' });
    const room = (await h.roomIds())[0]!;
    const booked = await h.api('POST', '/api/bookings', {
      roomId: room,
      start: at('10:00', 1),
      end: at('12:00', 1),
      partySize: 2,
      customer: { phone: FRIEND },
    });
    expect(booked.status).toBe(201);
    const old = await answerIntent(
      h.hub,
      intent('referral', { referrer: SHARER, referee: FRIEND, via: 'join' }),
    );
    expect(old).toMatchObject({ outcome: 'rejected', reason: expect.stringMatching(/booked/) });
    expect(await couponsOf(FRIEND)).toEqual([]);
    expect(await couponsOf(SHARER)).toEqual([]);
  });
});
