// A shared wallet's money over HTTP: a store's hub (authenticated by its CouchDB user) asks for
// what it lacks of a wallet from the owner's other stores. The handler decides nothing.
import { WalletMoveRequestSchema } from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import type { CloudWalletMoves } from './wallet-moves';

export function walletMoveRoutes(moves: CloudWalletMoves): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/api/hub/wallet/moves',
      tag: 'wallet',
      access: 'hub',
      summary:
        "Bring money of a wallet shared across the owner's stores to the hub's store: each holding store writes it out and answers with the lots it gave up (asking again with the same move id is the same move)",
      body: WalletMoveRequestSchema,
      errors: {
        400: ['invalid_input'],
        401: ['sign_in_required', 'invalid_login'],
        403: ['not_allowed'],
      },
      handle: ({ body, caller }) => moves.move(caller, body),
    }),
  ];
}
