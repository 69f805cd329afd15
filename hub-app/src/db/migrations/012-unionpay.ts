// UnionPay online payment is a method of its own, `unionpay`; and a member of staff may refund a
// booking in part or in full by hand, purpose `staff` (who and why are on the refund, the ledger
// and the audit log). SQLite changes a CHECK only by rebuilding the table: both are rebuilt with
// every row and index as they were.
export default `
CREATE TABLE payments_new (
  id            TEXT PRIMARY KEY,
  booking_id    TEXT NOT NULL REFERENCES bookings(id),
  -- cloud: taken by the cloud service for an online booking request, refunded by the cloud
  method        TEXT NOT NULL CHECK (method IN ('cash','wechat','alipay','unionpay','wallet','voucher','cloud')),
  amount        INTEGER NOT NULL CHECK (amount > 0),  -- what was asked: the charge's total
  received      INTEGER,                             -- what the ledger was credited
  status        TEXT NOT NULL CHECK (status IN ('pending','succeeded','closed')),
  channel_txn_id TEXT UNIQUE,
  pay_url       TEXT,
  qr_payload    TEXT,
  expires_at    INTEGER,
  created_at    INTEGER NOT NULL,
  paid_at       INTEGER
) STRICT;
INSERT INTO payments_new
  SELECT id, booking_id, method, amount, received, status, channel_txn_id, pay_url, qr_payload,
         expires_at, created_at, paid_at
  FROM payments;
DROP TABLE payments;
ALTER TABLE payments_new RENAME TO payments;
CREATE INDEX payments_booking ON payments(booking_id);

CREATE TABLE refunds_new (
  id            TEXT PRIMARY KEY,
  booking_id    TEXT NOT NULL REFERENCES bookings(id),
  payment_id    TEXT NOT NULL REFERENCES payments(id),
  amount        INTEGER NOT NULL CHECK (amount > 0),
  purpose       TEXT NOT NULL CHECK (purpose IN ('cancel','approved','change','late_payment','overpaid','no_show','early_end','staff')),
  reason        TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending','owed','succeeded','failed')),
  channel_refund_id TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT,
  created_at    INTEGER NOT NULL,
  settled_at    INTEGER,
  -- the member of staff who handed a cash refund over
  paid_out_by   TEXT
) STRICT;
INSERT INTO refunds_new
  SELECT id, booking_id, payment_id, amount, purpose, reason, status, channel_refund_id, attempts,
         last_error, created_at, settled_at, paid_out_by
  FROM refunds;
DROP TABLE refunds;
ALTER TABLE refunds_new RENAME TO refunds;
CREATE INDEX refunds_booking ON refunds(booking_id);
CREATE INDEX refunds_owed ON refunds(status) WHERE status = 'owed';
`;
