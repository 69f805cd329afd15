// The store's own record and its rooms (O1, O2). Owns the `store` and `rooms` tables. Each
// change is published to the cloud (outbox, same transaction) and announced on the live events
// after it commits. Reads bookings only to refuse retiring a room that still has some to come.
import {
  applyPatch,
  BookingRulesOverrideSchema,
  BookingRulesSchema,
  ConsistentBookingRulesSchema,
  DomainError,
  effectiveRules,
  notFound,
  OCCUPYING_STATUSES,
  PricePlanSchema,
  type BookingRules,
  type Clock,
  type Room,
  type RoomStatus,
  type Store,
  type StoreInfo,
} from '@roomhub/shared-types';
import type { z } from 'zod';
import type { RoomInputSchema, RoomPatchSchema, StorePatchSchema } from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { AfterCommit } from '../db/write-queue';
import type { EventBus } from '../events/event-bus';
import type { Outbox } from '../sync/outbox';

export type { Room, Store };

export interface StoreDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  outbox: Outbox;
  events: EventBus;
}

interface RoomRow {
  id: string;
  number: string;
  name: string;
  capacity: number;
  area_sqm: number;
  style: string;
  facilities: string;
  photos: string;
  video: string | null;
  video_poster: string | null;
  price_plan: string;
  rules: string | null;
  status: RoomStatus;
  sort: number;
}

interface StoreRow {
  id: string;
  name: string;
  address: string;
  phone: string;
  time_zone: string;
  hours_open: string;
  hours_close: string;
  logo_url: string | null;
  theme: string | null;
  photos: string;
  rules: string;
}

const toRoom = (r: RoomRow): Room => ({
  id: r.id,
  number: r.number,
  name: r.name,
  capacity: r.capacity,
  areaSqm: r.area_sqm,
  style: r.style,
  facilities: JSON.parse(r.facilities) as string[],
  photos: JSON.parse(r.photos) as string[],
  video: r.video,
  videoPoster: r.video_poster,
  pricePlan: PricePlanSchema.parse(JSON.parse(r.price_plan)),
  rules: r.rules ? BookingRulesOverrideSchema.parse(JSON.parse(r.rules)) : null,
  status: r.status,
  sort: r.sort,
});

const toStore = (r: StoreRow): Store => ({
  id: r.id,
  name: r.name,
  address: r.address,
  phone: r.phone,
  timeZone: r.time_zone,
  hours: { open: r.hours_open, close: r.hours_close },
  logoUrl: r.logo_url,
  theme: r.theme,
  photos: JSON.parse(r.photos) as string[],
  // Parsed, not cast: rules saved by an older hub get the defaults of fields added since.
  rules: BookingRulesSchema.parse(JSON.parse(r.rules)),
});

export class StoreService {
  // Rooms and the store change rarely and are read on every quote: cache, invalidate on write.
  private storeCache: Store | null = null;
  private roomCache = new Map<string, Room>();

  private readonly db: Db;
  private readonly clock: Clock;

  constructor(private readonly d: StoreDeps) {
    this.db = d.db;
    this.clock = d.clock;
  }

  hasStore(): boolean {
    return this.db.prepare('SELECT 1 FROM store').get() !== undefined;
  }

  getStore(): Store {
    if (this.storeCache) return this.storeCache;
    const row = this.db.prepare('SELECT * FROM store LIMIT 1').get() as StoreRow | undefined;
    if (!row) throw new DomainError('unavailable', 'store_not_set_up', 'this hub has no store yet');
    this.storeCache = toStore(row);
    return this.storeCache;
  }

  createStore(info: StoreInfo): Store {
    const now = this.clock.now();
    this.db
      .prepare(
        `INSERT INTO store (id, name, address, phone, time_zone, hours_open, hours_close, logo_url, theme, photos, rules, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.d.newId(),
        info.name,
        info.address,
        info.phone,
        info.timeZone,
        info.hours.open,
        info.hours.close,
        info.logoUrl,
        info.theme ?? null,
        JSON.stringify(info.photos),
        JSON.stringify(info.rules),
        now,
        now,
      );
    this.storeCache = null;
    this.d.outbox.markStoreProfile();
    return this.readStore();
  }

  /** Where the store is on the map, for "stores near me" in the cloud. */
  location(): { lat: number; lng: number } | null {
    const r = this.db.prepare('SELECT location FROM store LIMIT 1').get() as
      { location: string | null } | undefined;
    return r?.location ? (JSON.parse(r.location) as { lat: number; lng: number }) : null;
  }

  setLocation(at: { lat: number; lng: number }): void {
    this.db.prepare('UPDATE store SET location = ?').run(JSON.stringify(at));
    this.d.outbox.markStoreProfile();
  }

  /** Changes the fields a patch names; the booking rules merge into the store's. */
  patchStore(input: z.output<typeof StorePatchSchema>): Store {
    const { location, ...patch } = input;
    if (location) this.setLocation(location);
    const current = this.getStore();
    const s: Store = {
      ...current,
      ...patch,
      rules: applyPatch(ConsistentBookingRulesSchema, current.rules, patch.rules, 'rules'),
    };
    this.d.outbox.markStoreProfile();
    this.db
      .prepare(
        `UPDATE store SET name = ?, address = ?, phone = ?, hours_open = ?, hours_close = ?, logo_url = ?,
         theme = ?, photos = ?, rules = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        s.name,
        s.address,
        s.phone,
        s.hours.open,
        s.hours.close,
        s.logoUrl,
        s.theme ?? null,
        JSON.stringify(s.photos),
        JSON.stringify(s.rules),
        this.clock.now(),
        s.id,
      );
    this.storeCache = null;
    return this.readStore();
  }

  // Reads after a write skip the cache: the transaction may still roll back.
  private readStore(): Store {
    return toStore(this.db.prepare('SELECT * FROM store LIMIT 1').get() as StoreRow);
  }

  private readRoom(id: string): Room {
    return toRoom(this.db.prepare('SELECT * FROM rooms WHERE id = ?').get(id) as RoomRow);
  }

  listRooms(opts: { includeRetired?: boolean } = {}): Room[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM rooms ${opts.includeRetired ? '' : `WHERE status = 'active'`} ORDER BY sort, name`,
      )
      .all() as RoomRow[];
    return rows.map(toRoom);
  }

  getRoom(id: string, field = 'roomId'): Room {
    const cached = this.roomCache.get(id);
    if (cached) return cached;
    const row = this.db.prepare('SELECT * FROM rooms WHERE id = ?').get(id) as RoomRow | undefined;
    if (!row) throw notFound('room', id, field);
    const room = toRoom(row);
    this.roomCache.set(id, room);
    return room;
  }

  /** A room a customer may book now: it exists and is not retired. */
  bookableRoom(id: string, field = 'roomId'): Room {
    const room = this.getRoom(id, field);
    if (room.status !== 'active') {
      throw new DomainError(
        'conflict',
        'room_retired',
        `room ${room.name} is retired and takes no bookings`,
        field,
      ).with({ room: room.name });
    }
    return room;
  }

  /**
   * The room a device file names: by its id or by its number (any case). Retired rooms count:
   * their devices are still wired.
   */
  roomByRef(ref: string): Room | undefined {
    const row = this.db
      .prepare('SELECT * FROM rooms WHERE id = ? OR number = ?')
      .get(ref, ref.trim().toUpperCase()) as RoomRow | undefined;
    return row ? toRoom(row) : undefined;
  }

  rulesFor(room: Room): BookingRules {
    return effectiveRules(this.getStore().rules, room.rules);
  }

  createRoom(input: z.output<typeof RoomInputSchema>, afterCommit: AfterCommit): Room {
    const id = this.d.newId();
    const now = this.clock.now();
    const sort = (
      this.db.prepare('SELECT COALESCE(MAX(sort), 0) + 1 AS s FROM rooms').get() as { s: number }
    ).s;
    const number = input.number ?? this.nextFreeNumber();
    this.assertNumberFree(number, id);
    this.db
      .prepare(
        `INSERT INTO rooms (id, number, name, capacity, area_sqm, style, facilities, photos, video, video_poster, price_plan, rules, status, sort, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)`,
      )
      .run(
        id,
        number,
        input.name,
        input.capacity,
        input.areaSqm,
        input.style,
        JSON.stringify(input.facilities),
        JSON.stringify(input.photos),
        input.video,
        input.videoPoster,
        JSON.stringify(input.pricePlan),
        input.rules ? JSON.stringify(input.rules) : null,
        sort,
        now,
        now,
      );
    this.roomChanged(id, afterCommit);
    return this.readRoom(id);
  }

  /** Edits or retires a room; the price plan's fields a patch names replace the room's. */
  patchRoom(id: string, patch: z.output<typeof RoomPatchSchema>, afterCommit: AfterCommit): Room {
    const current = this.getRoom(id, 'id');
    const r: Room = {
      ...current,
      ...patch,
      pricePlan: applyPatch(PricePlanSchema, current.pricePlan, patch.pricePlan, 'pricePlan'),
    };
    if (patch.status === 'retired') this.assertCanRetire(id);
    this.assertNumberFree(r.number, id);
    this.db
      .prepare(
        `UPDATE rooms SET number = ?, name = ?, capacity = ?, area_sqm = ?, style = ?, facilities = ?,
         photos = ?, video = ?, video_poster = ?, price_plan = ?, rules = ?, status = ?, updated_at = ?
         WHERE id = ?`,
      )
      .run(
        r.number,
        r.name,
        r.capacity,
        r.areaSqm,
        r.style,
        JSON.stringify(r.facilities),
        JSON.stringify(r.photos),
        r.video,
        r.videoPoster,
        JSON.stringify(r.pricePlan),
        r.rules ? JSON.stringify(r.rules) : null,
        r.status,
        this.clock.now(),
        id,
      );
    this.roomCache.delete(id);
    this.roomChanged(id, afterCommit);
    return this.readRoom(id);
  }

  /** The number a room gets when the owner gives none: after the highest all-digit one, or 101. */
  private nextFreeNumber(): string {
    const { n } = this.db
      .prepare(
        `SELECT MAX(CAST(number AS INTEGER)) AS n FROM rooms WHERE number NOT GLOB '*[^0-9]*'`,
      )
      .get() as { n: number | null };
    return String(Math.max(n ?? 100, 100) + 1);
  }

  /** Numbers are unique in the store, retired rooms' too: a device file may still name them. */
  private assertNumberFree(number: string, roomId: string): void {
    const other = this.db
      .prepare('SELECT name FROM rooms WHERE number = ? AND id <> ?')
      .get(number, roomId) as { name: string } | undefined;
    if (other) {
      throw new DomainError(
        'conflict',
        'room_number_taken',
        `room number ${number} is taken by room ${other.name}; choose another`,
        'number',
      ).with({ number, room: other.name });
    }
  }

  /** A room with bookings still to come cannot be retired: those customers would be stranded. */
  private assertCanRetire(roomId: string): void {
    const statuses = OCCUPYING_STATUSES.map(() => '?').join(',');
    const { n } = this.db
      .prepare(
        `SELECT COUNT(*) AS n FROM bookings WHERE room_id = ? AND status IN (${statuses}) AND block_end > ?`,
      )
      .get(roomId, ...OCCUPYING_STATUSES, this.clock.now()) as { n: number };
    if (n > 0) {
      throw new DomainError(
        'conflict',
        'room_has_bookings',
        `the room has ${n} booking(s) still to come; move or cancel them first`,
        'status',
      ).with({ n });
    }
  }

  private roomChanged(roomId: string, afterCommit: AfterCommit): void {
    this.d.outbox.markRoomProfile(roomId);
    const at = this.clock.now();
    afterCommit(() => this.d.events.emit({ type: 'room.changed', roomId, at }));
  }

  /** Publishes the store and every room, e.g. at start, so the cloud lists what the hub has now. */
  publishAll(): void {
    this.d.outbox.markStoreProfile();
    for (const r of this.listRooms({ includeRetired: true })) this.d.outbox.markRoomProfile(r.id);
  }

  /** Forget cached rows, e.g. when a transaction that wrote them rolled back. */
  invalidate(): void {
    this.storeCache = null;
    this.roomCache.clear();
  }
}
