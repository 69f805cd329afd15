// Electronic invoices customers ask for (C15): one row per request, answered once from the
// customer's intent (its id is the intent's), then issued by the owner with the tax system's PDF
// (kept as a file in the data folder, named here) or rejected with a reason. A booking has at most
// one request waiting or issued; a rejected one may be asked again. Its one writer: hub-app/src/invoices/.
export default `
CREATE TABLE invoice_requests (
  id            TEXT PRIMARY KEY,
  booking_id    TEXT NOT NULL REFERENCES bookings(id),
  customer_id   TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('waiting','issued','rejected')),
  title_kind    TEXT NOT NULL CHECK (title_kind IN ('personal','company')),
  title_name    TEXT NOT NULL,
  -- the company's unified social credit code; none for a person
  tax_id        TEXT,
  email         TEXT,
  -- fen: paid less refunded when asked
  amount        INTEGER NOT NULL CHECK (amount > 0),
  requested_at  INTEGER NOT NULL,
  number        TEXT,
  -- the date printed on the invoice, YYYY-MM-DD
  issued_on     TEXT,
  reject_reason TEXT,
  -- the PDF's file in the data folder's invoices folder, its size and SHA-256
  pdf_file      TEXT,
  pdf_bytes     INTEGER,
  pdf_sha256    TEXT,
  decided_at    INTEGER,
  decided_by    TEXT,
  CHECK ((title_kind = 'company') = (tax_id IS NOT NULL)),
  CHECK ((status = 'issued') = (number IS NOT NULL AND pdf_file IS NOT NULL)),
  CHECK ((status = 'rejected') = (reject_reason IS NOT NULL)),
  CHECK ((status = 'waiting') = (decided_at IS NULL))
) STRICT;
CREATE UNIQUE INDEX invoice_requests_one_open ON invoice_requests(booking_id)
  WHERE status IN ('waiting','issued');
CREATE UNIQUE INDEX invoice_requests_number ON invoice_requests(number) WHERE number IS NOT NULL;
CREATE INDEX invoice_requests_status ON invoice_requests(status, requested_at);
`;
