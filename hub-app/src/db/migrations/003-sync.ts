// Cloud sync: the outbox of documents to publish (written in the same transaction as the change
// they describe), the hub's answers to the cloud's intents (each intent is decided once), and the
// few facts a booking made online carries.
export default `
CREATE TABLE outbox (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  -- the sync document to publish; its content is read when it is published, so it is the latest
  doc_id  TEXT NOT NULL,
  at      INTEGER NOT NULL
) STRICT;

CREATE TABLE intent_answers (
  intent_id   TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  reason      TEXT,
  booking_id  TEXT,
  at          INTEGER NOT NULL
) STRICT;

ALTER TABLE bookings ADD COLUMN customer_id TEXT;
ALTER TABLE bookings ADD COLUMN intent_id TEXT;
ALTER TABLE store ADD COLUMN location TEXT;
`;
