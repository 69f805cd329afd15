// Win-back campaigns (C12, O6): a campaign of kind `win_back` gives its coupon, by a daily job, to
// members whose last visit is older than its `absent_days`, once per absence (the coupon's reason
// names the last visit). Only a win-back campaign has `absent_days`, and it always has them. SQLite
// changes a CHECK only by rebuilding the table, so `campaigns` is rebuilt with every row and
// trigger as they were (it has no index of its own; `coupons` and `referrals` refer to it by name).
export default `
CREATE TABLE campaigns_new (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('new_user','birthday','referral','level','manual','claim','win_back')),
  status       TEXT NOT NULL CHECK (status IN ('active','paused','ended')),
  coupon_name  TEXT NOT NULL,
  terms        TEXT NOT NULL,
  claim_from   TEXT NOT NULL,
  claim_to     TEXT NOT NULL,
  use_days     INTEGER NOT NULL CHECK (use_days > 0),
  use_until    TEXT,
  per_person   INTEGER NOT NULL CHECK (per_person > 0),
  total_limit  INTEGER CHECK (total_limit IS NULL OR total_limit > 0),
  level        TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  points_price INTEGER CHECK (points_price IS NULL OR points_price > 0),
  -- a win-back campaign's days away before a member is recalled; null for every other kind
  absent_days  INTEGER CHECK (absent_days IS NULL OR absent_days > 0),
  CHECK ((kind = 'win_back') = (absent_days IS NOT NULL))
) STRICT;
INSERT INTO campaigns_new
  SELECT id, name, kind, status, coupon_name, terms, claim_from, claim_to, use_days, use_until,
         per_person, total_limit, level, created_at, updated_at, points_price, NULL FROM campaigns;
DROP TABLE campaigns;
ALTER TABLE campaigns_new RENAME TO campaigns;
-- an ended campaign stays ended
CREATE TRIGGER campaigns_ended BEFORE UPDATE OF status ON campaigns
  WHEN OLD.status = 'ended' AND NEW.status <> 'ended'
BEGIN SELECT RAISE(ABORT, 'an ended campaign stays ended'); END;
CREATE TRIGGER campaigns_points_price BEFORE UPDATE OF points_price ON campaigns
  WHEN OLD.points_price IS NOT NEW.points_price
BEGIN SELECT RAISE(ABORT, 'a campaign keeps the points price it started with'); END;
CREATE TRIGGER campaigns_absent_days BEFORE UPDATE OF absent_days ON campaigns
  WHEN OLD.absent_days IS NOT NEW.absent_days
BEGIN SELECT RAISE(ABORT, 'a campaign keeps the days away it started with'); END;
`;
