// The owner's statistics (O10) read each ledger and history by the time of its entries: an index
// over each time column they read a range of, so a month's figures read that month and no more.
// Redemptions get an index by payment too: a voucher's money in the ledger names its source there.
export default `
CREATE INDEX ledger_at ON ledger(at);
CREATE INDEX order_money_at ON order_money(at);
CREATE INDEX orders_created ON orders(created_at);
CREATE INDEX wallet_topups_at ON wallet_topups(at);
CREATE INDEX members_joined ON members(joined_at);
CREATE INDEX booking_events_status_at ON booking_events(to_status, at);
CREATE INDEX redemptions_payment ON redemptions(payment_id);
`;
