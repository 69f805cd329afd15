// Campaigns and banners: placed in the console, shown on the customer's stores page.
import {
  PlatformCampaignBodySchema,
  PlatformCampaignParamsSchema,
  PlatformCampaignRemoveBodySchema,
} from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import { platformRoute } from './platform-auth';
import type { PlatformCampaigns } from './platform-campaigns';

export function platformCampaignRoutes(campaigns: PlatformCampaigns): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/campaigns',
      tag: 'stores',
      access: 'anyone',
      summary: "The platform's campaigns and banners running now, for the customer's stores page",
      handle: () => campaigns.running(),
    }),
    platformRoute({
      method: 'get',
      path: '/api/platform/campaigns',
      tag: 'platform',
      action: 'content.read',
      summary: 'Every campaign and banner, past, running and to come',
      handle: () => campaigns.all(),
    }),
    platformRoute({
      method: 'put',
      path: '/api/platform/campaigns/:campaignId',
      tag: 'platform',
      action: 'content.manage',
      summary:
        'Places or changes a campaign or banner on the home page, with its dates and the reason',
      params: PlatformCampaignParamsSchema,
      body: PlatformCampaignBodySchema,
      handle: ({ params, body, caller }) => campaigns.put(caller, params.campaignId, body),
    }),
    platformRoute({
      method: 'delete',
      path: '/api/platform/campaigns/:campaignId',
      tag: 'platform',
      action: 'content.manage',
      summary: 'Takes a campaign down, with the reason',
      params: PlatformCampaignParamsSchema,
      body: PlatformCampaignRemoveBodySchema,
      handle: ({ params, body, caller }) =>
        campaigns.remove(caller, params.campaignId, body.reason),
    }),
  ];
}
