// Invoices over HTTP (the owner's dashboard, 发票): the requests customers made, one request, issuing
// it with the tax system's PDF as the request's body (application/pdf; its number and date in the
// query), rejecting it with a reason, and the PDF served back to staff. Issuing and rejecting are
// audited by the service with the before and after, and a refusal of either is audited here.
import type { Request } from 'express';
import {
  assertPdfContentType,
  DomainError,
  INVOICE_PDF_MAX_BYTES,
  InvoiceIssueQuerySchema,
  InvoiceListQuerySchema,
  InvoiceRejectSchema,
  pdfTooLarge,
  type Actor,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { IdParams, route, type RouteEntry } from '../http/route';

/**
 * The PDF of an upload, refused past the size limit. What is sent beyond the limit is read and
 * dropped, so the browser gets the answer instead of a broken connection.
 */
async function pdfBody(req: Request): Promise<Buffer> {
  assertPdfContentType(req.get('content-type'));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= INVOICE_PDF_MAX_BYTES) chunks.push(chunk);
  }
  if (size > INVOICE_PDF_MAX_BYTES) throw pdfTooLarge();
  return Buffer.concat(chunks);
}

export function invoiceRoutes(hub: Hub): RouteEntry[] {
  const { invoices } = hub;
  /** Runs a decision; a refusal is kept in the audit log too, with its code. */
  const decided = async <T>(action: string, id: string, actor: Actor, work: () => Promise<T>) => {
    try {
      return await work();
    } catch (e) {
      if (e instanceof DomainError) {
        await hub.writes
          .run(() =>
            hub.audit.record({
              actor,
              action,
              target: id,
              outcome: 'refused',
              after: { code: e.code },
            }),
          )
          .catch(() => undefined);
      }
      throw e;
    }
  };
  return [
    route({
      method: 'get',
      path: '/api/invoices',
      tag: 'invoices',
      summary:
        'Invoice requests from customers, newest first, with how many wait, were issued or rejected',
      query: InvoiceListQuerySchema,
      handle: ({ query }) => invoices.list(query.status),
    }),
    route({
      method: 'get',
      path: '/api/invoices/:id',
      tag: 'invoices',
      summary: 'One invoice request with its booking',
      params: IdParams,
      handle: ({ params }) => invoices.get(params.id),
    }),
    route({
      method: 'post',
      path: '/api/invoices/:id/issue',
      tag: 'invoices',
      audited: true,
      errors: {
        400: ['invoice_pdf_empty'],
        409: ['invoice_decided', 'invoice_number_used'],
        422: ['invoice_pdf_too_large', 'invoice_date_out_of_range'],
      },
      summary: `Issue the invoice: the body is the PDF the tax system produced (Content-Type application/pdf, at most ${INVOICE_PDF_MAX_BYTES / (1024 * 1024)} MB, 415 invoice_not_pdf otherwise); the query names its number and date. The customer can then download it from the order`,
      params: IdParams,
      query: InvoiceIssueQuerySchema,
      handle: ({ params, query, actor, req }) =>
        decided('invoice.issue', params.id, actor, async () => {
          const pdf = await pdfBody(req);
          return hub.writes.run(() => invoices.issue(params.id, query, pdf, actor));
        }),
    }),
    route({
      method: 'post',
      path: '/api/invoices/:id/reject',
      tag: 'invoices',
      audited: true,
      errors: { 409: ['invoice_decided'] },
      summary: 'Turn an invoice request down, saying why; the customer is told and may ask again',
      params: IdParams,
      body: InvoiceRejectSchema,
      handle: ({ params, body, actor }) =>
        decided('invoice.reject', params.id, actor, () =>
          hub.writes.run(() => invoices.reject(params.id, body.reason, actor)),
        ),
    }),
    route({
      method: 'get',
      path: '/api/invoices/:id/pdf',
      tag: 'invoices',
      summary: "An issued invoice's PDF",
      params: IdParams,
      raw: true,
      handle: ({ params, res }) => {
        const pdf = invoices.pdf(params.id);
        res
          .status(200)
          .type('application/pdf')
          .set('content-disposition', `attachment; filename="${pdf.fileName}"`)
          .set('cache-control', 'private, no-store')
          .send(pdf.bytes);
      },
    }),
  ];
}
