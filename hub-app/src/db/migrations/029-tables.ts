// Finding players (C14): a table is one booking held until its seats are paid (its id is the
// start intent's); each player's seat names the cloud payment of their share. The owner's rules
// for tables are one row. Whether a table is open, filled or released is its booking's status.
export default `
CREATE TABLE game_tables (
  id TEXT PRIMARY KEY,
  booking_id TEXT NOT NULL UNIQUE REFERENCES bookings(id),
  title TEXT NOT NULL,
  seats INTEGER NOT NULL CHECK (seats >= 2),
  share INTEGER NOT NULL CHECK (share >= 1),
  starter_share INTEGER NOT NULL CHECK (starter_share >= share),
  deadline INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE table_players (
  table_id TEXT NOT NULL REFERENCES game_tables(id),
  seat INTEGER NOT NULL CHECK (seat >= 1),
  customer_id TEXT NOT NULL,
  phone TEXT NOT NULL,
  name TEXT NOT NULL,
  share INTEGER NOT NULL,
  payment_id TEXT NOT NULL REFERENCES payments(id),
  intent_id TEXT NOT NULL UNIQUE,
  joined_at INTEGER NOT NULL,
  PRIMARY KEY (table_id, seat),
  UNIQUE (table_id, customer_id)
);

CREATE TABLE table_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  enabled INTEGER NOT NULL,
  age_notice TEXT NOT NULL,
  hours_from TEXT,
  hours_to TEXT,
  updated_at INTEGER NOT NULL
);
`;
