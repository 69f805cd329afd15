// Points as a way to pay for tea and snacks (menu/order-tenders.ts): an order for a member's room,
// or a counter order for the member the cashier named, is paid with their points at what the owner
// says one is worth (rounded up to whole points), and a refund gives the points back at the worth
// they were spent at. Staff take it at the counter; an order naming no member cannot be paid with
// points. Runs inside the order's write; the points ledger is written through the member service.
import { DomainError, type Actor } from '@roomhub/shared-types';
import type { Db } from '../db/database';
import { memberOfOrder } from '../wallet/wallet-tender';
import type { Tender } from '../menu/order-tenders';
import type { MemberService } from './member.service';

export function pointsTender(db: Db, members: MemberService): Tender {
  const phoneOf = (orderId: string): string => {
    const phone = memberOfOrder(db, orderId);
    if (!phone) {
      throw new DomainError(
        'conflict',
        'points_need_booking',
        'points pay only for an order of a member’s room or for a member named at the counter',
        'method',
      );
    }
    return phone;
  };
  const staffOnly = (actor: Actor) => {
    if (actor.kind !== 'staff') {
      throw new DomainError(
        'forbidden',
        'points_need_staff',
        'points are taken by staff',
        'method',
      );
    }
  };
  return {
    method: 'points',
    take(order, amount, actor) {
      staffOnly(actor);
      const fenPerPoint = members.fenPerPointNow();
      const points = fenPerPoint > 0 ? Math.ceil(amount / fenPerPoint) : 0;
      members.spendPoints(phoneOf(order.id), points, `order:${order.id}`, actor, 'method');
    },
    giveBack(order, amount, actor) {
      staffOnly(actor);
      const ref = `order:${order.id}`;
      const { fenPerPoint } = members.spentOn(ref);
      if (fenPerPoint <= 0) return;
      members.returnPoints(ref, actor, Math.ceil(amount / fenPerPoint));
    },
  };
}
