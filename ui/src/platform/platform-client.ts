// The platform console's calls to the cloud, typed with the cloud's shapes from shared-types. The
// staff member's token is kept for this tab only (sessionStorage) and sent with every call; a
// refusal becomes a PlatformRefusal carrying the cloud's code and sentence.
import type {
  ApiErrorBody,
  MerchantApplicationView,
  MerchantView,
  PendingReview,
  PlatformCampaignView,
  PlatformAppealView,
  PlatformAuditEntry,
  PlatformRole,
  PlatformSignIn,
  PlatformSignInStep,
  PlatformStaffView,
  PlatformUserView,
  SmsSent,
} from '@roomhub/shared-types';

const KEY = 'roomhub.platform.token';

export class PlatformRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface PlatformMe {
  phone: string;
  name: string;
  roles: PlatformRole[];
  actions: string[];
}

export const platformToken = {
  get: () => sessionStorage.getItem(KEY),
  set: (t: string) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

/**
 * One call to the platform's API with the staff member's token; a refusal is thrown. `headers`
 * adds its own (a write's Idempotency-Key).
 */
export async function platformCall<T>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<T> {
  return call<T>(method, path, body, headers);
}

async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<T> {
  const token = platformToken.get();
  const res = await fetch(path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      'Accept-Language': document.documentElement.lang || 'zh-CN',
      ...headers,
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw refusalOf(res, json, token);
  return json as T;
}

function refusalOf(res: Response, json: unknown, token: string | null): PlatformRefusal {
  const e = (json as ApiErrorBody | undefined)?.error;
  if (res.status === 401 && token) platformToken.clear();
  return new PlatformRefusal(
    res.status,
    e?.code ?? 'unknown',
    e?.message ?? res.statusText,
    e?.field,
  );
}

/**
 * A file the cloud answers with (a backup), read whole with the staff member's token, and the
 * name its Content-Disposition gives it (`fallback` without one); a refusal is thrown.
 */
export async function platformFile(
  path: string,
  fallback: string,
): Promise<{ name: string; blob: Blob }> {
  const token = platformToken.get();
  const res = await fetch(path, {
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      'Accept-Language': document.documentElement.lang || 'zh-CN',
    },
  });
  if (!res.ok) {
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    throw refusalOf(res, json, token);
  }
  const named = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '');
  return { name: named?.[1] ?? fallback, blob: await res.blob() };
}

export const platform = {
  sendCode: (phone: string) => call<SmsSent>('POST', '/api/auth/sms/send', { phone }),
  signIn: (phone: string, code: string) =>
    call<PlatformSignInStep>('POST', '/api/platform/login', { phone, code }),
  confirm: (ticket: string, code: string) =>
    call<PlatformSignIn>('POST', '/api/platform/login/totp', { ticket, code }),
  me: () => call<PlatformMe>('GET', '/api/platform/me'),
  staff: () => call<PlatformStaffView[]>('GET', '/api/platform/staff'),
  putStaff: (s: { phone: string; name: string; roles: PlatformRole[]; reason: string }) =>
    call<PlatformStaffView>('PUT', `/api/platform/staff/${s.phone}`, s),
  removeStaff: (phone: string, reason: string) =>
    call<unknown>('DELETE', `/api/platform/staff/${phone}`, { reason }),
  audit: () => call<PlatformAuditEntry[]>('GET', '/api/platform/audit'),
  reviews: () =>
    call<{ gateOn: boolean; pending: PendingReview[] }>('GET', '/api/platform/reviews'),
  decide: (b: {
    storeId: string;
    kind: PendingReview['kind'];
    itemId: string;
    hash: string;
    decision: 'approve' | 'refuse';
    notes: string;
  }) => call<unknown>('POST', '/api/platform/reviews', b),
  setGate: (on: boolean, reason: string) =>
    call<unknown>('PUT', '/api/platform/review-gate', { on, reason }),
  merchants: () => call<MerchantView[]>('GET', '/api/platform/merchants'),
  applications: () =>
    call<MerchantApplicationView[]>('GET', '/api/platform/merchants/applications'),
  decideApplication: (
    id: string,
    b:
      | { decision: 'approve'; storeIds: string[]; reason: string }
      | { decision: 'return'; reason: string },
  ) => call<unknown>('POST', `/api/platform/merchants/applications/${id}/decision`, b),
  suspend: (storeId: string, suspended: boolean, reason: string) =>
    call<unknown>('PUT', `/api/platform/stores/${storeId}/limit`, { suspended, reason }),
  user: (q: string) =>
    call<PlatformUserView>(
      'GET',
      `/api/platform/users?${/^1\d{10}$/.test(q) ? 'phone' : 'customerId'}=${encodeURIComponent(q)}`,
    ),
  freeze: (customerId: string, frozen: boolean, reason: string, phone?: string) =>
    call<PlatformUserView>('PUT', `/api/platform/users/${customerId}/freeze`, {
      frozen,
      reason,
      ...(phone ? { phone } : {}),
    }),
  appeals: () => call<PlatformAppealView[]>('GET', '/api/platform/appeals'),
  answerAppeal: (id: string, decision: 'uphold' | 'reject', answer: string) =>
    call<unknown>('POST', `/api/platform/appeals/${encodeURIComponent(id)}/answer`, {
      decision,
      answer,
    }),
  campaigns: () => call<PlatformCampaignView[]>('GET', '/api/platform/campaigns'),
  putCampaign: (
    id: string,
    c: {
      title: string;
      text: string;
      link?: string;
      startsAt: string;
      endsAt: string;
      reason: string;
    },
  ) => call<PlatformCampaignView>('PUT', `/api/platform/campaigns/${encodeURIComponent(id)}`, c),
  removeCampaign: (id: string, reason: string) =>
    call<unknown>('DELETE', `/api/platform/campaigns/${encodeURIComponent(id)}`, { reason }),
  /** A document's address with the token, for opening in a new tab. */
  documentUrl: async (id: string, kind: string) => {
    const res = await fetch(`/api/platform/merchants/applications/${id}/documents/${kind}`, {
      headers: { Authorization: `Bearer ${platformToken.get() ?? ''}` },
    });
    return URL.createObjectURL(await res.blob());
  },
};
