// The cloud service's HTTP API (express 5) for the customer mini-program and the owner's remote
// view, over CouchDB. This layer parses (zod), calls the services and maps errors to the one
// error shape; it holds no business rule of its own and never writes a hub document.
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  AvailabilityDocSchema,
  BookingBodySchema,
  DomainError,
  IntentParamsSchema,
  OrderParamsSchema,
  OwnerStoreParamsSchema,
  RoomParamsSchema,
  StoreParamsSchema,
  notFound,
  DateQuerySchema,
  ExtendBodySchema,
  IdempotencyKeySchema,
  MyOrdersQuerySchema,
  OwnerOrdersQuerySchema,
  OwnerSignInBodySchema,
  QuoteBodySchema,
  RefundBodySchema,
  RevenueQuerySchema,
  ReviewBodySchema,
  SmsSendBodySchema,
  SmsVerifyBodySchema,
  StoreSearchQuerySchema,
  WechatSignInBodySchema,
  customerIdForOpenid,
  customerIdForPhone,
  availabilityDocId,
  storeDbName,
} from '@roomhub/shared-types';
import { signInOwner } from './auth/owners';
import type { CustomerIdentity, OwnerIdentity } from './auth/tokens';
import { createCloud, type Cloud, type CloudOptions } from './cloud';
import { errorHandler, parseWith, sendError } from './http/errors';
import { intentView, type IntentRecord } from './intents/intents';
import { publicDoc } from './orders/orders';
import { quoteRoom, quoteView } from './stores/quotes';
import { loadRoomProfile, loadStoreProfiles } from './stores/store-profiles';

export type CloudAppOptions = CloudOptions;

export interface CloudApp extends Cloud {
  app: express.Express;
}

/** Express 5 runs async handlers and forwards their rejections; this keeps the types plain. */
type Handler = (req: Request, res: Response) => Promise<void>;
const route =
  (fn: Handler) =>
  (req: Request, res: Response, next: NextFunction): void => {
    fn(req, res).catch(next);
  };

function bearer(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

export function createCloudApp(options: CloudAppOptions): CloudApp {
  const cloud = createCloud(options);
  const { couch, tokens, smsCodes, wechat, catalogue, reviews, intents, log } = cloud;
  const { confirmTimeoutMs, doorTimeoutMs, answerWaitMs, intentWaitMs } = cloud.timeouts;

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '32kb' }));

  async function customer(req: Request): Promise<CustomerIdentity> {
    const token = bearer(req);
    const who = token ? await tokens.verifyCustomer(token) : undefined;
    if (!who)
      throw new DomainError(
        'unauthenticated',
        'sign_in_required',
        'sign in first: send a customer Bearer token',
      );
    return who;
  }

  async function owner(req: Request, storeId: string): Promise<OwnerIdentity> {
    const token = bearer(req);
    const who = token ? await tokens.verifyOwner(token) : undefined;
    if (!who) {
      throw new DomainError(
        'unauthenticated',
        'sign_in_required',
        'sign in first: send an owner Bearer token',
      );
    }
    if (!who.storeIds.includes(storeId)) {
      throw new DomainError('forbidden', 'not_your_store', 'this account does not run that store');
    }
    return who;
  }

  const idempotencyKey = (req: Request) =>
    parseWith(
      z.object({ key: IdempotencyKeySchema.optional() }),
      { key: req.get('idempotency-key') },
      'header',
    ).key;

  // ---- sign-in ----------------------------------------------------------------------------

  app.post(
    '/api/auth/sms/send',
    route(async (req, res) => {
      const body = parseWith(SmsSendBodySchema, req.body ?? {}, 'body');
      let sent: Awaited<ReturnType<typeof smsCodes.send>>;
      try {
        sent = await smsCodes.send(body.phone);
      } catch (error) {
        // The SMS gateway failed; the code was taken back, so asking again at once is allowed.
        log(error);
        throw new DomainError(
          'unavailable',
          'sms_unavailable',
          'the code could not be sent just now; try again in a moment',
          'phone',
          5,
        );
      }
      if (!sent.ok) {
        throw new DomainError(
          'rate_limited',
          'rate_limited',
          sent.message,
          'phone',
          Math.ceil(sent.retryAfterMs / 1000),
        );
      }
      res.status(202).json({ sent: true, expiresInSeconds: 300 });
    }),
  );

  app.post(
    '/api/auth/sms/verify',
    route(async (req, res) => {
      const body = parseWith(SmsVerifyBodySchema, req.body ?? {}, 'body');
      if (!(await smsCodes.verify(body.phone, body.code))) {
        throw new DomainError(
          'unauthenticated',
          'invalid_code',
          'the code is wrong or has expired',
          'code',
        );
      }
      const customerId = customerIdForPhone(body.phone);
      res.json({ token: await tokens.customer({ customerId, phone: body.phone }), customerId });
    }),
  );

  app.post(
    '/api/auth/wechat',
    route(async (req, res) => {
      const body = parseWith(WechatSignInBodySchema, req.body ?? {}, 'body');
      const session = await wechat.code2Session(body.code);
      if (!session)
        throw new DomainError(
          'unauthenticated',
          'invalid_code',
          'WeChat refused the login code',
          'code',
        );
      const customerId = customerIdForOpenid(session.openid);
      res.json({ token: await tokens.customer({ customerId }), customerId });
    }),
  );

  // ---- discovery and quotes -----------------------------------------------------------------

  app.get(
    '/api/stores',
    route(async (req, res) => {
      const q = parseWith(StoreSearchQuerySchema, req.query, 'query');
      res.json({ stores: await catalogue.search(q) });
    }),
  );

  app.get(
    '/api/stores/:storeId',
    route(async (req, res) => {
      const { storeId } = parseWith(StoreParamsSchema, req.params, 'path');
      const profiles = await loadStoreProfiles(couch, storeId);
      if (!profiles) throw notFound('store', storeId, 'storeId');
      const { store, rooms } = profiles;
      res.json({
        store: {
          storeId: store.storeId,
          name: store.name,
          address: store.address,
          phone: store.phone,
          timeZone: store.timeZone,
          hours: store.hours,
          location: store.location,
          photos: store.photos,
          rules: store.rules,
        },
        rooms: rooms
          .filter((r) => r.status === 'active')
          .map((r) => ({
            roomId: r.roomId,
            name: r.name,
            capacity: r.capacity,
            areaSqm: r.areaSqm,
            style: r.style,
            facilities: r.facilities,
            photos: r.photos,
            pricePlan: r.pricePlan,
            fromPricePerHour: r.pricePlan.rates.workday,
          })),
      });
    }),
  );

  app.get(
    '/api/stores/:storeId/rooms/:roomId/availability',
    route(async (req, res) => {
      const { storeId, roomId } = parseWith(RoomParamsSchema, req.params, 'path');
      const { date } = parseWith(DateQuerySchema, req.query, 'query');
      const found = await loadRoomProfile(couch, storeId, roomId);
      if (!found) throw notFound('room', roomId, 'roomId');
      const doc = AvailabilityDocSchema.safeParse(
        await couch.get(storeDbName(storeId), availabilityDocId(roomId, date)),
      );
      // No document: the hub has nothing taken that day (it publishes days with bookings).
      res.json({
        storeId,
        roomId,
        date,
        timeZone: found.store.timeZone,
        segments: doc.success ? doc.data.segments : [],
        updatedAt: doc.success ? doc.data.updatedAt : null,
      });
    }),
  );

  app.get(
    '/api/stores/:storeId/rooms/:roomId/reviews',
    route(async (req, res) => {
      const { storeId, roomId } = parseWith(RoomParamsSchema, req.params, 'path');
      res.json(await reviews.forRoom(storeId, roomId));
    }),
  );

  async function roomFor(storeId: string, roomId: string) {
    const found = await loadRoomProfile(couch, storeId, roomId);
    if (!found || found.room.status !== 'active') {
      throw notFound('room', roomId, 'roomId');
    }
    return found;
  }

  app.post(
    '/api/quotes',
    route(async (req, res) => {
      const body = parseWith(QuoteBodySchema, req.body ?? {}, 'body');
      const { store, room } = await roomFor(body.storeId, body.roomId);
      res.json({
        storeId: store.storeId,
        roomId: room.roomId,
        quote: quoteView(quoteRoom(store, room, body)),
      });
    }),
  );

  // ---- booking intents --------------------------------------------------------------------

  function sendIntent(res: Response, doc: IntentRecord, okStatus: number): void {
    const view = intentView(doc);
    if (view.state === 'rejected' || view.state === 'refused') {
      res.status(409).json({
        error: {
          code: view.state,
          message: view.reason ?? `the store ${view.state} the ${view.kind.replace('_', ' ')}`,
        },
        ...view,
      });
      return;
    }
    if (view.state === 'waiting') {
      res.status(202).json(view);
      return;
    }
    if (view.state === 'expired') {
      res.status(410).json({
        error: {
          code: 'expired',
          message: view.message ?? `the ${view.kind.replace('_', ' ')} expired`,
        },
        ...view,
      });
      return;
    }
    res.status(okStatus).json(view);
  }

  app.post(
    '/api/bookings',
    route(async (req, res) => {
      const who = await customer(req);
      const body = parseWith(BookingBodySchema, req.body ?? {}, 'body');
      const key = idempotencyKey(req);
      const customerPhone = who.phone ?? body.phone;
      if (!customerPhone) {
        throw new DomainError(
          'bad_input',
          'invalid_input',
          'phone: give a phone to book with',
          'phone',
        );
      }
      const { store, room } = await roomFor(body.storeId, body.roomId);
      if (body.partySize > room.capacity) {
        throw new DomainError(
          'bad_input',
          'invalid_input',
          `partySize: the room seats ${room.capacity}`,
          'partySize',
        );
      }
      const quote = quoteRoom(store, room, body);
      const doc = await intents.submit({
        storeId: store.storeId,
        customerId: who.customerId,
        kind: 'booking_request',
        body: {
          booking: {
            roomId: room.roomId,
            start: body.start,
            ...(body.packageId !== undefined ? { packageId: body.packageId } : { end: body.end }),
            partySize: body.partySize,
            customer: { phone: customerPhone, ...(body.name ? { name: body.name } : {}) },
          },
        },
        charge: { amount: quote.total, description: `${store.name} · ${room.name}` },
        expiresInMs: confirmTimeoutMs,
        ...(key ? { idempotencyKey: key } : {}),
      });
      sendIntent(res, await intents.waitForAnswer(doc, answerWaitMs), 201);
    }),
  );

  app.get(
    '/api/intents/:intentId',
    route(async (req, res) => {
      const who = await customer(req);
      const { intentId } = parseWith(IntentParamsSchema, req.params, 'path');
      const doc = await intents.get(who.customerId, intentId);
      if (!doc) throw notFound('intent', intentId, 'intentId');
      res.json(intentView(doc));
    }),
  );

  // ---- my orders ----------------------------------------------------------------------------

  app.get(
    '/api/orders',
    route(async (req, res) => {
      const who = await customer(req);
      const q = parseWith(MyOrdersQuerySchema, req.query, 'query');
      const mine = await intents.listForCustomer(who.customerId);
      const orders = (await cloud.customerOrders.list(who.customerId, mine)).filter(
        (b) => q.status === undefined || b.status === q.status,
      );
      res.json({
        orders: orders.map((b) => publicDoc(b)),
        intents: mine.filter((r) => r.kind === 'booking_request').map(intentView),
      });
    }),
  );

  async function myOrder(req: Request, opts: { toAct?: boolean } = {}) {
    const who = await customer(req);
    const { bookingId } = parseWith(OrderParamsSchema, req.params, 'path');
    const mine = await intents.listForCustomer(who.customerId);
    const order = await cloud.customerOrders.find(who.customerId, mine, bookingId);
    if (!order) throw notFound('booking', bookingId, 'bookingId');
    // A kiosk or counter booking is listed under the phone typed in there, unverified; its door,
    // extension, refund and review stay with the store (the hub refuses them too).
    if (opts.toAct && !order.booking.intentId) {
      throw new DomainError(
        'conflict',
        'booked_at_store',
        'this booking was made at the store: ask the store for the door, an extension or a refund',
      );
    }
    return { who, order, mine };
  }

  app.get(
    '/api/orders/:bookingId',
    route(async (req, res) => {
      const { order, mine } = await myOrder(req);
      res.json({
        booking: publicDoc(order.booking),
        ledger: order.ledger.map((l) => publicDoc(l)),
        session: order.session ? publicDoc(order.session) : null,
        intents: mine.filter((r) => r.bookingId === order.booking.bookingId).map(intentView),
      });
    }),
  );

  const requireStatus = (status: string, allowed: readonly string[], what: string) => {
    if (!allowed.includes(status)) {
      throw new DomainError(
        'conflict',
        'illegal_transition',
        `cannot ${what} a booking that is ${status}`,
      );
    }
  };

  for (const action of ['cancel', 'refund'] as const) {
    app.post(
      `/api/orders/:bookingId/${action}`,
      route(async (req, res) => {
        const { who, order } = await myOrder(req, { toAct: true });
        const body = parseWith(RefundBodySchema, req.body ?? {}, 'body');
        const key = idempotencyKey(req);
        const b = order.booking;
        requireStatus(
          b.status,
          action === 'cancel' ? ['pending_payment', 'paid'] : ['paid', 'in_use', 'completed'],
          action,
        );
        // Both are a refund_request intent: the hub applies its cancellation tiers before the start and
        // its refund review after.
        const doc = await intents.submit({
          storeId: b.storeId,
          customerId: who.customerId,
          kind: 'refund_request',
          bookingId: b.bookingId,
          body: {
            bookingId: b.bookingId,
            reason:
              body.reason ??
              (action === 'cancel' ? 'customer cancelled online' : 'customer asked for a refund'),
            ...(body.amount !== undefined ? { amount: body.amount } : {}),
          },
          ...(key ? { idempotencyKey: key } : {}),
        });
        sendIntent(res, await intents.waitForAnswer(doc, intentWaitMs), 200);
      }),
    );
  }

  app.post(
    '/api/orders/:bookingId/door',
    route(async (req, res) => {
      const { who, order } = await myOrder(req, { toAct: true });
      const key = idempotencyKey(req);
      const b = order.booking;
      requireStatus(b.status, ['paid', 'in_use'], 'open the door of');
      const doc = await intents.submit({
        storeId: b.storeId,
        customerId: who.customerId,
        kind: 'door_open',
        bookingId: b.bookingId,
        body: { bookingId: b.bookingId },
        expiresInMs: doorTimeoutMs,
        ...(key ? { idempotencyKey: key } : {}),
      });
      sendIntent(res, await intents.waitForAnswer(doc, intentWaitMs), 200);
    }),
  );

  app.post(
    '/api/orders/:bookingId/extend',
    route(async (req, res) => {
      const { who, order } = await myOrder(req, { toAct: true });
      const body = parseWith(ExtendBodySchema, req.body ?? {}, 'body');
      const key = idempotencyKey(req);
      const b = order.booking;
      requireStatus(b.status, ['paid', 'in_use'], 'extend');
      if (Date.parse(body.end) <= Date.parse(b.end)) {
        throw new DomainError(
          'bad_input',
          'invalid_input',
          'end: must be after the booking ends',
          'end',
        );
      }
      const { store, room } = await roomFor(b.storeId, b.roomId);
      const quote = quoteRoom(store, room, { start: b.end, end: body.end });
      const doc = await intents.submit({
        storeId: b.storeId,
        customerId: who.customerId,
        kind: 'extension',
        bookingId: b.bookingId,
        body: { bookingId: b.bookingId, end: body.end },
        charge: { amount: quote.total, description: `${store.name} · ${room.name} extension` },
        expiresInMs: confirmTimeoutMs,
        ...(key ? { idempotencyKey: key } : {}),
      });
      sendIntent(res, await intents.waitForAnswer(doc, intentWaitMs), 200);
    }),
  );

  app.post(
    '/api/orders/:bookingId/review',
    route(async (req, res) => {
      const { who, order } = await myOrder(req, { toAct: true });
      const body = parseWith(ReviewBodySchema, req.body ?? {}, 'body');
      const b = order.booking;
      requireStatus(b.status, ['completed'], 'review');
      const intentId = `review-${b.bookingId}`.slice(0, 100);
      if (await intents.get(who.customerId, intentId)) {
        throw new DomainError('conflict', 'already_reviewed', 'this booking has a review already');
      }
      const doc = await intents.submit({
        storeId: b.storeId,
        customerId: who.customerId,
        kind: 'review',
        bookingId: b.bookingId,
        body: { bookingId: b.bookingId, ratings: body.ratings, text: body.text },
        intentId,
      });
      sendIntent(res, await intents.waitForAnswer(doc, intentWaitMs), 201);
    }),
  );

  // ---- owner remote view ------------------------------------------------------------------

  app.post(
    '/api/owner/login',
    route(async (req, res) => {
      const body = parseWith(OwnerSignInBodySchema, req.body ?? {}, 'body');
      const account = await signInOwner(couch, body.username, body.password);
      if (!account) {
        throw new DomainError('unauthenticated', 'invalid_login', 'wrong username or password');
      }
      res.json({ token: await tokens.owner(account), storeIds: account.storeIds });
    }),
  );

  async function ownerStore(req: Request) {
    const { storeId } = parseWith(OwnerStoreParamsSchema, req.params, 'path');
    await owner(req, storeId);
    const profiles = await loadStoreProfiles(couch, storeId);
    if (!profiles) throw notFound('store', storeId, 'storeId');
    return { storeId, timeZone: profiles.store.timeZone };
  }

  app.get(
    '/api/owner/stores/:storeId/board',
    route(async (req, res) => {
      const { storeId } = await ownerStore(req);
      const { date } = parseWith(DateQuerySchema, req.query, 'query');
      res.json(await cloud.ownerView.board(storeId, date));
    }),
  );

  app.get(
    '/api/owner/stores/:storeId/orders',
    route(async (req, res) => {
      const { storeId, timeZone } = await ownerStore(req);
      const q = parseWith(OwnerOrdersQuerySchema, req.query, 'query');
      res.json(await cloud.ownerView.orders(storeId, q, timeZone));
    }),
  );

  app.get(
    '/api/owner/stores/:storeId/revenue',
    route(async (req, res) => {
      const { storeId, timeZone } = await ownerStore(req);
      const q = parseWith(RevenueQuerySchema, req.query, 'query');
      res.json(await cloud.ownerView.revenue(storeId, q.from, q.to, timeZone));
    }),
  );

  app.get(
    '/api/owner/stores/:storeId/devices',
    route(async (req, res) => {
      const { storeId } = await ownerStore(req);
      res.json(await cloud.ownerView.devices(storeId));
    }),
  );

  app.get(
    '/api/owner/stores/:storeId/sync',
    route(async (req, res) => {
      const { storeId } = await ownerStore(req);
      res.json(await cloud.ownerView.sync(storeId));
    }),
  );

  app.use('/api', (req, res) =>
    sendError(res, 404, 'route_not_found', `no route ${req.method} ${req.originalUrl}`),
  );
  app.use(errorHandler(log));

  return { ...cloud, app };
}
