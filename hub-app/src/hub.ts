// The composition root: one database, one write queue, one scheduler, the services wired
// together. `main.ts` and the tests build a hub here; nothing else constructs services.
import { join } from 'node:path';
import { randomId, systemClock, type Clock, type NewId } from './clock';
import { openDatabase, type Db } from './db/database';
import { WriteQueue } from './db/write-queue';
import { EventBus } from './events/event-bus';
import { Scheduler } from './scheduler/scheduler';
import { StoreService } from './store/store.service';
import { CalendarService } from './calendar/calendar.service';
import { BookingRecords } from './booking/booking-records';
import { BookingService } from './booking/booking.service';
import { EXPIRE_JOB, PaymentService, REFUND_JOB } from './payments/payment.service';
import type { OnlineChannel, OnlinePaymentMethod } from './payments/channel';
import { DoorCodes } from './sessions/door-codes';
import { SessionService } from './sessions/session.service';
import { Outbox } from './sync/outbox';

export interface HubOptions {
  /** Folder for hub.db and backups. */
  dataDir: string;
  clock?: Clock;
  newId?: NewId;
  channels?: Partial<Record<OnlinePaymentMethod, OnlineChannel>>;
  /** How gateways reach this hub's notification endpoint, e.g. http://127.0.0.1:8080. */
  publicUrl?: string;
}

export interface Hub {
  dataDir: string;
  dbFile: string;
  db: Db;
  clock: Clock;
  writes: WriteQueue;
  events: EventBus;
  scheduler: Scheduler;
  store: StoreService;
  calendar: CalendarService;
  records: BookingRecords;
  payments: PaymentService;
  bookings: BookingService;
  sessions: SessionService;
  doorCodes: DoorCodes;
  outbox: Outbox;
  channels: Partial<Record<OnlinePaymentMethod, OnlineChannel>>;
  setPublicUrl(url: string): void;
  close(): void;
}

export function createHub(opts: HubOptions): Hub {
  const clock = opts.clock ?? systemClock;
  const newId = opts.newId ?? randomId;
  const dbFile = join(opts.dataDir, 'hub.db');
  const db = openDatabase(dbFile);
  const events = new EventBus();
  const store = new StoreService(db, clock, newId);
  const calendar = new CalendarService(db, clock);
  const writes = new WriteQueue(db, () => {
    // A failed commit may leave caches holding rows that never landed.
    store.invalidate();
    calendar.invalidate();
  });
  const scheduler = new Scheduler(db, clock);
  const outbox = new Outbox(db, clock);
  const records = new BookingRecords(db, clock, events, outbox, () => store.getStore().timeZone);
  let publicUrl = opts.publicUrl ?? 'http://127.0.0.1:8080';
  const channels = opts.channels ?? {};
  const payments = new PaymentService({
    db,
    clock,
    newId,
    writes,
    records,
    scheduler,
    channels,
    notifyUrl: (method) => `${publicUrl}/api/payments/notify/${method}`,
    timeZone: () => store.getStore().timeZone,
    outbox,
  });
  const bookings = new BookingService({
    db,
    clock,
    newId,
    records,
    store,
    calendar,
    payments,
    scheduler,
  });

  const doorCodes = new DoorCodes(db, clock);
  const sessions = new SessionService({
    db,
    clock,
    newId,
    writes,
    records,
    store,
    calendar,
    payments,
    scheduler,
    events,
    doorCodes,
    outbox,
  });
  sessions.register();

  scheduler.on(EXPIRE_JOB, (job) =>
    writes.run((afterCommit) => bookings.expire(job.ref, afterCommit)),
  );
  scheduler.on(REFUND_JOB, (job) => payments.executeRefund(job.ref));

  return {
    dataDir: opts.dataDir,
    dbFile,
    db,
    clock,
    writes,
    events,
    scheduler,
    store,
    calendar,
    records,
    payments,
    bookings,
    sessions,
    doorCodes,
    outbox,
    channels,
    setPublicUrl(url) {
      publicUrl = url;
    },
    close() {
      scheduler.stop();
      writes.close();
      db.close();
    },
  };
}
