// Tea and snacks (C8, O5). `menu_categories` and `menu_items`: the menu the owner keeps.
// `orders`, `order_lines` and `order_events`: an order of items with the specs chosen, priced by
// the hub from the menu, and its history. `order_money`: every payment in and refund out of an
// order, append-only, never more paid than the total nor more back than was paid. `stock_moves`:
// every movement of a counted item, append-only; its sum is the stock and never goes below zero.
export default `
CREATE TABLE menu_categories (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  sort       INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE menu_items (
  id            TEXT PRIMARY KEY,
  category_id   TEXT NOT NULL REFERENCES menu_categories(id),
  name          TEXT NOT NULL,
  price         INTEGER NOT NULL CHECK (price >= 0),
  -- the rest as the owner wrote it (JSON): description, photos, specs
  body          TEXT NOT NULL,
  sold_out      INTEGER NOT NULL DEFAULT 0 CHECK (sold_out IN (0, 1)),
  sort          INTEGER NOT NULL DEFAULT 0,
  stock_tracked INTEGER NOT NULL DEFAULT 0 CHECK (stock_tracked IN (0, 1)),
  low_stock_at  INTEGER CHECK (low_stock_at IS NULL OR low_stock_at >= 0),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX menu_items_category ON menu_items(category_id);

CREATE TABLE orders (
  id          TEXT PRIMARY KEY,
  -- the store's local date and that day's sequence, read out at the counter
  day         TEXT NOT NULL,
  number      TEXT NOT NULL,
  booking_id  TEXT REFERENCES bookings(id),
  room_id     TEXT,
  status      TEXT NOT NULL CHECK (status IN ('placed','prepared','delivered','refunded','cancelled')),
  total       INTEGER NOT NULL CHECK (total >= 0),
  note        TEXT NOT NULL DEFAULT '',
  actor_kind  TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  screen_id   TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (day, number)
) STRICT;
CREATE INDEX orders_booking ON orders(booking_id);
CREATE INDEX orders_status ON orders(status);

-- what was ordered, priced as the menu said then: an edit of the menu changes no order
CREATE TABLE order_lines (
  order_id   TEXT NOT NULL REFERENCES orders(id),
  line       INTEGER NOT NULL,
  item_id    TEXT NOT NULL REFERENCES menu_items(id),
  name       TEXT NOT NULL,
  specs      TEXT NOT NULL,
  unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
  quantity   INTEGER NOT NULL CHECK (quantity > 0),
  amount     INTEGER NOT NULL CHECK (amount = unit_price * quantity),
  PRIMARY KEY (order_id, line)
) STRICT;
CREATE INDEX order_lines_item ON order_lines(item_id);

CREATE TABLE order_events (
  id          INTEGER PRIMARY KEY,
  order_id    TEXT NOT NULL REFERENCES orders(id),
  action      TEXT NOT NULL,
  from_status TEXT,
  to_status   TEXT NOT NULL,
  actor_kind  TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  reason      TEXT,
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX order_events_order ON order_events(order_id);

CREATE TABLE order_money (
  id         INTEGER PRIMARY KEY,
  order_id   TEXT NOT NULL REFERENCES orders(id),
  kind       TEXT NOT NULL CHECK (kind IN ('payment','refund')),
  method     TEXT NOT NULL CHECK (method IN ('cash','wallet','points','wechat','alipay')),
  amount     INTEGER NOT NULL CHECK ((kind = 'payment' AND amount > 0) OR (kind = 'refund' AND amount < 0)),
  reason     TEXT,
  actor_kind TEXT NOT NULL,
  actor_id   TEXT NOT NULL,
  at         INTEGER NOT NULL
) STRICT;
CREATE INDEX order_money_order ON order_money(order_id);
CREATE TRIGGER order_money_no_update BEFORE UPDATE ON order_money
BEGIN SELECT RAISE(ABORT, 'the order money ledger is append-only'); END;
CREATE TRIGGER order_money_no_delete BEFORE DELETE ON order_money
BEGIN SELECT RAISE(ABORT, 'the order money ledger is append-only'); END;
-- the service checks these first and says why in words; the database holds them whatever runs
CREATE TRIGGER order_money_not_over_total AFTER INSERT ON order_money WHEN NEW.kind = 'payment'
  AND (SELECT SUM(amount) FROM order_money WHERE order_id = NEW.order_id AND kind = 'payment')
    > (SELECT total FROM orders WHERE id = NEW.order_id)
BEGIN SELECT RAISE(ABORT, 'an order cannot be paid more than its total'); END;
CREATE TRIGGER order_money_not_over_paid AFTER INSERT ON order_money WHEN NEW.kind = 'refund'
  AND (SELECT SUM(amount) FROM order_money WHERE order_id = NEW.order_id) < 0
BEGIN SELECT RAISE(ABORT, 'an order cannot give back more than it was paid'); END;

CREATE TABLE stock_moves (
  id         INTEGER PRIMARY KEY,
  item_id    TEXT NOT NULL REFERENCES menu_items(id),
  kind       TEXT NOT NULL CHECK (kind IN ('received','sold','returned','wasted','counted')),
  -- signed: what the shelf gained or lost; a count records the difference to the figure found
  quantity   INTEGER NOT NULL CHECK (
    (kind IN ('received','returned') AND quantity > 0) OR
    (kind IN ('sold','wasted') AND quantity < 0) OR kind = 'counted'),
  order_id   TEXT REFERENCES orders(id),
  reason     TEXT NOT NULL DEFAULT '',
  actor_kind TEXT NOT NULL,
  actor_id   TEXT NOT NULL,
  at         INTEGER NOT NULL
) STRICT;
CREATE INDEX stock_moves_item ON stock_moves(item_id);
CREATE TRIGGER stock_moves_no_update BEFORE UPDATE ON stock_moves
BEGIN SELECT RAISE(ABORT, 'the stock ledger is append-only'); END;
CREATE TRIGGER stock_moves_no_delete BEFORE DELETE ON stock_moves
BEGIN SELECT RAISE(ABORT, 'the stock ledger is append-only'); END;
CREATE TRIGGER stock_moves_never_negative AFTER INSERT ON stock_moves
  WHEN (SELECT SUM(quantity) FROM stock_moves WHERE item_id = NEW.item_id) < 0
BEGIN SELECT RAISE(ABORT, 'stock cannot go below zero'); END;
`;
