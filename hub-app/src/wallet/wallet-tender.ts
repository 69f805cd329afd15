// An order paid out of a member's wallet: the wallet of the customer whose booking the order is
// for, or of the member the cashier named for a counter order on its own, spent and given back in
// the write that records the order's money. A counter order naming no member is not paid from a
// wallet.
import { DomainError, type Actor } from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { Tender } from '../menu/order-tenders';
import type { WalletService } from './wallet.service';

/**
 * Whose wallet and points pay an order: the member named at the counter, else its booking's
 * customer; none for an order on its own that names no member.
 */
export function memberOfOrder(db: Db, orderId: string): string | undefined {
  const r = db
    .prepare(
      `SELECT COALESCE(o.member_phone, b.customer_phone) AS phone
         FROM orders o LEFT JOIN bookings b ON b.id = o.booking_id WHERE o.id = ?`,
    )
    .get(orderId) as { phone: string | null } | undefined;
  return r?.phone ?? undefined;
}

export function walletTender(db: Db, newId: NewId, wallet: WalletService): Tender {
  const phoneOf = (orderId: string): string => {
    const phone = memberOfOrder(db, orderId);
    if (!phone) {
      throw new DomainError(
        'conflict',
        'wallet_needs_member',
        'only an order for a booking or for a member named at the counter is paid from a wallet',
        'method',
      );
    }
    return phone;
  };
  const staffOnly = (actor: Actor) => {
    if (actor.kind !== 'staff') {
      throw new DomainError(
        'forbidden',
        'wallet_needs_staff',
        'a wallet is spent at the counter by staff',
      );
    }
  };
  return {
    method: 'wallet',
    take(order, amount, actor) {
      staffOnly(actor);
      wallet.spend(phoneOf(order.id), amount, `order:${order.id}`, newId(), actor);
    },
    giveBack(order, amount, actor) {
      staffOnly(actor);
      wallet.giveBack(`order:${order.id}`, amount, newId(), 'order refunded', actor);
    },
  };
}
