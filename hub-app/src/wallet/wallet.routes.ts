// The member wallet over HTTP (C5, C11, O6): top-up packages (the owner and managers set them, the
// counter sells them), a top-up at the counter, a member's wallet and its movements, paying a
// booking from it, the unused principal refunded (a manager or the owner), the stored value owed,
// and the wallet's mode and offline allowance (the owner). A wallet is named by its member's
// phone, or at the kiosk by the member code the member shows. A top-up is paid only by a way the
// owner has not switched off at the counter. A route parses, calls the wallet service inside a
// write when it changes something.
import {
  WalletBookingPaySchema,
  WalletPackageInputSchema,
  WalletPackagePatchSchema,
  WalletParamsSchema,
  WalletRefundSchema,
  WalletSettingsSchema,
  WalletTopUpSchema,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { IdParams, route, type RouteEntry } from '../http/route';
import { payByMemberCode } from './member-code-payment';

export function walletRoutes(hub: Hub): RouteEntry[] {
  const { wallet, walletRefunds, walletMoves, channelSwitches } = hub;
  return [
    route({
      method: 'get',
      path: '/api/wallet/packages',
      tag: 'wallet',
      summary: 'Top-up packages: what the customer pays, the bonus, how long the bonus lasts',
      handle: () => wallet.packages(),
    }),
    route({
      method: 'post',
      path: '/api/wallet/packages',
      tag: 'wallet',
      summary: 'Add a top-up package (pay 200, get 100 bonus, valid 90 days)',
      status: 201,
      body: WalletPackageInputSchema,
      handle: ({ body, write }) => write(() => wallet.createPackage(body)),
    }),
    route({
      method: 'patch',
      path: '/api/wallet/packages/:id',
      tag: 'wallet',
      summary: 'Rename a top-up package or stop selling it',
      params: IdParams,
      body: WalletPackagePatchSchema,
      handle: ({ params, body, write }) => write(() => wallet.patchPackage(params.id, body)),
    }),
    route({
      method: 'post',
      path: '/api/wallet/top-ups',
      errors: {
        403: ['cash_needs_staff'],
        409: ['wallet_package_inactive'],
        422: ['method_switched_off'],
        503: ['channel_unavailable', 'gateway_unavailable'],
      },
      tag: 'wallet',
      summary:
        'Top up a member’s wallet at the counter, by a package or an amount: in cash (credited at once), or by a QR of WeChat Pay, Alipay or UnionPay (credited when paid); a way the owner switched off at the counter is refused',
      status: 201,
      body: WalletTopUpSchema,
      handle: ({ body, actor, write }) => {
        channelSwitches.assertOn('counter', body.method, 'top_up');
        return body.method === 'cash'
          ? write(() => wallet.topUpAtCounter(body, actor))
          : wallet.startCharge({ ...body, method: body.method }, actor);
      },
    }),
    route({
      method: 'get',
      path: '/api/wallet/top-ups/:id',
      tag: 'wallet',
      summary: 'A top-up paid by a QR: pending, paid (credited) or closed',
      params: IdParams,
      handle: ({ params }) => wallet.charge(params.id),
    }),
    route({
      method: 'get',
      path: '/api/wallets/:id',
      tag: 'wallet',
      summary: 'A member’s wallet (named by their phone): principal, bonus, expiries, movements',
      params: WalletParamsSchema,
      handle: ({ params }) => wallet.view(params.id),
    }),
    route({
      method: 'post',
      path: '/api/wallets/:id/refund',
      errors: {
        409: ['wallet_nothing_to_refund'],
        422: ['wallet_refund_exceeds_principal'],
      },
      tag: 'wallet',
      summary:
        'Give the unused principal back (all of it unless an amount is named), in cash or the way each top-up came; the bonus that came with it is taken back. A wallet shared across the owner’s stores first brings here all that the other stores hold, so what the customer paid at any of them is refunded here',
      params: WalletParamsSchema,
      body: WalletRefundSchema,
      handle: async ({ params, body, actor, write }) => {
        if (actor.kind === 'staff') await walletMoves.bringAll(params.id, actor);
        return write((afterCommit) =>
          walletRefunds.refundPrincipal(params.id, body, actor, afterCommit),
        );
      },
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/wallet-payments',
      errors: {
        403: ['wallet_needs_staff', 'booking_not_proven'],
        409: [
          'wallet_short',
          'nothing_due',
          'illegal_transition',
          'member_code_used',
          'member_code_other_store',
          'member_code_not_member',
        ],
        410: ['member_code_expired'],
        422: ['member_code_invalid'],
      },
      tag: 'wallet',
      summary:
        'Pay what a booking owes out of its customer’s wallet (or the phone named), or out of the wallet of the member whose member code (会员码) was scanned (the kiosk pays only that way); a wallet shared across the owner’s stores brings what it lacks here from them first',
      status: 201,
      params: IdParams,
      body: WalletBookingPaySchema,
      handle: async ({ params, body, actor, write }) => {
        if (body.memberCode !== undefined) {
          return payByMemberCode(hub, params.id, body.memberCode, actor, write);
        }
        if (actor.kind === 'staff') {
          const { phone, due } = wallet.dueOf(params.id, body.phone);
          if (due > 0) await walletMoves.bringIn(phone, due, actor);
        }
        return write((afterCommit) => wallet.payBooking(params.id, body.phone, actor, afterCommit));
      },
    }),
    route({
      method: 'get',
      path: '/api/wallet/owed',
      tag: 'wallet',
      summary: 'The stored value the store owes its customers: principal and bonus apart',
      handle: () => wallet.owed(),
    }),
    route({
      method: 'get',
      path: '/api/wallet/settings',
      tag: 'wallet',
      summary: 'Wallets per store or shared across the owner’s stores, and the offline allowance',
      handle: () => wallet.settings(),
    }),
    route({
      method: 'put',
      path: '/api/wallet/settings',
      tag: 'wallet',
      summary:
        'Choose wallets per store or shared, and what this store may spend of a shared wallet offline',
      body: WalletSettingsSchema,
      handle: ({ body, write }) => write(() => wallet.setSettings(body)),
    }),
  ];
}
