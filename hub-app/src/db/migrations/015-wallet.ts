// The member wallet (C5, C11, O6). `wallet_packages`: what the owner sells (pay 200, get 100 bonus,
// the bonus valid so many days). `wallet_topups`: each top-up, the lot its money is kept under,
// idempotent by where it came from (`source`: the cloud's payment for one taken online).
// `wallet_moves`: the wallet's ledger, append-only, each movement in one pot (principal or bonus)
// of one lot, idempotent by its id; a lot never goes below zero, so neither does a pot nor the
// wallet. `wallet_charges`: a top-up at the counter paid by an online channel (a QR), credited once
// the gateway's signed notification says it was paid. `wallet_refunds`: principal given back
// through the online channel its top-up came by, a job retried until the gateway answers.
// `wallet_settings`: a wallet per store or shared across the owner's stores.
export default `
CREATE TABLE wallet_packages (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  pay              INTEGER NOT NULL CHECK (pay > 0),
  bonus            INTEGER NOT NULL CHECK (bonus >= 0),
  bonus_valid_days INTEGER CHECK (bonus_valid_days IS NULL OR bonus_valid_days > 0),
  active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE wallet_topups (
  id               TEXT PRIMARY KEY,
  phone            TEXT NOT NULL,
  package_id       TEXT REFERENCES wallet_packages(id),
  principal        INTEGER NOT NULL CHECK (principal > 0),
  bonus            INTEGER NOT NULL CHECK (bonus >= 0),
  -- cash at the counter; cloud: taken online by the cloud service, which pays it back
  method           TEXT NOT NULL CHECK (method IN ('cash','wechat','alipay','unionpay','cloud')),
  source           TEXT UNIQUE,
  bonus_expires_at INTEGER,
  actor_kind       TEXT NOT NULL,
  actor_id         TEXT NOT NULL,
  at               INTEGER NOT NULL
) STRICT;
CREATE INDEX wallet_topups_phone ON wallet_topups(phone);

CREATE TABLE wallet_moves (
  seq        INTEGER PRIMARY KEY,
  id         TEXT NOT NULL UNIQUE,
  phone      TEXT NOT NULL,
  lot        TEXT NOT NULL REFERENCES wallet_topups(id),
  pot        TEXT NOT NULL CHECK (pot IN ('principal','bonus')),
  kind       TEXT NOT NULL CHECK (kind IN ('topup','spend','refund_in','expiry','principal_refund','bonus_takeback','correction')),
  amount     INTEGER NOT NULL CHECK (
    (kind IN ('topup','refund_in') AND amount > 0) OR
    (kind IN ('spend','expiry','principal_refund','bonus_takeback') AND amount < 0) OR
    (kind = 'correction' AND amount <> 0)),
  -- what it explains: a booking's payment, an order, a refund
  ref        TEXT,
  reason     TEXT NOT NULL DEFAULT '',
  actor_kind TEXT NOT NULL,
  actor_id   TEXT NOT NULL,
  at         INTEGER NOT NULL
) STRICT;
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

CREATE TABLE wallet_charges (
  id               TEXT PRIMARY KEY,
  phone            TEXT NOT NULL,
  package_id       TEXT REFERENCES wallet_packages(id),
  principal        INTEGER NOT NULL CHECK (principal > 0),
  bonus            INTEGER NOT NULL CHECK (bonus >= 0),
  bonus_valid_days INTEGER,
  method           TEXT NOT NULL CHECK (method IN ('wechat','alipay','unionpay')),
  status           TEXT NOT NULL CHECK (status IN ('pending','paid','closed')),
  pay_url          TEXT,
  qr_payload       TEXT,
  channel_txn_id   TEXT,
  expires_at       INTEGER NOT NULL,
  actor_kind       TEXT NOT NULL,
  actor_id         TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  paid_at          INTEGER
) STRICT;

CREATE TABLE wallet_refunds (
  id                TEXT PRIMARY KEY,
  phone             TEXT NOT NULL,
  lot               TEXT NOT NULL REFERENCES wallet_topups(id),
  charge_id         TEXT NOT NULL REFERENCES wallet_charges(id),
  method            TEXT NOT NULL CHECK (method IN ('wechat','alipay','unionpay')),
  amount            INTEGER NOT NULL CHECK (amount > 0),
  reason            TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('pending','succeeded','failed')),
  channel_refund_id TEXT,
  last_error        TEXT,
  created_at        INTEGER NOT NULL,
  settled_at        INTEGER
) STRICT;

CREATE TABLE wallet_settings (
  id                INTEGER PRIMARY KEY CHECK (id = 1),
  mode              TEXT NOT NULL CHECK (mode IN ('store','shared')),
  offline_allowance INTEGER NOT NULL CHECK (offline_allowance >= 0),
  updated_at        INTEGER NOT NULL
) STRICT;
INSERT INTO wallet_settings (id, mode, offline_allowance, updated_at) VALUES (1, 'store', 0, 0);
`;
