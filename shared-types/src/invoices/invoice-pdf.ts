// The invoice PDFs an owner sends (at the store, or from afar through the cloud): checked to be a
// PDF by its bytes (the `%PDF-` header, a cross-reference the file points at with `startxref`, the
// `%%EOF` end), not by the name or type a browser claims. The hub checks before it keeps a file;
// the cloud checks before it sends one to a store, so a wrong file is refused where it was sent.
import { DomainError } from '../errors';
import { INVOICE_PDF_MAX_BYTES } from '../api/invoices';

const mb = INVOICE_PDF_MAX_BYTES / (1024 * 1024);

export function pdfTooLarge(): DomainError {
  return new DomainError(
    'invalid',
    'invoice_pdf_too_large',
    `an invoice PDF is at most ${mb} MB; download it again from the tax system`,
    'pdf',
  ).with({ mb });
}

/** The declared type of an upload: a PDF, or refused at once. */
export function assertPdfContentType(contentType: string | undefined): void {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/pdf') return;
  throw new DomainError(
    'unsupported_media',
    'invoice_not_pdf',
    'send the invoice as the PDF file the tax system produced (Content-Type: application/pdf)',
    'pdf',
  );
}

const notPdf = (why: string) =>
  new DomainError(
    'unsupported_media',
    'invoice_not_pdf',
    `this file is not a whole PDF (${why}); download the invoice PDF from the tax system again`,
    'pdf',
  ).with({ why });

/** Bytes as text one character per byte (what a PDF's structure words are written in). */
function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/**
 * Refuses an empty file, one over the limit, or one whose bytes are not a whole PDF: the header
 * in the first kilobyte (as readers allow), and at the end `startxref` with an offset inside the
 * file that points at a cross-reference table or stream, then `%%EOF`. A PDF cut short in the
 * download has no end and is refused.
 */
export function checkPdf(bytes: Uint8Array): void {
  if (bytes.length === 0) {
    throw new DomainError('bad_input', 'invoice_pdf_empty', 'the PDF file is empty', 'pdf');
  }
  if (bytes.length > INVOICE_PDF_MAX_BYTES) throw pdfTooLarge();
  const head = latin1(bytes.subarray(0, 1024));
  const at = head.indexOf('%PDF-');
  if (at < 0 || !/^%PDF-[12]\.\d/.test(head.slice(at))) throw notPdf('no %PDF- header');
  const tail = latin1(bytes.subarray(Math.max(0, bytes.length - 2048)));
  const end = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!end) throw notPdf('no startxref and %%EOF at its end');
  const offset = Number(end[1]);
  if (!Number.isSafeInteger(offset) || offset <= at || offset >= bytes.length) {
    throw notPdf('its startxref points outside the file');
  }
  const xref = latin1(bytes.subarray(offset, offset + 64));
  // A classic table starts with `xref`; a cross-reference stream (PDF 1.5+) with `<n> <g> obj`.
  if (!/^(xref\b|\d+\s+\d+\s+obj\b)/.test(xref)) {
    throw notPdf('its startxref does not point at a cross-reference');
  }
}
