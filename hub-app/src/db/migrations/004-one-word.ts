// One word per idea, from the column to the API: the WeChat Pay channel is `wechat` (it was named
// after its simulator), and a session's first door open is when it `started_at`. The ledger is
// append-only; renaming the label of a method is not a money movement, so its guard is lifted for
// this one statement and put back in the same transaction. The documents the cloud holds were
// written with the former words: every booking, session and ledger document is published again.
export default `
CREATE TABLE payments_new (
  id            TEXT PRIMARY KEY,
  booking_id    TEXT NOT NULL REFERENCES bookings(id),
  -- cloud: taken by the cloud service for an online booking request, refunded by the cloud
  method        TEXT NOT NULL CHECK (method IN ('cash','wechat','alipay','wallet','voucher','cloud')),
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
  SELECT id, booking_id, CASE method WHEN 'simulated' THEN 'wechat' ELSE method END, amount,
         received, status, channel_txn_id, pay_url, qr_payload, expires_at, created_at, paid_at
  FROM payments;
DROP TABLE payments;
ALTER TABLE payments_new RENAME TO payments;
CREATE INDEX payments_booking ON payments(booking_id);

DROP TRIGGER ledger_no_update;
UPDATE ledger SET method = 'wechat' WHERE method = 'simulated';
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

ALTER TABLE sessions RENAME COLUMN opened_at TO started_at;

INSERT INTO outbox (doc_id, at) SELECT 'booking:' || id, strftime('%s', 'now') * 1000 FROM bookings;
INSERT INTO outbox (doc_id, at)
  SELECT DISTINCT 'session:' || booking_id, strftime('%s', 'now') * 1000 FROM booking_events
  WHERE action IN ('start', 'finish', 'no_show', 'extend');
INSERT INTO outbox (doc_id, at)
  SELECT 'ledger:' || booking_id || ':' || id, strftime('%s', 'now') * 1000 FROM ledger;
`;
