// Platform vouchers over HTTP: the store's hub asks to prepare, consume and undo a Meituan or
// Douyin code and reads the day's consumptions (authenticated as the hub, by its CouchDB user);
// the owner links the store's shops (the platform's authorise page, the callback it sends the
// browser back to, the list, withdrawing). The handlers decide nothing.
import type { Request } from 'express';
import { z } from 'zod';
import {
  DomainError,
  OwnerPlatformParamsSchema,
  OwnerStoreParamsSchema,
  PlatformAuthCallbackQuerySchema,
  PlatformConsumeRequestSchema,
  PlatformConsumptionsQuerySchema,
  PlatformPrepareRequestSchema,
  PlatformUndoRequestSchema,
  VoucherPlatformSchema,
  type VoucherPlatform,
} from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import type { PlatformGrants } from './platform-grants';
import type { PlatformVoucherService } from './platform-vouchers';

const TAG = 'platform-vouchers';
/** The owner's remote dashboard page of linked shops, where a browser lands after the grant. */
export const OWNER_PLATFORMS_PAGE = '/owner/platforms';
/** What every platform call may answer besides its own refusals. */
const PLATFORM = {
  401: ['invalid_login'],
  403: ['platform_not_authorised'],
  422: ['platform_refused'],
  503: ['platform_unavailable'],
} as const;

export interface PlatformVoucherRouteOptions {
  /** The cloud's address as the platforms reach it (their OAuth callback); else the request's. */
  publicUrl?: string;
}

export function platformVoucherRoutes(
  vouchers: PlatformVoucherService,
  grants: PlatformGrants,
  options: PlatformVoucherRouteOptions = {},
): RouteDef[] {
  const callbackUrl = (req: Request, platform: VoucherPlatform) =>
    `${options.publicUrl ?? `${req.protocol}://${req.get('host')}`}/api/platform-auth/${platform}/callback`;
  return [
    route({
      method: 'post',
      path: '/api/hub/platform-vouchers/prepare',
      tag: TAG,
      access: 'hub',
      summary: 'What a Meituan or Douyin code buys, and the token to consume it with (S2)',
      body: PlatformPrepareRequestSchema,
      errors: {
        ...PLATFORM,
        404: ['voucher_not_found'],
        409: ['voucher_used'],
        410: ['voucher_expired'],
        422: ['voucher_other_shop', 'platform_refused'],
      },
      handle: ({ body, caller }) => vouchers.prepare(caller.storeId, body),
    }),
    route({
      method: 'post',
      path: '/api/hub/platform-vouchers/consume',
      tag: TAG,
      access: 'hub',
      summary:
        'Consume a prepared code at its platform: the same requestId again answers the same consumption',
      body: PlatformConsumeRequestSchema,
      errors: {
        ...PLATFORM,
        404: ['voucher_not_found'],
        409: ['voucher_used', 'request_id_reused'],
        410: ['voucher_expired'],
        422: ['voucher_not_prepared', 'voucher_other_shop', 'platform_refused'],
      },
      handle: ({ body, caller }) => vouchers.consume(caller.storeId, body),
    }),
    route({
      method: 'post',
      path: '/api/hub/platform-vouchers/undo',
      tag: TAG,
      access: 'hub',
      summary:
        "Undo a consumption inside the platform's window (after it, the customer refunds there)",
      body: PlatformUndoRequestSchema,
      errors: { ...PLATFORM, 404: ['voucher_not_found'], 409: ['undo_window_passed'] },
      handle: ({ body, caller }) => vouchers.undo(caller.storeId, body),
    }),
    route({
      method: 'get',
      path: '/api/hub/platform-vouchers/consumptions',
      tag: TAG,
      access: 'hub',
      summary: "The store's consumptions on one platform in its local day, for reconciliation",
      query: PlatformConsumptionsQuerySchema,
      errors: PLATFORM,
      handle: ({ query, caller }) =>
        vouchers.consumptions(caller.storeId, query.platform, query.date),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/platforms',
      tag: TAG,
      access: 'owner',
      summary: "The store's linked Meituan and Douyin shops (O7)",
      params: OwnerStoreParamsSchema,
      handle: ({ params, caller }) => grants.list(caller, params.storeId),
    }),
    route({
      method: 'post',
      path: '/api/owner/stores/:storeId/platforms/:platform/authorise',
      tag: TAG,
      access: 'owner',
      summary:
        "The platform's page where the owner picks the store's shop and grants our app voucher redemption",
      params: OwnerPlatformParamsSchema,
      errors: { 403: ['not_your_store'], 503: ['platform_unavailable'] },
      handle: ({ params, caller, req }) =>
        grants.start(caller, params.storeId, params.platform, callbackUrl(req, params.platform)),
    }),
    route({
      method: 'delete',
      path: '/api/owner/stores/:storeId/platforms/:platform',
      tag: TAG,
      access: 'owner',
      summary: "Unlink the store's shop: its token is forgotten, the store's hub is refused",
      params: OwnerPlatformParamsSchema,
      errors: { 403: ['not_your_store'] },
      handle: async ({ params, caller }) => {
        await grants.withdraw(caller, params.storeId, params.platform);
        return grants.list(caller, params.storeId);
      },
    }),
    route({
      method: 'get',
      path: '/api/platform-auth/:platform/callback',
      tag: TAG,
      access: 'anyone',
      summary:
        "Where the platform sends the owner back after the grant: the shop is linked. A browser is sent on to the dashboard's 平台账号 page (303), which says what happened",
      params: z.object({ platform: VoucherPlatformSchema }),
      query: PlatformAuthCallbackQuerySchema,
      errors: {
        422: ['authorisation_link_expired', 'platform_refused'],
        503: ['platform_unavailable'],
      },
      handle: async ({ params, query, req, res }) => {
        if (req.accepts(['json', 'html']) !== 'html') {
          return grants.complete(params.platform, query.code, query.state);
        }
        // The owner's own browser: a page of JSON would be a dead end.
        let back: Record<string, string>;
        try {
          const linked = await grants.complete(params.platform, query.code, query.state);
          back = { store: linked.storeId, linked: params.platform };
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          back = { platform: params.platform, refused: e.code };
        }
        res.redirect(303, `${OWNER_PLATFORMS_PAGE}?${new URLSearchParams(back).toString()}`);
        return undefined;
      },
    }),
  ];
}
