// The platform's analytics and the live overview (P5), and the system settings the platform
// owner edits (audited by the settings store).
import {
  OverviewQuerySchema,
  PlatformSettingsBodySchema,
  SettingsHistoryQuerySchema,
} from '@roomhub/shared-types';
import type { RouteDef } from '../../http/route';
import { platformRoute } from '../platform-auth';
import type { PlatformAnalytics } from './platform-analytics';
import type { PlatformSettingsStore } from './platform-settings';

export function analyticsRoutes(d: {
  analytics: PlatformAnalytics;
  settings: PlatformSettingsStore;
}): RouteDef[] {
  return [
    platformRoute({
      method: 'get',
      path: '/api/platform/overview',
      tag: 'platform',
      action: 'analytics.read',
      summary:
        'Users, merchants, stores online, orders and revenue by day and by region, today so far, and the open anomalies',
      query: OverviewQuerySchema,
      handle: ({ query }) => d.analytics.overview(query),
    }),
    platformRoute({
      method: 'get',
      path: '/api/platform/settings',
      tag: 'platform',
      action: 'settings.manage',
      summary: 'The system settings: payment, SMS, upload limits and the anomaly thresholds',
      handle: () => d.settings.view(),
    }),
    platformRoute({
      method: 'put',
      path: '/api/platform/settings',
      tag: 'platform',
      action: 'settings.manage',
      summary: 'Replaces the system settings, with the reason (audited)',
      body: PlatformSettingsBodySchema,
      errors: { 409: ['settings_changed'] },
      handle: ({ body, caller }) => d.settings.change(body.settings, body.reason, caller.phone),
    }),
    platformRoute({
      method: 'get',
      path: '/api/platform/settings/history',
      tag: 'platform',
      action: 'settings.manage',
      summary:
        'The changes of the system settings, newest first: who, when, why, each value before and after',
      query: SettingsHistoryQuerySchema,
      handle: async ({ query }) => ({ changes: await d.settings.history(query.limit) }),
    }),
  ];
}
