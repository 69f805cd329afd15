// Electronic invoices (发票, C15): what a customer asks for a paid order (a personal or a company
// title, an e-mail to send it to), what the owner's dashboard lists and sends (the PDF the tax
// bureau's system produced, its number and date, or a reason to refuse), and what the customer's
// order page shows. The amount is never typed: it is what was paid less what was given back.
import { z } from 'zod';
import { LocalDateSchema } from '../time/instant';
import { taxIdProblem } from '../invoices/tax-id';
import { IdPartSchema } from '../sync/id-part';

/** The largest invoice PDF the store keeps: a 全电发票 PDF is some tens of kilobytes. */
export const INVOICE_PDF_MAX_BYTES = 2 * 1024 * 1024;

export const InvoiceStatusSchema = z.enum(['waiting', 'issued', 'rejected']);
export type InvoiceStatus = z.infer<typeof InvoiceStatusSchema>;

/** A unified social credit code, upper-cased and without spaces, checked by its check digit. */
export const TaxIdSchema = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .superRefine((code, ctx) => {
    const problem = taxIdProblem(code);
    if (problem) ctx.addIssue({ code: 'custom', message: `the taxpayer id ${problem}` });
  });

const personName = z.string().trim().min(1, 'give the name on the invoice').max(50);
const companyName = z.string().trim().min(2, "give the company's full name").max(100);

/** Whom the invoice is made out to (发票抬头): a person, or a company with its taxpayer id. */
export const InvoiceTitleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('personal'), name: personName }).strict(),
  z.object({ kind: z.literal('company'), name: companyName, taxId: TaxIdSchema }).strict(),
]);
export type InvoiceTitle = z.infer<typeof InvoiceTitleSchema>;

export const InvoiceEmailSchema = z
  .string()
  .trim()
  .max(100)
  .pipe(z.email({ message: 'must be an e-mail address like name@example.com' }));

/** The customer's request (POST /api/orders/:bookingId/invoice). */
export const InvoiceAskSchema = z
  .object({ title: InvoiceTitleSchema, email: InvoiceEmailSchema.optional() })
  .strict();
export type InvoiceAsk = z.infer<typeof InvoiceAskSchema>;

// ---- the owner's dashboard on the hub -------------------------------------------------------

export const InvoiceListQuerySchema = z.object({ status: InvoiceStatusSchema.optional() }).strict();

/**
 * Sending the invoice: the PDF is the request's body (application/pdf); its number (全电发票:
 * 20 digits; older invoices 8 to 12) and date as the tax system printed them.
 */
export const InvoiceIssueQuerySchema = z
  .object({
    number: z
      .string()
      .trim()
      .regex(/^[0-9]{8,20}$/, 'must be the 8 to 20 digits of the invoice number'),
    issuedOn: LocalDateSchema,
  })
  .strict();
export type InvoiceIssueQuery = z.infer<typeof InvoiceIssueQuerySchema>;

export const InvoiceRejectSchema = z
  .object({ reason: z.string().trim().min(2, 'say why, so the customer can ask again').max(200) })
  .strict();

/** An invoice request as the hub's dashboard shows it; times in the store's zone. */
export const InvoiceViewSchema = z.object({
  id: z.string(),
  bookingId: z.string(),
  bookingNumber: z.string().nullable(),
  roomName: z.string(),
  bookingStart: z.string(),
  status: InvoiceStatusSchema,
  title: InvoiceTitleSchema,
  email: z.string().nullable(),
  /** Fen: what was paid for the booking less what was given back, when asked. */
  amount: z.number().int(),
  requestedAt: z.string(),
  number: z.string().nullable(),
  issuedOn: z.string().nullable(),
  rejectReason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  pdfBytes: z.number().int().nullable(),
});
export type InvoiceView = z.infer<typeof InvoiceViewSchema>;

export const InvoiceCountsSchema = z.object({
  waiting: z.number().int(),
  issued: z.number().int(),
  rejected: z.number().int(),
});

export interface InvoiceList {
  invoices: InvoiceView[];
  counts: z.infer<typeof InvoiceCountsSchema>;
}

// ---- the customer's order page (the cloud) --------------------------------------------------

/** One invoice request of the customer's order; `waiting` also while the store is offline. */
export interface CustomerInvoiceView {
  requestId: string;
  state: 'waiting' | 'issued' | 'rejected';
  title: InvoiceTitle;
  email?: string;
  amount: number;
  requestedAt: string;
  number?: string;
  issuedOn?: string;
  reason?: string;
  /** Issued: the PDF's size in bytes; fetched from the download route. */
  pdfBytes?: number;
}

export interface CustomerInvoices {
  /** Newest first. */
  invoices: CustomerInvoiceView[];
  /** What an invoice would be made out for now: paid less refunded, fen. */
  amount: number;
  /** Whether a request may be made now, and if not why, in words. */
  canAsk: boolean;
  whyNot?: string;
}

export const InvoiceParamsSchema = z
  .object({ bookingId: IdPartSchema, requestId: IdPartSchema })
  .strict();
