// Payments over HTTP (C5): paying what a booking owes, and the gateways' signed notifications.
import {
  assertOffered,
  offeredChoices,
  topUpChoices,
  DomainError,
  OnlinePaymentMethodSchema,
  type Actor,
  type PayChoice,
  type PaymentMethodsView,
  type PaySurface,
  PaymentCreateSchema,
  RefundPayOutSchema,
  StaffRefundSchema,
} from '@roomhub/shared-types';
import { z } from 'zod';
import type { Hub } from '../hub';
import { IdParams, route, type RouteEntry } from '../http/route';
import { codeChannelOf } from './channel';
import { reachOf, type ChannelReach } from './channel-kinds';
import { switchable, SWITCH_SURFACES } from './channel-switches';

const SwitchParams = z.object({
  surface: z.enum(SWITCH_SURFACES, { error: 'must be kiosk or counter' }),
  choice: z.string().min(1).max(32),
});
const SwitchBody = z.object({ on: z.boolean({ error: 'must be true (on) or false (off)' }) });

/** A way to pay as the owner's settings page shows it: never a credential. */
export interface PaymentChannelView {
  choice: string;
  /** `store`: cash, wallet (no gateway); else what the gateway behind it is. */
  kind: 'simulator' | 'gateway' | 'store' | 'not_set_up';
  /** The gateway's host, when known. */
  host: string | null;
  reachable: boolean | null;
  /** Per surface: offered and on, switched off, or not offered there at all. */
  kiosk: 'on' | 'off' | 'not_offered';
  counter: 'on' | 'off' | 'not_offered';
}

/** Where a payment is asked for: staff at the counter, anyone else at the kiosk in front of them. */
const surfaceOf = (actor: Actor): PaySurface => (actor.kind === 'staff' ? 'counter' : 'kiosk');

export function paymentRoutes({
  payments,
  paymentCodes,
  refunds,
  channels,
  channelSwitches,
  writes,
  audit,
}: Hub): RouteEntry[] {
  /** Whether this hub can take a way to pay: its channel is set up (cash and wallet always are). */
  const setUp = (choice: string): boolean =>
    choice === 'payment_code'
      ? (['wechat', 'alipay'] as const).some((m) => codeChannelOf(channels, m) !== undefined)
      : OnlinePaymentMethodSchema.safeParse(choice).success
        ? channels[choice as 'wechat'] !== undefined
        : true;
  return [
    route({
      method: 'get',
      path: '/api/payment-methods',
      tag: 'payments',
      summary:
        'The ways to pay offered where the caller is (the counter to staff, the kiosk to a kiosk), among those this hub has set up and the owner has not switched off, in the order a screen lists them; what the counter takes, and what pays a wallet top-up there (C5, O11)',
      handle: ({ actor }): PaymentMethodsView => {
        const surface = surfaceOf(actor);
        const usable = (where: PaySurface, choices: readonly PayChoice[]) =>
          choices.filter((c) => setUp(c) && channelSwitches.isOn(where, c));
        return {
          surface,
          methods: usable(surface, offeredChoices(surface)),
          counter: usable('counter', offeredChoices('counter')),
          topUps: usable(surface, topUpChoices(surface)),
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/payment-channels',
      tag: 'payments',
      summary:
        "The store's ways to pay for the owner's settings (O11): each one's gateway (the local stand-in or the real one from HUB_PAYMENTS), whether it answers now, and where it is on or switched off; never a credential",
      handle: async (): Promise<PaymentChannelView[]> => {
        // Wherever a way to pay is used there (a top-up's QR at the counter too), it has a switch.
        const placed = (surface: 'kiosk' | 'counter'): readonly string[] => [
          ...offeredChoices(surface),
          ...switchable(surface),
        ];
        const choices = [...new Set(SWITCH_SURFACES.flatMap((s) => placed(s)))];
        const switches = channelSwitches.list();
        const where = (surface: 'kiosk' | 'counter', choice: string) =>
          !placed(surface).includes(choice)
            ? 'not_offered'
            : (switches.find((w) => w.surface === surface && w.choice === choice)?.on ?? true)
              ? 'on'
              : 'off';
        return Promise.all(
          choices.map(async (choice): Promise<PaymentChannelView> => {
            const online = OnlinePaymentMethodSchema.safeParse(choice);
            const gatewayOf = online.success
              ? channels[online.data]
              : choice === 'payment_code'
                ? (channels.wechat ?? channels.alipay)
                : undefined;
            const reach: ChannelReach = gatewayOf
              ? await reachOf(gatewayOf)
              : { kind: null, host: null, reachable: null };
            const kind: PaymentChannelView['kind'] =
              !online.success && choice !== 'payment_code'
                ? 'store'
                : !setUp(choice)
                  ? 'not_set_up'
                  : (reach.kind ?? 'gateway');
            return {
              choice,
              kind,
              host: reach.host,
              reachable: reach.reachable,
              kiosk: where('kiosk', choice),
              counter: where('counter', choice),
            };
          }),
        );
      },
    }),
    route({
      method: 'put',
      path: '/api/payment-channels/:surface/:choice',
      errors: { 422: ['method_not_switchable'] },
      audited: true,
      tag: 'payments',
      summary:
        'Switch a way to pay on or off at the kiosk or at the counter (O11): one switched off is not listed there and is refused there; the wallet is never switched off',
      params: SwitchParams,
      body: SwitchBody,
      handle: async ({ params, body, actor }) => {
        try {
          return await writes.run((afterCommit) =>
            channelSwitches.set(params.surface, params.choice, body.on, actor, afterCommit),
          );
        } catch (e) {
          // The attempt is kept too; the refused switch wrote nothing.
          await writes
            .run(() =>
              audit.record({
                actor,
                action: 'payment_channel.switch',
                target: `${params.surface}:${params.choice}`,
                outcome: 'refused',
                after: { code: e instanceof DomainError ? e.code : 'internal' },
              }),
            )
            .catch(() => undefined);
          throw e;
        }
      },
    }),
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
        409: ['illegal_transition', 'nothing_due', 'payment_code_in_progress'],
        422: ['method_not_offered', 'method_switched_off', 'payment_code_unknown'],
        503: ['channel_unavailable', 'gateway_unavailable'],
      },
      tag: 'payments',
      summary:
        "Pay what is due: cash (staff); WeChat Pay, Alipay or UnionPay at the kiosk (a pay URL and a QR to show); or the payer's WeChat or Alipay payment code scanned at the counter or the kiosk (`payment_code`, `code`: charged at once; pending while the payer confirms, followed up and reversed if not paid within 30 s) (C5)",
      status: 201,
      params: IdParams,
      body: PaymentCreateSchema,
      handle: ({ params, body, actor, write }) => {
        // Cash refused to anyone but staff says so in its own words (cash_needs_staff).
        if (body.method !== 'cash') assertOffered(surfaceOf(actor), body.method);
        channelSwitches.assertOn(surfaceOf(actor), body.method);
        if (body.method === 'cash') {
          return write((afterCommit) => payments.payCash(params.id, actor, afterCommit));
        }
        if (body.method === 'payment_code') {
          return paymentCodes.charge(params.id, body.code ?? '', actor);
        }
        return payments.startOnline(params.id, body.method, actor);
      },
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
