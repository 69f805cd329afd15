// Room speakers and room maintenance (issue 16). The owner's speaker settings (which stored clip
// each announcement plays, the volume by day and at night) are one row of JSON, checked by
// `SpeakerSettingsSchema` on the way in. A room under maintenance for a period is not bookable
// in it; a mark is lifted by a new `lifted_at`, never deleted, so what customers were told stays.
export default `
CREATE TABLE speaker_settings (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  settings   TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE room_maintenance (
  id         TEXT PRIMARY KEY,
  room_id    TEXT NOT NULL REFERENCES rooms(id),
  start_at   INTEGER NOT NULL,
  end_at     INTEGER NOT NULL CHECK (end_at > start_at),
  reason     TEXT NOT NULL,
  actor_id   TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  lifted_at  INTEGER
) STRICT;
CREATE INDEX room_maintenance_room ON room_maintenance(room_id, start_at);
CREATE TRIGGER room_maintenance_no_delete BEFORE DELETE ON room_maintenance
BEGIN SELECT RAISE(ABORT, 'a maintenance mark is lifted, never deleted'); END;
`;
