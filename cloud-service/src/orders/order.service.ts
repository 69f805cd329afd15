// A signed-in customer's orders and what they may ask about them online: book (a booking
// request), cancel, refund, open the door, extend, review, and see how each intent fared. Owns the
// rules the cloud applies before it writes an intent (which statuses allow which intent, a booking
// made at the store stays with the store, one review per booking, the price of an extension); the
// hub still decides each intent. Never writes a hub document and never moves money itself: the
// intent service holds and settles payments.
import {
  customerIdForPhone,
  BOOKING_TRANSITIONS,
  DomainError,
  notFound,
  type BookingDoc,
  type BookingStatus,
  type IntentView,
  type MyMemberships,
  type MyOrders,
  type MyOrdersQuery,
  type OrderDetail,
  type QuoteView,
  type CouponOffer,
} from '@roomhub/shared-types';
import type { z } from 'zod';
import type {
  BookingBodySchema,
  ChangeBodySchema,
  ChangeQuoteQuerySchema,
  ChangeQuoteView,
  ExtendBodySchema,
  RefundBodySchema,
  ReviewBodySchema,
} from '@roomhub/shared-types';
import { customerIds, type CustomerIdentity } from '../auth/tokens';
import { spenderPhone } from '../coupons/cloud-coupons';
import {
  intentView,
  requesterOf,
  type IntentRecord,
  type IntentService,
  type Requester,
} from '../intents/intents';
import { refuseUnapplied, type OnlineOffers } from '../stores/quotes';
import { assertCloudTakes } from '../payments/payment-methods';
import { quoteChange } from './change-quote';
import type { StoreService } from '../stores/store.service';
import type { StoreZones } from '../stores/store-zones';
import { levelDiscount, publicDoc, type CustomerOrders } from './orders';

export interface OrderServiceDeps {
  intents: IntentService;
  orders: CustomerOrders;
  stores: StoreService;
  /** Times in answers are in the store's zone. */
  zones: StoreZones;
  /**
   * How long a payment is held for the store's answer before the request expires and the money
   * goes back: the platform's setting unless the deployment fixed it; read at each request.
   */
  confirmTimeoutMs: () => Promise<number>;
  /** A door-open intent not answered within this expires: a door must not open minutes later. */
  doorTimeoutMs: number;
  /** How long a booking waits for the hub's answer before it is answered as waiting. */
  answerWaitMs: number;
  /** How long a door, extension, refund or review waits for the answer. */
  intentWaitMs: number;
  /** The key customer ids are made with: a booking's phone names the member the store knows. */
  customerIdKey: string;
  /**
   * The coupons and points a customer's phone puts on a booking, checked against what the store
   * published (coupons/cloud-coupons.ts); none without it.
   */
  /** The coupons a booking holds, as its store published them; none without it. */
  heldCoupons?: (
    storeId: string,
    bookingId: string,
    customerIds: readonly string[],
  ) => Promise<CouponOffer[]>;
  offers?: (
    storeId: string,
    phone: string,
    couponIds: readonly string[],
    points: number | undefined,
  ) => Promise<OnlineOffers>;
}

type OrderAction = 'cancel' | 'refund' | 'door' | 'extend' | 'change' | 'review';

/**
 * The statuses in which a customer may ask for each: cancel, refund and extend as the order state
 * machine allows them; the door while the booking is paid or in use; a review once it is done.
 */
const ALLOWED: Record<OrderAction, { from: readonly BookingStatus[]; what: string }> = {
  cancel: { from: BOOKING_TRANSITIONS.cancel.from, what: 'cancel' },
  refund: { from: BOOKING_TRANSITIONS.request_refund.from, what: 'refund' },
  door: { from: ['paid', 'in_use'], what: 'open the door of' },
  extend: { from: BOOKING_TRANSITIONS.extend.from, what: 'extend' },
  // Online only a paid booking not started yet moves (a hold is paid first, or let go).
  change: { from: ['paid'], what: 'change' },
  review: { from: ['completed'], what: 'review' },
};

/**
 * Who asks about a booking: the customer under the id the booking carries, so the hub (which
 * compares the two) knows its own customer also when the booking was made before ids were keyed.
 */
const askedAs = (who: CustomerIdentity, b: BookingDoc): Requester => ({
  customerId:
    b.customerId !== undefined && customerIds(who).includes(b.customerId)
      ? b.customerId
      : who.customerId,
});

export class OrderService {
  constructor(private readonly d: OrderServiceDeps) {}

  /** Holds the payment and asks the store for the booking; waits a moment for its answer. */
  book(
    who: CustomerIdentity,
    body: z.output<typeof BookingBodySchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    return this.request(who, body, 'now', idempotencyKey);
  }

  /**
   * The first of two steps, as at the store's counter: checked and priced as `book` is, then the
   * store holds the slot unpaid (`held`, until `holdUntil`); no money moves until `pay`. A slot
   * someone else has is refused before the customer pays anything.
   */
  hold(
    who: CustomerIdentity,
    body: z.output<typeof BookingBodySchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    return this.request(who, body, 'later', idempotencyKey);
  }

  /** A booking request, paid with it (`now`) or once the store holds the slot (`later`). */
  private async request(
    who: CustomerIdentity,
    body: z.output<typeof BookingBodySchema>,
    pay: 'now' | 'later',
    idempotencyKey?: string,
  ): Promise<IntentView> {
    const customerPhone = who.phone ?? body.phone;
    if (!customerPhone) {
      throw new DomainError(
        'bad_input',
        'invalid_input',
        'phone: give a phone to book with',
        'phone',
      );
    }
    // A way to pay not offered where the customer is, or not taken here, is refused before
    // anything is held.
    if (body.method !== undefined) {
      assertCloudTakes(body.surface ?? 'h5', body.method, [this.d.intents.paymentMethod]);
    }
    const found = await this.d.stores.bookableRoom(body.storeId, body.roomId);
    await this.d.stores.mustTakeOnlineBookings(body.storeId);
    const { store, room } = found;
    // Checked and priced as the store will: with the level (its discount, its longer booking
    // window) the store published for the booking's phone.
    const member = await this.d.orders.memberOf(
      store.storeId,
      customerIdForPhone(customerPhone, this.d.customerIdKey),
    );
    // Coupons and points only of the signed-in phone: naming another's never spends theirs.
    const couponIds = body.couponIds ?? [];
    const spender = spenderPhone(who, couponIds, body.points);
    const offers =
      spender !== undefined && this.d.offers
        ? await this.d.offers(store.storeId, spender, couponIds, body.points)
        : {};
    // Refused here at once when the hub would refuse it: no payment is held, no intent written.
    const quote = this.d.stores.priceBooking(
      found,
      body,
      body.partySize,
      levelDiscount(member),
      member?.privileges?.extraBookingDays ?? 0,
      offers,
    );
    refuseUnapplied(quote);
    const price = { amount: quote.total, description: `${store.name} · ${room.name}` };
    const doc = await this.d.intents.submit({
      storeId: store.storeId,
      by: { customerId: who.customerId },
      kind: 'booking_request',
      body: {
        booking: {
          roomId: room.roomId,
          start: body.start,
          ...(body.packageId !== undefined ? { packageId: body.packageId } : { end: body.end }),
          partySize: body.partySize,
          customer: { phone: customerPhone, ...(body.name ? { name: body.name } : {}) },
          // The store applies them when it confirms, or refuses with why (a coupon used since).
          ...(offers.coupons?.length ? { couponIds: offers.coupons.map((c) => c.id) } : {}),
          ...(offers.points !== undefined ? { points: offers.points } : {}),
        },
      },
      ...(pay === 'now' ? { charge: price } : { price }),
      expiresInMs: await this.d.confirmTimeoutMs(),
      // A key used to book and to hold names two requests, not one.
      ...(idempotencyKey
        ? { idempotencyKey: pay === 'now' ? idempotencyKey : `hold:${idempotencyKey}` }
        : {}),
    });
    return this.answered(doc, this.d.answerWaitMs);
  }

  /**
   * The second step: holds the held booking's price and asks the store to take it. Once per
   * hold (a second call is the first); a hold that ended is refused by the store, and the money
   * given back.
   */
  async pay(who: CustomerIdentity, bookingId: string): Promise<IntentView> {
    const mine = await this.d.intents.customer.aboutBooking(customerIds(who), bookingId);
    const held = mine.find(
      (r) =>
        r.kind === 'booking_request' &&
        r.answer?.outcome === 'held' &&
        r.answer.bookingId === bookingId,
    );
    if (!held || held.price === undefined) {
      const paidBefore = mine.find(
        (r) => r.kind === 'booking_payment' && r.bookingId === bookingId,
      );
      if (paidBefore) return this.view(paidBefore);
      throw new DomainError(
        'conflict',
        'not_held',
        'this booking is not one held for you to pay; book it again',
      );
    }
    const doc = await this.d.intents.submit({
      storeId: held.storeId,
      by: requesterOf(held),
      kind: 'booking_payment',
      bookingId,
      body: { bookingId },
      charge: held.price,
      expiresInMs: await this.d.confirmTimeoutMs(),
      intentId: `pay-${held.intentId}`.slice(0, 100),
    });
    return this.answered(doc, this.d.intentWaitMs);
  }

  async intent(who: CustomerIdentity, intentId: string): Promise<IntentView> {
    for (const customerId of customerIds(who)) {
      const doc = await this.d.intents.get({ customerId }, intentId);
      if (doc) return this.view(doc);
    }
    throw notFound('intent', intentId, 'intentId');
  }

  /** My level, points, spend and visits in each store I am a member of. */
  async memberships(who: CustomerIdentity): Promise<MyMemberships> {
    const docs = await this.d.orders.memberships(customerIds(who));
    return {
      memberships: docs.map((d) => {
        const { type: _t, customerId: _c, ...rest } = publicDoc(d);
        return rest;
      }),
    };
  }

  /**
   * A page of my bookings (with `status`, of that page only) and with the first, my booking
   * requests still waiting for their store.
   */
  async list(who: CustomerIdentity, query: MyOrdersQuery): Promise<MyOrders> {
    const ids = customerIds(who);
    const [{ bookings, next }, waiting] = await Promise.all([
      this.d.orders.page(ids, query),
      query.before === undefined ? this.d.intents.customer.waitingRequests(ids) : [],
    ]);
    return {
      orders: bookings
        .filter((b) => query.status === undefined || b.status === query.status)
        .map((b) => publicDoc(b)),
      intents: await Promise.all(waiting.map((r) => this.view(r))),
      next,
    };
  }

  /** The booking requests among the customer's intents, answered or not (my data). */
  async requests(mine: IntentRecord[]): Promise<IntentView[]> {
    return Promise.all(mine.filter((r) => r.kind === 'booking_request').map((r) => this.view(r)));
  }

  async detail(who: CustomerIdentity, bookingId: string): Promise<OrderDetail> {
    const [order, intents] = await Promise.all([
      this.find(who, bookingId),
      this.d.intents.customer.aboutBooking(customerIds(who), bookingId),
    ]);
    // The intents about it (the request it answered is not one of them).
    const about = intents.filter((r) => r.bookingId === bookingId);
    return {
      booking: publicDoc(order.booking),
      ledger: order.ledger.map((l) => publicDoc(l)),
      session: order.session ? publicDoc(order.session) : null,
      intents: await Promise.all(about.map((r) => this.view(r))),
      ...(await this.termsOf(order.booking)),
      door: await this.doorOf(who, order.booking),
    };
  }

  /**
   * The booking's offline way in, for the customer who booked it online (never a booking found by
   * a phone typed at the kiosk): its code and QR, and the window the door takes them in.
   */
  private async doorOf(who: CustomerIdentity, b: BookingDoc): Promise<OrderDetail['door']> {
    if (!b.door || !b.intentId || b.customerId === undefined) return null;
    if (!customerIds(who).includes(b.customerId)) return null;
    if (b.status !== 'paid' && b.status !== 'in_use') return null;
    const rules = this.d.stores.rulesOf(await this.d.stores.bookableRoom(b.storeId, b.roomId));
    const at = await this.d.zones.formatFor(b.storeId);
    return {
      entryCode: b.door.entryCode,
      qr: b.door.qr,
      from: at(Date.parse(b.start) - rules.earlyEntryMinutes * 60_000),
      until: at(b.end),
    };
  }

  /** What extending the booking to `end` would cost, checked by the rules the store applies. */
  async extensionQuote(who: CustomerIdentity, bookingId: string, end: string): Promise<QuoteView> {
    const b = await this.bookingToAct(who, bookingId, 'extend');
    if (Date.parse(end) <= Date.parse(b.end)) {
      throw new DomainError(
        'bad_input',
        'invalid_input',
        'end: must be after the booking ends',
        'end',
      );
    }
    const found = await this.d.stores.bookableRoom(b.storeId, b.roomId);
    const member = await this.d.orders.discountOf(b.storeId, who.phone, this.d.customerIdKey);
    const view = this.d.stores.extensionView(found, b, end, member);
    // Said before paying when the store has already published someone else's booking there
    // (with the room's cleaning time after the new end); the store still decides. The booking's
    // own stretch, its cleaning included, runs to its end and the cleaning time after it: what
    // starts from there on is someone else's.
    const buffer = this.d.stores.rulesOf(found).bufferMinutes * 60_000;
    if (
      await this.d.stores.takenFrom(
        b.storeId,
        b.roomId,
        Date.parse(b.end) + buffer,
        Date.parse(end) + buffer,
      )
    ) {
      throw new DomainError(
        'conflict',
        'slot_taken',
        'the room is booked right after; it cannot be extended that far',
        'end',
      );
    }
    return view;
  }

  /** The booking's terms and what cancelling it now would cost, as the hub's detail shows them. */
  private async termsOf(b: BookingDoc): Promise<Pick<OrderDetail, 'terms' | 'ifNow'>> {
    const { terms, cancel } = await this.d.stores.cancelTermsOf(b);
    // Only what the customer may do online: a booking made at the store is cancelled there.
    return { terms, ifNow: { cancel: b.intentId ? cancel : null } };
  }

  /**
   * Cancel (before the start) and refund (after it) are both a refund_request intent: the hub
   * applies its cancellation tiers before the start, at the fee shown (`expectedFee`; without
   * one, the fee the order shows now), and its refund review after. The answer says the fee and
   * the refund, or that the request is under review.
   */
  async refund(
    who: CustomerIdentity,
    bookingId: string,
    action: 'cancel' | 'refund',
    body: z.output<typeof RefundBodySchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    const b = await this.bookingToAct(who, bookingId, action);
    // Before the start the store cancels at its fee: the one the customer was shown, checked
    // here against the rules now and carried in the intent, so the store refuses a fee that moved
    // on its way instead of keeping more than was shown.
    const { cancel } = await this.d.stores.cancelTermsOf(b);
    if (cancel && body.expectedFee !== undefined && body.expectedFee !== cancel.fee) {
      throw new DomainError(
        'conflict',
        'fee_changed',
        `the fee for cancelling is now ${cancel.fee} fen (${cancel.feePercent}%, refund ${cancel.refund} fen), not the ${body.expectedFee} fen shown; confirm again`,
        'expectedFee',
      );
    }
    const doc = await this.d.intents.submit({
      storeId: b.storeId,
      by: askedAs(who, b),
      kind: 'refund_request',
      bookingId: b.bookingId,
      body: {
        bookingId: b.bookingId,
        reason:
          body.reason ??
          (action === 'cancel' ? 'customer cancelled online' : 'customer asked for a refund'),
        ...(body.amount !== undefined ? { amount: body.amount } : {}),
        ...(cancel ? { expectedFee: body.expectedFee ?? cancel.fee } : {}),
      },
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    return this.answered(doc, this.d.intentWaitMs);
  }

  async door(
    who: CustomerIdentity,
    bookingId: string,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    const b = await this.bookingToAct(who, bookingId, 'door');
    const doc = await this.d.intents.submit({
      storeId: b.storeId,
      by: askedAs(who, b),
      kind: 'door_open',
      bookingId: b.bookingId,
      body: { bookingId: b.bookingId },
      expiresInMs: this.d.doorTimeoutMs,
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    return this.answered(doc, this.d.intentWaitMs);
  }

  /** Holds the price of the added time and asks the store for it. */
  async extend(
    who: CustomerIdentity,
    bookingId: string,
    body: z.output<typeof ExtendBodySchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    const b = await this.bookingToAct(who, bookingId, 'extend');
    if (Date.parse(body.end) <= Date.parse(b.end)) {
      throw new DomainError(
        'bad_input',
        'invalid_input',
        'end: must be after the booking ends',
        'end',
      );
    }
    const found = await this.d.stores.bookableRoom(b.storeId, b.roomId);
    const { store, room } = found;
    const member = await this.d.orders.discountOf(b.storeId, who.phone, this.d.customerIdKey);
    const quote = this.d.stores.priceExtension(found, b, body.end, member);
    const doc = await this.d.intents.submit({
      storeId: b.storeId,
      by: askedAs(who, b),
      kind: 'extension',
      bookingId: b.bookingId,
      body: { bookingId: b.bookingId, end: body.end },
      charge: { amount: quote.total, description: `${store.name} · ${room.name} extension` },
      expiresInMs: await this.d.confirmTimeoutMs(),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    return this.answered(doc, this.d.intentWaitMs);
  }

  /**
   * What moving one of my paid bookings to `start`-`end` (in its room or another of the store)
   * costs: the new price, the change fee and what comes back, checked by the store's rules and
   * its published days (a time someone else has is refused before anything is asked).
   */
  async changeQuote(
    who: CustomerIdentity,
    bookingId: string,
    asked: z.output<typeof ChangeQuoteQuerySchema>,
  ): Promise<ChangeQuoteView> {
    const b = await this.bookingToAct(who, bookingId, 'change');
    return quoteChange(this.d, who, b, asked);
  }

  /**
   * Asks the store to move the booking, at the fee shown: the store changes it as at its counter
   * and gives back the difference less the fee, or refuses with the reason. A dearer time's
   * difference, as shown (`expectedDue`), is held through the payment channel with the intent:
   * taken when the store moves the booking, given back once when it refuses or never answers.
   */
  async change(
    who: CustomerIdentity,
    bookingId: string,
    body: z.output<typeof ChangeBodySchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    const b = await this.bookingToAct(who, bookingId, 'change');
    // A retried tap gets the first answer, even once the booking has moved or the time is taken.
    const first = await this.d.intents.replay({
      storeId: b.storeId,
      by: askedAs(who, b),
      kind: 'booking_change',
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    if (first) return this.view(first);
    const { fee, due, quote } = await quoteChange(this.d, who, b, body);
    if (fee !== body.expectedFee) {
      throw new DomainError(
        'conflict',
        'fee_changed',
        `the fee for changing is now ${fee} fen, not the ${body.expectedFee} fen shown; confirm again`,
        'expectedFee',
      ).with({ fee, shown: body.expectedFee });
    }
    if (due > 0 && due !== body.expectedDue) {
      throw new DomainError(
        'conflict',
        'due_changed',
        `the difference to pay is now ${due} fen, not ${body.expectedDue ?? 0} fen as shown; confirm again`,
        'expectedDue',
      ).with({ amount: due, shown: body.expectedDue ?? 0 });
    }
    const { store, room } = await this.d.stores.bookableRoom(b.storeId, quote.roomId);
    const doc = await this.d.intents.submit({
      storeId: b.storeId,
      by: askedAs(who, b),
      kind: 'booking_change',
      bookingId: b.bookingId,
      body: {
        bookingId: b.bookingId,
        ...(body.roomId !== undefined ? { roomId: body.roomId } : {}),
        start: body.start,
        end: body.end,
        expectedFee: fee,
      },
      ...(due > 0
        ? { charge: { amount: due, description: `${store.name} · ${room.name} change` } }
        : {}),
      expiresInMs: await this.d.confirmTimeoutMs(),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    return this.answered(doc, this.d.intentWaitMs);
  }

  /** One review per booking: its intent id is fixed, so a second one is refused here. */
  async review(
    who: CustomerIdentity,
    bookingId: string,
    body: z.output<typeof ReviewBodySchema>,
  ): Promise<IntentView> {
    const b = await this.bookingToAct(who, bookingId, 'review');
    const intentId = `review-${b.bookingId}`.slice(0, 100);
    if (await this.d.intents.get(askedAs(who, b), intentId)) {
      throw new DomainError('conflict', 'already_reviewed', 'this booking has a review already');
    }
    const doc = await this.d.intents.submit({
      storeId: b.storeId,
      by: askedAs(who, b),
      kind: 'review',
      bookingId: b.bookingId,
      body: { bookingId: b.bookingId, ratings: body.ratings, text: body.text },
      intentId,
    });
    return this.answered(doc, this.d.intentWaitMs);
  }

  private async answered(doc: IntentRecord, waitMs: number): Promise<IntentView> {
    return this.view(await this.d.intents.waitForAnswer(doc, waitMs));
  }

  /** An intent as the customer reads it: times in its store's zone. */
  private async view(doc: IntentRecord): Promise<IntentView> {
    return intentView(doc, await this.d.zones.formatFor(doc.storeId));
  }

  private async find(who: CustomerIdentity, bookingId: string) {
    const order = await this.d.orders.find(customerIds(who), bookingId);
    if (!order) throw notFound('booking', bookingId, 'bookingId');
    return order;
  }

  /** The customer's booking, if this intent may be asked about it now. */
  private async bookingToAct(
    who: CustomerIdentity,
    bookingId: string,
    action: OrderAction,
  ): Promise<BookingDoc> {
    const b = (await this.find(who, bookingId)).booking;
    // A kiosk or counter booking is listed under the phone typed in there, unverified; its door,
    // extension, refund and review stay with the store (the hub refuses them too).
    if (!b.intentId) {
      throw new DomainError(
        'conflict',
        'booked_at_store',
        'this booking was made at the store: ask the store for the door, an extension or a refund',
      );
    }
    const { from, what } = ALLOWED[action];
    if (!from.includes(b.status)) {
      throw new DomainError(
        'conflict',
        'illegal_transition',
        `cannot ${what} a booking that is ${b.status}`,
      );
    }
    return b;
  }
}
