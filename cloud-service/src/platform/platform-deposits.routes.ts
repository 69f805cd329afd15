// A merchant's deposit (保证金) in the console: its balance and entries, money paid in, fines, the
// refund of a fine lifted on appeal, money returned; and the owner's read of their own deposit.
import {
  DepositFineBodySchema,
  DepositFineParamsSchema,
  DepositFineRefundBodySchema,
  DepositPayInBodySchema,
  DepositReturnBodySchema,
  DomainError,
  MerchantParamsSchema,
  OwnerStoreParamsSchema,
} from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import { platformRoute } from './platform-auth';
import type { PlatformDeposits } from './platform-deposits';

export function platformDepositRoutes(deposits: PlatformDeposits): RouteDef[] {
  return [
    platformRoute({
      method: 'get',
      path: '/api/platform/merchants/:phone/deposit',
      tag: 'platform',
      action: 'merchants.read',
      summary: "A merchant's deposit: its balance and its entries, newest first",
      params: MerchantParamsSchema,
      handle: ({ params }) => deposits.read(params.phone),
    }),
    platformRoute({
      method: 'post',
      path: '/api/platform/merchants/:phone/deposit/pay-ins',
      tag: 'platform',
      action: 'merchants.manage',
      idempotent: true,
      status: 201,
      summary: "Records money a merchant paid into its deposit, with the payment's reference",
      params: MerchantParamsSchema,
      body: DepositPayInBodySchema,
      errors: { 409: ['reference_used'] },
      handle: ({ params, body, caller, idempotencyKey }) =>
        deposits.payIn(caller, params.phone, body, idempotencyKey),
    }),
    platformRoute({
      method: 'post',
      path: '/api/platform/merchants/:phone/deposit/fines',
      tag: 'platform',
      action: 'merchants.manage',
      idempotent: true,
      status: 201,
      summary:
        'Fines a merchant (罚款), or one of its stores, taking the amount from its deposit; never below zero',
      params: MerchantParamsSchema,
      body: DepositFineBodySchema,
      errors: { 409: ['deposit_short'], 422: ['store_not_merchants'] },
      handle: ({ params, body, caller, idempotencyKey }) =>
        deposits.fine(caller, params.phone, body, idempotencyKey),
    }),
    platformRoute({
      method: 'post',
      path: '/api/platform/merchants/:phone/deposit/fines/:entryId/refund',
      tag: 'platform',
      action: 'merchants.manage',
      idempotent: true,
      status: 201,
      summary:
        'Gives a fine lifted on appeal back into the deposit, as an entry of its own, with the reason',
      params: DepositFineParamsSchema,
      body: DepositFineRefundBodySchema,
      errors: { 404: ['fine_not_found'], 409: ['fine_refunded'] },
      handle: ({ params, body, caller, idempotencyKey }) =>
        deposits.refundFine(caller, params.phone, params.entryId, body.reason, idempotencyKey),
    }),
    platformRoute({
      method: 'post',
      path: '/api/platform/merchants/:phone/deposit/returns',
      tag: 'platform',
      action: 'merchants.manage',
      idempotent: true,
      status: 201,
      summary: "Returns money from a merchant's deposit to the merchant; never below zero",
      params: MerchantParamsSchema,
      body: DepositReturnBodySchema,
      errors: { 409: ['deposit_short', 'reference_used'] },
      handle: ({ params, body, caller, idempotencyKey }) =>
        deposits.returnToMerchant(caller, params.phone, body, idempotencyKey),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/deposit',
      tag: 'owner',
      access: 'owner',
      summary:
        'The deposit (保证金) of the merchant running a store, for its owner: the balance and its entries; null before any',
      params: OwnerStoreParamsSchema,
      handle: ({ caller, params }) => {
        if (!caller.storeIds.includes(params.storeId)) {
          throw new DomainError(
            'forbidden',
            'not_your_store',
            'this account does not run that store',
          );
        }
        return deposits.ofStore(params.storeId, caller.storeIds);
      },
    }),
  ];
}
