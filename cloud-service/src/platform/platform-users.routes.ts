// The platform's customers page (P3) and the customer's appeal.
import {
  AppealAnswerBodySchema,
  AppealAnswerParamsSchema,
  AppealBodySchema,
  AppealLookupBodySchema,
  PlatformFreezeBodySchema,
  PlatformFreezeParamsSchema,
  PlatformUserQuerySchema,
} from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import { platformRoute } from './platform-auth';
import type { PlatformUsers } from './platform-users';

export function platformUserRoutes(users: PlatformUsers): RouteDef[] {
  return [
    platformRoute({
      method: 'get',
      path: '/api/platform/users',
      tag: 'platform',
      action: 'users.read',
      summary: 'A customer by phone or id: freeze, sign-ins, stores with their bookings, appeals',
      query: PlatformUserQuerySchema,
      handle: ({ query }) => users.find(query),
    }),
    platformRoute({
      method: 'put',
      path: '/api/platform/users/:customerId/freeze',
      tag: 'platform',
      action: 'users.manage',
      summary: 'Freezes a customer (no sign-in, no intents) or unfreezes them, with the reason',
      params: PlatformFreezeParamsSchema,
      body: PlatformFreezeBodySchema,
      handle: ({ params, body, caller }) => users.freeze(caller, params.customerId, body),
    }),
    platformRoute({
      method: 'get',
      path: '/api/platform/appeals',
      tag: 'platform',
      action: 'users.read',
      summary: "Customers' appeals, open ones first",
      handle: () => users.appeals(),
    }),
    platformRoute({
      method: 'post',
      path: '/api/platform/appeals/:appealId/answer',
      tag: 'platform',
      action: 'users.manage',
      summary: 'Answers an appeal: upholding it unfreezes the customer',
      params: AppealAnswerParamsSchema,
      body: AppealAnswerBodySchema,
      handle: ({ params, body, caller }) => users.answer(caller, params.appealId, body),
    }),
    route({
      method: 'post',
      path: '/api/appeals',
      tag: 'platform',
      access: 'anyone',
      status: 201,
      summary:
        'A customer appeals a freeze: their phone, the code texted to it (/api/auth/sms/send) and what they have to say',
      body: AppealBodySchema,
      handle: ({ body }) => users.appeal(body.phone, body.code, body.text),
    }),
    route({
      method: 'post',
      path: '/api/appeals/mine',
      tag: 'platform',
      access: 'anyone',
      summary:
        "A customer's own appeals with their state and the platform's answer: their phone and a code texted to it",
      body: AppealLookupBodySchema,
      handle: ({ body }) => users.appealsFor(body.phone, body.code),
    }),
  ];
}
