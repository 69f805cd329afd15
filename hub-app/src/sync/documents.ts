// Builds each sync document from the hub's current state, in the shapes shared-types defines.
// Read only, through the services' own readers; called by the replicator when it publishes a mark
// from the outbox. Nothing here decides anything.
import {
  AvailabilityDocSchema,
  BookingDocSchema,
  CampaignDocSchema,
  CouponDocSchema,
  DealDocSchema,
  customerIdForPhone,
  DevicesHealthDocSchema,
  DEVICE_SCHEDULES_ID,
  DeviceSchedulesDocSchema,
  formatInstant,
  HUB_ALIVE_ID,
  HubAliveDocSchema,
  LedgerDocSchema,
  MemberDocSchema,
  MENU_DOC_ID,
  localDateOf,
  OrderDocSchema,
  RoomProfileDocSchema,
  SessionDocSchema,
  StatsDayDocSchema,
  StoreProfileDocSchema,
  TABLE_SETTINGS_ID,
  TableDocSchema,
  TableSettingsDocSchema,
  WALLET_OWED_ID,
  WalletOwedDocSchema,
  STOCK_LOW_ID,
  StockLowDocSchema,
  RoomMaintenanceDocSchema,
  type BookingDoc,
  type DomainError,
  countsAsInUse,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { anomalyDocument } from '../anomalies/anomaly-document';
import { auditHourDocument } from '../audit/audit-publish';
import { statsDayFigures } from '../stats/stats-day';
import { lowStockItems } from '../menu/low-stock-notice';
import { menuDocument } from '../menu/menu-publish';
import { cloudPaymentOfOrder } from '../menu/menu-intents';
import type { BookingRow } from '../booking/booking-records';
import { settingsDocument } from './settings-documents';

const clip = (s: string, n: number) => s.slice(0, n);
/** The ways an order is paid online: the store's channels, or the cloud's for a phone order. */
const ONLINE_METHODS: readonly string[] = ['wechat', 'alipay', 'unionpay'];

/**
 * An online booking's fixed entry code and its QR while the booking is paid or in use, for the
 * cloud to show its booker (C6); a kiosk or counter booking's code stays on its receipt.
 */
function onlineDoor(hub: Hub, row: BookingRow): Pick<BookingDoc, 'door'> {
  if (!row.intent_id) return {};
  if (row.status !== 'paid' && !countsAsInUse(row.status, row.refund_from_status)) return {};
  const c = hub.doorCodes.current(row.id, row.number);
  return c ? { door: { entryCode: c.entryCode, qr: `RH1:${row.number}:${c.entryCode}` } } : {};
}

/** The own voucher a voucher payment (`voucher:<redemptionId>`) was made with, if one of ours. */
function ownVoucherOf(hub: Hub, txn: string | null): { voucherId?: string } {
  const redemptionId = txn?.startsWith('voucher:') ? txn.slice('voucher:'.length) : undefined;
  if (!redemptionId) return {};
  const r = hub.db
    .prepare(`SELECT voucher_key FROM redemptions WHERE id = ? AND source = 'own'`)
    .get(redemptionId) as { voucher_key: string } | undefined;
  return r ? { voucherId: r.voucher_key } : {};
}

/**
 * `customerIdKey` is the key customer ids are made with (`CUSTOMER_ID_KEY`); without it a kiosk
 * booking is published with no customer id.
 */
export function buildDocument(
  hub: Hub,
  docId: string,
  customerIdKey: string | undefined,
): object | null {
  const store = hub.store.getStore();
  const tz = store.timeZone;
  const at = (ms: number) => formatInstant(ms, tz);
  const storeId = store.id;
  const updatedAt = at(hub.clock.now());
  const [prefix, a, b] = docId.split(':');

  switch (prefix) {
    case 'booking': {
      const row = hub.records.find(a!);
      if (!row) return null;
      const view = hub.views.detail(row.id);
      // Online bookings carry the signed-in customer; a kiosk or counter booking carries the id
      // the cloud derives from the same phone, so the customer finds it under "my orders".
      const customerId =
        row.customer_id ??
        (row.customer_phone && customerIdKey !== undefined
          ? customerIdForPhone(row.customer_phone, customerIdKey)
          : undefined);
      const refunded = hub.ledger.refunded(row.id);
      const doc: BookingDoc = {
        _id: docId,
        type: 'booking',
        storeId,
        bookingId: row.id,
        roomId: row.room_id,
        status: row.status,
        start: view.start,
        end: view.end,
        partySize: row.party_size,
        ...(row.intent_id ? { intentId: row.intent_id } : {}),
        ...(customerId ? { customerId } : {}),
        totals: { amount: view.total, paid: view.paid + refunded, refunded },
        lines: view.lines.map((l) => ({
          kind: l.kind,
          label: clip(l.label || l.kind, 80),
          quantity: 1,
          unitPrice: l.amount,
          amount: l.amount,
        })),
        history: view.history.map((h) => ({
          at: h.at,
          action: clip(h.action, 40),
          from: h.from,
          to: h.to,
          actor: { kind: h.actor.kind, id: clip(h.actor.id, 64) || 'unknown' },
          ...(h.reason ? { reason: clip(h.reason, 200) } : {}),
        })),
        ...onlineDoor(hub, row),
        updatedAt,
      };
      return BookingDocSchema.parse(doc);
    }
    case 'invoice':
      // An issued invoice carries its PDF as the attachment the customer downloads.
      return hub.invoices.document(a!, storeId);
    case 'ledger': {
      const l = hub.ledger.entry(a!, Number(b));
      if (!l) return null;
      return LedgerDocSchema.parse({
        _id: docId,
        type: 'ledger',
        storeId,
        bookingId: l.booking_id,
        entryId: String(l.id),
        kind: l.kind,
        method: l.method,
        amount: l.amount,
        // The cloud pays its own money back: tell it which of its payments this is.
        ...(l.method === 'cloud' && l.channel_txn_id
          ? { paymentRef: l.channel_txn_id.replace(/^cloud:/, '') }
          : {}),
        // Our own voucher paid (or was given back): the cloud shows a voucher it sold as used.
        ...(l.method === 'voucher' ? ownVoucherOf(hub, l.channel_txn_id) : {}),
        at: at(l.at),
      });
    }
    case 'session': {
      const row = hub.records.find(a!);
      if (!row) return null;
      const s = hub.sessions.record(row.id);
      const status = !s
        ? 'waiting'
        : s.endedAt !== null
          ? 'ended'
          : hub.clock.now() > row.end_at
            ? 'overtime'
            : 'active';
      return SessionDocSchema.parse({
        _id: docId,
        type: 'session',
        storeId,
        bookingId: row.id,
        roomId: row.room_id,
        status,
        start: at(row.start_at),
        end: at(row.end_at),
        startedAt: s ? at(s.startedAt) : null,
        endedAt: s?.endedAt ? at(s.endedAt) : null,
        doorOpens: hub.doors
          .opensOf(row.id)
          .map((o) => ({ at: at(o.at), actor: { kind: o.actor_kind } })),
        updatedAt,
      });
    }
    case 'availability': {
      const roomId = a!;
      const date = docId.slice(`availability:${roomId}:`.length);
      let t;
      try {
        t = hub.availability.room(roomId, date);
      } catch (e) {
        if ((e as DomainError).kind === 'not_found') return null;
        throw e;
      }
      return AvailabilityDocSchema.parse({
        _id: docId,
        type: 'availability',
        storeId,
        roomId,
        date,
        segments: t.segments
          .filter((s) => s.state !== 'free')
          .map((s) => ({
            start: s.start,
            end: s.end,
            // A customer online sees only that the time is taken.
            state:
              s.state === 'in_use' || s.state === 'cleaning' || s.state === 'closed'
                ? s.state
                : 'booked',
          })),
        updatedAt,
      });
    }
    case 'table': {
      const t = hub.tables.find(a!);
      if (!t) return null;
      return TableDocSchema.parse({
        _id: docId,
        type: 'table',
        storeId,
        tableId: t.tableId,
        bookingId: t.bookingId,
        roomId: t.roomId,
        title: t.title,
        start: t.start,
        end: t.end,
        deadline: t.deadline,
        seats: t.seats,
        total: t.total,
        share: t.share,
        starterShare: t.starterShare,
        status: t.status,
        // Players by the id the cloud signed them in with and the name they gave: no phone.
        players: t.players.map(({ seat, customerId, name, share, refunded }) => ({
          seat,
          customerId,
          name,
          share,
          refunded,
        })),
        updatedAt,
      });
    }
    case 'tables': {
      if (docId !== TABLE_SETTINGS_ID) return null;
      return TableSettingsDocSchema.parse({
        _id: docId,
        type: 'table_settings',
        storeId,
        ...hub.tables.settings(),
        updatedAt,
      });
    }
    case 'hub': {
      if (docId !== HUB_ALIVE_ID) return null;
      return HubAliveDocSchema.parse({ _id: docId, type: 'hub_alive', storeId, at: updatedAt });
    }
    case 'stock': {
      if (docId !== STOCK_LOW_ID) return null;
      return StockLowDocSchema.parse({
        _id: docId,
        type: 'stock_low',
        storeId,
        items: lowStockItems(hub.db).map((i) => ({
          itemId: i.itemId,
          name: clip(i.name, 60),
          balance: Math.max(0, i.balance),
          lowStockAt: i.lowStockAt,
          since: at(i.since),
        })),
        updatedAt,
      });
    }
    case 'maintenance': {
      const m = hub.maintenance.published(a!);
      if (!m) return null;
      return RoomMaintenanceDocSchema.parse({
        _id: docId,
        type: 'room_maintenance',
        storeId,
        maintenanceId: m.row.id,
        roomId: m.row.room_id,
        start: at(m.row.start_at),
        end: at(m.row.end_at),
        reason: clip(m.row.reason, 200),
        lifted: m.row.lifted_at !== null,
        // Customers by the id the cloud knows them by, as their bookings are published: no phone.
        bookings: m.bookings.map((x) => {
          const customerId =
            x.customerId ??
            (x.phone && customerIdKey !== undefined
              ? customerIdForPhone(x.phone, customerIdKey)
              : undefined);
          return {
            bookingId: x.id,
            ...(customerId ? { customerId } : {}),
            start: at(x.start),
            end: at(x.end),
          };
        }),
        updatedAt,
      });
    }
    case 'devices': {
      if (docId === DEVICE_SCHEDULES_ID) {
        return DeviceSchedulesDocSchema.parse({
          _id: docId,
          type: 'device_schedules',
          storeId,
          schedules: hub.devices.schedules
            .list()
            .map((s) => ({ ...s, updatedAt: at(s.updatedAt) })),
          updatedAt,
        });
      }
      const { health } = hub.devices.states();
      return DevicesHealthDocSchema.parse({
        _id: docId,
        type: 'devices_health',
        storeId,
        buses: health.buses.map((x) => ({
          busId: x.busId,
          kind: x.kind,
          ok: x.ok,
          lastOkAt: x.lastOkAt === null ? null : at(x.lastOkAt),
          ...(x.lastError ? { lastError: clip(x.lastError, 200) } : {}),
        })),
        devices: health.devices.map((x) => ({
          deviceId: x.deviceId,
          kind: x.kind,
          rooms: x.rooms,
          ok: x.ok,
          lastOkAt: x.lastOkAt === null ? null : at(x.lastOkAt),
          ...(x.lastError ? { lastError: clip(x.lastError, 200) } : {}),
        })),
        updatedAt,
      });
    }
    case 'profile': {
      if (docId === 'profile:store') {
        return StoreProfileDocSchema.parse({
          _id: docId,
          type: 'store_profile',
          storeId,
          name: store.name,
          address: store.address,
          phone: store.phone,
          timeZone: tz,
          hours: store.hours,
          location: hub.store.location(),
          photos: store.photos,
          ...(store.theme ? { theme: store.theme } : {}),
          ...(store.logoUrl ? { logo: store.logoUrl } : {}),
          rules: store.rules,
          calendar: hub.calendar.overridesByDate(),
          calendarNotes: hub.calendar.notesByDate(),
          promotions: hub.promotions.enabled(),
          fenPerPoint: hub.bookings.memberPricing().fenPerPoint(),
          walletPackages: hub.wallet
            .packages()
            .filter((p) => p.active)
            .map((p) => ({
              packageId: p.id,
              name: p.name,
              pay: p.pay,
              bonus: p.bonus,
              bonusValidDays: p.bonusValidDays,
            })),
          updatedAt,
        });
      }
      let room;
      try {
        room = hub.store.getRoom(b!);
      } catch (e) {
        if ((e as DomainError).kind === 'not_found') return null;
        throw e;
      }
      return RoomProfileDocSchema.parse({
        _id: docId,
        type: 'room_profile',
        storeId,
        roomId: room.id,
        name: room.name,
        capacity: room.capacity,
        areaSqm: room.areaSqm,
        style: room.style,
        facilities: room.facilities,
        photos: room.photos,
        video: room.video,
        videoPoster: room.videoPoster,
        pricePlan: room.pricePlan,
        rules: room.rules,
        status: room.status,
        sort: room.sort,
        updatedAt,
      });
    }
    case 'deal': {
      const deal = hub.deals.find(a!);
      if (!deal) return null;
      return DealDocSchema.parse({
        _id: docId,
        type: 'deal',
        storeId,
        dealId: deal.id,
        source: deal.source,
        platformDealId: deal.platformDealId,
        title: deal.title,
        description: deal.description,
        photos: deal.photos,
        entitlement: deal.entitlement,
        rev: deal.rev,
        price: deal.price,
        originalPrice: deal.originalPrice,
        groupSize: deal.groupSize,
        groupHours: deal.groupHours,
        validDays: deal.validDays,
        perCustomerLimit: deal.perCustomerLimit,
        stock: deal.stock,
        refundAnyTime: deal.refundAnyTime,
        refundOnExpiry: deal.refundOnExpiry,
        status: deal.status,
        updatedAt,
      });
    }
    case 'member': {
      const m = hub.memberViews.card(a!);
      // Named by the customer id its phone gives: without the key, nothing to name it by.
      if (!m || !customerIdKey) return null;
      return MemberDocSchema.parse({
        _id: docId,
        type: 'member',
        storeId,
        memberId: m.id,
        customerId: customerIdForPhone(m.phone, customerIdKey),
        level: m.level,
        privileges: m.privileges,
        points: m.points,
        totalSpend: m.totalSpend,
        visits: m.visits,
        lastVisitAt: m.lastVisitAt,
        joinedAt: m.joinedAt,
        wallet: (({ principal, bonus }) => ({ principal, bonus }))(hub.wallet.balanceOf(m.phone)),
        updatedAt,
      });
    }
    case 'staff':
    case 'levels':
      return settingsDocument(hub, docId, { storeId, updatedAt });
    case 'wallet': {
      if (docId !== WALLET_OWED_ID) return null;
      const { principal, bonus, wallets } = hub.wallet.owed();
      return WalletOwedDocSchema.parse({
        _id: docId,
        type: 'wallet_owed',
        storeId,
        principal,
        bonus,
        wallets,
        updatedAt,
      });
    }
    case 'campaign': {
      const c = hub.campaigns.forCloud(a!);
      if (!c) return null;
      return CampaignDocSchema.parse({
        _id: docId,
        type: 'campaign',
        storeId,
        campaignId: c.row.id,
        couponName: c.row.coupon_name,
        terms: JSON.parse(c.row.terms) as unknown,
        claimFrom: c.row.claim_from,
        claimTo: c.row.claim_to,
        useDays: c.row.use_days,
        useUntil: c.row.use_until,
        perPerson: c.row.per_person,
        pointsPrice: c.row.points_price,
        status: c.row.status,
        soldOut: c.soldOut,
        updatedAt,
      });
    }
    case 'coupon': {
      const c = hub.coupons.forCloud(a!);
      // Named by the customer id its phone gives: without the key, nothing to name it by.
      if (!c || !customerIdKey) return null;
      return CouponDocSchema.parse({
        _id: docId,
        type: 'coupon',
        storeId,
        couponId: c.row.id,
        campaignId: c.row.campaign_id,
        customerId: customerIdForPhone(c.row.phone, customerIdKey),
        name: c.row.name,
        terms: JSON.parse(c.row.terms) as unknown,
        useFrom: at(c.row.use_from),
        useUntil: at(c.row.use_until),
        issuedAt: at(c.row.issued_at),
        bookingId: c.bookingId,
        winBack: c.winBack,
        updatedAt,
      });
    }
    case 'order': {
      let order;
      try {
        order = hub.orders.view(a!);
      } catch (e) {
        if ((e as DomainError).kind === 'not_found') return null;
        throw e;
      }
      const cloudPayment = cloudPaymentOfOrder(hub.db, order.id);
      return OrderDocSchema.parse({
        _id: docId,
        type: 'order',
        storeId,
        orderId: order.id,
        number: order.number,
        day: localDateOf(Date.parse(order.createdAt), tz),
        bookingId: order.bookingId,
        roomId: order.roomId,
        status: order.status,
        lines: order.lines.map((l) => ({
          itemId: l.itemId,
          name: clip(l.name, 60),
          specs: clip(l.specs.map((s) => s.choice).join(' · '), 200),
          unitPrice: l.unitPrice,
          quantity: l.quantity,
          amount: l.amount,
        })),
        ...(order.discounts.length
          ? { discounts: order.discounts.map((d) => ({ ...d, name: clip(d.name, 40) })) }
          : {}),
        totals: { amount: order.total, paid: order.paid, refunded: order.refunded },
        money: order.money.map((m) => ({
          kind: m.kind,
          method: m.method,
          amount: m.amount,
          at: m.at,
          entryId: String(m.id),
          // Ordered from the phone: the cloud took its money online and pays each refund back.
          ...(cloudPayment && ONLINE_METHODS.includes(m.method)
            ? { paymentRef: cloudPayment }
            : {}),
        })),
        history: order.history.map((h) => ({
          at: h.at,
          action: h.action,
          from: h.from,
          to: h.to,
          actor: h.actor,
          ...(h.reason ? { reason: clip(h.reason, 200) } : {}),
        })),
        createdAt: order.createdAt,
        updatedAt,
      });
    }
    case 'menu': {
      if (docId !== MENU_DOC_ID) return null;
      return menuDocument(storeId, hub.menu.view(), updatedAt);
    }
    case 'stats': {
      if (a !== 'day' || !b) return null;
      return StatsDayDocSchema.parse({
        _id: docId,
        type: 'stats_day',
        storeId,
        ...statsDayFigures(hub.stats, hub.energy, b),
        updatedAt,
      });
    }
    case 'anomaly':
      return anomalyDocument(hub.anomalies, storeId, a!, at, updatedAt);
    case 'audit':
      return auditHourDocument(
        hub.audit,
        () => new Map(hub.staff.list().map((s) => [s.id, s.name])),
        storeId,
        docId,
        tz,
        updatedAt,
      );
    default:
      return null;
  }
}
