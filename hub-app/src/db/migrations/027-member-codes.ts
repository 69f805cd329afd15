// A member pay code (会员码) is taken once: `member_code_uses` holds the id of every code this
// store took, until well after the code's own expiry, when a job prunes it (a code past its
// expiry is refused by that alone).
export default `
CREATE TABLE member_code_uses (
  code_id    TEXT PRIMARY KEY,
  member_id  TEXT NOT NULL REFERENCES members(id),
  booking_id TEXT NOT NULL,
  -- epoch ms: the code's own expiry
  expires_at INTEGER NOT NULL,
  used_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX member_code_uses_expiry ON member_code_uses(expires_at);
`;
