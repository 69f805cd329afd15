// The orders page's calls to the cloud, with the staff member's token, typed with the cloud's
// shapes.
import type {
  BookingStatus,
  PlatformOrderLedgerLine,
  PlatformOrderPage,
} from '@roomhub/shared-types';
import { PlatformRefusal, platformToken } from '../platform-client';

async function get<T>(path: string): Promise<T> {
  const token = platformToken.get();
  const res = await fetch(path, {
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      'Accept-Language': document.documentElement.lang || 'zh-CN',
    },
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

export interface OrderFilters {
  storeId?: string;
  from?: string;
  to?: string;
  status?: BookingStatus;
  phone?: string;
}

export const ordersApi = {
  list: (f: OrderFilters, cursor?: string, limit = 50) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v) p.set(k, String(v));
    p.set('limit', String(limit));
    if (cursor) p.set('cursor', cursor);
    return get<PlatformOrderPage>(`/api/platform/orders?${p}`);
  },
  ledger: (storeId: string, bookingId: string) =>
    get<{ lines: PlatformOrderLedgerLine[] }>(
      `/api/platform/orders/${encodeURIComponent(storeId)}/${encodeURIComponent(bookingId)}/ledger`,
    ),
};
