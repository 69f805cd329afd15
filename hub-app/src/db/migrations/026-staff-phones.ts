// A staff phone (a cleaner's, on the store's Wi-Fi) is paired like the store's screens: it may do
// nothing by itself, but staff may sign in on it from the store's network. SQLite changes a CHECK
// only by rebuilding the table, so `screens` and `pairing_codes` are rebuilt with every row.
export default `
CREATE TABLE screens_new (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('kiosk','cashier','door','phone')),
  -- a door scanner serves one room
  room_id     TEXT REFERENCES rooms(id),
  token_hash  TEXT NOT NULL UNIQUE,
  paired_by   TEXT NOT NULL,
  paired_at   INTEGER NOT NULL,
  last_seen_at INTEGER,
  revoked_at  INTEGER
) STRICT;
INSERT INTO screens_new
  SELECT id, name, kind, room_id, token_hash, paired_by, paired_at, last_seen_at, revoked_at FROM screens;
DROP TABLE screens;
ALTER TABLE screens_new RENAME TO screens;

CREATE TABLE pairing_codes_new (
  code_hash   TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('kiosk','cashier','door','phone')),
  room_id     TEXT REFERENCES rooms(id),
  created_by  TEXT NOT NULL,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER
) STRICT;
INSERT INTO pairing_codes_new
  SELECT code_hash, name, kind, room_id, created_by, expires_at, used_at FROM pairing_codes;
DROP TABLE pairing_codes;
ALTER TABLE pairing_codes_new RENAME TO pairing_codes;
`;
