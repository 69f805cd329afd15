// An intent's record as the cloud keeps it in its `intents` database, `intent:<customerId>:<id>`
// (`intent:owner:<ownerId>:<id>` for an owner's, `intent:store:<storeId>:<id>` for another store's
// hub): who asked, its state, its payment hold, the hub's answer as the cloud saw it; and what the
// asker is told of it. The shapes and the telling only: the intent service (intents.ts) alone
// writes records and moves payments.
import { z } from 'zod';
import {
  OnlinePaymentMethodSchema,
  AnswerOutcomeSchema,
  IntentKindSchema,
  type AnswerDoc,
  type IntentView,
} from '@roomhub/shared-types';
import type { ZonedFormat } from '../stores/store-zones';

export const IntentStateSchema = z.enum(['waiting', 'answered', 'expired']);

const PaymentHoldSchema = z.object({
  paymentId: z.string(),
  method: OnlinePaymentMethodSchema,
  amount: z.number().int(),
  /** What the cloud has done with the hold; `pending` names the move still to be made. */
  state: z.enum(['authorised', 'captured', 'released']),
  pending: z.enum(['capture', 'release']).optional(),
});

const SeenAnswerSchema = z.object({
  outcome: AnswerOutcomeSchema,
  reason: z.string().optional(),
  bookingId: z.string().optional(),
  /** A tea order's: the order the store placed. */
  orderId: z.string().optional(),
  /** A refund request's: the fee kept and the refund, or that it is under review. */
  fee: z.number().int().optional(),
  refund: z.number().int().optional(),
  underReview: z.boolean().optional(),
  /** A booking the store holds unpaid: until when. */
  holdUntil: z.string().optional(),
  /** Why the store said no, as its error code (a voucher move's). */
  code: z.string().optional(),
  at: z.string(),
});
type SeenAnswer = z.infer<typeof SeenAnswerSchema>;

/** The answer as the cloud keeps it. */
export function seenAnswer(answer: AnswerDoc): SeenAnswer {
  return {
    outcome: answer.outcome,
    reason: answer.reason,
    bookingId: answer.bookingId,
    ...(answer.orderId ? { orderId: answer.orderId } : {}),
    ...(answer.fee !== undefined ? { fee: answer.fee } : {}),
    ...(answer.refund !== undefined ? { refund: answer.refund } : {}),
    ...(answer.underReview ? { underReview: true } : {}),
    ...(answer.holdUntil ? { holdUntil: answer.holdUntil } : {}),
    ...(answer.code ? { code: answer.code } : {}),
    at: answer.at,
  };
}

export const IntentRecordSchema = z.object({
  _id: z.string().startsWith('intent:'),
  _rev: z.string().optional(),
  type: z.literal('intent_record'),
  intentId: z.string(),
  storeId: z.string(),
  /** Who asked: a customer, an owner of the store, or another store's hub (one of the three). */
  customerId: z.string().optional(),
  ownerId: z.string().optional(),
  fromStoreId: z.string().optional(),
  kind: IntentKindSchema,
  /** The booking a door, extension, refund or review intent is about. */
  bookingId: z.string().optional(),
  state: IntentStateSchema,
  createdAt: z.string(),
  expiresAt: z.string().optional(),
  payment: PaymentHoldSchema.optional(),
  /** A booking held unpaid: the price quoted when it was asked for, which its payment is. */
  price: z.object({ amount: z.number().int().nonnegative(), description: z.string() }).optional(),
  answer: SeenAnswerSchema.optional(),
  lateAnswer: SeenAnswerSchema.optional(),
  followUpIntentId: z.string().optional(),
  updatedAt: z.string(),
});
export type IntentRecord = z.infer<typeof IntentRecordSchema>;

/**
 * Who asked for an intent: a signed-in customer, a signed-in owner of the store, or the hub of
 * another store of the same owner (proved by its CouchDB user).
 */
export type Requester = { customerId: string } | { ownerId: string } | { fromStoreId: string };

/** The part of a record's id that names who asked. */
export const askerKey = (by: Requester) =>
  'customerId' in by
    ? by.customerId
    : 'ownerId' in by
      ? `owner:${by.ownerId}`
      : `store:${by.fromStoreId}`;

export const intentRecordId = (by: Requester, intentId: string) =>
  `intent:${askerKey(by)}:${intentId}`;

/** Who asked for the intent a record is about. */
export function requesterOf(doc: IntentRecord): Requester {
  if (doc.ownerId !== undefined) return { ownerId: doc.ownerId };
  if (doc.customerId !== undefined) return { customerId: doc.customerId };
  if (doc.fromStoreId !== undefined) return { fromStoreId: doc.fromStoreId };
  throw new Error(`intent record ${doc._id} names nobody`);
}

export const OFFLINE_MESSAGE = '门店离线，等待确认 / store offline, waiting to confirm';

/** What the customer or owner is told of an intent; times in the store's zone (`at`). */
export function intentView(doc: IntentRecord, at: ZonedFormat): IntentView {
  // An owner's change the store made after the cloud stopped waiting was made all the same.
  const late = doc.ownerId !== undefined && doc.state === 'expired' ? doc.lateAnswer : undefined;
  const state: IntentView['state'] = late
    ? late.outcome
    : doc.state === 'answered' && doc.answer
      ? doc.answer.outcome
      : doc.state === 'answered'
        ? 'waiting'
        : doc.state;
  const bookingId = doc.answer?.bookingId ?? doc.bookingId;
  return {
    intentId: doc.intentId,
    kind: doc.kind,
    storeId: doc.storeId,
    state,
    ...(bookingId ? { bookingId } : {}),
    ...(doc.answer?.orderId ? { orderId: doc.answer.orderId } : {}),
    ...(doc.answer?.reason ? { reason: doc.answer.reason } : {}),
    ...(doc.answer?.fee !== undefined ? { fee: doc.answer.fee } : {}),
    ...(doc.answer?.refund !== undefined ? { refund: doc.answer.refund } : {}),
    ...(doc.answer?.underReview ? { underReview: true } : {}),
    ...(doc.answer?.holdUntil ? { holdUntil: at(doc.answer.holdUntil) } : {}),
    ...(doc.price !== undefined ? { price: doc.price.amount } : {}),
    ...(state === 'waiting' ? { message: OFFLINE_MESSAGE } : {}),
    ...(state === 'expired'
      ? {
          message:
            '门店未及时确认，已退回付款 / the store did not confirm in time; payment released',
        }
      : {}),
    ...(doc.payment ? { payment: { amount: doc.payment.amount, state: doc.payment.state } } : {}),
    createdAt: at(doc.createdAt),
    ...(doc.expiresAt ? { expiresAt: at(doc.expiresAt) } : {}),
  };
}
