// What a signed-in customer asks of the store through the cloud about coupons and membership:
// a coupon of a campaign claimed from the store's page, or exchanged for points (`coupon_claim`),
// joining the store as a member (`member_join`), and a newcomer brought through another
// customer's share link (`referral`). Runs inside the write that stores the answer
// (sync/intents.ts), so the coupon, the points it took, the membership and the answer land
// together, once per intent; a refusal leaves nothing behind. The rules are the store's own: the
// claim is the kiosk's claim, the exchange the counter's, the join the counter's, a referral the
// referral campaigns'. Never prices, never moves money; points only through the coupons' exchange.
import type { Actor, AnswerBody, IntentDoc } from '@roomhub/shared-types';
import type { MemberRow } from '../members/member-records';
import type { OwnVouchers } from '../vouchers/own-vouchers';
import type { Coupons } from './coupons';

type CouponClaimIntent = Extract<IntentDoc, { kind: 'coupon_claim' }>;
type MemberJoinIntent = Extract<IntentDoc, { kind: 'member_join' }>;
type ReferralIntent = Extract<IntentDoc, { kind: 'referral' }>;

/** Who makes a customer a member: the members domain (`MemberService.join`), inside the write. */
export interface Joining {
  join(phone: string, name: string | null, by: MemberRow['joined_by'], actor: Actor): MemberRow;
}

/**
 * Issues the campaign's coupon to the customer's phone within its claim window and limits (for
 * the points the body names, when it names them: an exchange), and makes them a member of the
 * store: claiming here is the first thing they do with it.
 */
export function answerCouponClaim(
  coupons: Pick<Coupons, 'claim' | 'exchange'>,
  intent: CouponClaimIntent,
  customer: Actor,
): AnswerBody {
  const { phone, campaignId, points } = intent.body;
  if (points === undefined) coupons.claim(campaignId, phone, customer, 'online');
  else coupons.exchange(campaignId, phone, customer, { at: 'online', agreed: points });
  return { outcome: 'done' };
}

/** Makes the customer a member of the store; one already a member stays as they are. */
export function answerMemberJoin(
  members: Joining,
  intent: MemberJoinIntent,
  customer: Actor,
): AnswerBody {
  const { phone, name } = intent.body;
  members.join(phone, name ?? null, 'online', customer);
  return { outcome: 'done' };
}

/**
 * A newcomer brought through another customer's share link: the referral under each referral
 * campaign running (the newcomer's coupon now). When they came to buy a voucher and the store
 * already keeps it for their phone, that was their first payment: the sharer is rewarded now too
 * (else when the voucher reaches the store, or at their first paid booking).
 */
export function answerReferral(
  coupons: Pick<Coupons, 'referOnline' | 'referredPaid'>,
  vouchers: Pick<OwnVouchers, 'find'>,
  intent: ReferralIntent,
  customer: Actor,
): AnswerBody {
  const { referrer, referee, voucherId } = intent.body;
  coupons.referOnline(referrer, referee, customer);
  const bought = voucherId ? vouchers.find(voucherId) : undefined;
  if (bought && bought.customer_phone === referee) coupons.referredPaid(referee);
  return { outcome: 'done' };
}
