// Sessions in the room: door codes, who opened which door, the sessions themselves, staff device
// overrides and their audit, reminders sent, and extensions waiting for payment.
export default `
CREATE TABLE door_codes (
  booking_id  TEXT PRIMARY KEY REFERENCES bookings(id),
  secret      TEXT NOT NULL,
  -- the last time step a code was accepted for: a code is good once
  last_step   INTEGER,
  created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
  booking_id  TEXT PRIMARY KEY REFERENCES bookings(id),
  room_id     TEXT NOT NULL REFERENCES rooms(id),
  opened_at   INTEGER NOT NULL,
  ended_at    INTEGER,
  end_reason  TEXT,
  overtime_minutes INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX sessions_open ON sessions(room_id) WHERE ended_at IS NULL;

CREATE TABLE door_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  room_id     TEXT NOT NULL,
  booking_id  TEXT,
  method      TEXT NOT NULL CHECK (method IN ('app','code','qr','staff')),
  outcome     TEXT NOT NULL CHECK (outcome IN ('opened','refused','failed')),
  reason      TEXT,
  actor_kind  TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX door_events_room ON door_events(room_id, at);

CREATE TABLE door_lockouts (
  input        TEXT PRIMARY KEY,
  failures     INTEGER NOT NULL,
  locked_until INTEGER,
  updated_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE device_overrides (
  device_id   TEXT PRIMARY KEY,
  state       INTEGER NOT NULL CHECK (state IN (0, 1)),
  reason      TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  at          INTEGER NOT NULL
) STRICT;

CREATE TABLE device_actions (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id   TEXT,
  room_id     TEXT,
  action      TEXT NOT NULL,
  reason      TEXT,
  actor_kind  TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  at          INTEGER NOT NULL
) STRICT;

CREATE TABLE notifications (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  booking_id   TEXT NOT NULL REFERENCES bookings(id),
  room_id      TEXT NOT NULL,
  kind         TEXT NOT NULL,
  minutes_left INTEGER NOT NULL DEFAULT 0,
  message      TEXT NOT NULL,
  at           INTEGER NOT NULL,
  UNIQUE (booking_id, kind, minutes_left, at)
) STRICT;
CREATE INDEX notifications_booking ON notifications(booking_id);

CREATE TABLE extensions (
  id          TEXT PRIMARY KEY,
  booking_id  TEXT NOT NULL REFERENCES bookings(id),
  from_end    INTEGER NOT NULL,
  to_end      INTEGER NOT NULL,
  amount      INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('pending','paid','expired')),
  hold_expires_at INTEGER NOT NULL,
  created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX extensions_booking ON extensions(booking_id);
`;
