// An order paid out of a member's wallet: the wallet of the customer whose booking the order is
// for, spent and given back in the write that records the order's money. A counter order on its
// own names no member, so it is not paid from a wallet.
import { DomainError, type Actor } from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { Tender } from '../menu/order-tenders';
import type { WalletService } from './wallet.service';

/** The wallet an order is paid from: its booking customer's; none for an order on its own. */
export function walletOfOrder(db: Db, orderId: string): string | undefined {
  const r = db
    .prepare(
      'SELECT b.customer_phone AS phone FROM orders o JOIN bookings b ON b.id = o.booking_id WHERE o.id = ?',
    )
    .get(orderId) as { phone: string } | undefined;
  return r?.phone;
}

export function walletTender(db: Db, newId: NewId, wallet: WalletService): Tender {
  const phoneOf = (orderId: string): string => {
    const phone = walletOfOrder(db, orderId);
    if (!phone) {
      throw new DomainError(
        'conflict',
        'wallet_needs_member',
        'only an order for a booking is paid from its customer’s wallet',
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
