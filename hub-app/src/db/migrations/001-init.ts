// The first schema: store, rooms, calendar overrides, bookings with their guard, history,
// payments, refunds, the money ledger and the job queue.
const OCCUPYING = `('pending_payment','paid','in_use','completed','refunding')`;

export default `
CREATE TABLE store (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  address     TEXT NOT NULL,
  phone       TEXT NOT NULL,
  time_zone   TEXT NOT NULL,
  hours_open  TEXT NOT NULL,
  hours_close TEXT NOT NULL,
  logo_url    TEXT,
  photos      TEXT NOT NULL DEFAULT '[]',
  rules       TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE rooms (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  capacity    INTEGER NOT NULL CHECK (capacity > 0),
  area_sqm    REAL NOT NULL CHECK (area_sqm > 0),
  style       TEXT NOT NULL,
  facilities  TEXT NOT NULL DEFAULT '[]',
  photos      TEXT NOT NULL DEFAULT '[]',
  price_plan  TEXT NOT NULL,
  rules       TEXT,
  status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','retired')),
  sort        INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE calendar_overrides (
  date        TEXT PRIMARY KEY,
  day_type    TEXT NOT NULL CHECK (day_type IN ('workday','weekend','holiday')),
  note        TEXT,
  updated_by  TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE bookings (
  id            TEXT PRIMARY KEY,
  number        TEXT NOT NULL UNIQUE,
  room_id       TEXT NOT NULL REFERENCES rooms(id),
  status        TEXT NOT NULL CHECK (status IN
                  ('pending_payment','paid','in_use','completed','cancelled','refunding','refunded')),
  start_at      INTEGER NOT NULL,
  end_at        INTEGER NOT NULL,
  -- what the booking keeps from others: its time plus the cleaning buffer after it
  block_start   INTEGER NOT NULL,
  block_end     INTEGER NOT NULL,
  party_size    INTEGER NOT NULL CHECK (party_size > 0),
  customer_phone TEXT NOT NULL,
  customer_name TEXT,
  package_id    TEXT,
  total         INTEGER NOT NULL CHECK (total >= 0),
  lines         TEXT NOT NULL,
  hold_expires_at INTEGER,
  refund_from_status TEXT,
  changes       INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  CHECK (end_at > start_at),
  -- block_end falls below end_at when a session ends early and the rest of the slot is freed
  CHECK (block_start = start_at AND block_end > block_start)
) STRICT;

CREATE INDEX bookings_room_occupying ON bookings(room_id, block_end)
  WHERE status IN ${OCCUPYING};
CREATE INDEX bookings_start ON bookings(start_at);
CREATE INDEX bookings_phone ON bookings(customer_phone);

-- The second guard against double booking: even if service code is wrong, no two bookings that
-- hold a room may overlap there (cleaning buffer included).
CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings
WHEN NEW.status IN ${OCCUPYING}
BEGIN
  SELECT RAISE(ABORT, 'slot_taken: overlapping booking in room')
  WHERE EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.room_id = NEW.room_id AND b.status IN ${OCCUPYING}
      AND b.block_end > NEW.block_start AND b.block_start < NEW.block_end);
END;

CREATE TRIGGER bookings_no_overlap_update BEFORE UPDATE OF room_id, block_start, block_end, status ON bookings
WHEN NEW.status IN ${OCCUPYING}
BEGIN
  SELECT RAISE(ABORT, 'slot_taken: overlapping booking in room')
  WHERE EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.room_id = NEW.room_id AND b.id <> NEW.id AND b.status IN ${OCCUPYING}
      AND b.block_end > NEW.block_start AND b.block_start < NEW.block_end);
END;

CREATE TABLE booking_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  booking_id  TEXT NOT NULL REFERENCES bookings(id),
  action      TEXT NOT NULL,
  from_status TEXT,
  to_status   TEXT NOT NULL,
  actor_kind  TEXT NOT NULL CHECK (actor_kind IN ('customer','staff','system')),
  actor_id    TEXT NOT NULL,
  reason      TEXT,
  data        TEXT,
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX booking_events_booking ON booking_events(booking_id, id);

CREATE TABLE payments (
  id            TEXT PRIMARY KEY,
  booking_id    TEXT NOT NULL REFERENCES bookings(id),
  -- cloud: taken by the cloud service for an online booking request, refunded by the cloud
  method        TEXT NOT NULL CHECK (method IN ('cash','simulated','cloud')),
  amount        INTEGER NOT NULL CHECK (amount > 0),  -- what was asked: the charge's total
  received      INTEGER,                             -- what the ledger was credited
  status        TEXT NOT NULL CHECK (status IN ('pending','succeeded','closed')),
  channel_txn_id TEXT UNIQUE,
  pay_url       TEXT,
  qr_payload    TEXT,
  expires_at    INTEGER,
  created_at    INTEGER NOT NULL,
  paid_at       INTEGER
) STRICT;
CREATE INDEX payments_booking ON payments(booking_id);

CREATE TABLE refunds (
  id            TEXT PRIMARY KEY,
  booking_id    TEXT NOT NULL REFERENCES bookings(id),
  payment_id    TEXT NOT NULL REFERENCES payments(id),
  amount        INTEGER NOT NULL CHECK (amount > 0),
  -- why the money goes back: a cancellation, an approved refund request, a cheaper change,
  -- or a payment that arrived for a booking that no longer wanted it
  purpose       TEXT NOT NULL CHECK (purpose IN ('cancel','approved','change','late_payment','overpaid')),
  reason        TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending','succeeded','failed')),
  channel_refund_id TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT,
  created_at    INTEGER NOT NULL,
  settled_at    INTEGER
) STRICT;
CREATE INDEX refunds_booking ON refunds(booking_id);

-- Every money movement. Append-only: a correction is a new row, never an edit.
CREATE TABLE ledger (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  booking_id  TEXT NOT NULL REFERENCES bookings(id),
  kind        TEXT NOT NULL CHECK (kind IN ('payment','refund')),
  method      TEXT NOT NULL,
  amount      INTEGER NOT NULL CHECK ((kind = 'payment' AND amount > 0) OR (kind = 'refund' AND amount < 0)),
  payment_id  TEXT NOT NULL REFERENCES payments(id),
  refund_id   TEXT REFERENCES refunds(id),
  actor_kind  TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX ledger_booking ON ledger(booking_id);
CREATE UNIQUE INDEX ledger_one_per_payment ON ledger(payment_id) WHERE kind = 'payment';
CREATE UNIQUE INDEX ledger_one_per_refund ON ledger(refund_id) WHERE kind = 'refund';
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

-- Human-readable sequences, such as each day's booking numbers.
CREATE TABLE counters (
  name        TEXT PRIMARY KEY,
  value       INTEGER NOT NULL
) STRICT;

-- Due work that must survive a restart: hold expiries, refund retries.
CREATE TABLE jobs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  kind        TEXT NOT NULL,
  ref         TEXT NOT NULL,
  due_at      INTEGER NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  created_at  INTEGER NOT NULL,
  UNIQUE (kind, ref)
) STRICT;
CREATE INDEX jobs_due ON jobs(due_at);
`;
