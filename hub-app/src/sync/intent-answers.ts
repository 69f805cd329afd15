// The one decision the hub keeps for each intent it answers (`intent_answers`): written in the same
// transaction as the intent's effect, and read back when the same intent is handed over again, so
// it is told the first answer and nothing is done twice. Owns `intent_answers`; decides nothing.
import { DomainError, type AnswerBody, type IntentDoc } from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { teaOrderOf } from '../menu/menu-intents';

interface Stored {
  kind: string;
  outcome: AnswerBody['outcome'];
  reason: string | null;
  booking_id: string | null;
  code: string | null;
}

export function stored(hub: Hub, intentId: string): AnswerBody | null {
  const r = hub.db
    .prepare(
      'SELECT kind, outcome, reason, booking_id, code FROM intent_answers WHERE intent_id = ?',
    )
    .get(intentId) as Stored | undefined;
  if (!r) return null;
  return {
    outcome: r.outcome,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.booking_id ? { bookingId: r.booking_id } : {}),
    ...(r.code ? { code: r.code } : {}),
    ...(r.kind === 'refund_request' && r.outcome === 'done' && r.booking_id
      ? refundTold(hub, r.booking_id)
      : {}),
    ...(r.kind === 'wallet_move' && r.outcome === 'done'
      ? { lots: hub.walletMoves.movedOutBy(intentId) }
      : {}),
    ...(r.kind === 'tea_order' && r.outcome === 'confirmed'
      ? { orderId: teaOrderOf(hub.db, intentId) }
      : {}),
  };
}

/**
 * What a refund request the store granted came to, told again when the intent is handed over
 * again: the fee and refund its cancellation recorded, or that it is under review.
 */
function refundTold(
  hub: Hub,
  bookingId: string,
): Pick<AnswerBody, 'fee' | 'refund' | 'underReview'> {
  const history = hub.records.history(bookingId, hub.store.getStore().timeZone);
  const cancelled = history.findLast((h) => h.action === 'cancel');
  const data = cancelled?.data as { fee?: unknown; refund?: unknown } | null | undefined;
  if (typeof data?.fee === 'number' && typeof data.refund === 'number') {
    return { fee: data.fee, refund: data.refund };
  }
  return cancelled ? {} : { underReview: true };
}

export function save(hub: Hub, intent: IntentDoc, a: AnswerBody): AnswerBody {
  hub.db
    .prepare(
      'INSERT INTO intent_answers (intent_id, kind, outcome, reason, booking_id, code, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      intent.intentId,
      intent.kind,
      a.outcome,
      a.reason ?? null,
      a.bookingId ?? null,
      a.code ?? null,
      hub.clock.now(),
    );
  return a;
}

export const refusal = (e: unknown): string =>
  e instanceof DomainError ? e.message.slice(0, 200) : 'the store could not do this';
