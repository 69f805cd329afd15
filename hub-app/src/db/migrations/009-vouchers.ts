// Group-buy deals and vouchers (C12, O7, S2). `deals`: what the owner sells or maps (our own, and
// Meituan / Douyin deals with what they buy here), with every version of their rules. `vouchers`: our own vouchers this hub knows,
// sold here or issued by the cloud for this store, each with its signed pass. `voucher_sales`:
// the money a sale at the store took in and gave back, append-only. `redemptions`: every use of a
// voucher, ours or a platform's; one voucher is used at most once (the partial unique index), so
// a scanner firing twice or two cashiers at once can never redeem it twice.
export default `
CREATE TABLE deals (
  id               TEXT PRIMARY KEY,
  source           TEXT NOT NULL CHECK (source IN ('own','meituan','douyin')),
  platform_deal_id TEXT,
  title            TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('draft','on_sale','off_sale')),
  -- the rest of the deal as the owner wrote it (JSON): description, photos, entitlement, price...
  body             TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  CHECK ((source = 'own') = (platform_deal_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX deals_platform ON deals(source, platform_deal_id) WHERE platform_deal_id IS NOT NULL;

-- every version of a deal's rules, kept for good: a voucher names the version it bought
CREATE TABLE deal_revisions (
  deal_id     TEXT NOT NULL REFERENCES deals(id),
  rev         TEXT NOT NULL,
  title       TEXT NOT NULL,
  entitlement TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (deal_id, rev)
) STRICT;

CREATE TABLE vouchers (
  id             TEXT PRIMARY KEY,
  code           TEXT NOT NULL UNIQUE,
  deal_id        TEXT NOT NULL,
  store_id       TEXT NOT NULL,
  issuer         TEXT NOT NULL CHECK (issuer IN ('cloud','hub')),
  -- the signed pass (JSON) its QR carries
  pass           TEXT NOT NULL,
  customer_phone TEXT,
  price          INTEGER NOT NULL CHECK (price >= 0),
  valid_from     INTEGER NOT NULL,
  valid_until    INTEGER NOT NULL CHECK (valid_until > valid_from),
  refunded_at    INTEGER,
  created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX vouchers_deal ON vouchers(deal_id);
CREATE INDEX vouchers_phone ON vouchers(customer_phone);

CREATE TABLE voucher_sales (
  id          INTEGER PRIMARY KEY,
  voucher_id  TEXT NOT NULL REFERENCES vouchers(id),
  kind        TEXT NOT NULL CHECK (kind IN ('sale','refund')),
  method      TEXT NOT NULL CHECK (method IN ('cash','wechat')),
  amount      INTEGER NOT NULL CHECK ((kind = 'sale' AND amount > 0) OR (kind = 'refund' AND amount < 0)),
  actor_kind  TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  at          INTEGER NOT NULL
) STRICT;
-- a voucher bought at the kiosk, paid online: the voucher is issued when the gateway says paid
CREATE TABLE voucher_orders (
  id             TEXT PRIMARY KEY,
  deal_id        TEXT NOT NULL REFERENCES deals(id),
  customer_phone TEXT NOT NULL,
  method         TEXT NOT NULL CHECK (method IN ('wechat')),
  amount         INTEGER NOT NULL CHECK (amount > 0),
  status         TEXT NOT NULL CHECK (status IN ('pending','paid','closed')),
  pay_url        TEXT,
  qr_payload     TEXT,
  channel_txn_id TEXT,
  voucher_id     TEXT REFERENCES vouchers(id),
  screen_id      TEXT,
  expires_at     INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  paid_at        INTEGER
) STRICT;

CREATE TRIGGER voucher_sales_no_update BEFORE UPDATE ON voucher_sales
BEGIN SELECT RAISE(ABORT, 'the voucher sales ledger is append-only'); END;
CREATE TRIGGER voucher_sales_no_delete BEFORE DELETE ON voucher_sales
BEGIN SELECT RAISE(ABORT, 'the voucher sales ledger is append-only'); END;

CREATE TABLE redemptions (
  id             TEXT PRIMARY KEY,
  -- the screen's key: the same key again answers this redemption
  request_id     TEXT NOT NULL UNIQUE,
  source         TEXT NOT NULL CHECK (source IN ('own','meituan','douyin')),
  -- what makes a voucher one voucher: our voucher's id, or the platform and a hash of its code
  voucher_key    TEXT NOT NULL,
  masked_code    TEXT NOT NULL,
  deal_id        TEXT,
  deal_title     TEXT NOT NULL,
  booking_id     TEXT NOT NULL REFERENCES bookings(id),
  -- book: the redemption made the booking; pay: it paid one already made; extend: it added time
  use_kind       TEXT NOT NULL CHECK (use_kind IN ('book','pay','extend')),
  payment_id     TEXT REFERENCES payments(id),
  face_value     INTEGER NOT NULL CHECK (face_value >= 0),
  settle_amount  INTEGER NOT NULL CHECK (settle_amount >= 0),
  covered        INTEGER NOT NULL CHECK (covered >= 0),
  status         TEXT NOT NULL CHECK (status IN ('done','queued','failed','undone','refund_via_platform')),
  -- a platform voucher taken offline: its code (sealed) and prepare token, to consume it later
  sealed_code    TEXT,
  prepare_token  TEXT,
  consumption_id TEXT,
  undo_until     INTEGER,
  actor_kind     TEXT NOT NULL,
  actor_id       TEXT NOT NULL,
  screen_id      TEXT,
  at             INTEGER NOT NULL,
  undone_at      INTEGER,
  undone_by      TEXT,
  undo_reason    TEXT,
  last_error     TEXT,
  attempts       INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE UNIQUE INDEX redemptions_once ON redemptions(voucher_key)
  WHERE status IN ('done','queued','refund_via_platform');
CREATE INDEX redemptions_at ON redemptions(at);
CREATE INDEX redemptions_queued ON redemptions(status) WHERE status IN ('queued','failed');

-- the owner's voucher settings: whether a platform voucher may be taken while the cloud is out
CREATE TABLE voucher_settings (
  id                  INTEGER PRIMARY KEY CHECK (id = 1),
  provisional_offline INTEGER NOT NULL DEFAULT 0 CHECK (provisional_offline IN (0, 1))
) STRICT;
INSERT INTO voucher_settings (id) VALUES (1);
CREATE INDEX redemptions_booking ON redemptions(booking_id);
`;
