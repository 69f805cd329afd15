// What a signed-in customer asks of the store through the cloud about coupons and membership:
// a coupon of a campaign claimed from the store's page, or exchanged for points (`coupon_claim`),
// and joining the store as a member (`member_join`). Runs inside the write that stores the answer
// (sync/intents.ts), so the coupon, the points it took, the membership and the answer land
// together, once per intent; a refusal leaves nothing behind. The rules are the store's own: the
// claim is the kiosk's claim, the exchange the counter's, the join the counter's. Never prices,
// never moves money; points only through the coupons' exchange.
import type { Actor, AnswerBody, IntentDoc } from '@roomhub/shared-types';
import type { MemberRow } from '../members/member-records';
import type { Coupons } from './coupons';

type CouponClaimIntent = Extract<IntentDoc, { kind: 'coupon_claim' }>;
type MemberJoinIntent = Extract<IntentDoc, { kind: 'member_join' }>;

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
