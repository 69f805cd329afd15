// Money that goes back for two more reasons: a no-show's share the owner gives back, and the
// unused part of a session ended early. A cash refund nobody has handed over yet is `owed`, not
// `succeeded`: it waits for a member of staff to pay it out over the counter.
export default `
CREATE TABLE refunds_new (
  id            TEXT PRIMARY KEY,
  booking_id    TEXT NOT NULL REFERENCES bookings(id),
  payment_id    TEXT NOT NULL REFERENCES payments(id),
  amount        INTEGER NOT NULL CHECK (amount > 0),
  purpose       TEXT NOT NULL CHECK (purpose IN ('cancel','approved','change','late_payment','overpaid','no_show','early_end')),
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
         last_error, created_at, settled_at, NULL
  FROM refunds;
DROP TABLE refunds;
ALTER TABLE refunds_new RENAME TO refunds;
CREATE INDEX refunds_booking ON refunds(booking_id);
CREATE INDEX refunds_owed ON refunds(status) WHERE status = 'owed';
`;
