// The owner's device schedules (O8): a room's, or every room's (room_id NULL), devices on or off
// by the store's local time on chosen weekdays. Their one writer: hub-app/src/devices/device-schedules.ts.
export default `
CREATE TABLE device_schedules (
  id         TEXT PRIMARY KEY,
  room_id    TEXT REFERENCES rooms(id),
  -- a JSON array of 'lights', 'sockets', 'freshAir', 'ac'
  devices    TEXT NOT NULL,
  -- a JSON array of ISO weekdays, 1 (Monday) to 7 (Sunday)
  weekdays   TEXT NOT NULL,
  start_time TEXT NOT NULL CHECK (start_time GLOB '[0-2][0-9]:[0-5][0-9]'),
  end_time   TEXT NOT NULL CHECK (end_time GLOB '[0-2][0-9]:[0-5][0-9]'),
  turns_on   INTEGER NOT NULL CHECK (turns_on IN (0, 1)),
  -- the AC's setting while an "on" schedule runs it, JSON; NULL: the room's session setting
  ac         TEXT,
  note       TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX device_schedules_room ON device_schedules(room_id);
`;
