// A principal refund sent back through a top-up's channel names the refund it is part of, so a
// share the gateway refuses gives back the bonus taken back for it as well as its principal.
export default `
ALTER TABLE wallet_refunds ADD COLUMN operation TEXT;
`;
