// The member pay code over HTTP: a signed-in customer asks for a fresh code to show a store's
// scanner (their page asks again every half minute).
import { MemberCodeRequestSchema } from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import type { MemberCodes } from './member-codes';

export function memberCodeRoutes(codes: MemberCodes): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/api/me/member-code',
      tag: 'members',
      access: 'customer',
      summary:
        'A fresh member code (会员码) for me at one store: a QR text that store’s scanner reads to pay from my wallet there, good for a minute and once',
      body: MemberCodeRequestSchema,
      status: 201,
      handle: ({ caller, body }) => codes.issue(caller, body.storeId),
    }),
  ];
}
