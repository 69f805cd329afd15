// A wallet shared across the owner's stores (shared-wallet.ts in shared-types): money moves between
// stores only by the holding store writing it out and the asking store writing the same money in.
// `wallet_topups` learns `moved` (money brought from another store, `moved_from` naming it; its
// bonus keeps the expiry it had there) and `wallet_moves` learns `move_out` (money given up to
// another store). SQLite changes a CHECK only by rebuilding the table, so both are rebuilt with
// every row, index and trigger as they were. `wallet_transfers`: the moves this store asked for,
// asked again until the cloud says every holding store answered.
export default `
CREATE TABLE wallet_topups_new (
  id               TEXT PRIMARY KEY,
  phone            TEXT NOT NULL,
  package_id       TEXT REFERENCES wallet_packages(id),
  principal        INTEGER NOT NULL CHECK (principal >= 0),
  bonus            INTEGER NOT NULL CHECK (bonus >= 0),
  -- cash at the counter; cloud: taken online by the cloud service, which pays it back;
  -- moved: brought from the owner's other store named in moved_from
  method           TEXT NOT NULL CHECK (method IN ('cash','wechat','alipay','unionpay','cloud','moved')),
  source           TEXT UNIQUE,
  bonus_expires_at INTEGER,
  actor_kind       TEXT NOT NULL,
  actor_id         TEXT NOT NULL,
  at               INTEGER NOT NULL,
  moved_from       TEXT,
  CHECK (principal + bonus > 0),
  CHECK ((method = 'moved') = (moved_from IS NOT NULL))
) STRICT;
INSERT INTO wallet_topups_new
  SELECT id, phone, package_id, principal, bonus, method, source, bonus_expires_at, actor_kind,
         actor_id, at, NULL FROM wallet_topups;
DROP TABLE wallet_topups;
ALTER TABLE wallet_topups_new RENAME TO wallet_topups;
CREATE INDEX wallet_topups_phone ON wallet_topups(phone);

CREATE TABLE wallet_moves_new (
  seq        INTEGER PRIMARY KEY,
  id         TEXT NOT NULL UNIQUE,
  phone      TEXT NOT NULL,
  lot        TEXT NOT NULL REFERENCES wallet_topups(id),
  pot        TEXT NOT NULL CHECK (pot IN ('principal','bonus')),
  kind       TEXT NOT NULL CHECK (kind IN ('topup','spend','refund_in','expiry','principal_refund','bonus_takeback','correction','move_out')),
  amount     INTEGER NOT NULL CHECK (
    (kind IN ('topup','refund_in') AND amount > 0) OR
    (kind IN ('spend','expiry','principal_refund','bonus_takeback','move_out') AND amount < 0) OR
    (kind = 'correction' AND amount <> 0)),
  -- what it explains: a booking's payment, an order, a refund, a move to another store
  ref        TEXT,
  reason     TEXT NOT NULL DEFAULT '',
  actor_kind TEXT NOT NULL,
  actor_id   TEXT NOT NULL,
  at         INTEGER NOT NULL
) STRICT;
INSERT INTO wallet_moves_new
  SELECT seq, id, phone, lot, pot, kind, amount, ref, reason, actor_kind, actor_id, at FROM wallet_moves;
DROP TABLE wallet_moves;
ALTER TABLE wallet_moves_new RENAME TO wallet_moves;
CREATE INDEX wallet_moves_phone ON wallet_moves(phone);
CREATE INDEX wallet_moves_lot ON wallet_moves(lot, pot);
CREATE INDEX wallet_moves_ref ON wallet_moves(ref);
CREATE TRIGGER wallet_moves_no_update BEFORE UPDATE ON wallet_moves
BEGIN SELECT RAISE(ABORT, 'the wallet ledger is append-only'); END;
CREATE TRIGGER wallet_moves_no_delete BEFORE DELETE ON wallet_moves
BEGIN SELECT RAISE(ABORT, 'the wallet ledger is append-only'); END;
CREATE TRIGGER wallet_moves_never_negative AFTER INSERT ON wallet_moves
  WHEN (SELECT SUM(amount) FROM wallet_moves WHERE lot = NEW.lot AND pot = NEW.pot) < 0
BEGIN SELECT RAISE(ABORT, 'a wallet cannot go below zero'); END;

CREATE TABLE wallet_transfers (
  id         TEXT PRIMARY KEY,
  phone      TEXT NOT NULL,
  amount     INTEGER NOT NULL CHECK (amount > 0),
  -- asking: some holding store has not answered yet; settled: every one answered (or refused)
  status     TEXT NOT NULL CHECK (status IN ('asking','settled')),
  brought    INTEGER NOT NULL DEFAULT 0 CHECK (brought >= 0),
  actor_kind TEXT NOT NULL,
  actor_id   TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  settled_at INTEGER
) STRICT;
CREATE INDEX wallet_transfers_asking ON wallet_transfers(status) WHERE status = 'asking';
`;
