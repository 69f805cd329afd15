// The payment gateway's side of the cloud: its signed notifications, posted to the notify URL each
// order names. Open to anyone by necessity; the channel believes only what verifies. Read as the
// bytes the gateway signed (http/app.ts keeps this path's body as text).
import { z } from 'zod';
import { DomainError } from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import { CloudPaySurfaceSchema, cloudPaymentMethods } from './payment-methods';
import type { SwitchedChannel } from './switched-channel';

const MethodsQuery = z.object({
  /** Where the customer is: the mini-program, the H5 page inside WeChat, or outside it. */
  surface: CloudPaySurfaceSchema.default('h5'),
});

const NotifyParams = z.object({ method: z.string() });

export function paymentRoutes(payments: SwitchedChannel): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/payment-methods',
      tag: 'payments',
      access: 'anyone',
      summary:
        "The ways to pay offered where the customer is (WeChat Pay only inside WeChat; Alipay and UnionPay too on a page outside it), among those this service's channels take and the platform has not switched off",
      query: MethodsQuery,
      handle: async ({ query }) => ({
        surface: query.surface,
        // None while the platform has switched the channel off.
        methods: (await payments.isOn())
          ? cloudPaymentMethods(query.surface, [payments.method])
          : [],
      }),
    }),
    route({
      method: 'post',
      path: '/api/payments/notify/:method',
      tag: 'payments',
      access: 'anyone',
      summary:
        "Take a payment gateway's signed notification of a payment: recorded once, however often it comes",
      errors: { 404: ['channel_unknown'], 422: ['bad_signature', 'bad_notification'] },
      params: NotifyParams,
      handle: async ({ params, req }) => {
        if (params.method !== payments.method || !payments.handleNotification) {
          throw new DomainError(
            'not_found',
            'channel_unknown',
            `no payment channel ${params.method}`,
            'method',
          );
        }
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [
            k.toLowerCase(),
            Array.isArray(v) ? v[0] : v,
          ]),
        );
        const body = typeof req.body === 'string' ? req.body : '';
        const outcome = await payments.handleNotification(headers, body);
        return { code: 'SUCCESS', message: outcome };
      },
    }),
  ];
}
