// The invoice a store's hub publishes for a customer's request (`invoice:<requestId>`): waiting,
// issued with its PDF as the document's attachment `invoice.pdf`, or rejected with the reason. The
// hub is its only writer; the cloud shows it to the customer whose order it is, and only to them.
import { z } from 'zod';
import { StoreIdSchema } from './databases';
import { IdPartSchema, part } from './id-part';
import { IsoInstantSchema, LocalDateSchema } from '../time/instant';
import { InvoiceStatusSchema, InvoiceTitleSchema } from '../api/invoices';

export const INVOICE_PREFIX = 'invoice:';
export const invoiceDocId = (requestId: string) => `${INVOICE_PREFIX}${part(requestId)}`;
/** The attachment that holds an issued invoice's PDF. */
export const INVOICE_PDF_NAME = 'invoice.pdf';

export const InvoiceDocSchema = z.object({
  _id: z.string().startsWith(INVOICE_PREFIX),
  type: z.literal('invoice'),
  storeId: StoreIdSchema,
  /** The customer's intent that asked for it. */
  requestId: IdPartSchema,
  bookingId: IdPartSchema,
  customerId: IdPartSchema,
  status: InvoiceStatusSchema,
  title: InvoiceTitleSchema,
  email: z.string().max(100).optional(),
  amount: z.number().int().nonnegative(),
  requestedAt: IsoInstantSchema,
  number: z.string().max(20).optional(),
  issuedOn: LocalDateSchema.optional(),
  reason: z.string().max(200).optional(),
  decidedAt: IsoInstantSchema.optional(),
  /** The issued PDF: its size and SHA-256, so the cloud can tell the attachment is the one. */
  pdf: z.object({ bytes: z.number().int().positive(), sha256: z.string().length(64) }).optional(),
  updatedAt: IsoInstantSchema,
});
export type InvoiceDoc = z.infer<typeof InvoiceDocSchema>;
