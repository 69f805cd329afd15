// The owner's dashboard calls for invoices (发票) to the hub: the requests, rejecting one, and
// issuing one with the tax system's PDF sent as the request's body (a JSON call cannot carry it),
// with the same sign-in, screen proof and refusals as the counter's calls.
import type { InvoiceList, InvoiceStatus, InvoiceView } from '@roomhub/shared-types';
import { call } from '../../api/counter-client';
import { counterScreenHeaders } from '../../api/counter-screen';
import { HubRefusal, UNREACHABLE } from '../../api/hub-client';
import { signedIn } from '../../api/staff-session';

const enc = encodeURIComponent;

function headers(): Record<string, string> {
  const h: Record<string, string> = { 'accept-language': 'zh-CN', ...counterScreenHeaders() };
  const token = signedIn()?.token;
  if (token) h.authorization = `Bearer ${token}`;
  return h;
}

async function refusalOf(res: Response): Promise<HubRefusal> {
  const body = (await res.json().catch(() => null)) as {
    error?: { code: string; message: string; field?: string };
  } | null;
  return new HubRefusal(
    res.status,
    body?.error?.code ?? 'internal',
    body?.error?.message ?? res.statusText,
    body?.error?.field,
  );
}

export const invoiceClient = {
  list: (status?: InvoiceStatus) =>
    call<InvoiceList>('GET', `/api/invoices${status ? `?status=${status}` : ''}`),
  reject: (id: string, reason: string) =>
    call<InvoiceView>('POST', `/api/invoices/${enc(id)}/reject`, { reason }),
  async issue(id: string, number: string, issuedOn: string, pdf: Blob): Promise<InvoiceView> {
    const q = new URLSearchParams({ number, issuedOn });
    let res: Response;
    try {
      res = await fetch(`/api/invoices/${enc(id)}/issue?${q.toString()}`, {
        method: 'POST',
        headers: { ...headers(), 'content-type': 'application/pdf' },
        body: pdf,
      });
    } catch {
      throw new HubRefusal(0, UNREACHABLE, 'the hub did not answer');
    }
    if (!res.ok) throw await refusalOf(res);
    return (await res.json()) as InvoiceView;
  },
  async pdf(id: string): Promise<Blob> {
    let res: Response;
    try {
      res = await fetch(`/api/invoices/${enc(id)}/pdf`, { headers: headers() });
    } catch {
      throw new HubRefusal(0, UNREACHABLE, 'the hub did not answer');
    }
    if (!res.ok) throw await refusalOf(res);
    return res.blob();
  },
};
