// Payment codes (付款码) scanned at the counter or the kiosk: what each charge is doing, so that a
// hub stopped in the middle queries it again at its next start and then records the money or
// reverses the charge, never assuming either. The money itself is in `payments` and the
// `ledger`, written only once it is certain; this row is the charge's state, its one writer
// hub-app/src/payments/payment-codes.ts. The code itself is never kept, only its last digits.
export default `
CREATE TABLE payment_codes (
  -- the payment's id, which is the gateway's out_trade_no
  payment_id  TEXT PRIMARY KEY REFERENCES payments(id),
  booking_id  TEXT NOT NULL REFERENCES bookings(id),
  method      TEXT NOT NULL CHECK (method IN ('wechat','alipay')),
  amount      INTEGER NOT NULL CHECK (amount > 0),
  masked_code TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('charging','waiting','paid','declined','reversing','reversed')),
  -- queries made while the payer was confirming, or the answer was lost
  attempts    INTEGER NOT NULL DEFAULT 0,
  -- why it ended unpaid, or what is being waited for, in words
  reason      TEXT,
  -- after this instant a charge still not known to be paid is reversed
  give_up_at  INTEGER NOT NULL,
  actor_kind  TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX payment_codes_booking ON payment_codes(booking_id);
CREATE INDEX payment_codes_open ON payment_codes(status) WHERE status IN ('charging','waiting','reversing');
`;
