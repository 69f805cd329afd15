// Members (C11, O6). `members`: a customer of the store by phone, from their first booking, with
// their profile and level. `member_level_changes`: every change of a member's level with why.
// `member_activity`: what counts toward a level (spend, visits, top-ups), append-only, one or
// more rows per booking, order or top-up (`ref`), so what a ref has counted is its sum.
// `member_points`: the points ledger, append-only; a member's points are its sum and never go
// below zero. `member_settings`: the owner's rules and levels.
export default `
CREATE TABLE members (
  id         TEXT PRIMARY KEY,
  phone      TEXT NOT NULL UNIQUE,
  name       TEXT,
  -- YYYY-MM-DD, or null when not given
  birthday   TEXT,
  level_id   TEXT,
  joined_at  INTEGER NOT NULL,
  -- how they became a member: booking, staff
  joined_by  TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX members_level ON members(level_id);

CREATE TABLE member_level_changes (
  id         INTEGER PRIMARY KEY,
  member_id  TEXT NOT NULL REFERENCES members(id),
  from_level TEXT,
  to_level   TEXT,
  from_name  TEXT,
  to_name    TEXT,
  cause      TEXT NOT NULL CHECK (cause IN ('rule','staff')),
  reason     TEXT NOT NULL,
  actor_kind TEXT NOT NULL,
  actor_id   TEXT NOT NULL,
  at         INTEGER NOT NULL
) STRICT;
CREATE INDEX member_level_changes_member ON member_level_changes(member_id);
CREATE TRIGGER member_level_changes_no_update BEFORE UPDATE ON member_level_changes
BEGIN SELECT RAISE(ABORT, 'the level history is append-only'); END;
CREATE TRIGGER member_level_changes_no_delete BEFORE DELETE ON member_level_changes
BEGIN SELECT RAISE(ABORT, 'the level history is append-only'); END;

CREATE TABLE member_activity (
  id         INTEGER PRIMARY KEY,
  member_id  TEXT NOT NULL REFERENCES members(id),
  -- booking:<id>, order:<id>, top_up:<n>
  ref        TEXT NOT NULL,
  -- fen, signed: a refund afterwards takes spend back
  spend      INTEGER NOT NULL DEFAULT 0,
  visit      INTEGER NOT NULL DEFAULT 0 CHECK (visit IN (-1, 0, 1)),
  top_up     INTEGER NOT NULL DEFAULT 0 CHECK (top_up >= 0),
  at         INTEGER NOT NULL
) STRICT;
CREATE INDEX member_activity_member ON member_activity(member_id);
CREATE INDEX member_activity_ref ON member_activity(ref);
CREATE TRIGGER member_activity_no_update BEFORE UPDATE ON member_activity
BEGIN SELECT RAISE(ABORT, 'member activity is append-only'); END;
CREATE TRIGGER member_activity_no_delete BEFORE DELETE ON member_activity
BEGIN SELECT RAISE(ABORT, 'member activity is append-only'); END;

CREATE TABLE member_points (
  id         INTEGER PRIMARY KEY,
  member_id  TEXT NOT NULL REFERENCES members(id),
  kind       TEXT NOT NULL CHECK (kind IN ('earned','taken_back','spent','given_back','expired','adjusted','gift')),
  points     INTEGER NOT NULL CHECK (
    (kind IN ('earned','given_back','gift') AND points > 0) OR
    (kind IN ('spent','expired') AND points < 0) OR
    (kind = 'taken_back' AND points <= 0 AND (points < 0 OR forgone > 0)) OR
    (kind = 'adjusted' AND points <> 0)),
  -- what it explains: booking:<id>, order:<id>, a booking the points paid for
  ref        TEXT,
  -- makes a movement that may be replayed land once: a birthday's year, a staff request id
  key        TEXT UNIQUE,
  -- earned: the points per yuan it was earned at; spent: the fen one point was worth
  rate       INTEGER,
  -- taken_back: points the member no longer had, which the store forgoes
  forgone    INTEGER NOT NULL DEFAULT 0 CHECK (forgone >= 0),
  reason     TEXT NOT NULL DEFAULT '',
  -- a movement that adds points: when they expire (null: never)
  expires_at INTEGER,
  actor_kind TEXT NOT NULL,
  actor_id   TEXT NOT NULL,
  at         INTEGER NOT NULL
) STRICT;
CREATE INDEX member_points_member ON member_points(member_id);
CREATE INDEX member_points_ref ON member_points(ref);
CREATE TRIGGER member_points_no_update BEFORE UPDATE ON member_points
BEGIN SELECT RAISE(ABORT, 'the points ledger is append-only'); END;
CREATE TRIGGER member_points_no_delete BEFORE DELETE ON member_points
BEGIN SELECT RAISE(ABORT, 'the points ledger is append-only'); END;
CREATE TRIGGER member_points_never_negative AFTER INSERT ON member_points
  WHEN (SELECT SUM(points) FROM member_points WHERE member_id = NEW.member_id) < 0
BEGIN SELECT RAISE(ABORT, 'points cannot go below zero'); END;

CREATE TABLE member_settings (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  rules  TEXT NOT NULL,
  levels TEXT NOT NULL
) STRICT;
`;
