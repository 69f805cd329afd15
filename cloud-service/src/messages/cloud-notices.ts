// Messages a customer hears from the cloud's own records rather than from what a store publishes:
// a booking request still waiting for its store's answer (the store offline: a connected hub
// answers within seconds), from the cloud's intent records; and an online payment the payment
// channel found paid, from the cloud's payment records (payment-facts.ts) with the customer's
// intent that names the payment; and a booking request the cloud called off at its expiry with
// no answer from the store (its money given back), from the intent records the sweeper expired.
// Each is keyed by its request or payment, so a second pass or a
// second instance makes no second message; what this instance has told is noted in memory only so
// that it is not looked up again every pass.
import {
  BookingRequestIntentSchema,
  answerDocId,
  intentDocId,
  storeDbName,
  storeInboxDbName,
} from '@roomhub/shared-types';
import type { CouchClient, CouchDoc } from '../couch';
import type { DesignDocs } from '../design-docs';
import {
  expiredEvents,
  paymentEvents,
  waitingEvents,
  type MessageEvent,
  type PaidPayment,
  type WaitingRequest,
} from './message-events';
import type { MessageStores } from './message-stores';

/** How far back payments are looked at for the customer's notice (a pay window is minutes). */
const PAID_LOOKBACK_MS = 30 * 60_000;
/** A payment no customer's intent names this long after it was paid is not one to tell. */
const PAID_UNCLAIMED_MS = 5 * 60_000;
/** How far back requests called off are looked at (the sweeper expires them within seconds). */
const EXPIRED_LOOKBACK_MS = 30 * 60_000;

/** The room and start a booking request asked for, from the request in the store's inbox. */
export async function requestedBooking(
  couch: CouchClient,
  storeId: string,
  intentId: string,
): Promise<{ roomId: string; start: string } | undefined> {
  const request = BookingRequestIntentSchema.safeParse(
    await couch.get(storeInboxDbName(storeId), intentDocId(intentId)),
  );
  if (!request.success) return undefined;
  const { roomId, start } = request.data.body.booking;
  return { roomId, start };
}

export interface CloudNoticesDeps {
  couch: CouchClient;
  clock: { now(): number };
  views: DesignDocs;
  stores: MessageStores;
  /** Makes the events' messages, once per recipient; how many were new. */
  record: (events: readonly MessageEvent[]) => Promise<number>;
  /** How long a booking request waits unanswered before its customer is told (30 s unless set). */
  waitingNoticeMs?: number;
}

export class CloudNotices {
  private readonly waitingDone = new Map<string, number>();
  private readonly paidDone = new Map<string, number>();
  private paidLookedAt: number | undefined;
  private readonly expiredDone = new Map<string, number>();
  private expiredLookedAt: number | undefined;

  constructor(private readonly d: CloudNoticesDeps) {}

  /**
   * Customers' booking requests still unanswered `waitingNoticeMs` after they were made, and not
   * yet past their expiry: each customer hears once that the store has it and confirms it once
   * back online. A request the store answered meanwhile (its answer written, though the cloud's
   * record is not settled yet) makes none.
   */
  async waitingRequests(): Promise<number> {
    const nowMs = this.d.clock.now();
    const waitMs = this.d.waitingNoticeMs ?? 30_000;
    forgetBefore(this.waitingDone, nowMs - 24 * 3_600_000);
    // Waiting intents by their expiry: those not yet expired (a payment move's rows sort first).
    const rows = await this.d.views.intents('due', {
      startkey: new Date(nowMs).toISOString(),
      includeDocs: true,
    });
    let made = 0;
    for (const row of rows) {
      const r = row.doc as (CouchDoc & Record<string, unknown>) | undefined;
      if (
        r?.type !== 'intent_record' ||
        r.kind !== 'booking_request' ||
        r.state !== 'waiting' ||
        typeof r.customerId !== 'string' ||
        typeof r.storeId !== 'string' ||
        typeof r.intentId !== 'string' ||
        typeof r.createdAt !== 'string'
      ) {
        continue;
      }
      const dueMs = Date.parse(r.createdAt) + waitMs;
      if (nowMs < dueMs || this.waitingDone.has(r._id)) continue;
      if (await this.d.couch.get(storeDbName(r.storeId), answerDocId(r.intentId))) {
        this.waitingDone.set(r._id, nowMs); // answered in time
        continue;
      }
      const words = await this.d.stores.storeWords(r.storeId);
      if (!words) continue;
      const payment = r.payment as { amount?: unknown; state?: unknown } | undefined;
      const booking = await requestedBooking(this.d.couch, r.storeId, r.intentId);
      const request: WaitingRequest = {
        intentId: r.intentId,
        customerId: r.customerId,
        ...(typeof r.expiresAt === 'string' ? { expiresAt: r.expiresAt } : {}),
        ...(typeof payment?.amount === 'number' && payment.amount > 0
          ? { held: payment.amount }
          : {}),
        ...(booking ? { booking } : {}),
      };
      made += await this.d.record(
        waitingEvents(r.storeId, request, new Date(dueMs).toISOString(), words),
      );
      this.waitingDone.set(r._id, nowMs);
    }
    return made;
  }

  /**
   * Online payments the payment channel found paid (the cloud's payment records, by when they
   * were paid): the customer whose intent names the payment hears once that it was received. A
   * payment made after its order was given up (refunded at once) makes none.
   */
  async paymentsReceived(): Promise<number> {
    const nowMs = this.d.clock.now();
    forgetBefore(this.paidDone, nowMs - 2 * PAID_LOOKBACK_MS);
    // After the first pass, only payments since shortly before the last (each is recorded within
    // seconds of being paid, and its intent a moment later).
    const since =
      this.paidLookedAt === undefined
        ? nowMs - PAID_LOOKBACK_MS
        : Math.max(
            nowMs - PAID_LOOKBACK_MS,
            Math.min(this.paidLookedAt, nowMs) - PAID_UNCLAIMED_MS,
          );
    this.paidLookedAt = nowMs;
    const rows = await this.d.views.intents('paid', {
      startkey: new Date(since).toISOString(),
      includeDocs: true,
    });
    let made = 0;
    for (const row of rows) {
      const f = row.doc as (CouchDoc & Record<string, unknown>) | undefined;
      if (
        f?.type !== 'payment' ||
        typeof f.paymentId !== 'string' ||
        typeof f.paidAt !== 'string' ||
        typeof f.amount !== 'number' ||
        this.paidDone.has(f.paymentId)
      ) {
        continue;
      }
      if (f.releasedBy === 'closed') {
        this.paidDone.set(f.paymentId, nowMs);
        continue;
      }
      const records = await this.d.views.intents('by-payment', {
        key: f.paymentId,
        includeDocs: true,
      });
      const record = records
        .map((x) => x.doc as (CouchDoc & Record<string, unknown>) | undefined)
        .find((d) => typeof d?.customerId === 'string' && typeof d.storeId === 'string');
      if (!record) {
        // Its intent not recorded yet (a moment after the payment), or no customer's intent.
        if (nowMs - Date.parse(f.paidAt) > PAID_UNCLAIMED_MS) this.paidDone.set(f.paymentId, nowMs);
        continue;
      }
      const storeId = record.storeId as string;
      const words = await this.d.stores.storeWords(storeId);
      if (!words) continue;
      const paid: PaidPayment = {
        paymentId: f.paymentId,
        amount: f.amount,
        description: typeof f.description === 'string' ? f.description : '',
        paidAt: f.paidAt,
      };
      const payer = {
        customerId: record.customerId as string,
        ...(typeof record.bookingId === 'string' ? { bookingId: record.bookingId } : {}),
      };
      made += await this.d.record(paymentEvents(storeId, paid, payer, words));
      this.paidDone.set(f.paymentId, nowMs);
    }
    return made;
  }

  /**
   * Customers' booking requests the cloud called off at their expiry because the store never
   * answered (the store offline; the sweeper gives the held money back): each customer hears once
   * that it was called off and the money goes back. A request the store answered, in time or
   * late (its answer in the store's database), makes none.
   */
  async expiredRequests(): Promise<number> {
    const nowMs = this.d.clock.now();
    forgetBefore(this.expiredDone, nowMs - 2 * EXPIRED_LOOKBACK_MS);
    const since =
      this.expiredLookedAt === undefined
        ? nowMs - EXPIRED_LOOKBACK_MS
        : Math.max(nowMs - EXPIRED_LOOKBACK_MS, Math.min(this.expiredLookedAt, nowMs) - 60_000);
    this.expiredLookedAt = nowMs;
    const rows = await this.d.views.intents('expired-requests', {
      startkey: new Date(since).toISOString(),
      includeDocs: true,
    });
    let made = 0;
    for (const row of rows) {
      const r = row.doc as (CouchDoc & Record<string, unknown>) | undefined;
      if (
        r?.type !== 'intent_record' ||
        r.kind !== 'booking_request' ||
        r.state !== 'expired' ||
        typeof r.customerId !== 'string' ||
        typeof r.storeId !== 'string' ||
        typeof r.intentId !== 'string' ||
        typeof r.updatedAt !== 'string' ||
        this.expiredDone.has(r._id)
      ) {
        continue;
      }
      if (
        r.lateAnswer ||
        (await this.d.couch.get(storeDbName(r.storeId), answerDocId(r.intentId)))
      ) {
        this.expiredDone.set(r._id, nowMs); // the store answered after all
        continue;
      }
      const words = await this.d.stores.storeWords(r.storeId);
      if (!words) continue;
      const payment = r.payment as { amount?: unknown } | undefined;
      const booking = await requestedBooking(this.d.couch, r.storeId, r.intentId);
      const request: WaitingRequest = {
        intentId: r.intentId,
        customerId: r.customerId,
        ...(typeof payment?.amount === 'number' && payment.amount > 0
          ? { held: payment.amount }
          : {}),
        ...(booking ? { booking } : {}),
      };
      // When it was called off: the expiry, so the same request always gives the same event.
      const at = typeof r.expiresAt === 'string' ? r.expiresAt : r.updatedAt;
      made += await this.d.record(expiredEvents(r.storeId, request, at, words));
      this.expiredDone.set(r._id, nowMs);
    }
    return made;
  }
}

/** Drops what was noted before `beforeMs`, so the notes stay few. */
function forgetBefore(notes: Map<string, number>, beforeMs: number): void {
  for (const [k, at] of notes) if (at < beforeMs) notes.delete(k);
}
