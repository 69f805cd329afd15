// Discounts on a tea-and-snacks order, each a line of its own under the items: the customer's
// member level's percentage off items, named by the level, written with the order and never
// changed. The order's total is its lines less these.
export default `
CREATE TABLE order_discounts (
  order_id    TEXT NOT NULL REFERENCES orders(id),
  line        INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('member')),
  name        TEXT NOT NULL,
  percent_off INTEGER NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
  -- fen, negative: what it takes off
  amount      INTEGER NOT NULL CHECK (amount < 0),
  PRIMARY KEY (order_id, line)
) STRICT;
CREATE TRIGGER order_discounts_no_update BEFORE UPDATE ON order_discounts
BEGIN SELECT RAISE(ABORT, 'an order''s discounts are never changed'); END;
CREATE TRIGGER order_discounts_no_delete BEFORE DELETE ON order_discounts
BEGIN SELECT RAISE(ABORT, 'an order''s discounts are never changed'); END;
`;
