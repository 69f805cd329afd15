// Customers' and owners' intents and their fate. For each intent the cloud keeps its own record
// `intent:<customerId>:<intentId>` (`intent:owner:<ownerId>:<intentId>` for an owner's) in the
// cloud-private `intents` database (state, payment hold, the hub's answer as the cloud saw it). It
// writes `intent:<id>` into the store's inbox (`storeInboxDbName`), signed (intent-signer.ts) so
// the hub can tell it is the cloud's, which the hub pulls, and reads `answer:<id>` from the store's
// database, learning of it from the change feed (answer-watch.ts) or the change follower. It
// never edits an intent after writing it and never writes a hub document. Payments move only
// here: captured on a confirmation, released on a rejection or an expiry, each through the
// idempotent channel and recorded, so a retry moves money once.
//
// The hub confirms an intent until its `expiresAt` by its own clock and refuses it after (the
// replicator says so); its answer then still has to reach CouchDB. So the cloud expires an intent
// only `expiryGraceMs` after `expiresAt`: a confirmation made at the deadline lands within the
// grace and is taken, never expired and cancelled. Two instances settling one record race on its
// revision: one write wins (answered, or expired), the other re-reads, and money moves only as
// the winning record says, through the channel's idempotent calls.
//
// A confirmation that arrives after the intent expired (the payment is already released) is
// kept as `lateAnswer`, and for a booking the cloud writes one `refund_request` intent
// (`late-<intentId>`) so the hub cancels the booking it made without charging: the cloud cannot
// cancel a hub booking itself, and the money was already given back.
import { createHash } from 'node:crypto';
import {
  CLOUD_DBS,
  DomainError,
  AnswerDocSchema,
  IntentDocSchema,
  answerDocId,
  intentDocId,
  storeDbName,
  storeInboxDbName,
  type AnswerDoc,
  type IntentDoc,
  type IntentKind,
  type Clock,
} from '@roomhub/shared-types';
import type { AnswerWatch } from './answer-watch';
import { carryOverFormerRecords } from './carry-over';
import { CustomerIntents } from './customer-intents';
import {
  askerKey,
  intentRecordId,
  IntentRecordSchema,
  requesterOf,
  seenAnswer,
  type IntentRecord,
  type Requester,
} from './intent-records';
import type { CustomerIndex } from '../orders/customers';
import type { IntentSigner } from './intent-signer';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';
import type { DesignDocs } from '../design-docs';
import { PaymentChannelError, type CloudPaymentChannel } from '../payments/payment-channel';

// The records' shapes and what an asker is told of one, for the many callers that import them here.
export {
  IntentRecordSchema,
  IntentStateSchema,
  intentRecordId,
  intentView,
  OFFLINE_MESSAGE,
  requesterOf,
  type IntentRecord,
  type Requester,
} from './intent-records';

export interface IntentServiceDeps {
  couch: CouchClient;
  payments: CloudPaymentChannel;
  /** Signs every intent written to a store's inbox. */
  signer: IntentSigner;
  clock: Clock;
  newId: () => string;
  views: DesignDocs;
  /** Tells a waiting call the moment the hub's answer lands. */
  answers: AnswerWatch;
  /** A waiting call re-reads its answer this often anyway, in case the change feed misses it. */
  answerRecheckMs?: number;
  /** How long after an expiry a late confirmation is still looked for. */
  lateWindowMs?: number;
  /**
   * How long after `expiresAt` the cloud still waits for the hub's answer to reach CouchDB before
   * it expires the intent and gives the money back (the hub stops confirming at `expiresAt`).
   */
  expiryGraceMs?: number;
  /**
   * The customer index: a customer's booking request (or table) names its store there before it
   * is sent, so "my orders" looks in that store as soon as the store's answer can be seen.
   */
  customers?: Pick<CustomerIndex, 'addMany'>;
  /** Where an error that must not fail the call is told. */
  log?: (error: unknown) => void;
}

/** The customer intents a store answers with a booking that is the customer's. */
const BOOKING_KINDS: ReadonlySet<IntentKind> = new Set(['booking_request', 'table_start']);

export interface SubmitInput {
  storeId: string;
  by: Requester;
  kind: IntentKind;
  /** The intent body, without the payment (added here when `charge` is given). */
  body: Record<string, unknown>;
  bookingId?: string;
  charge?: { amount: number; description: string };
  /** For a booking held unpaid: the quoted price its payment will be, and what it is for. */
  price?: { amount: number; description: string };
  expiresInMs?: number;
  /** The same key from the same customer (or owner) for the same kind of intent: one intent. */
  idempotencyKey?: string;
  /** A fixed intent id (e.g. one review per booking); wins over the key. */
  intentId?: string;
  /**
   * Runs once a new intent's record is written and before the intent goes to the store; throws
   * to take the intent back (its record removed, its payment released). Not run for a replay.
   */
  beforeSend?: (doc: IntentRecord) => Promise<void>;
}

export class IntentService {
  /** Set once the deals exist: their purchases' payments are theirs, not money nobody recorded. */
  claimedElsewhere: ((paymentId: string) => Promise<boolean>) | undefined;
  private readonly answerRecheckMs: number;
  private readonly lateWindowMs: number;
  private readonly expiryGraceMs: number;
  // One settle at a time per intent in this process; CouchDB revisions guard across processes.
  private readonly settling = new Map<string, Promise<IntentRecord>>();

  /** The way the cloud's channel takes money: what a customer may choose to pay by. */
  get paymentMethod(): CloudPaymentChannel['method'] {
    return this.d.payments.method;
  }

  /** What a customer's pages read of their intents. */
  readonly customer: CustomerIntents;

  constructor(private readonly d: IntentServiceDeps) {
    this.customer = new CustomerIntents(d);
    this.answerRecheckMs = d.answerRecheckMs ?? 1_000;
    this.lateWindowMs = d.lateWindowMs ?? 24 * 3_600_000;
    this.expiryGraceMs = d.expiryGraceMs ?? 0;
  }

  async init(): Promise<void> {
    await this.d.couch.requireDb(CLOUD_DBS.intents);
    await carryOverFormerRecords(this.d.couch);
  }

  /** Holds the payment, records the intent and writes it to the store's inbox; a replay returns the first. */
  async submit(input: SubmitInput): Promise<IntentRecord> {
    const intentId = this.intentIdFor(input);
    const existing = await this.readRecord(input.by, intentId);
    if (existing) return this.resend(input, existing);
    const t = this.d.clock.now();
    const expiresAt = input.expiresInMs !== undefined ? iso(t + input.expiresInMs) : undefined;
    // The payment as the intent will carry it; held below, once the intent is known to be good.
    let payment: IntentRecord['payment'] = input.charge
      ? {
          paymentId: `pay-${intentId}`.slice(0, 100),
          method: this.d.payments.method,
          amount: input.charge.amount,
          state: 'authorised',
        }
      : undefined;
    const intent = intentOf(input, intentId, iso(t), expiresAt, payment);
    // Checked before anything is recorded or paid, so a bad intent never reaches a hub.
    const checked = IntentDocSchema.safeParse(intent);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      // The path inside the intent body is the path in what the customer sent.
      const field = issue?.path.slice(2).map(String).join('.') || undefined;
      throw new DomainError(
        'bad_input',
        'invalid_input',
        `${field ?? 'body'}: ${issue?.message ?? 'invalid input'}`,
        field,
      );
    }
    if (input.charge && payment) {
      try {
        const held = await this.d.payments.authorise({
          paymentId: payment.paymentId,
          amount: input.charge.amount,
          description: input.charge.description,
        });
        payment = { ...payment, amount: held.amount, state: held.state };
      } catch (error) {
        if (!(error instanceof PaymentChannelError)) throw error;
        if (error.code === 'unavailable') {
          throw new DomainError('unavailable', 'gateway_unavailable', error.message);
        }
        throw new DomainError('payment_declined', `payment_${error.code}`, error.message);
      }
    }
    // The record first: if the intent write fails, the sweeper still expires it and releases.
    let doc: IntentRecord = {
      _id: intentRecordId(input.by, intentId),
      type: 'intent_record',
      intentId,
      storeId: input.storeId,
      ...input.by,
      kind: input.kind,
      ...(input.bookingId ? { bookingId: input.bookingId } : {}),
      state: 'waiting',
      createdAt: iso(t),
      ...(expiresAt ? { expiresAt } : {}),
      ...(payment ? { payment } : {}),
      ...(input.price !== undefined ? { price: input.price } : {}),
      updatedAt: iso(t),
    };
    try {
      doc = await this.write(doc);
    } catch (error) {
      if (!isConflict(error)) throw error;
      const first = await this.readRecord(input.by, intentId);
      if (first) return first;
      throw error;
    }
    await this.nameStore(input);
    if (input.beforeSend) {
      try {
        await input.beforeSend(doc);
      } catch (error) {
        await this.withdraw(doc);
        throw error;
      }
    }
    await this.putIntent(checked.data);
    return doc;
  }

  /**
   * A retried submit: its record was written, and the intent too unless that write failed (the
   * cloud stopped or CouchDB went away in between). While the record waits and has not expired,
   * the intent is written again as the record holds it (nothing held twice), so the store still
   * gets it and the owner's next change does not queue behind one the store never saw.
   */
  private async resend(input: SubmitInput, record: IntentRecord): Promise<IntentRecord> {
    if (record.state !== 'waiting') return record;
    if (record.expiresAt && Date.parse(record.expiresAt) <= this.d.clock.now()) return record;
    const intent = intentOf(
      input,
      record.intentId,
      record.createdAt,
      record.expiresAt,
      record.payment,
    );
    if (!IntentDocSchema.safeParse(intent).success) return record;
    await this.nameStore(input);
    // What the first try checked before sending (one owner change under way at a time) is
    // checked again: the first try may still be checking, or have been refused by it.
    if (input.beforeSend) await input.beforeSend(record);
    // Answered meanwhile (its intent may already be gone from the inbox): not written again.
    const now = await this.readRecord(input.by, record.intentId);
    if (now?.state !== 'waiting') return now ?? record;
    await this.putIntent(intent);
    return now;
  }

  /**
   * Once its fate is known, removes from the store's inbox an intent whose body is heavy or
   * personal and is read by nobody after the store's answer: an invoice's PDF (up to 2.8 MB),
   * the customers' phones an owner gave coupons to. The record and the answer stay; the store
   * kept what it needed when it answered, and an expired one must not be made anyway.
   */
  private async dropBody(doc: IntentRecord): Promise<void> {
    if (!BODY_DROPPED_ONCE_SETTLED.has(doc.kind)) return;
    const db = storeInboxDbName(doc.storeId);
    // Best effort: a removal that fails leaves the intent as it was before (kept), and never stands
    // in the way of the answer the owner waits for.
    await this.d.couch
      .get(db, intentDocId(doc.intentId))
      .then((intent) =>
        intent?._rev
          ? this.d.couch.put(db, { _id: intent._id, _rev: intent._rev, _deleted: true })
          : undefined,
      )
      .catch(() => undefined);
  }

  /** Takes back an intent never sent: releases its payment and removes its record. */
  private async withdraw(doc: IntentRecord): Promise<void> {
    // The record first: a retry must not find it waiting and send what was taken back. A hold
    // left when the release then fails is nobody's, and the sweep gives it back.
    await this.d.couch.put(CLOUD_DBS.intents, { _id: doc._id, _rev: doc._rev, _deleted: true });
    if (doc.payment) await this.d.payments.release(doc.payment.paymentId);
  }

  /** Owners' intents still waiting for this store's answer, oldest first, at most `limit`. */
  async ownersWaiting(storeId: string, limit: number): Promise<{ intentId: string }[]> {
    const rows = await this.d.views.intents('owner-waiting-by-store', {
      startkey: [storeId],
      endkey: [storeId, {}],
      limit,
    });
    return rows.flatMap((r) =>
      Array.isArray(r.key) && typeof r.key[2] === 'string' ? [{ intentId: r.key[2] }] : [],
    );
  }

  /** Waits up to `waitMs` for the hub's answer; returns the record as it then stands. */
  async waitForAnswer(doc: IntentRecord, waitMs: number): Promise<IntentRecord> {
    if (doc.state !== 'waiting') return this.settle(doc);
    // The wait is a caller's HTTP request held open: it runs on the wall clock, not the service's.
    const deadline = Date.now() + waitMs;
    const waiter = this.d.answers.watch(doc.storeId, doc.intentId);
    try {
      // Read only once the feed is open, so an answer is either read now or reported later.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        waiter.ready,
        new Promise((r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now())))),
      ]);
      clearTimeout(timer);
      let current = await this.settle(doc);
      while (current.state === 'waiting' && Date.now() < deadline && !waiter.closed) {
        await waiter.next(Math.min(this.answerRecheckMs, deadline - Date.now()));
        current = await this.settle(current);
      }
      return current;
    } finally {
      waiter.stop();
    }
  }

  /**
   * Settles the intent an answer in the store's database is about, when the cloud made it;
   * true when that moved the intent on.
   */
  async settleAnswered(storeId: string, intentId: string): Promise<boolean> {
    const rows = await this.d.views.intents('by-intent', { key: intentId, includeDocs: true });
    let moved = false;
    for (const row of rows) {
      const parsed = IntentRecordSchema.safeParse(row.doc);
      if (!parsed.success || parsed.data.storeId !== storeId) continue;
      const after = await this.settle(parsed.data);
      if (after._rev !== parsed.data._rev) moved = true;
    }
    return moved;
  }

  async get(by: Requester, intentId: string): Promise<IntentRecord | undefined> {
    const doc = await this.readRecord(by, intentId);
    return doc ? this.settle(doc) : undefined;
  }

  /**
   * Writes the customer index's pair for a customer's request that makes a booking, before it
   * goes: the follower writes it too, but only once the booking has replicated, and the customer
   * may open "my orders" the moment the answer is seen. A failed write is only logged: the
   * follower's catches up, and the request must not fail for it.
   */
  private async nameStore(input: SubmitInput): Promise<void> {
    if (!this.d.customers || !('customerId' in input.by) || !BOOKING_KINDS.has(input.kind)) return;
    try {
      await this.d.customers.addMany(
        [{ customerId: input.by.customerId, storeId: input.storeId }],
        this.d.clock.now(),
      );
    } catch (error) {
      this.d.log?.(error);
    }
  }

  /** The record of the intent a payment of the cloud's was held for, if the cloud made one. */
  async byPayment(paymentId: string): Promise<IntentRecord | undefined> {
    const rows = await this.d.views.intents('by-payment', { key: paymentId, includeDocs: true });
    for (const row of rows) {
      const parsed = IntentRecordSchema.safeParse(row.doc);
      if (parsed.success && parsed.data.payment?.paymentId === paymentId) return parsed.data;
    }
    return undefined;
  }

  /**
   * One pass over the intents that are due: expires overdue ones (releasing their payments,
   * or settling them if the answer came after all) and finishes interrupted payment moves, the
   * channel's own too (a hold nobody recorded is given back: not an intent's, not a purchase's).
   * Answers, late ones included, are settled as they arrive by the change follower.
   */
  async sweep(): Promise<{ settled: number; expired: number }> {
    const rows = await this.d.views.intents('due', {
      endkey: iso(this.d.clock.now() - this.expiryGraceMs),
      includeDocs: true,
    });
    let settled = 0;
    let expired = 0;
    for (const row of rows) {
      const parsed = IntentRecordSchema.safeParse(row.doc);
      if (!parsed.success) continue;
      const after = await this.settle(parsed.data);
      if (after.state !== parsed.data.state) {
        if (after.state === 'expired') expired += 1;
        else settled += 1;
      }
    }
    const recorded = async (id: string) => (await this.byPayment(id)) !== undefined;
    await this.d.payments.sweep?.(
      async (id) => (await recorded(id)) || !!(await this.claimedElsewhere?.(id)),
    );
    return { settled, expired };
  }

  /**
   * The intent an idempotency key already made, settled, if any: a retried tap gets the first
   * answer even when what the cloud checks before submitting has changed since.
   */
  async replay(
    input: Pick<SubmitInput, 'storeId' | 'by' | 'kind' | 'idempotencyKey'>,
  ): Promise<IntentRecord | undefined> {
    if (!input.idempotencyKey) return undefined;
    return this.get(input.by, this.intentIdFor(input));
  }

  private intentIdFor(
    input: Pick<SubmitInput, 'storeId' | 'by' | 'kind' | 'idempotencyKey' | 'intentId'>,
  ): string {
    if (input.intentId) return input.intentId;
    if (!input.idempotencyKey) return this.d.newId();
    const hash = createHash('sha256')
      .update(`${askerKey(input.by)}\n${input.storeId}\n${input.kind}\n${input.idempotencyKey}`)
      .digest('hex');
    return `k${hash.slice(0, 31)}`;
  }

  private async readAnswer(storeId: string, intentId: string): Promise<AnswerDoc | undefined> {
    const raw = await this.d.couch.get(storeDbName(storeId), answerDocId(intentId));
    const parsed = AnswerDocSchema.safeParse(raw);
    return parsed.success && parsed.data.intentId === intentId ? parsed.data : undefined;
  }

  private async readRecord(by: Requester, intentId: string): Promise<IntentRecord | undefined> {
    const raw = await this.d.couch.get(CLOUD_DBS.intents, intentRecordId(by, intentId));
    const parsed = IntentRecordSchema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  }

  private async write(doc: IntentRecord): Promise<IntentRecord> {
    const next = { ...doc, updatedAt: iso(this.d.clock.now()) };
    const rev = await this.d.couch.put(CLOUD_DBS.intents, next as CouchDoc);
    return { ...next, _rev: rev };
  }

  /**
   * Carries out a pending payment move and records it; safe to repeat. A gateway that does not
   * answer leaves the move pending, for the sweeper to finish.
   */
  private async finishPayment(doc: IntentRecord): Promise<IntentRecord> {
    const hold = doc.payment;
    if (!hold?.pending) return doc;
    let record;
    try {
      record =
        hold.pending === 'capture'
          ? await this.d.payments.capture(hold.paymentId)
          : await this.d.payments.release(hold.paymentId);
    } catch (error) {
      if (error instanceof PaymentChannelError && error.code === 'unavailable') return doc;
      throw error;
    }
    return this.write({ ...doc, payment: { ...hold, state: record.state, pending: undefined } });
  }

  private async settleOnce(doc: IntentRecord): Promise<IntentRecord> {
    if (doc.payment?.pending) return this.finishPayment(doc);
    const t = this.d.clock.now();
    if (doc.state === 'waiting') {
      const answer = await this.readAnswer(doc.storeId, doc.intentId);
      if (answer) {
        const seen = seenAnswer(answer);
        const ok = answer.outcome === 'confirmed';
        const payment = doc.payment
          ? { ...doc.payment, pending: ok ? ('capture' as const) : ('release' as const) }
          : undefined;
        const answered = await this.write({
          ...doc,
          state: 'answered',
          answer: seen,
          ...(payment ? { payment } : {}),
        });
        await this.dropBody(answered);
        return this.finishPayment(answered);
      }
      if (doc.expiresAt && Date.parse(doc.expiresAt) + this.expiryGraceMs <= t) {
        const payment = doc.payment ? { ...doc.payment, pending: 'release' as const } : undefined;
        const expired = await this.write({
          ...doc,
          state: 'expired',
          ...(payment ? { payment } : {}),
        });
        await this.dropBody(expired);
        return this.finishPayment(expired);
      }
      return doc;
    }
    if (
      doc.state === 'expired' &&
      !doc.lateAnswer &&
      doc.expiresAt &&
      t - Date.parse(doc.expiresAt) < this.lateWindowMs
    ) {
      const answer = await this.readAnswer(doc.storeId, doc.intentId);
      if (!answer) return doc;
      const late = seenAnswer(answer);
      let followUpIntentId: string | undefined;
      if (
        // A table started after the cloud gave the starter's share back: the store lets it go.
        (doc.kind === 'booking_request' || doc.kind === 'table_start') &&
        doc.customerId !== undefined &&
        answer.outcome === 'confirmed' &&
        answer.bookingId
      ) {
        followUpIntentId = `late-${doc.intentId}`.slice(0, 100);
        await this.putIntent({
          _id: intentDocId(followUpIntentId),
          type: 'intent',
          intentId: followUpIntentId,
          storeId: doc.storeId,
          customerId: doc.customerId,
          createdAt: iso(t),
          kind: 'refund_request',
          body: {
            bookingId: answer.bookingId,
            reason: 'confirmed after the intent expired; the payment was already released',
          },
        });
      }
      return this.write({
        ...doc,
        lateAnswer: late,
        ...(followUpIntentId ? { followUpIntentId } : {}),
      });
    }
    return doc;
  }

  /** Moves an intent on if its answer came or it expired; concurrent callers share one run. */
  private settle(doc: IntentRecord): Promise<IntentRecord> {
    const running = this.settling.get(doc._id);
    if (running) return running;
    const run = (async () => {
      let current = doc;
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await this.settleOnce(current);
        } catch (error) {
          if (!isConflict(error) || attempt >= 4) throw error;
          const fresh = await this.readRecord(requesterOf(current), current.intentId);
          if (!fresh) throw error;
          current = fresh;
        }
      }
    })().finally(() => this.settling.delete(doc._id));
    this.settling.set(doc._id, run);
    return run;
  }

  /** Signs the intent and writes it to its store's inbox, once. */
  private async putIntent(intent: IntentDoc): Promise<void> {
    const checked = IntentDocSchema.parse(intent);
    const signed = this.d.signer.sign(checked as unknown as CouchDoc);
    try {
      await this.d.couch.put(storeInboxDbName(checked.storeId), signed);
    } catch (error) {
      // Already written by an earlier try of the same submit: intents are never rewritten.
      if (!isConflict(error)) throw error;
    }
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Kinds whose intent leaves the store's inbox once answered or expired (see `dropBody`). */
const BODY_DROPPED_ONCE_SETTLED = new Set<string>(['invoice_issue', 'coupon_give']);

/** The intent a submit writes to the store's inbox, its payment as the record holds it. */
function intentOf(
  input: SubmitInput,
  intentId: string,
  createdAt: string,
  expiresAt: string | undefined,
  payment: IntentRecord['payment'],
): IntentDoc {
  return {
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId: input.storeId,
    ...input.by,
    createdAt,
    ...(expiresAt ? { expiresAt } : {}),
    kind: input.kind,
    body: payment
      ? {
          ...input.body,
          payment: { paymentId: payment.paymentId, method: payment.method, amount: payment.amount },
        }
      : input.body,
  } as IntentDoc;
}

export type { IntentKind };
