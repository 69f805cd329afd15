// The hub's answers to what customers asked for online (H2). Each intent is decided once: the
// decision is stored with the intent's id in the same transaction as its effect, so a re-delivered
// intent, or one handed over again after a restart, gets the first answer and never a second
// booking. The intent document itself is the cloud's and is never edited here.
import {
  customerIdForPhone,
  DomainError,
  MINUTE,
  parseInstant,
  type Actor,
  type AnswerBody,
  type IntentDoc,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import type { BookingRow } from '../booking/booking-records';

interface Stored {
  outcome: AnswerBody['outcome'];
  reason: string | null;
  booking_id: string | null;
}

function stored(hub: Hub, intentId: string): AnswerBody | null {
  const r = hub.db
    .prepare('SELECT outcome, reason, booking_id FROM intent_answers WHERE intent_id = ?')
    .get(intentId) as Stored | undefined;
  if (!r) return null;
  return {
    outcome: r.outcome,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.booking_id ? { bookingId: r.booking_id } : {}),
  };
}

function save(hub: Hub, intent: IntentDoc, a: AnswerBody): AnswerBody {
  hub.db
    .prepare(
      'INSERT INTO intent_answers (intent_id, kind, outcome, reason, booking_id, at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(
      intent.intentId,
      intent.kind,
      a.outcome,
      a.reason ?? null,
      a.bookingId ?? null,
      hub.clock.now(),
    );
  return a;
}

const refusal = (e: unknown): string =>
  e instanceof DomainError ? e.message.slice(0, 200) : 'the store could not do this';

/**
 * The booking an online intent is about, if the intent's customer booked it online. A kiosk or
 * counter booking carries the id of the phone typed in there, unverified: its customer sees it
 * under "my orders", but its door, extension and refund stay with the store, or a mistyped number
 * would hand a stranger the door of an occupied room.
 */
function ownBooking(
  hub: Hub,
  intent: IntentDoc,
  bookingId: string,
): { row: BookingRow } | { refusal: string } {
  const row = hub.records.find(bookingId);
  if (row?.customer_id && row.customer_id === intent.customerId) return { row };
  if (row && !row.customer_id && customerIdForPhone(row.customer_phone) === intent.customerId) {
    return { refusal: 'booked at the store: ask the store for the door, an extension or a refund' };
  }
  return { refusal: 'no such booking for this customer' };
}

export async function answerIntent(hub: Hub, intent: IntentDoc): Promise<AnswerBody> {
  const first = stored(hub, intent.intentId);
  if (first) return first;
  const customer: Actor = { kind: 'customer', id: `cloud:${intent.customerId}` };

  if (intent.kind === 'door_open') {
    const own = ownBooking(hub, intent, intent.body.bookingId);
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
        );
    };

    switch (intent.kind) {
      case 'booking_request': {
        const { booking, payment } = intent.body;
        // The booking and the money the cloud took for it land together, or neither does.
        return decide(undefined, () => {
          const view = hub.bookings.create(booking, customer, afterCommit);
          hub.records.linkIntent(view.id, intent.customerId, intent.intentId);
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
      case 'extension': {
        const own = ownBooking(hub, intent, intent.body.bookingId);
        if ('refusal' in own) return notYours(own.refusal);
        const { row } = own;
        return decide(row.id, () => {
          const minutes = Math.round((parseInstant(intent.body.end) - row.end_at) / MINUTE);
          const ext = hub.extensions.extend(row.id, minutes, customer, afterCommit);
          const pay = intent.body.payment;
          if (pay && pay.amount > 0) {
            priceCheck(pay.amount, ext.amount);
            hub.payments.recordCloudPayment(row.id, pay.paymentId, pay.amount, afterCommit);
          }
          return { outcome: 'confirmed', bookingId: row.id };
        });
      }
      case 'refund_request': {
        const own = ownBooking(hub, intent, intent.body.bookingId);
        if ('refusal' in own) return notYours(own.refusal);
        const { row } = own;
        return decide(row.id, () => {
          const actor: Actor = { kind: 'customer', id: row.customer_phone };
          // Before the start a refund is a cancellation by the rules; after it, staff review it.
          if (row.status === 'paid' && hub.clock.now() < row.start_at) {
            hub.bookings.cancel(row.id, actor, intent.body.reason, afterCommit);
          } else hub.refundReview.request(row.id, intent.body, actor, afterCommit);
          return { outcome: 'done', bookingId: row.id };
        });
      }
      case 'review': {
        const own = ownBooking(hub, intent, intent.body.bookingId);
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
    }
  });
}
