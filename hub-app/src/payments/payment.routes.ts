// Payments over HTTP (C5): paying what a booking owes, and the gateways' signed notifications.
import express, { type RequestHandler } from 'express';
import { OnlinePaymentMethodSchema, PaymentCreateSchema } from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { IdParams, route, type RouteDef } from '../http/route';
import { sendError } from '../http/errors';

export function paymentRoutes({ payments, writes }: Hub): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/api/bookings/:id/payments',
      tag: 'payments',
      access: 'anyone',
      summary: 'Pay what is due: cash (staff) or WeChat Pay (a pay URL and a QR to show) (C5)',
      status: 201,
      params: IdParams,
      body: PaymentCreateSchema,
      handle: ({ params, body, actor }) =>
        body.method === 'cash'
          ? writes.run((afterCommit) => payments.payCash(params.id, actor, afterCommit))
          : payments.startOnline(params.id, body.method, actor),
    }),
  ];
}

/** What hubs before the one-word rename told the gateway, for charges still open across it. */
const FORMER_NAMES: Record<string, string> = { simulated: 'wechat' };

/**
 * `POST /api/payments/notify/:method`: a gateway's notification. Gateways sign the exact bytes
 * they send, so this reads the raw body and is mounted before the JSON parser.
 */
export function notificationRoute({ payments }: Hub): [string, ...RequestHandler[]] {
  return [
    '/api/payments/notify/:method',
    express.text({ type: '*/*', limit: '64kb' }),
    async (req, res) => {
      const named = String(req.params.method);
      const method = OnlinePaymentMethodSchema.safeParse(FORMER_NAMES[named] ?? named);
      if (!method.success)
        return sendError(
          res,
          404,
          'channel_unknown',
          `no payment channel ${String(req.params.method)}`,
          'method',
        );
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]),
      );
      const result = await payments.handleNotification(
        method.data,
        headers,
        typeof req.body === 'string' ? req.body : '',
      );
      res.json({ code: 'SUCCESS', message: result.outcome });
    },
  ];
}
