// Who may do what (O9): staff with a role and a slow-hashed PIN, their sign-in tokens, the
// store's paired screens and their pairing codes, wrong-PIN waits per screen or address, and the
// append-only audit log of every staff action.
export default `
CREATE TABLE staff (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('owner','manager','cashier','customer_service','cleaner')),
  -- a slow salted hash (argon2id); the PIN itself is never stored
  pin_hash    TEXT NOT NULL,
  -- a keyed hash of the PIN (the key is kept apart from the database): finds the one staff
  -- member a PIN names, and keeps PINs unique
  pin_tag     TEXT NOT NULL UNIQUE,
  -- bumped on every PIN change and on disabling: tokens carry the version they were issued at
  pin_version INTEGER NOT NULL DEFAULT 1,
  status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','disabled')),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE staff_tokens (
  -- sha-256 of the bearer token: a stolen database holds no usable token
  token_hash  TEXT PRIMARY KEY,
  staff_id    TEXT NOT NULL REFERENCES staff(id),
  pin_version INTEGER NOT NULL,
  screen_id   TEXT,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  revoked_at  INTEGER
) STRICT;
CREATE INDEX staff_tokens_staff ON staff_tokens(staff_id);

CREATE TABLE screens (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('kiosk','cashier','door')),
  -- a door scanner serves one room
  room_id     TEXT REFERENCES rooms(id),
  token_hash  TEXT NOT NULL UNIQUE,
  paired_by   TEXT NOT NULL,
  paired_at   INTEGER NOT NULL,
  last_seen_at INTEGER,
  revoked_at  INTEGER
) STRICT;

CREATE TABLE pairing_codes (
  code_hash   TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('kiosk','cashier','door')),
  room_id     TEXT REFERENCES rooms(id),
  created_by  TEXT NOT NULL,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER
) STRICT;

CREATE TABLE sign_in_waits (
  -- a screen id, or the address a call came from
  source      TEXT PRIMARY KEY,
  failures    INTEGER NOT NULL,
  wait_until  INTEGER,
  updated_at  INTEGER NOT NULL
) STRICT;

-- Every staff action: who, on which screen, when, what, and the before and after of a change.
-- Append-only, like the ledger.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  actor_kind  TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  role        TEXT,
  screen_id   TEXT,
  action      TEXT NOT NULL,
  target      TEXT,
  outcome     TEXT NOT NULL,
  before      TEXT,
  after       TEXT,
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor_id, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;
