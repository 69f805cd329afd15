// Tea and snacks ordered from the customer's phone: which order each online intent placed, and the
// cloud's payment it was paid with, so an intent handed over again is answered with the same order
// and the money stays traceable to the payment the cloud took.
export default `
CREATE TABLE tea_order_intents (
  intent_id   TEXT PRIMARY KEY,
  order_id    TEXT NOT NULL UNIQUE REFERENCES orders(id),
  customer_id TEXT NOT NULL,
  payment_id  TEXT NOT NULL,
  at          INTEGER NOT NULL
) STRICT;
`;
