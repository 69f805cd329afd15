// The overview's and the anomalies' calls to the cloud, with the staff member's token, typed with
// the cloud's shapes.
import type {
  AnomalyKind,
  AnomalyView,
  OverviewQuery,
  PlatformOverview,
} from '@roomhub/shared-types';
import { PlatformRefusal, platformToken } from '../platform-client';

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = platformToken.get();
  const res = await fetch(path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      'Accept-Language': document.documentElement.lang || 'zh-CN',
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => undefined)) as
    { error?: { code: string; message: string; field?: string } } | undefined;
  if (!res.ok) {
    const e = json?.error;
    throw new PlatformRefusal(
      res.status,
      e?.code ?? 'unknown',
      e?.message ?? res.statusText,
      e?.field,
    );
  }
  return json as T;
}

export const overviewApi = {
  overview: (q: Partial<OverviewQuery>) => {
    const p = new URLSearchParams();
    if (q.days) p.set('days', String(q.days));
    if (q.region) p.set('region', q.region);
    return call<PlatformOverview>('GET', `/api/platform/overview?${p}`);
  },
  anomalies: (q: { kind?: AnomalyKind; open?: boolean; days?: number }) => {
    const p = new URLSearchParams();
    if (q.kind) p.set('kind', q.kind);
    if (q.open !== undefined) p.set('open', String(q.open));
    if (q.days) p.set('days', String(q.days));
    return call<{ anomalies: AnomalyView[] }>('GET', `/api/platform/anomalies?${p}`);
  },
  handle: (id: string, reason: string) =>
    call<AnomalyView>('POST', `/api/platform/anomalies/${encodeURIComponent(id)}/handled`, {
      reason,
    }),
};
