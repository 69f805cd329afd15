// A payment code (付款码) pays a tea-and-snacks order as well as a booking: each charge now says
// what it pays, a booking (its payment in `payments`) or an order (its charge in `order_charges`),
// exactly one of the two. Its id is that payment's or that charge's, and the gateway's
// out_trade_no. SQLite changes a column's constraints only by rebuilding the table, so it is
// rebuilt with every row and index as they were.
// `bundle_orders`: the tea order a bundle promotion (room time + a tea set at one price) placed
// for the booking that got it, one per booking however often its payment is told; its one writer
// hub-app/src/promotions/bundle-orders.ts.
export default `
CREATE TABLE payment_codes_new (
  -- the booking's payment id or the order's charge id, which is the gateway's out_trade_no
  payment_id  TEXT PRIMARY KEY,
  booking_id  TEXT REFERENCES bookings(id),
  order_id    TEXT REFERENCES orders(id),
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
  updated_at  INTEGER NOT NULL,
  CHECK ((booking_id IS NULL) <> (order_id IS NULL))
) STRICT;
INSERT INTO payment_codes_new
  (payment_id, booking_id, order_id, method, amount, masked_code, status, attempts, reason,
   give_up_at, actor_kind, actor_id, created_at, updated_at)
  SELECT payment_id, booking_id, NULL, method, amount, masked_code, status, attempts, reason,
         give_up_at, actor_kind, actor_id, created_at, updated_at FROM payment_codes;
DROP TABLE payment_codes;
ALTER TABLE payment_codes_new RENAME TO payment_codes;
CREATE INDEX payment_codes_booking ON payment_codes(booking_id);
CREATE INDEX payment_codes_order ON payment_codes(order_id);
CREATE INDEX payment_codes_open ON payment_codes(status) WHERE status IN ('charging','waiting','reversing');

CREATE TABLE bundle_orders (
  booking_id   TEXT PRIMARY KEY REFERENCES bookings(id),
  order_id     TEXT NOT NULL UNIQUE REFERENCES orders(id),
  promotion_id TEXT NOT NULL,
  created_at   INTEGER NOT NULL
) STRICT;
`;
