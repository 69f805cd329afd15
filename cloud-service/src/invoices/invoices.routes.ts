// A signed-in customer's electronic invoices over HTTP: the invoice requests of one order of theirs
// and whether one may be asked for, asking (201 recorded by the store, 202 waiting while it is
// offline, 409 refused with why), and an issued invoice's PDF, served to that customer only.
import { InvoiceAskSchema, InvoiceParamsSchema, OrderParamsSchema } from '@roomhub/shared-types';
import { intentReply } from '../http/intent-reply';
import { route, type RouteDef } from '../http/route';
import type { CloudInvoices } from './invoice.service';

export function invoiceRoutes(invoices: CloudInvoices): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/orders/:bookingId/invoices',
      tag: 'invoices',
      access: 'customer',
      summary:
        'The invoice requests of one of my orders (waiting, issued, rejected) and whether I may ask for one now',
      params: OrderParamsSchema,
      handle: ({ params, caller }) => invoices.list(caller, params.bookingId),
    }),
    route({
      method: 'post',
      path: '/api/orders/:bookingId/invoices',
      tag: 'invoices',
      access: 'customer',
      summary:
        'Ask the store for an electronic invoice (发票) of a paid order, personal or company (with its unified social credit code): 201 recorded, 202 waiting, 409 refused (one already asked for or issued, not paid)',
      status: 201,
      params: OrderParamsSchema,
      body: InvoiceAskSchema,
      handle: async ({ params, body, caller }) =>
        intentReply(await invoices.ask(caller, params.bookingId, body), 201),
    }),
    route({
      method: 'get',
      path: '/api/orders/:bookingId/invoices/:requestId/pdf',
      tag: 'invoices',
      access: 'customer',
      summary: "An issued invoice's PDF, for the customer whose order it is (404 for anyone else)",
      params: InvoiceParamsSchema,
      handle: async ({ params, caller, res }) => {
        const pdf = await invoices.pdf(caller, params.bookingId, params.requestId);
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
