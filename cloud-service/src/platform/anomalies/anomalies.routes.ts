// Anomalies across the platform (P4): the list, each with what explains it, and marking one
// handled with the reason (audited).
import {
  AnomalyHandleBodySchema,
  AnomalyParamsSchema,
  AnomalyQuerySchema,
} from '@roomhub/shared-types';
import type { RouteDef } from '../../http/route';
import type { PlatformAudit } from '../platform-audit';
import { platformRoute } from '../platform-auth';
import { platformWriter, type PlatformStore } from '../platform-store';
import type { PlatformWatch } from './platform-watch';

export function anomalyRoutes(d: {
  watch: PlatformWatch;
  store: PlatformStore;
  audit: PlatformAudit;
}): RouteDef[] {
  return [
    platformRoute({
      method: 'get',
      path: '/api/platform/anomalies',
      tag: 'platform',
      action: 'orders.read',
      summary:
        'Anomalies flagged across the stores, newest first, each with the facts and the rule that raised it',
      query: AnomalyQuerySchema,
      handle: async ({ query }) => ({ anomalies: await d.watch.list(query) }),
    }),
    platformRoute({
      method: 'post',
      path: '/api/platform/anomalies/:id/handled',
      tag: 'platform',
      action: 'orders.manage',
      summary: 'Marks an anomaly handled, saying what was done',
      params: AnomalyParamsSchema,
      body: AnomalyHandleBodySchema,
      errors: { 404: ['anomaly_not_found'], 409: ['anomaly_handled'] },
      handle: async ({ params, body, caller }) => {
        const writer = platformWriter(d.store);
        const view = await d.watch.handle(params.id, body.reason, caller.phone);
        await d.audit.record(writer, {
          actor: caller.phone,
          action: 'anomaly.handled',
          target: `anomaly:${params.id}`,
          reason: body.reason,
          detail: { kind: view.kind, storeId: view.storeId },
        });
        return view;
      },
    }),
  ];
}
