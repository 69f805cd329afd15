// A campaign's coupons exchanged for points (C11, O6): `points_price` is what a member gives for
// one (null: claimed free), set when the campaign starts and never changed after, so a coupon
// already exchanged was always bought at the price the campaign shows. The points themselves are
// a `spent` entry of the points ledger referring to the coupon (`coupon:<id>`).
export default `
ALTER TABLE campaigns ADD COLUMN points_price INTEGER CHECK (points_price IS NULL OR points_price > 0);
CREATE TRIGGER campaigns_points_price BEFORE UPDATE OF points_price ON campaigns
  WHEN OLD.points_price IS NOT NEW.points_price
BEGIN SELECT RAISE(ABORT, 'a campaign keeps the points price it started with'); END;
`;
