// The owner's switch for each way to pay at the kiosk and at the counter (O11): a row only for a
// way to pay the owner has switched; with no row it is on wherever it is offered and set up.
export default `
CREATE TABLE payment_channel_switches (
  surface    TEXT NOT NULL CHECK (surface IN ('kiosk','counter')),
  choice     TEXT NOT NULL,
  is_on      INTEGER NOT NULL CHECK (is_on IN (0,1)),
  changed_by TEXT NOT NULL,
  changed_at INTEGER NOT NULL,
  PRIMARY KEY (surface, choice)
) STRICT;
`;
