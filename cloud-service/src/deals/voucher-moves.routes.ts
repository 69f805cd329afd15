// A voucher of the owner's other store over HTTP: the store's hub (authenticated by its CouchDB
// user) asks for it to be moved to its store, to redeem it there. The handler decides nothing.
import { VoucherMoveRequestSchema } from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import type { VoucherMoves } from './voucher-moves';

export function voucherMoveRoutes(moves: VoucherMoves): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/api/hub/vouchers/move',
      tag: 'deals',
      access: 'hub',
      summary:
        "Move a voucher of another store of the same owner to the hub's store: its home store marks it moved, the cloud signs it anew (online only)",
      body: VoucherMoveRequestSchema,
      errors: {
        400: ['invalid_input'],
        401: ['sign_in_required', 'invalid_login'],
        403: ['not_allowed'],
        409: [
          'voucher_other_store',
          'voucher_other_owner',
          'voucher_used',
          'voucher_refunded',
          'voucher_moved',
          'voucher_deal_unknown',
        ],
        410: ['voucher_expired'],
        422: ['voucher_forged'],
      },
      handle: ({ body, caller }) => moves.move(caller, body.pass),
    }),
  ];
}
