// Our own vouchers moved between two stores of one owner, online only (issue 12). A voucher moved
// away (`moved_to`) is never redeemable here again: its new home decides it from then on. One
// moved here (`moved_from`) carries what it bought (`rules`), since this store has not got the
// other store's deals. A refused intent keeps the store's error code, told again to the cloud
// when the intent is handed over again.
export default `
ALTER TABLE vouchers ADD COLUMN moved_to TEXT;
ALTER TABLE vouchers ADD COLUMN moved_at INTEGER;
ALTER TABLE vouchers ADD COLUMN moved_from TEXT;
-- {title, entitlement} (JSON) of a voucher moved here: its deal is the other store's
ALTER TABLE vouchers ADD COLUMN rules TEXT;

ALTER TABLE intent_answers ADD COLUMN code TEXT;
`;
