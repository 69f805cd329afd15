// The owner's remote view of one store, read from what its hub replicated: the day's board,
// orders, revenue from the append-only ledger, device health and sync freshness. Read-only.
import { localDateOf } from '@roomhub/shared-types';
import {
  AvailabilityDocSchema,
  BookingDocSchema,
  DEVICES_HEALTH_ID,
  DevicesHealthDocSchema,
  LedgerDocSchema,
  SessionDocSchema,
  storeDbName,
  type BookingDoc,
} from '../documents';
import type { CouchClient } from './couch';
import { publicDoc } from './orders';
import { loadStoreProfiles } from './store-profiles';

function parseAll<T>(
  docs: unknown[],
  schema: { safeParse(v: unknown): { success: boolean; data?: T } },
): T[] {
  return docs.flatMap((d) => {
    const p = schema.safeParse(d);
    return p.success && p.data !== undefined ? [p.data] : [];
  });
}

export async function ownerBoard(couch: CouchClient, storeId: string, date: string) {
  const profiles = await loadStoreProfiles(couch, storeId);
  if (!profiles) return undefined;
  const db = storeDbName(storeId);
  const tz = profiles.store.timeZone;
  const [bookings, sessions, availability] = await Promise.all([
    couch.byPrefix(db, 'booking:').then((d) => parseAll<BookingDoc>(d, BookingDocSchema)),
    couch.byPrefix(db, 'session:').then((d) => parseAll(d, SessionDocSchema)),
    couch.byPrefix(db, 'availability:').then((d) => parseAll(d, AvailabilityDocSchema)),
  ]);
  const today = bookings.filter((b) => localDateOf(Date.parse(b.start), tz) === date);
  return {
    storeId,
    date,
    rooms: profiles.rooms
      .filter((r) => r.status === 'active')
      .map((room) => ({
        roomId: room.roomId,
        name: room.name,
        segments:
          availability.find((a) => a.roomId === room.roomId && a.date === date)?.segments ?? [],
        bookings: today.filter((b) => b.roomId === room.roomId).map((b) => publicDoc(b)),
        session:
          sessions.find(
            (s) =>
              today.some((b) => b.bookingId === s.bookingId && b.roomId === room.roomId) &&
              s.status !== 'ended',
          ) ?? null,
      })),
  };
}

export async function ownerOrders(
  couch: CouchClient,
  storeId: string,
  filter: { status?: string | undefined; date?: string | undefined },
  timeZone: string,
) {
  const bookings = parseAll<BookingDoc>(
    await couch.byPrefix(storeDbName(storeId), 'booking:'),
    BookingDocSchema,
  );
  return bookings
    .filter((b) => filter.status === undefined || b.status === filter.status)
    .filter(
      (b) =>
        filter.date === undefined || localDateOf(Date.parse(b.start), timeZone) === filter.date,
    )
    .sort((a, b) => b.start.localeCompare(a.start))
    .map((b) => publicDoc(b));
}

/** Sums of the ledger by local day, kind and method; money in fen. */
export async function ownerRevenue(
  couch: CouchClient,
  storeId: string,
  from: string,
  to: string,
  timeZone: string,
) {
  const ledger = parseAll(await couch.byPrefix(storeDbName(storeId), 'ledger:'), LedgerDocSchema);
  const days = new Map<
    string,
    { date: string; payments: number; refunds: number; adjustments: number; net: number }
  >();
  const byMethod: Record<string, number> = {};
  let net = 0;
  for (const entry of ledger) {
    const date = localDateOf(Date.parse(entry.at), timeZone);
    if (date < from || date > to) continue;
    const day = days.get(date) ?? { date, payments: 0, refunds: 0, adjustments: 0, net: 0 };
    if (entry.kind === 'payment') day.payments += entry.amount;
    else if (entry.kind === 'refund') day.refunds += entry.amount;
    else day.adjustments += entry.amount;
    day.net += entry.amount;
    days.set(date, day);
    byMethod[entry.method] = (byMethod[entry.method] ?? 0) + entry.amount;
    net += entry.amount;
  }
  return {
    storeId,
    from,
    to,
    net,
    byMethod,
    days: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)),
  };
}

export async function ownerDevices(couch: CouchClient, storeId: string) {
  const parsed = DevicesHealthDocSchema.safeParse(
    await couch.get(storeDbName(storeId), DEVICES_HEALTH_ID),
  );
  return parsed.success ? publicDoc(parsed.data) : { storeId, devices: [], updatedAt: null };
}

/** How fresh the store's replicated data is: the newest time of each kind of hub document. */
export async function ownerSync(couch: CouchClient, storeId: string, nowMs: number) {
  const db = storeDbName(storeId);
  const latest: Record<string, string | null> = {};
  let newest: string | null = null;
  for (const [kind, prefix, field] of [
    ['bookings', 'booking:', 'updatedAt'],
    ['ledger', 'ledger:', 'at'],
    ['sessions', 'session:', 'updatedAt'],
    ['availability', 'availability:', 'updatedAt'],
    ['devices', 'devices:', 'updatedAt'],
    ['answers', 'answer:', 'at'],
    ['profiles', 'profile:', 'updatedAt'],
  ] as const) {
    const times = (await couch.byPrefix(db, prefix))
      .map((d) => d[field])
      .filter((v): v is string => typeof v === 'string')
      .sort();
    const last = times.at(-1) ?? null;
    latest[kind] = last;
    if (last && (!newest || Date.parse(last) > Date.parse(newest))) newest = last;
  }
  const intents = await couch.byPrefix(db, 'intent:');
  const answers = new Set(
    (await couch.byPrefix(db, 'answer:')).map((d) => d._id.slice('answer:'.length)),
  );
  const unanswered = intents.filter((i) => !answers.has(i._id.slice('intent:'.length)));
  return {
    storeId,
    latest,
    lastHubWriteAt: newest,
    lagMs: newest ? Math.max(0, nowMs - Date.parse(newest)) : null,
    unansweredIntents: unanswered.length,
    oldestUnansweredAt: unanswered.map((i) => String(i.createdAt)).sort()[0] ?? null,
  };
}
