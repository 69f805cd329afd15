// A tea-and-snacks order paid online: the QR the kiosk (or the customer's phone) shows for it is a
// charge of its own through the store's channel (`order_charges`), credited to the order's money
// ledger once the gateway's signed notification says paid; money given back the way it came is a
// channel refund (`order_charge_refunds`), sent by a job and retried until the gateway answers.
// The order's ledger learns UnionPay as a way of paying: SQLite changes a CHECK only by
// rebuilding the table, so it is rebuilt with every row, index and trigger as they were.
export default `
CREATE TABLE order_money_new (
  id         INTEGER PRIMARY KEY,
  order_id   TEXT NOT NULL REFERENCES orders(id),
  kind       TEXT NOT NULL CHECK (kind IN ('payment','refund')),
  method     TEXT NOT NULL CHECK (method IN ('cash','wallet','points','wechat','alipay','unionpay')),
  amount     INTEGER NOT NULL CHECK ((kind = 'payment' AND amount > 0) OR (kind = 'refund' AND amount < 0)),
  reason     TEXT,
  actor_kind TEXT NOT NULL,
  actor_id   TEXT NOT NULL,
  at         INTEGER NOT NULL
) STRICT;
INSERT INTO order_money_new
  SELECT id, order_id, kind, method, amount, reason, actor_kind, actor_id, at FROM order_money;
DROP TABLE order_money;
ALTER TABLE order_money_new RENAME TO order_money;
CREATE INDEX order_money_order ON order_money(order_id);
CREATE TRIGGER order_money_no_update BEFORE UPDATE ON order_money
BEGIN SELECT RAISE(ABORT, 'the order money ledger is append-only'); END;
CREATE TRIGGER order_money_no_delete BEFORE DELETE ON order_money
BEGIN SELECT RAISE(ABORT, 'the order money ledger is append-only'); END;
CREATE TRIGGER order_money_not_over_total AFTER INSERT ON order_money WHEN NEW.kind = 'payment'
  AND (SELECT SUM(amount) FROM order_money WHERE order_id = NEW.order_id AND kind = 'payment')
    > (SELECT total FROM orders WHERE id = NEW.order_id)
BEGIN SELECT RAISE(ABORT, 'an order cannot be paid more than its total'); END;
CREATE TRIGGER order_money_not_over_paid AFTER INSERT ON order_money WHEN NEW.kind = 'refund'
  AND (SELECT SUM(amount) FROM order_money WHERE order_id = NEW.order_id) < 0
BEGIN SELECT RAISE(ABORT, 'an order cannot give back more than it was paid'); END;

CREATE TABLE order_charges (
  id             TEXT PRIMARY KEY,
  order_id       TEXT NOT NULL REFERENCES orders(id),
  method         TEXT NOT NULL CHECK (method IN ('wechat','alipay','unionpay')),
  amount         INTEGER NOT NULL CHECK (amount > 0),
  -- pending: the QR is shown; paid: credited to the order; closed: never paid;
  -- returning / returned: paid when the order could no longer take it, so it goes straight back
  status         TEXT NOT NULL CHECK (status IN ('pending','paid','closed','returning','returned')),
  channel_txn_id TEXT UNIQUE,
  pay_url        TEXT,
  qr_payload     TEXT,
  screen_id      TEXT,
  expires_at     INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  paid_at        INTEGER
) STRICT;
CREATE INDEX order_charges_order ON order_charges(order_id);

CREATE TABLE order_charge_refunds (
  id                TEXT PRIMARY KEY,
  charge_id         TEXT NOT NULL REFERENCES order_charges(id),
  amount            INTEGER NOT NULL CHECK (amount > 0),
  status            TEXT NOT NULL CHECK (status IN ('pending','succeeded','failed')),
  channel_refund_id TEXT,
  last_error        TEXT,
  created_at        INTEGER NOT NULL,
  settled_at        INTEGER
) STRICT;
CREATE INDEX order_charge_refunds_charge ON order_charge_refunds(charge_id);
`;
