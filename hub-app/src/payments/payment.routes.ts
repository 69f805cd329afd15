// Payments over HTTP (C5): paying what a booking owes, and the gateways' signed notifications.
import {
  DomainError,
  OnlinePaymentMethodSchema,
  PaymentCreateSchema,
  RefundPayOutSchema,
  StaffRefundSchema,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { IdParams, route, type RouteEntry } from '../http/route';

export function paymentRoutes({ payments, refunds }: Hub): RouteEntry[] {
  return [
    route({
      method: 'post',
      path: '/api/payments/notify/:method',
      tag: 'payments',
      summary: "Take a gateway's signed notification of a payment (read as the bytes it signed)",
      raw: true,
      handle: async ({ req, res }) => {
        const named = String(req.params.method);
        const method = OnlinePaymentMethodSchema.safeParse(FORMER_NAMES[named] ?? named);
        if (!method.success) {
          throw new DomainError(
            'not_found',
            'channel_unknown',
            `no payment channel ${named}`,
            'method',
          );
        }
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [
            k.toLowerCase(),
            Array.isArray(v) ? v[0] : v,
          ]),
        );
        const result = await payments.handleNotification(
          method.data,
          headers,
          typeof req.body === 'string' ? req.body : '',
        );
        // Alipay stops retrying only on the literal word; WeChat Pay reads a JSON answer.
        if (method.data === 'alipay') res.type('text/plain').send('success');
        else res.json({ code: 'SUCCESS', message: result.outcome });
      },
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/payments',
      errors: {
        403: ['cash_needs_staff'],
        409: ['illegal_transition', 'nothing_due'],
        503: ['channel_unavailable', 'gateway_unavailable'],
      },
      tag: 'payments',
      summary:
        'Pay what is due: cash (staff), or WeChat Pay or Alipay (a pay URL and a QR to show) (C5)',
      status: 201,
      params: IdParams,
      body: PaymentCreateSchema,
      handle: ({ params, body, actor, write }) =>
        body.method === 'cash'
          ? write((afterCommit) => payments.payCash(params.id, actor, afterCommit))
          : payments.startOnline(params.id, body.method, actor),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/refunds',
      errors: {
        404: ['not_found'],
        409: ['nothing_to_refund'],
        422: ['refund_exceeds_paid'],
        503: ['channel_unavailable'],
      },
      tag: 'payments',
      summary:
        'Give money back by hand, in full or in part, more than once up to what was paid, each part through the channel it came by',
      status: 201,
      params: IdParams,
      body: StaffRefundSchema,
      handle: ({ params, body, actor, write }) =>
        write((afterCommit) =>
          refunds.byStaff(params.id, body.amount, body.reason, actor, afterCommit),
        ),
    }),
    route({
      method: 'get',
      path: '/api/refunds/owed',
      tag: 'payments',
      summary:
        'Cash refunds owed to customers, waiting to be handed over at the counter, and their total',
      handle: () => refunds.owed(),
    }),
    route({
      method: 'post',
      path: '/api/refunds/:id/pay-out',
      errors: { 409: ['not_owed'] },
      tag: 'payments',
      summary: 'Hand an owed cash refund over the counter: settled and in the ledger',
      params: IdParams,
      body: RefundPayOutSchema,
      handle: ({ params, actor, write }) =>
        write((afterCommit) => refunds.payOut(params.id, actor, afterCommit)),
    }),
  ];
}

/** What hubs before the one-word rename told the gateway, for charges still open across it. */
const FORMER_NAMES: Record<string, string> = { simulated: 'wechat' };
