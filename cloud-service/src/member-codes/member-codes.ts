// The member pay code (会员码) the cloud issues a signed-in customer, shown from their phone to a
// store's scanner to pay from their wallet there: their customer id, the store they chose, a
// one-time id and a minute of life, signed with the key the cloud signs intents with, so the store's hub checks it with no
// network and takes it once (shared-types member-code.ts says the shape). A store knows its
// members by phone, so a customer signed in without one is asked to sign in with it. Owns
// nothing stored; never decides a payment (the store does).
import { randomBytes } from 'node:crypto';
import {
  MEMBER_CODE_REFRESH_SECONDS,
  MEMBER_CODE_TTL_SECONDS,
  MemberCodeSchema,
  memberCodeText,
  type Clock,
  type MemberCodeView,
} from '@roomhub/shared-types';
import { phoneNotLinked } from '../auth/phone-links';
import type { CustomerIdentity } from '../auth/tokens';
import type { IntentSigner } from '../intents/intent-signer';

export interface MemberCodesDeps {
  signer: IntentSigner;
  clock: Clock;
  /** A fresh one-time id; random unless a test says. */
  newCodeId?: () => string;
}

export class MemberCodes {
  constructor(private readonly d: MemberCodesDeps) {}

  /** A fresh member code for the customer signed in, taken only by the store `storeId`. */
  issue(who: CustomerIdentity, storeId: string): MemberCodeView {
    if (!who.phone) {
      throw phoneNotLinked('show a member code');
    }
    const exp = Math.floor(this.d.clock.now() / 1000) + MEMBER_CODE_TTL_SECONDS;
    const code = MemberCodeSchema.parse(
      this.d.signer.sign({
        type: 'member_code',
        id: this.d.newCodeId?.() ?? randomBytes(12).toString('base64url'),
        customer: who.customerId,
        store: storeId,
        exp,
      }),
    );
    return {
      text: memberCodeText(code),
      storeId,
      expiresAt: new Date(exp * 1000).toISOString(),
      refreshInSeconds: MEMBER_CODE_REFRESH_SECONDS,
    };
  }
}
