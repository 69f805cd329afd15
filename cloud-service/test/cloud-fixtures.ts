// What the cloud tests write into a store's database as its hub would (with its hub's user): the
// store and room profiles, bookings and ledger entries, each checked against the sync schemas
// first; the keys a cloud is started with; and one call of the cloud's HTTP API.
import { generateKeyPairSync } from 'node:crypto';
import {
  BookingRulesSchema,
  DEFAULT_BOOKING_RULES,
  customerIdForPhone,
  PricePlanSchema,
  type BookingRulesOverride,
  type PaymentMethod,
} from '@roomhub/shared-types';
import {
  BookingDocSchema,
  LedgerDocSchema,
  RoomProfileDocSchema,
  StoreProfileDocSchema,
  STORE_PROFILE_ID,
  bookingDocId,
  ledgerDocId,
  roomProfileDocId,
  storeDbName,
} from '@roomhub/shared-types';
import type { CouchClient, CouchDoc } from '../src/couch';
import { IntentRecordSchema, intentRecordId } from '../src/intents/intents';

export const SH = 'Asia/Shanghai';

/** The cloud's intent signing key pair in these tests; hubs would hold the public key. */
export const CLOUD_KEYS = generateKeyPairSync('ed25519');
/** The key customer ids are made with in these tests. */
export const CUSTOMER_ID_KEY = 'cloud-test-customer-id-key-0123456789';
/** What every cloud in these tests is started with besides its own options. */
export const CLOUD_SECRETS = {
  signingKey: CLOUD_KEYS.privateKey,
  customerIdKey: CUSTOMER_ID_KEY,
} as const;
/** The customer id a phone signs in as, in these tests. */
export const phoneId = (phone: string) => customerIdForPhone(phone, CUSTOMER_ID_KEY);

export const plan = PricePlanSchema.parse({
  rates: { workday: 6000, weekend: 8000, holiday: 10000 },
  bands: [
    {
      name: 'Evening',
      from: '18:00',
      to: '22:00',
      rates: { workday: 9000, weekend: 12000, holiday: 15000 },
    },
  ],
  packages: [
    {
      id: 'afternoon',
      name: 'Afternoon 4h',
      start: '13:00',
      minutes: 240,
      prices: { workday: 19800, weekend: 26800 },
    },
  ],
});

export interface StoreSeed {
  storeId: string;
  lat: number;
  lng: number;
  hours: { open: string; close: string };
  rooms: {
    roomId: string;
    style: string;
    capacity: number;
    workday: number;
    /** The room's own booking rules over the store's. */
    rules?: BookingRulesOverride;
  }[];
  calendar?: Record<string, 'workday' | 'weekend' | 'holiday'>;
  name?: string;
}

/** Writes (or rewrites) a store's profile and its rooms' profiles, as its hub (`hub`). */
export async function seedStoreDocs(
  hub: CouchClient,
  seed: StoreSeed,
  atMs: number,
): Promise<void> {
  const db = hub;
  const name = storeDbName(seed.storeId);
  const updatedAt = new Date(atMs).toISOString();
  const put = async (doc: CouchDoc) => {
    const existing = await db.get(name, doc._id);
    await db.put(name, { ...doc, ...(existing?._rev ? { _rev: existing._rev } : {}) });
  };
  await put(
    StoreProfileDocSchema.parse({
      _id: STORE_PROFILE_ID,
      type: 'store_profile',
      storeId: seed.storeId,
      name: seed.name ?? `Store ${seed.storeId.toUpperCase()}`,
      address: `${seed.storeId} Road 1`,
      phone: '021-12345678',
      timeZone: SH,
      hours: seed.hours,
      location: { lat: seed.lat, lng: seed.lng },
      photos: [],
      rules: BookingRulesSchema.parse(DEFAULT_BOOKING_RULES),
      calendar: seed.calendar ?? {},
      updatedAt,
    }) as CouchDoc,
  );
  for (const room of seed.rooms) {
    await put(
      RoomProfileDocSchema.parse({
        _id: roomProfileDocId(room.roomId),
        type: 'room_profile',
        storeId: seed.storeId,
        roomId: room.roomId,
        name: `Room ${room.roomId}`,
        capacity: room.capacity,
        areaSqm: 20,
        style: room.style,
        facilities: ['wifi'],
        photos: [],
        pricePlan: { ...plan, rates: { ...plan.rates, workday: room.workday } },
        rules: room.rules ?? null,
        status: 'active',
        updatedAt,
      }) as CouchDoc,
    );
  }
}

/** A paid booking as a hub publishes it (a kiosk booking has no intent id). */
export function bookingFact(f: {
  storeId: string;
  bookingId: string;
  roomId: string;
  start: string;
  end: string;
  amount: number;
  customerId?: string;
  intentId?: string;
  status?: 'paid' | 'in_use' | 'completed' | 'refunded';
  at: string;
}): CouchDoc {
  return BookingDocSchema.parse({
    _id: bookingDocId(f.bookingId),
    type: 'booking',
    storeId: f.storeId,
    bookingId: f.bookingId,
    roomId: f.roomId,
    status: f.status ?? 'paid',
    start: f.start,
    end: f.end,
    partySize: 2,
    ...(f.intentId ? { intentId: f.intentId } : {}),
    ...(f.customerId ? { customerId: f.customerId } : {}),
    totals: { amount: f.amount, paid: f.amount, refunded: 0 },
    lines: [{ kind: 'time', label: 'Room', quantity: 1, unitPrice: f.amount, amount: f.amount }],
    history: [
      { at: f.at, action: 'create', from: null, to: 'paid', actor: { kind: 'staff', id: 'kiosk' } },
    ],
    updatedAt: f.at,
  }) as CouchDoc;
}

/** One money movement of a booking. */
export function ledgerFact(f: {
  storeId: string;
  bookingId: string;
  entryId: string;
  kind: 'payment' | 'refund' | 'adjustment';
  method: PaymentMethod;
  amount: number;
  at: string;
  paymentRef?: string;
}): CouchDoc {
  return LedgerDocSchema.parse({
    _id: ledgerDocId(f.bookingId, f.entryId),
    type: 'ledger',
    storeId: f.storeId,
    bookingId: f.bookingId,
    entryId: f.entryId,
    ...(f.paymentRef ? { paymentRef: f.paymentRef } : {}),
    kind: f.kind,
    method: f.method,
    amount: f.amount,
    at: f.at,
  }) as CouchDoc;
}

/**
 * The cloud's own record of a booking request the store confirmed (or confirmed after it expired),
 * with its payment in the state given, as the intent service keeps it.
 */
export function intentRecord(f: {
  storeId: string;
  intentId: string;
  bookingId: string;
  paymentId: string;
  amount: number;
  payment: 'authorised' | 'captured' | 'released';
  /** Confirmed after the intent expired and its payment was released. */
  late?: boolean;
  at: string;
}): CouchDoc {
  const answer = { outcome: 'confirmed', bookingId: f.bookingId, at: f.at };
  return IntentRecordSchema.parse({
    _id: intentRecordId({ customerId: 'c-online' }, f.intentId),
    type: 'intent_record',
    intentId: f.intentId,
    storeId: f.storeId,
    customerId: 'c-online',
    kind: 'booking_request',
    state: f.late ? 'expired' : 'answered',
    createdAt: f.at,
    payment: { paymentId: f.paymentId, method: 'wechat', amount: f.amount, state: f.payment },
    ...(f.late ? { lateAnswer: answer } : { answer }),
    updatedAt: f.at,
  }) as CouchDoc;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are read loosely in tests
export type Json = any;

/** One call of the cloud service's API; a string body is sent as it is (for malformed JSON). */
export async function callApi(
  baseUrl: string,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

export const bearer = (token?: string): Record<string, string> =>
  token ? { Authorization: `Bearer ${token}` } : {};
