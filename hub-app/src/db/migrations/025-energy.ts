// Energy per room (issue 15): what each energy meter's counter read, at intervals, and the price
// per kWh the owner sets. Readings are the counter itself (Wh), never a rate: the energy between
// two readings is their difference, so a missed poll loses nothing. Both tables only grow: a
// reading or a price is never changed, a new price is a new row from its moment on.
export default `
CREATE TABLE energy_readings (
  meter_id TEXT NOT NULL,
  -- The room the meter measured when it was read; null for a meter of the whole store.
  room_id  TEXT,
  at       INTEGER NOT NULL,
  wh       INTEGER NOT NULL CHECK (wh >= 0),
  PRIMARY KEY (meter_id, at)
) STRICT, WITHOUT ROWID;
CREATE INDEX energy_readings_room ON energy_readings(room_id, at);
CREATE TRIGGER energy_readings_no_update BEFORE UPDATE ON energy_readings
BEGIN SELECT RAISE(ABORT, 'meter readings are never changed'); END;
CREATE TRIGGER energy_readings_no_delete BEFORE DELETE ON energy_readings
BEGIN SELECT RAISE(ABORT, 'meter readings are never changed'); END;

CREATE TABLE energy_prices (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  from_at     INTEGER NOT NULL,
  fen_per_kwh INTEGER NOT NULL CHECK (fen_per_kwh >= 0),
  actor_id    TEXT
) STRICT;
CREATE TRIGGER energy_prices_no_update BEFORE UPDATE ON energy_prices
BEGIN SELECT RAISE(ABORT, 'a price is replaced by a new one, never changed'); END;
CREATE TRIGGER energy_prices_no_delete BEFORE DELETE ON energy_prices
BEGIN SELECT RAISE(ABORT, 'a price is replaced by a new one, never changed'); END;
`;
