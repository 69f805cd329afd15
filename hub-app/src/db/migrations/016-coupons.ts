// Promotions, campaigns and coupons (C12, O3, O6). `promotions`: the owner's automatic offers.
// `campaigns`: what issues coupons, with its coupon's terms, windows and limits. `coupons`: one
// coupon held by one phone, its terms copied when issued (a later edit of the campaign changes no
// coupon), never edited nor deleted, at most one per campaign, phone and reason (a replayed issue
// is the same coupon). `coupon_uses`: a coupon used on a booking and given back, append-only; the
// unique index lets a coupon be used once per round (a round ends when it is given back), so the
// database itself refuses a second use. `referrals`: who brought whom, once per campaign.
export default `
CREATE TABLE promotions (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  from_date  TEXT NOT NULL,
  to_date    TEXT NOT NULL CHECK (to_date >= from_date),
  -- the rule, scope and stacking as the owner wrote them (JSON)
  body       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE campaigns (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('new_user','birthday','referral','level','manual','claim')),
  status      TEXT NOT NULL CHECK (status IN ('active','paused','ended')),
  coupon_name TEXT NOT NULL,
  terms       TEXT NOT NULL,
  claim_from  TEXT NOT NULL,
  claim_to    TEXT NOT NULL,
  use_days    INTEGER NOT NULL CHECK (use_days > 0),
  use_until   TEXT,
  per_person  INTEGER NOT NULL CHECK (per_person > 0),
  total_limit INTEGER CHECK (total_limit IS NULL OR total_limit > 0),
  level       TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;
-- an ended campaign stays ended
CREATE TRIGGER campaigns_ended BEFORE UPDATE OF status ON campaigns
  WHEN OLD.status = 'ended' AND NEW.status <> 'ended'
BEGIN SELECT RAISE(ABORT, 'an ended campaign stays ended'); END;

CREATE TABLE coupons (
  id          TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  phone       TEXT NOT NULL,
  name        TEXT NOT NULL,
  terms       TEXT NOT NULL,
  -- how it reached the phone: claimed by the customer, or given (by staff, a job, a referral)
  source      TEXT NOT NULL CHECK (source IN ('claimed','given')),
  -- what this issue answers, so a replay issues nothing new: a claim's number, a year's birthday,
  -- the referred phone
  reason      TEXT NOT NULL,
  use_from    INTEGER NOT NULL,
  use_until   INTEGER NOT NULL CHECK (use_until > use_from),
  actor_kind  TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  issued_at   INTEGER NOT NULL,
  UNIQUE (campaign_id, phone, reason)
) STRICT;
CREATE INDEX coupons_phone ON coupons(phone);
CREATE INDEX coupons_campaign ON coupons(campaign_id);
CREATE TRIGGER coupons_no_update BEFORE UPDATE ON coupons
BEGIN SELECT RAISE(ABORT, 'a coupon is never edited'); END;
CREATE TRIGGER coupons_no_delete BEFORE DELETE ON coupons
BEGIN SELECT RAISE(ABORT, 'a coupon is never deleted'); END;

CREATE TABLE coupon_uses (
  id         INTEGER PRIMARY KEY,
  coupon_id  TEXT NOT NULL REFERENCES coupons(id),
  round      INTEGER NOT NULL CHECK (round >= 0),
  kind       TEXT NOT NULL CHECK (kind IN ('use','return')),
  booking_id TEXT NOT NULL REFERENCES bookings(id),
  -- what it took off the booking's bill, fen
  amount     INTEGER NOT NULL CHECK (amount >= 0),
  actor_kind TEXT NOT NULL,
  actor_id   TEXT NOT NULL,
  at         INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX coupon_uses_once ON coupon_uses(coupon_id, round, kind);
CREATE INDEX coupon_uses_booking ON coupon_uses(booking_id);
CREATE TRIGGER coupon_uses_no_update BEFORE UPDATE ON coupon_uses
BEGIN SELECT RAISE(ABORT, 'the coupon ledger is append-only'); END;
CREATE TRIGGER coupon_uses_no_delete BEFORE DELETE ON coupon_uses
BEGIN SELECT RAISE(ABORT, 'the coupon ledger is append-only'); END;
-- a use opens round n only once round n-1 was given back; a return closes a round that was used
CREATE TRIGGER coupon_uses_in_turn BEFORE INSERT ON coupon_uses
  WHEN (NEW.kind = 'use' AND NEW.round <> (SELECT COUNT(*) FROM coupon_uses WHERE coupon_id = NEW.coupon_id AND kind = 'return'))
    OR (NEW.kind = 'return' AND NOT EXISTS (SELECT 1 FROM coupon_uses WHERE coupon_id = NEW.coupon_id AND kind = 'use' AND round = NEW.round AND booking_id = NEW.booking_id))
BEGIN SELECT RAISE(ABORT, 'coupon_used'); END;

CREATE TABLE referrals (
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  referrer    TEXT NOT NULL,
  referee     TEXT NOT NULL,
  at          INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, referee)
) STRICT;
CREATE TRIGGER referrals_no_update BEFORE UPDATE ON referrals
BEGIN SELECT RAISE(ABORT, 'a referral is never edited'); END;
CREATE TRIGGER referrals_no_delete BEFORE DELETE ON referrals
BEGIN SELECT RAISE(ABORT, 'a referral is never deleted'); END;
`;
