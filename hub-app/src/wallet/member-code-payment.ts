// Paying a booking from the wallet of the member who showed their member code (会员码) to the
// kiosk's or the counter's scanner: the code is checked (offline, members/member-codes.ts), a
// shared wallet brings what it lacks here from the owner's other stores, then one write takes the
// code and pays, so a refusal (a short wallet) leaves the code unused and nothing paid. The kiosk
// is told the member's phone masked and what the wallet holds afterwards, never the wallet's
// movements. A kiosk's payment, done or refused, is audited as that screen's (staff's are audited
// by the HTTP layer like every change they make).
import { DomainError, type Actor, type MemberCodePaidView } from '@roomhub/shared-types';
import type { AfterCommit } from '../db/write-queue';
import type { Hub } from '../hub';
import { maskPhone } from '../members/member-export';

const ACTION = 'POST /api/bookings/:id/wallet-payments';

export async function payByMemberCode(
  hub: Pick<Hub, 'wallet' | 'walletMoves' | 'memberCodes' | 'audit' | 'writes'>,
  bookingId: string,
  text: string,
  actor: Actor,
  write: <T>(work: (afterCommit: AfterCommit) => T) => Promise<T>,
): Promise<MemberCodePaidView> {
  const audited = actor.kind !== 'staff';
  try {
    const { member } = hub.memberCodes.check(text);
    const { due } = hub.wallet.dueOf(bookingId, member.phone);
    if (due > 0) await hub.walletMoves.bringIn(member.phone, due, actor);
    return await write((afterCommit) => pay(hub, bookingId, text, actor, afterCommit, audited));
  } catch (e) {
    if (audited) {
      const code = e instanceof DomainError ? e.code : 'internal';
      await hub.writes
        .run(() =>
          hub.audit.record({
            actor,
            action: ACTION,
            target: bookingId,
            outcome: 'refused',
            after: { code },
          }),
        )
        .catch(() => undefined);
    }
    throw e;
  }
}

function pay(
  hub: Pick<Hub, 'wallet' | 'memberCodes' | 'audit'>,
  bookingId: string,
  text: string,
  actor: Actor,
  afterCommit: AfterCommit,
  audited: boolean,
): MemberCodePaidView {
  const shown = hub.memberCodes.take(text, bookingId);
  const { phone } = shown.member;
  const owed = hub.wallet.dueOf(bookingId, phone).due;
  let view;
  try {
    view = hub.wallet.payBooking(bookingId, undefined, actor, afterCommit, { phone });
  } catch (e) {
    // The customer in front of the kiosk is told how much is missing, not what the wallet holds.
    const held = e instanceof DomainError && e.code === 'wallet_short' ? e.params.amount : null;
    if (typeof held !== 'number') throw e;
    throw new DomainError(
      'conflict',
      'wallet_short',
      `the member's wallet is ${owed - held} fen short of what the booking owes`,
      'memberCode',
    ).with({ amount: owed - held }, 'wallet_short_member');
  }
  const paid: MemberCodePaidView = {
    phone: maskPhone(phone),
    paid: owed,
    balance: { principal: view.principal, bonus: view.bonus, total: view.total },
  };
  if (audited) {
    hub.audit.record({
      actor,
      action: ACTION,
      target: bookingId,
      after: { memberId: shown.member.id, codeId: shown.code.id, paid: owed },
    });
  }
  return paid;
}
