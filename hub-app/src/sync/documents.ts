// Builds each sync document from the hub's current state, in the shapes cloud-sync defines. Read
// only; called by the replicator when it publishes a mark from the outbox.
import {
  AvailabilityDocSchema,
  BookingDocSchema,
  DevicesHealthDocSchema,
  LedgerDocSchema,
  RoomProfileDocSchema,
  SessionDocSchema,
  StoreProfileDocSchema,
  customerIdForPhone,
  type BookingDoc,
  type PaymentMethod,
} from '@roomhub/shared-types';
import { formatInstant } from '@roomhub/shared-types';
import type { Hub } from '../hub';
import type { BookingRow } from '../booking/booking-records';

const clip = (s: string | null | undefined, n: number) => (s ? s.slice(0, n) : undefined);

export function buildDocument(hub: Hub, docId: string): object | null {
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
      const ext = row as BookingRow & { customer_id?: string | null; intent_id?: string | null };
      const view = hub.bookings.get(row.id);
      // Online bookings carry the signed-in customer; a kiosk or counter booking carries the id
      // the cloud derives from the same phone, so the customer finds it under "my orders".
      const customerId =
        ext.customer_id ??
        (row.customer_phone ? customerIdForPhone(row.customer_phone) : undefined);
      const refunded = -view.ledger
        .filter((l) => l.kind === 'refund')
        .reduce((s, l) => s + l.amount, 0);
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
        ...(ext.intent_id ? { intentId: ext.intent_id } : {}),
        ...(customerId ? { customerId } : {}),
        totals: { amount: view.total, paid: view.paid + refunded, refunded },
        lines: view.lines.map((l) => ({
          kind: l.kind,
          label: (l.label || l.kind).slice(0, 80),
          quantity: 1,
          unitPrice: l.amount,
          amount: l.amount,
        })),
        history: view.history.map((h) => ({
          at: h.at,
          action: h.action.slice(0, 40),
          from: h.from,
          to: h.to,
          actor: { kind: h.actor.kind, id: h.actor.id.slice(0, 64) || 'unknown' },
          ...(h.reason ? { reason: clip(h.reason, 200)! } : {}),
        })),
        updatedAt,
      };
      return BookingDocSchema.parse(doc);
    }
    case 'ledger': {
      const l = hub.db
        .prepare(
          `SELECT l.*, p.channel_txn_id FROM ledger l JOIN payments p ON p.id = l.payment_id WHERE l.id = ? AND l.booking_id = ?`,
        )
        .get(Number(b), a) as
        | {
            id: number;
            booking_id: string;
            kind: 'payment' | 'refund';
            method: PaymentMethod;
            amount: number;
            at: number;
            channel_txn_id: string | null;
          }
        | undefined;
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
        at: at(l.at),
      });
    }
    case 'session': {
      const s = hub.db.prepare('SELECT * FROM sessions WHERE booking_id = ?').get(a) as
        | { booking_id: string; room_id: string; started_at: number; ended_at: number | null }
        | undefined;
      const row = hub.records.find(a!);
      if (!row) return null;
      const opens = hub.db
        .prepare(
          `SELECT at, actor_kind FROM door_events WHERE booking_id = ? AND outcome = 'opened' ORDER BY id`,
        )
        .all(a) as { at: number; actor_kind: 'customer' | 'staff' | 'system' }[];
      const now = hub.clock.now();
      const status = !s
        ? 'waiting'
        : s.ended_at !== null
          ? 'ended'
          : now > row.end_at
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
        startedAt: s ? at(s.started_at) : null,
        endedAt: s?.ended_at ? at(s.ended_at) : null,
        doorOpens: opens.map((o) => ({ at: at(o.at), by: o.actor_kind })),
        updatedAt,
      });
    }
    case 'availability': {
      const roomId = a!;
      const date = docId.slice(`availability:${roomId}:`.length);
      let t;
      try {
        t = hub.bookings.availability(roomId, date);
      } catch {
        return null;
      }
      const state = (k: string) =>
        k === 'in_use' ? 'in_use' : k === 'cleaning' ? 'cleaning' : 'booked';
      return AvailabilityDocSchema.parse({
        _id: docId,
        type: 'availability',
        storeId,
        roomId,
        date,
        segments: t.segments
          .filter((s) => s.kind !== 'free')
          .map((s) => ({ start: s.start, end: s.end, state: state(s.kind) })),
        updatedAt,
      });
    }
    case 'devices': {
      const devices = hub.sessions.devices;
      const health = devices?.health() ?? { buses: [], devices: [] };
      return DevicesHealthDocSchema.parse({
        _id: docId,
        type: 'devices_health',
        storeId,
        buses: health.buses.map((x) => ({
          busId: x.busId,
          kind: x.kind,
          ok: x.ok,
          lastOkAt: x.lastOkAt === null ? null : at(x.lastOkAt),
          ...(x.lastError ? { lastError: x.lastError.slice(0, 200) } : {}),
        })),
        devices: health.devices.map((x) => ({
          deviceId: x.deviceId,
          kind: x.kind,
          rooms: x.rooms,
          ok: x.ok,
          lastOkAt: x.lastOkAt === null ? null : at(x.lastOkAt),
          ...(x.lastError ? { lastError: x.lastError.slice(0, 200) } : {}),
        })),
        updatedAt,
      });
    }
    case 'profile': {
      if (docId === 'profile:store') {
        const loc = (
          hub.db.prepare('SELECT location FROM store WHERE id = ?').get(store.id) as {
            location: string | null;
          }
        ).location;
        const calendar = Object.fromEntries(
          (
            hub.db.prepare('SELECT date, day_type FROM calendar_overrides').all() as {
              date: string;
              day_type: string;
            }[]
          ).map((r) => [r.date, r.day_type]),
        );
        return StoreProfileDocSchema.parse({
          _id: docId,
          type: 'store_profile',
          storeId,
          name: store.name,
          address: store.address,
          phone: store.phone,
          timeZone: tz,
          hours: store.hours,
          location: loc ? (JSON.parse(loc) as { lat: number; lng: number }) : null,
          photos: store.photos,
          rules: store.rules,
          calendar,
          updatedAt,
        });
      }
      const roomId = b!;
      let room;
      try {
        room = hub.store.getRoom(roomId);
      } catch {
        return null;
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
        pricePlan: room.pricePlan,
        status: room.status,
        updatedAt,
      });
    }
    default:
      return null;
  }
}
