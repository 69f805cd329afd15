// A signed-in customer tops up their wallet at a store online: 201 credited, 202 while the store
// is offline (it credits it when back, or the money is given back when the wait ends), 409 when
// the store refused (the money is given back).
import { StoreParamsSchema, WalletOnlineTopUpSchema } from '@roomhub/shared-types';
import { intentReply } from '../http/intent-reply';
import { route, type RouteDef } from '../http/route';
import type { CloudWallet } from './cloud-wallet';

export function walletRoutes(wallet: CloudWallet): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/api/stores/:storeId/wallet/top-ups',
      tag: 'wallet',
      access: 'customer',
      idempotent: true,
      summary:
        'Top up my wallet at a store, paid now: 201 credited, 202 waiting (store offline), 409 refused (money given back)',
      status: 201,
      params: StoreParamsSchema,
      body: WalletOnlineTopUpSchema,
      errors: { 503: ['gateway_unavailable'] },
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(await wallet.topUp(caller, params.storeId, body, idempotencyKey), 201),
    }),
  ];
}
