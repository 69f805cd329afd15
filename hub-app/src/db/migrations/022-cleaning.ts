// Cleaning tasks (O9, the cleaner): one per session that ended (a booking's session, however
// often its end is told), its status and who holds it, with an append-only history of every step;
// and the rooms the owner marks to skip cleaning. Their one writer: hub-app/src/cleaning/.
export default `
CREATE TABLE cleaning_tasks (
  id           TEXT PRIMARY KEY,
  room_id      TEXT NOT NULL REFERENCES rooms(id),
  -- once per session: the booking whose session ended
  booking_id   TEXT NOT NULL UNIQUE REFERENCES bookings(id),
  status       TEXT NOT NULL CHECK (status IN ('open','taken','done','cancelled')),
  -- who holds it (taken), finished it (done) or held it when it was called off
  holder_id    TEXT REFERENCES staff(id),
  -- when the session ended: the room needs cleaning from then
  since        INTEGER NOT NULL,
  taken_at     INTEGER,
  done_at      INTEGER,
  cancelled_at INTEGER,
  note         TEXT,
  -- why it was last handed over or called off
  reason       TEXT,
  -- the photo's file in the data folder's cleaning-photos folder, and its type
  photo        TEXT,
  photo_type   TEXT CHECK (photo_type IN ('image/jpeg','image/png')),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  CHECK ((status = 'open') = (holder_id IS NULL) OR status = 'cancelled'),
  CHECK ((status = 'done') = (done_at IS NOT NULL))
) STRICT;
CREATE INDEX cleaning_tasks_status ON cleaning_tasks(status, since);
CREATE INDEX cleaning_tasks_holder ON cleaning_tasks(holder_id, done_at);

CREATE TABLE cleaning_task_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id     TEXT NOT NULL REFERENCES cleaning_tasks(id),
  action      TEXT NOT NULL,
  from_status TEXT,
  to_status   TEXT NOT NULL,
  actor_kind  TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  holder_id   TEXT,
  reason      TEXT,
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX cleaning_task_events_task ON cleaning_task_events(task_id, id);
CREATE TRIGGER cleaning_task_events_no_update BEFORE UPDATE ON cleaning_task_events
BEGIN SELECT RAISE(ABORT, 'the history of a cleaning task is append-only'); END;
CREATE TRIGGER cleaning_task_events_no_delete BEFORE DELETE ON cleaning_task_events
BEGIN SELECT RAISE(ABORT, 'the history of a cleaning task is append-only'); END;

-- a room with no row is cleaned after every session
CREATE TABLE cleaning_rooms (
  room_id       TEXT PRIMARY KEY REFERENCES rooms(id),
  skip_cleaning INTEGER NOT NULL CHECK (skip_cleaning IN (0,1)),
  updated_at    INTEGER NOT NULL
) STRICT;
`;
