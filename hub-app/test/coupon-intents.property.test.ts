// A property over what customers ask online about one campaign's coupons, handed to the hub
// concurrently and handed over again (as the replicator does after a restart or a cut line): claims
// through the cloud (`coupon_claim`), claims at the kiosk, online booking requests naming a coupon
// and cancellations. Whatever the interleaving, the campaign never issues more than its per-person
// and total limits, each intent is decided once (the same answer every time), a claim that was
// issued made its customer a member, and no coupon is held by two standing bookings. And points
// exchanged for coupons online and at the counter, with points given meanwhile: a member's points
// never go below zero, are their ledger's sum, and each exchanged coupon took its price once.
import fc from 'fast-check';
import { IntentDocSchema, intentDocId, type IntentDoc } from '@roomhub/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerIntent } from '../src/sync/intents';
import { as, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let rooms: string[];
const CASHIER = as('cashier');
let run = 0;

beforeAll(async () => {
  h = await startTestHub();
  rooms = await h.roomIds();
  const r = await h.api(
    'PATCH',
    '/api/store',
    { rules: { holds: { perPhone: 20, perKiosk: 50 } } },
    STAFF,
  );
  expect(r.status).toBe(200);
});
afterAll(async () => {
  await h.close();
});

type Op =
  | { kind: 'claim_online'; who: number; intent: number }
  | { kind: 'claim_kiosk'; who: number }
  | { kind: 'book'; who: number; coupon: number; slot: number }
  | { kind: 'cancel'; booking: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('claim_online' as const), who: fc.nat(2), intent: fc.nat(5) }),
  fc.record({ kind: fc.constant('claim_kiosk' as const), who: fc.nat(2) }),
  fc.record({
    kind: fc.constant('book' as const),
    who: fc.nat(2),
    coupon: fc.nat(2),
    slot: fc.nat(11),
  }),
  fc.record({ kind: fc.constant('cancel' as const), booking: fc.nat(20) }),
);

let seq = 0;
const intentOf = (kind: 'coupon_claim' | 'booking_request', body: unknown): IntentDoc => {
  const intentId = `cp${run}-${(seq += 1)}`;
  return IntentDocSchema.parse({
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId: h.hub.store.getStore().id,
    customerId: 'c1',
    createdAt: new Date(h.clock.now()).toISOString(),
    kind,
    body,
  });
};

describe('coupons asked for online, concurrently and handed over again', () => {
  it('never pass the campaign limits, are decided once, and are never held twice', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
        fc.array(fc.array(opArb, { minLength: 2, maxLength: 6 }), { minLength: 2, maxLength: 6 }),
        async (perPerson, totalLimit, batches) => {
          run += 1;
          const phones = [0, 1, 2].map((i) => `136${String(run).padStart(7, '0')}${i}`);
          const campaign = await h.api(
            'POST',
            '/api/campaigns',
            {
              name: `run ${run}`,
              kind: 'claim',
              couponName: '立减10元',
              coupon: { rule: { kind: 'amount', amountOff: 1000 } },
              claimFrom: '2026-11-01',
              claimTo: '2026-11-30',
              useDays: 30,
              perPerson,
              totalLimit,
            },
            STAFF,
          );
          expect(campaign.status).toBe(201);
          const campaignId = campaign.body.id as string;
          // Online claims are a few intents, each of which may be handed over many times.
          const claims = phones.map((phone) =>
            Array.from({ length: 6 }, () => intentOf('coupon_claim', { phone, campaignId })),
          );
          const answers = new Map<string, string>();
          const bookings: string[] = [];
          const couponsOf = (phone: string) =>
            h.hub.db
              .prepare('SELECT id FROM coupons WHERE campaign_id = ? AND phone = ? ORDER BY id')
              .pluck()
              .all(campaignId, phone) as string[];

          for (const batch of batches) {
            await Promise.all(
              batch.map(async (op) => {
                if (op.kind === 'claim_online') {
                  const intent = claims[op.who]![op.intent]!;
                  const a = await answerIntent(h.hub, intent);
                  const said = JSON.stringify(a);
                  // Decided once: every hand-over gets the first answer.
                  expect(answers.get(intent.intentId) ?? said).toBe(said);
                  answers.set(intent.intentId, said);
                  expect(['done', 'rejected']).toContain(a.outcome);
                  return;
                }
                if (op.kind === 'claim_kiosk') {
                  const r = await h.api('POST', '/api/coupons/claim', {
                    campaignId,
                    phone: phones[op.who],
                  });
                  expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
                  if (r.status !== 201)
                    expect(['coupon_limit_person', 'coupon_limit_total']).toContain(
                      r.body.error.code,
                    );
                  return;
                }
                if (op.kind === 'book') {
                  const phone = phones[op.who]!;
                  const held = couponsOf(phone);
                  const coupon = held[op.coupon % Math.max(1, held.length)];
                  if (!coupon) return;
                  const day = 1 + Math.floor(op.slot / 4);
                  const hour = 10 + 3 * (op.slot % 4);
                  const a = await answerIntent(
                    h.hub,
                    intentOf('booking_request', {
                      booking: {
                        roomId: rooms[op.slot % rooms.length],
                        start: at(`${hour}:00`, day),
                        end: at(`${hour + 2}:00`, day),
                        partySize: 2,
                        customer: { phone },
                        couponIds: [coupon],
                      },
                    }),
                  );
                  if (a.outcome === 'held') bookings.push(a.bookingId!);
                  else expect(a.outcome).toBe('rejected');
                  return;
                }
                const id = bookings[op.booking % Math.max(1, bookings.length)];
                if (!id) return;
                const r = await h.api('POST', `/api/bookings/${id}/cancel`, {}, CASHIER);
                expect(r.status).toBeLessThan(500);
              }),
            );

            // The limits, read from the database after every batch.
            let issued = 0;
            for (const phone of phones) {
              const n = couponsOf(phone).length;
              expect(n).toBeLessThanOrEqual(perPerson);
              issued += n;
            }
            if (totalLimit !== null) expect(issued).toBeLessThanOrEqual(totalLimit);
            // A claim the store issued made its customer a member.
            claims.forEach((list, i) => {
              if (list.some((c) => answers.get(c.intentId)?.includes('"done"'))) {
                const member = h.hub.db
                  .prepare('SELECT joined_by FROM members WHERE phone = ?')
                  .get(phones[i]);
                expect(member).toBeDefined();
              }
            });
            // No coupon held by two standing bookings; a cancelled booking holds none.
            const open = h.hub.db
              .prepare(
                `SELECT u.coupon_id, b.status FROM coupon_uses u JOIN bookings b ON b.id = u.booking_id
                 JOIN coupons c ON c.id = u.coupon_id
                 WHERE c.campaign_id = ? AND u.kind = 'use' AND NOT EXISTS (SELECT 1 FROM coupon_uses r
                   WHERE r.coupon_id = u.coupon_id AND r.round = u.round AND r.kind = 'return')`,
              )
              .all(campaignId) as { coupon_id: string; status: string }[];
            expect(new Set(open.map((o) => o.coupon_id)).size).toBe(open.length);
            for (const o of open) expect(['pending_payment', 'paid']).toContain(o.status);
          }
          for (const id of bookings) await h.api('POST', `/api/bookings/${id}/cancel`, {}, CASHIER);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});

type ExchangeOp =
  | { kind: 'exchange_online'; who: number; intent: number; agreed: boolean }
  | { kind: 'exchange_counter'; who: number; request: number }
  | { kind: 'give'; who: number; points: number };

const exchangeArb: fc.Arbitrary<ExchangeOp> = fc.oneof(
  fc.record({
    kind: fc.constant('exchange_online' as const),
    who: fc.nat(2),
    intent: fc.nat(3),
    agreed: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('exchange_counter' as const), who: fc.nat(2), request: fc.nat(3) }),
  fc.record({
    kind: fc.constant('give' as const),
    who: fc.nat(2),
    points: fc.integer({ min: 1, max: 400 }),
  }),
);

describe('points exchanged for coupons, online and at the counter, concurrently', () => {
  it('never go below zero, equal their ledger, and each coupon took its price once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 50, max: 300 }),
        fc.integer({ min: 1, max: 4 }),
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
        fc.array(fc.array(exchangeArb, { minLength: 2, maxLength: 6 }), {
          minLength: 2,
          maxLength: 5,
        }),
        async (price, perPerson, totalLimit, batches) => {
          run += 1;
          const phones = [0, 1, 2].map((i) => `135${String(run).padStart(7, '0')}${i}`);
          const campaign = await h.api(
            'POST',
            '/api/campaigns',
            {
              name: `points ${run}`,
              kind: 'claim',
              couponName: '积分换券',
              coupon: { rule: { kind: 'amount', amountOff: 1000 } },
              claimFrom: '2026-11-01',
              claimTo: '2026-11-30',
              useDays: 30,
              perPerson,
              totalLimit,
              pointsPrice: price,
            },
            STAFF,
          );
          expect(campaign.status).toBe(201);
          const campaignId = campaign.body.id as string;
          // Each customer a member with some points to start from.
          const given = phones.map(() => 0);
          for (const [i, phone] of phones.entries()) {
            await h.hub.writes.run(() => h.hub.members.join(phone, null, 'staff'));
            given[i] = price + 10 * i;
            await h.api(
              'POST',
              `/api/members/${phone}/points`,
              { points: given[i], reason: 'start' },
              STAFF,
            );
          }
          const online = phones.map((phone) =>
            Array.from({ length: 4 }, (_, k) =>
              intentOf('coupon_claim', {
                phone,
                campaignId,
                points: k % 2 === 0 ? price : price + 1,
              }),
            ),
          );
          const answers = new Map<string, string>();

          for (const batch of batches) {
            await Promise.all(
              batch.map(async (op) => {
                if (op.kind === 'give') {
                  const r = await h.api(
                    'POST',
                    `/api/members/${phones[op.who]}/points`,
                    { points: op.points, reason: 'gift' },
                    STAFF,
                  );
                  expect(r.status).toBe(201);
                  given[op.who]! += op.points;
                  return;
                }
                if (op.kind === 'exchange_online') {
                  const intent = online[op.who]![op.intent]!;
                  const a = await answerIntent(h.hub, intent);
                  const said = JSON.stringify(a);
                  expect(answers.get(intent.intentId) ?? said).toBe(said);
                  answers.set(intent.intentId, said);
                  expect(['done', 'rejected']).toContain(a.outcome);
                  // A price the customer did not agree to is never taken.
                  if (op.intent % 2 === 1) expect(a.outcome).toBe('rejected');
                  return;
                }
                const r = await h.api(
                  'POST',
                  '/api/coupons/exchange',
                  { campaignId, phone: phones[op.who], requestId: `r${op.request}` },
                  CASHIER,
                );
                expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
                if (r.status !== 201)
                  expect(['coupon_limit_person', 'coupon_limit_total', 'points_short']).toContain(
                    r.body.error.code,
                  );
              }),
            );

            // The ledgers, read from the database after every batch.
            let issued = 0;
            for (const [i, phone] of phones.entries()) {
              const coupons = h.hub.db
                .prepare('SELECT id FROM coupons WHERE campaign_id = ? AND phone = ? ORDER BY id')
                .pluck()
                .all(campaignId, phone) as string[];
              issued += coupons.length;
              expect(coupons.length).toBeLessThanOrEqual(perPerson);
              const memberId = h.hub.db
                .prepare('SELECT id FROM members WHERE phone = ?')
                .pluck()
                .get(phone) as string;
              const moves = h.hub.db
                .prepare('SELECT points, ref FROM member_points WHERE member_id = ? ORDER BY id')
                .all(memberId) as { points: number; ref: string | null }[];
              // Never below zero at any point of the ledger.
              let running = 0;
              for (const m of moves) {
                running += m.points;
                expect(running).toBeGreaterThanOrEqual(0);
              }
              // What the member sees is the ledger's sum: what was given, less each coupon's price.
              const shown = (await h.api('GET', `/api/members/${phone}`, undefined, CASHIER)).body
                .points as number;
              expect(shown).toBe(running);
              expect(shown).toBe(given[i]! - price * coupons.length);
              // Each coupon took its price exactly once.
              const spent = moves.filter((m) => m.ref?.startsWith('coupon:'));
              expect(spent.map((m) => m.ref).sort()).toEqual(coupons.map((c) => `coupon:${c}`));
              for (const m of spent) expect(m.points).toBe(-price);
            }
            if (totalLimit !== null) expect(issued).toBeLessThanOrEqual(totalLimit);
          }
        },
      ),
      { numRuns: 20 },
    );
  }, 180_000);
});
