// The customer's own account: the profile and preferences, "my data" as a page and a JSON
// download, and deleting the account (checked first, then confirmed by typing 注销).
import {
  AccountDeletionBodySchema,
  CustomerProfilePutSchema,
  RecommendationQuerySchema,
  WechatLinkParamsSchema,
} from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import type { AccountService } from './account.service';

export function accountRoutes(account: AccountService): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/me/profile',
      tag: 'account',
      access: 'customer',
      summary: 'My profile (name, gender, birthday, avatar, signature) and preferences',
      handle: ({ caller }) => account.profile(caller),
    }),
    route({
      method: 'put',
      path: '/api/me/profile',
      tag: 'account',
      access: 'customer',
      summary: 'Save my profile and preferences; the whole is replaced',
      body: CustomerProfilePutSchema,
      handle: ({ caller, body }) => account.saveProfile(caller, body),
    }),
    route({
      method: 'get',
      path: '/api/me/data',
      tag: 'account',
      access: 'customer',
      summary:
        'Everything the platform holds about me: profile, orders, memberships, coupons, vouchers, reviews',
      handle: async ({ caller, req, res }) => {
        const data = await account.myData(caller);
        if (req.query.download !== undefined) {
          res.set('Content-Disposition', 'attachment; filename="my-data.json"');
        }
        return data;
      },
    }),
    route({
      method: 'get',
      path: '/api/me/wechat-links',
      tag: 'account',
      access: 'customer',
      summary:
        'The WeChat accounts linked to my phone (each signs in as me), oldest first; none without a phone',
      handle: ({ caller }) => account.wechatLinks(caller),
    }),
    route({
      method: 'delete',
      path: '/api/me/wechat-links/:wechatId',
      tag: 'account',
      access: 'customer',
      errors: { 404: ['wechat_link_not_found'] },
      summary:
        'Remove a WeChat account’s link to my phone: it signs in as itself again and its sessions as me end; the links left',
      params: WechatLinkParamsSchema,
      handle: ({ caller, params }) => account.unlinkWechat(caller, params.wechatId),
    }),
    route({
      method: 'get',
      path: '/api/me/recommendations',
      tag: 'account',
      access: 'customer',
      summary:
        'Rooms, times and deals for me, scored from my preferences, my bookings and the deals of the stores I use, each with its reasons',
      query: RecommendationQuerySchema,
      handle: ({ caller, query }) => account.recommendations(caller, query),
    }),
    route({
      method: 'get',
      path: '/api/me/deletion',
      tag: 'account',
      access: 'customer',
      summary:
        'Whether my account can be deleted now: not while a wallet holds money, a booking is to come or a request waits',
      handle: ({ caller }) => account.deletionCheck(caller),
    }),
    route({
      method: 'post',
      path: '/api/me/deletion',
      tag: 'account',
      access: 'customer',
      summary:
        'Delete my account: my phone, name and profile are erased from the platform and from each store that holds them; bookings and money records stay under an anonymous id',
      body: AccountDeletionBodySchema,
      handle: ({ caller }) => account.deleteAccount(caller),
    }),
  ];
}
