// Anomalies the store's hub raises itself (B8): a door opened with no session, power drawn with
// no session, a room held and never used. One row each, never changed: `key` names what raised it
// so the same event raises it once however often it is seen. Their one writer:
// hub-app/src/anomalies/.
export default `
CREATE TABLE anomalies (
  id         TEXT PRIMARY KEY,
  key        TEXT NOT NULL UNIQUE,
  kind       TEXT NOT NULL CHECK (kind IN
               ('door_without_session','power_without_session','room_held_unused')),
  at         INTEGER NOT NULL,
  room_id    TEXT,
  booking_id TEXT,
  -- the facts that explain it, a JSON object of plain values
  facts      TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX anomalies_at ON anomalies(at);
CREATE TRIGGER anomalies_no_update BEFORE UPDATE ON anomalies
BEGIN SELECT RAISE(ABORT, 'an anomaly is never changed'); END;
`;
