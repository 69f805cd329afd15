// The owner's dashboard calls to the hub (the owner's or a manager's sign-in, on the hub's own
// machine or a paired counter computer): the counter's calls with the same token and screen
// proof, and the same refusals. The hub's permission table decides; the page only mirrors it.
import type {
  PairingCodeView,
  ScreenKind,
  ScreenView,
  StaffRole,
  StaffView,
  StatsRangeKind,
  StatsTable,
  StatsView,
  StoreView,
} from '@roomhub/shared-types';
import { HubRefusal, UNREACHABLE } from './hub-client';
import { call } from './counter-client';
import { counterScreenHeaders } from './counter-screen';
import { signedIn } from './staff-session';

export interface StatsRange {
  range: StatsRangeKind;
  from?: string;
  to?: string;
}

export interface AuditEntryView {
  id: number;
  actor: { kind: string; id: string; role: string | null; screenId: string | null };
  action: string;
  target: string | null;
  outcome: string;
  at: string;
}

const rangeQuery = (r: StatsRange) => {
  const p = new URLSearchParams({ range: r.range });
  if (r.range === 'custom' && r.from && r.to) {
    p.set('from', r.from);
    p.set('to', r.to);
  }
  return p;
};

export const owner = {
  store: () => call<StoreView>('GET', '/api/store'),
  stats: (r: StatsRange) => call<StatsView>('GET', `/api/stats?${rangeQuery(r).toString()}`),
  staff: () => call<StaffView[]>('GET', '/api/staff'),
  addStaff: (body: { name: string; role: StaffRole; pin: string }) =>
    call<StaffView>('POST', '/api/staff', body),
  patchStaff: (id: string, body: { role?: StaffRole; status?: 'active' | 'disabled' }) =>
    call<StaffView>('PATCH', `/api/staff/${id}`, body),
  resetPin: (id: string, pin: string) => call<unknown>('POST', `/api/staff/${id}/pin`, { pin }),
  screens: () => call<ScreenView[]>('GET', '/api/screens'),
  pairingCode: (body: { name: string; kind: ScreenKind; roomId?: string }) =>
    call<PairingCodeView>('POST', '/api/screens/pairing-codes', body),
  unpair: (id: string) => call<unknown>('DELETE', `/api/screens/${id}`),
  audit: (before?: number) =>
    call<AuditEntryView[]>('GET', `/api/audit?limit=50${before ? `&before=${before}` : ''}`),
};

/**
 * One statistics table as the hub's CSV file (owner only): fetched with the sign-in, since a plain
 * link cannot carry it, and handed to the browser as a download under the hub's file name.
 */
export async function downloadStatsCsv(table: StatsTable, r: StatsRange): Promise<string> {
  const p = rangeQuery(r);
  p.set('table', table);
  const headers: Record<string, string> = { ...counterScreenHeaders() };
  const token = signedIn()?.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(`/api/stats/export.csv?${p.toString()}`, { headers });
  } catch {
    throw new HubRefusal(0, UNREACHABLE, 'the hub did not answer');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as {
      error?: { code: string; message: string };
    } | null;
    throw new HubRefusal(res.status, body?.error?.code ?? 'internal', body?.error?.message ?? '');
  }
  const name =
    /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(
      res.headers.get('content-disposition') ?? '',
    )?.[1] ?? `${table}.csv`;
  const file = decodeURIComponent(name);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return file;
}
