// The hub's answers to what customers asked for online and what the store's owner changed from the
// remote view (H2). Only the replicator calls this, and only with an intent whose signature showed
// it is the cloud's (`verify`, wired in cloud-sync-setup.ts): so a booking is paid only for a
// payment the cloud's channel holds, and a door opens only for the customer the cloud signed in.
// Each intent is decided once: the decision is stored with the intent's id in the same transaction
// as its effect, so a re-delivered intent, or one handed over again after a restart, gets the first
// answer and never a second booking. An owner's change is made through the same services as at the
// store and recorded in the audit log in the same write as its answer. The intent document itself
// is the cloud's and is never edited here.
import {
  customerIdForPhone,
  DomainError,
  isOwnerIntent,
  isStoreIntent,
  MINUTE,
  parseInstant,
  type Actor,
  type AnswerBody,
  type CustomerIntentDoc,
  type IntentDoc,
  type StoreIntentDoc,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import type { BookingRow } from '../booking/booking-records';
import { answerWalletTopUp } from '../wallet/wallet-intents';
import { answerCouponClaim, answerMemberJoin, answerReferral } from '../coupons/coupon-intents';
import { eraseCustomer } from './customer-erasure';
import { answerTeaOrder } from '../menu/menu-intents';
import { refusal, save, stored } from './intent-answers';
import { answerOwner } from './owner-answers';

/**
 * The booking an online intent is about, if the intent's customer booked it online. A kiosk or
 * counter booking carries the id of the phone typed in there, unverified: its customer sees it
 * under "my orders", but its door, extension and refund stay with the store, or a mistyped number
 * would hand a stranger the door of an occupied room.
 */
function ownBooking(
  hub: Hub,
  intent: CustomerIntentDoc,
  bookingId: string,
  customerIdKey: string | undefined,
): { row: BookingRow } | { refusal: string } {
  const row = hub.records.find(bookingId);
  if (row?.customer_id && row.customer_id === intent.customerId) return { row };
  if (
    row &&
    !row.customer_id &&
    customerIdKey !== undefined &&
    customerIdForPhone(row.customer_phone, customerIdKey) === intent.customerId
  ) {
    return { refusal: 'booked at the store: ask the store for the door, an extension or a refund' };
  }
  return { refusal: 'no such booking for this customer' };
}

/**
 * Decides an intent the cloud signed. `customerIdKey` (the key customer ids are made with) lets a
 * customer asking about a booking made at the kiosk with their phone be told why they are refused.
 */
export async function answerIntent(
  hub: Hub,
  intent: IntentDoc,
  customerIdKey?: string,
): Promise<AnswerBody> {
  const first = stored(hub, intent.intentId);
  if (first) return first;
  if (isOwnerIntent(intent)) return answerOwner(hub, intent);
  if (isStoreIntent(intent)) return answerStore(hub, intent);
  const customer: Actor = { kind: 'customer', id: `cloud:${intent.customerId}` };
  const theirs = (bookingId: string) => ownBooking(hub, intent, bookingId, customerIdKey);

  if (intent.kind === 'door_open') {
    const own = theirs(intent.body.bookingId);
    let answer: AnswerBody;
    if ('refusal' in own) answer = { outcome: 'refused', reason: own.refusal };
    else {
      const { row } = own;
      try {
        await hub.doors.openForBooking(row.id, { kind: 'customer', id: row.customer_phone });
        answer = { outcome: 'opened', bookingId: row.id };
      } catch (e) {
        answer = { outcome: 'refused', reason: refusal(e), bookingId: row.id };
      }
    }
    return hub.writes.run(() => stored(hub, intent.intentId) ?? save(hub, intent, answer));
  }

  return hub.writes.run((afterCommit) => {
    const again = stored(hub, intent.intentId);
    if (again) return again;
    /**
     * Does `effect` and stores its answer, or, when the store refuses, undoes everything the
     * effect did and stores the refusal: the decision is kept either way, the half-effect never.
     */
    const decide = (bookingId: string | undefined, effect: () => AnswerBody): AnswerBody => {
      hub.db.exec('SAVEPOINT intent');
      try {
        const answer = effect();
        hub.db.exec('RELEASE intent');
        return save(hub, intent, answer);
      } catch (e) {
        hub.db.exec('ROLLBACK TO intent');
        hub.db.exec('RELEASE intent');
        if (!(e instanceof DomainError)) throw e;
        return save(hub, intent, {
          outcome: 'rejected',
          reason: refusal(e),
          ...(bookingId ? { bookingId } : {}),
        });
      }
    };
    const notYours = (reason: string) => save(hub, intent, { outcome: 'rejected', reason });
    const priceCheck = (asked: number, costs: number) => {
      if (asked !== costs)
        throw new DomainError(
          'conflict',
          'price_changed',
          `the price is now ${costs} fen, not ${asked}`,
        ).with({ price: costs });
    };

    switch (intent.kind) {
      case 'booking_request': {
        const { booking, payment } = intent.body;
        // The booking and the money the cloud took for it land together, or neither does.
        return decide(undefined, () => {
          const view = hub.bookings.create(booking, customer, afterCommit);
          hub.records.linkIntent(view.id, intent.customerId, intent.intentId);
          if (!payment) {
            // Held unpaid, as at the counter: the slot is the customer's until the hold ends.
            return {
              outcome: 'held',
              bookingId: view.id,
              ...(view.holdExpiresAt ? { holdUntil: view.holdExpiresAt } : {}),
            };
          }
          priceCheck(payment.amount, view.total);
          if (payment.amount > 0)
            hub.payments.recordCloudPayment(
              view.id,
              payment.paymentId,
              payment.amount,
              afterCommit,
            );
          return { outcome: 'confirmed', bookingId: view.id };
        });
      }
      case 'booking_payment': {
        const own = theirs(intent.body.bookingId);
        if ('refusal' in own) return notYours(own.refusal);
        const { row } = own;
        const { payment } = intent.body;
        return decide(row.id, () => {
          // Only a hold still standing is paid: one that ended let the slot go.
          if (row.status !== 'pending_payment') {
            throw new DomainError(
              'conflict',
              'hold_ended',
              `the booking is ${row.status}: the hold ended before it was paid`,
            );
          }
          priceCheck(payment.amount, hub.views.detail(row.id).due);
          hub.payments.recordCloudPayment(row.id, payment.paymentId, payment.amount, afterCommit);
          return { outcome: 'confirmed', bookingId: row.id };
        });
      }
      case 'extension': {
        const own = theirs(intent.body.bookingId);
        if ('refusal' in own) return notYours(own.refusal);
        const { row } = own;
        return decide(row.id, () => {
          const minutes = Math.round((parseInstant(intent.body.end) - row.end_at) / MINUTE);
          // Its customer is proven above (the intent's signer owns the booking).
          const ext = hub.extensions.extend(
            row.id,
            minutes,
            { ...customer, proven: row.id },
            afterCommit,
          );
          const pay = intent.body.payment;
          if (pay && pay.amount > 0) {
            priceCheck(pay.amount, ext.amount);
            hub.payments.recordCloudPayment(row.id, pay.paymentId, pay.amount, afterCommit);
          }
          return { outcome: 'confirmed', bookingId: row.id };
        });
      }
      case 'booking_change': {
        const own = theirs(intent.body.bookingId);
        if ('refusal' in own) return notYours(own.refusal);
        const { row } = own;
        return decide(row.id, () => {
          // As the counter changes it, by the same rules, fee and free-slot check, audited as
          // the customer; a cheaper time refunds the difference less the fee the way refunds go.
          // A dearer time is paid by the difference the cloud holds, recorded on the booking's
          // ledger in this same write: exactly the amount due, or the whole step rolls back and
          // the cloud gives the money back. Without a payment a dearer time is refused.
          if (row.status !== 'paid') {
            throw new DomainError(
              'conflict',
              'illegal_transition',
              `only a paid booking can be changed online; this one is ${row.status}`,
            );
          }
          const { roomId, start, end, expectedFee, payment } = intent.body;
          const before = hub.ledger.balanceOf(row).refundable;
          const actor: Actor = { kind: 'customer', id: row.customer_phone };
          let paid = 0;
          try {
            hub.bookings.change(
              row.id,
              { ...(roomId ? { roomId } : {}), start, end, expectedFee, reason: 'changed online' },
              actor,
              afterCommit,
              payment
                ? (due) => {
                    priceCheck(payment.amount, due);
                    hub.payments.recordCloudPayment(
                      row.id,
                      payment.paymentId,
                      payment.amount,
                      afterCommit,
                    );
                    paid = payment.amount;
                  }
                : undefined,
            );
          } catch (e) {
            if (!(e instanceof DomainError) || e.code !== 'difference_due') throw e;
            throw new DomainError(
              'conflict',
              'change_costs_more',
              'the new time costs more than was paid; cancel and book again, or ask the store',
            );
          }
          // Money held for a difference the new time no longer has is not kept: given back.
          if (payment && paid === 0) priceCheck(payment.amount, 0);
          if (paid > 0) return { outcome: 'confirmed', bookingId: row.id, fee: expectedFee };
          const refund = Math.max(
            0,
            before - hub.ledger.balanceOf(hub.records.get(row.id)).refundable,
          );
          return { outcome: 'done', bookingId: row.id, fee: expectedFee, refund };
        });
      }
      case 'refund_request': {
        const own = theirs(intent.body.bookingId);
        if ('refusal' in own) return notYours(own.refusal);
        const { row } = own;
        return decide(row.id, () => {
          const actor: Actor = { kind: 'customer', id: row.customer_phone };
          // A hold not paid yet is let go, as at the counter; before the start a refund is a
          // cancellation by the rules, at the fee the customer was shown (or refused, naming the
          // new one); after it, staff review it.
          const held = row.status === 'pending_payment';
          if (held || (row.status === 'paid' && hub.clock.now() < row.start_at)) {
            const { expectedFee } = intent.body;
            const shown = hub.views.detail(row.id).ifNow.cancel;
            hub.bookings.cancel(
              row.id,
              actor,
              intent.body.reason,
              afterCommit,
              held ? undefined : expectedFee,
            );
            return {
              outcome: 'done',
              bookingId: row.id,
              ...(shown ? { fee: shown.fee, refund: shown.refund } : {}),
            };
          }
          hub.refundReview.request(row.id, intent.body, actor, afterCommit);
          return { outcome: 'done', bookingId: row.id, underReview: true };
        });
      }
      case 'review': {
        const own = theirs(intent.body.bookingId);
        const row = 'row' in own ? own.row : null;
        if (!row || row.status !== 'completed') {
          return save(hub, intent, {
            outcome: 'rejected',
            reason: 'only a completed booking of yours can be reviewed',
          });
        }
        return save(hub, intent, { outcome: 'done', bookingId: row.id });
      }
      case 'profile_edit':
        // Profiles live in the cloud; the store only acknowledges it has seen the change.
        return save(hub, intent, { outcome: 'done' });
      case 'voucher_issued': {
        // A voucher the cloud sold for this store: kept with its buyer's phone, so the store
        // knows it before it is first scanned. One that does not check is not kept.
        const { pass, phone } = intent.body;
        hub.vouchers.accept(pass, phone);
        if (!hub.vouchers.find(pass.id))
          return notYours('not a voucher of this store signed by the cloud');
        // A customer brought by another pays for the first time: the one who brought them is
        // rewarded now (nothing when nobody did).
        if (phone) hub.coupons.referredPaid(phone);
        return save(hub, intent, { outcome: 'done' });
      }
      case 'voucher_refund': {
        // The store alone knows whether it was used: marked refunded here (never redeemable
        // again) before the cloud pays anything back, or refused with the reason.
        const done = hub.vouchers.refundForCloud(intent.body.pass);
        return done.ok
          ? save(hub, intent, { outcome: 'done' })
          : notYours(done.reason.slice(0, 200));
      }
      case 'wallet_topup':
        // Credited once with the store's own package, or refused and the cloud gives it back.
        return decide(undefined, () =>
          answerWalletTopUp(hub.wallet, intent, customer, hub.clock.now()),
        );
      case 'coupon_claim':
        // Issued once within the campaign's window and limits (an exchange taking its points in
        // the same step), or refused with why.
        return decide(undefined, () => answerCouponClaim(hub.coupons, intent, customer));
      case 'member_join':
        return decide(undefined, () => answerMemberJoin(hub.members, intent, customer));
      case 'referral':
        // Brought through a share link: recorded under the referral campaigns running, the
        // newcomer's coupon now and the sharer's once the newcomer has paid; or refused with why.
        return decide(undefined, () => answerReferral(hub.coupons, hub.vouchers, intent, customer));
      case 'table_start':
        // The room held as one booking until the table fills or its deadline passes, the
        // starter's share taken with it; or refused, and the cloud gives the share back.
        return decide(undefined, () => hub.tables.start(intent, afterCommit));
      case 'table_join':
        // A seat with its share paid; the last one makes the booking paid (the table filled).
        return decide(undefined, () => hub.tables.join(intent, afterCommit));
      case 'tea_order': {
        // Placed through the store's own menu and stock, the held money in the order's ledger;
        // or refused in words (sold out, the price moved) and the cloud gives the money back.
        const own = theirs(intent.body.bookingId);
        if ('refusal' in own) return notYours(own.refusal);
        const { row } = own;
        return decide(row.id, () =>
          answerTeaOrder(
            {
              db: hub.db,
              clock: hub.clock,
              menu: hub.menu,
              stock: hub.stock,
              orders: hub.orders,
              money: hub.orderMoney,
            },
            intent,
            row.id,
            { ...customer, proven: row.id },
            afterCommit,
          ),
        );
      }
      case 'invoice_request': {
        // Recorded for the owner to issue in the tax system, once per booking while one is open.
        const own = theirs(intent.body.bookingId);
        if ('refusal' in own) return notYours(own.refusal);
        const { row } = own;
        const { title, email, amount } = intent.body;
        return decide(row.id, () => {
          hub.invoices.record(row, {
            requestId: intent.intentId,
            customerId: intent.customerId,
            title,
            email,
            amount,
          });
          return { outcome: 'done', bookingId: row.id };
        });
      }
      case 'customer_erasure':
        // The person goes; the store's accounts stay, under an id that names nobody.
        return decide(undefined, () => {
          eraseCustomer(hub, intent, customerIdKey);
          return { outcome: 'done' };
        });
    }
  });
}

/**
 * What another store of the owner asked through the cloud: one of this store's vouchers moved
 * there (never redeemable here again), or money of a shared wallet this store holds given up to
 * it (the lots it gave, which that store writes in); or refused with the code its hub is told.
 * One that expired (the other store stopped waiting) never gets here: the replicator refuses it.
 */
async function answerStore(hub: Hub, intent: StoreIntentDoc): Promise<AnswerBody> {
  return hub.writes.run(() => {
    const again = stored(hub, intent.intentId);
    if (again) return again;
    if (intent.kind === 'wallet_move') {
      const { phone, amount } = intent.body;
      try {
        const lots = hub.walletMoves.moveOut(intent.intentId, phone, amount, intent.fromStoreId);
        save(hub, intent, { outcome: 'done' });
        return { outcome: 'done', lots };
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return save(hub, intent, { outcome: 'rejected', reason: refusal(e), code: e.code });
      }
    }
    const moved = hub.vouchers.moveOut(intent.body.pass, intent.fromStoreId);
    return save(
      hub,
      intent,
      moved.ok
        ? { outcome: 'done' }
        : { outcome: 'rejected', reason: moved.reason.slice(0, 200), code: moved.code },
    );
  });
}
