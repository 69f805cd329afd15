// Tea and snacks from the customer's phone (C8): a store's menu as its hub published it, and a
// signed-in customer's order for one of their own bookings that is paid or in use, priced line by
// line from that menu less the member level's discount on items (`priceTeaCart`, the store's own
// rule) and paid online: the cloud holds the money and writes a signed `tea_order` intent; the
// store places the order through its own menu and stock (the cloud then takes the money) or
// refuses in words (sold out, the price moved; the money is given back). The customer's
// orders carry the store's own status of each (placed, prepared, delivered) from the `order:`
// documents the hub publishes. With review before showing on, customers see and order only the
// products a reviewer approved (review-gate.ts). Never writes a store's document and never decides
// an order.
import type { z } from 'zod';
import {
  DomainError,
  MENU_DOC_ID,
  MenuDocSchema,
  notFound,
  orderDocId,
  OrderDocSchema,
  priceTeaCart,
  storeDbName,
  type IntentView,
  type MenuDoc,
  type MyTeaOrder,
  type MyTeaOrders,
  type OnlineMenu,
  type TeaOrderBodySchema,
} from '@roomhub/shared-types';
import { customerIds, type CustomerIdentity } from '../auth/tokens';
import type { CouchClient } from '../couch';
import { intentView, requesterOf, type IntentRecord, type IntentService } from '../intents/intents';
import type { CustomerOrders } from '../orders/orders';
import type { StoreService } from '../stores/store.service';
import type { StoreZones } from '../stores/store-zones';
import { shownMenu } from '../platform/review-gate';

export interface CloudTeaOrderDeps {
  couch: CouchClient;
  intents: IntentService;
  orders: CustomerOrders;
  stores: StoreService;
  zones: StoreZones;
  clock: { now(): number };
  /**
   * How long a payment is held for the store's answer before the request expires and the money
   * goes back: the platform's setting unless the deployment fixed it; read at each request.
   */
  confirmTimeoutMs: () => Promise<number>;
  /** How long the customer's call waits for the store's answer before it is told to wait. */
  answerWaitMs: number;
}

/** A booking whose room tea can be brought to, as the hub's order service allows. */
const SERVED = ['paid', 'in_use'];
/** How many of a customer's tea orders "my tea orders" lists, newest first. */
const MINE_PAGE = 50;

export class CloudTeaOrders {
  constructor(private readonly d: CloudTeaOrderDeps) {}

  /** The store's menu; no categories when it has published none. Unknown stores are a 404. */
  async menu(storeId: string): Promise<OnlineMenu> {
    await this.d.stores.page(storeId);
    const doc = await this.menuDoc(storeId);
    // What is on the shelf and whether staff switched an item off are the owner's, not the menu's.
    const categories = (doc?.categories ?? []).map((c) => ({
      ...c,
      items: c.items.map(({ soldOut: _s, stock: _n, lowStockAt: _l, ...item }) => item),
    }));
    return { storeId, categories, updatedAt: doc?.updatedAt ?? null };
  }

  /** Holds the cart's price and asks the store to place the order; waits a moment for its answer. */
  async order(
    who: CustomerIdentity,
    storeId: string,
    body: z.output<typeof TeaOrderBodySchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    const ids = customerIds(who);
    const found = await this.d.orders.find(ids, body.bookingId);
    if (!found || found.booking.storeId !== storeId) {
      throw notFound('booking', body.bookingId, 'bookingId');
    }
    const { booking } = found;
    const customerId =
      booking.customerId !== undefined && ids.includes(booking.customerId)
        ? booking.customerId
        : who.customerId;
    const asked = { storeId, by: { customerId }, kind: 'tea_order' as const };
    const first = await this.d.intents.replay({
      ...asked,
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    if (first) return intentView(first, await this.d.zones.formatFor(storeId));
    if (!SERVED.includes(booking.status) || Date.parse(booking.end) <= this.d.clock.now()) {
      throw new DomainError(
        'conflict',
        'booking_not_open',
        'bookingId: tea is brought only to a booking that is paid or in use, before it ends',
        'bookingId',
      ).with({ status: booking.status });
    }
    const { store } = await this.d.stores.page(storeId);
    const menu = await this.menuDoc(storeId);
    if (!menu || menu.categories.every((c) => c.items.length === 0)) {
      throw new DomainError(
        'conflict',
        'menu_not_published',
        'this store has no tea or snacks to order online yet',
      );
    }
    // Priced as the store will price it: less the level the booking's customer has there.
    const member = await this.d.orders.memberOf(storeId, booking.customerId ?? customerId);
    const cart = priceTeaCart(
      menu,
      body.lines,
      member?.level && member.privileges
        ? {
            level: member.level.name,
            roomPercentOff: member.privileges.roomPercentOff,
            itemPercentOff: member.privileges.itemPercentOff,
          }
        : null,
    );
    if (cart.total <= 0) {
      throw new DomainError(
        'invalid',
        'invalid_input',
        'lines: the cart costs nothing; order at the counter instead',
        'lines',
      );
    }
    const doc = await this.d.intents.submit({
      ...asked,
      body: { bookingId: booking.bookingId, lines: body.lines, note: body.note },
      bookingId: booking.bookingId,
      charge: { amount: cart.total, description: `${store.name} · 茶点` },
      expiresInMs: await this.d.confirmTimeoutMs(),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    const answered = await this.d.intents.waitForAnswer(doc, this.d.answerWaitMs);
    return intentView(answered, await this.d.zones.formatFor(storeId));
  }

  /** My tea orders, newest first, for one booking when named; each with the store's order. */
  async mine(who: CustomerIdentity, bookingId?: string): Promise<MyTeaOrders> {
    // One booking's through the intents about it; else the newest page of the customer's.
    const records = (
      bookingId === undefined
        ? await this.d.intents.customer.newestOfKind(customerIds(who), 'tea_order', MINE_PAGE)
        : await this.d.intents.customer.aboutBooking(customerIds(who), bookingId)
    ).filter(
      (r) => r.kind === 'tea_order' && (bookingId === undefined || r.bookingId === bookingId),
    );
    const orders = await Promise.all(
      records.slice(0, MINE_PAGE).map(async (r) => this.view(await this.current(r))),
    );
    return { orders };
  }

  private async current(r: IntentRecord): Promise<IntentRecord> {
    return r.state === 'waiting'
      ? ((await this.d.intents.get(requesterOf(r), r.intentId)) ?? r)
      : r;
  }

  private async view(r: IntentRecord): Promise<MyTeaOrder> {
    const at = await this.d.zones.formatFor(r.storeId);
    const v = intentView(r, at);
    let order: MyTeaOrder['order'] = null;
    if (r.answer?.orderId) {
      const parsed = OrderDocSchema.safeParse(
        await this.d.couch.get(storeDbName(r.storeId), orderDocId(r.answer.orderId)),
      );
      if (parsed.success) {
        const {
          _id: _i,
          type: _t,
          ...rest
        } = parsed.data as typeof parsed.data & {
          _rev?: string;
        };
        delete (rest as { _rev?: string })._rev;
        order = rest;
      }
    }
    return {
      intentId: r.intentId,
      storeId: r.storeId,
      bookingId: r.bookingId ?? '',
      state: v.state,
      ...(v.reason ? { reason: v.reason } : {}),
      amount: r.payment?.amount ?? 0,
      ...(r.payment ? { payment: r.payment.state } : {}),
      createdAt: v.createdAt,
      order,
    };
  }

  /** The menu as customers may see and order from it: only approved products, once reviewed. */
  private async menuDoc(storeId: string): Promise<MenuDoc | undefined> {
    const parsed = MenuDocSchema.safeParse(
      await this.d.couch.get(storeDbName(storeId), MENU_DOC_ID),
    );
    if (!parsed.success || parsed.data.storeId !== storeId) return undefined;
    return shownMenu(this.d.stores.registry, parsed.data);
  }
}
