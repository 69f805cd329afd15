// C15: an electronic invoice (发票) for a paid order: asked for here once, made out to a person
// (a name) or a company (its name and unified social credit code, checked as it is typed), for
// what was paid less what was given back, with an e-mail to send it to if the customer wants;
// then how it fared (waiting, issued, rejected with the store's reason) and, once issued, the
// PDF to download. A rejected request may be asked again.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Input, Selector } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import {
  taxIdProblem,
  type CustomerInvoices,
  type CustomerInvoiceView,
  type InvoiceAsk,
  type IntentView,
} from '@roomhub/shared-types';
import { call, CloudRefusal, CLOUD_UNREACHABLE, customerToken } from '../api/cloud-client';
import { yuan } from '../components/yuan';
import { customerRefusal } from './refusal-text';

const path = (bookingId: string) => `/api/orders/${encodeURIComponent(bookingId)}/invoices`;

export const invoiceCalls = {
  list: (bookingId: string) => call<CustomerInvoices>('GET', path(bookingId)),
  ask: (bookingId: string, body: InvoiceAsk) => call<IntentView>('POST', path(bookingId), { body }),
  /** The PDF's bytes, fetched with the sign-in (a plain link cannot carry it). */
  async pdf(bookingId: string, requestId: string): Promise<Blob> {
    const token = customerToken();
    let res: Response;
    try {
      res = await fetch(`${path(bookingId)}/${encodeURIComponent(requestId)}/pdf`, {
        headers: {
          'accept-language': 'zh-CN',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      });
    } catch {
      throw new CloudRefusal(0, CLOUD_UNREACHABLE, 'the cloud did not answer');
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as {
        error?: { code: string; message: string };
      } | null;
      throw new CloudRefusal(
        res.status,
        body?.error?.code ?? 'internal',
        body?.error?.message ?? '',
      );
    }
    return res.blob();
  },
};

type Kind = 'personal' | 'company';

/** The invoice's own words for a refusal, the customer pages' shared ones otherwise. */
function invoiceRefusal(t: TFunction, e: unknown): string {
  const code = e instanceof CloudRefusal ? e.code : '';
  return (code && t(`invoice.errors.${code}`, { defaultValue: '' })) || customerRefusal(t, e);
}

/** Tells what is wrong with the typed code, in the customer's words; null when it is right. */
function taxIdWords(t: (k: string) => string, code: string): string | null {
  const c = code.replace(/\s+/g, '').toUpperCase();
  if (!c) return t('invoice.taxIdMissing');
  const problem = taxIdProblem(c);
  if (!problem) return null;
  if (c.length !== 18) return t('invoice.taxIdLength');
  if (problem.includes('check digit')) return t('invoice.taxIdCheck');
  return t('invoice.taxIdChars');
}

export function InvoiceRequest({ bookingId }: { bookingId: string }) {
  const { t } = useTranslation('customer');
  const queries = useQueryClient();
  const list = useQuery({
    queryKey: ['invoices', bookingId],
    queryFn: () => invoiceCalls.list(bookingId),
    // The store's answer arrives by replication: look again while one waits.
    refetchInterval: (q) =>
      q.state.data?.invoices.some((i) => i.state === 'waiting') ? 5000 : false,
  });
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<Kind>('personal');
  const [name, setName] = useState('');
  const [taxId, setTaxId] = useState('');
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ text: string; refusal: boolean } | null>(null);

  const data = list.data;
  if (!data) return null;
  const taxIdSays = kind === 'company' && taxId ? taxIdWords(t, taxId) : null;

  const send = async () => {
    if (!name.trim()) {
      setSaid({ text: t('invoice.nameMissing'), refusal: true });
      return;
    }
    if (kind === 'company') {
      const wrong = taxIdWords(t, taxId);
      if (wrong) {
        setSaid({ text: wrong, refusal: true });
        return;
      }
    }
    if (email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      setSaid({ text: t('invoice.emailWrong'), refusal: true });
      return;
    }
    setBusy(true);
    setSaid(null);
    try {
      const v = await invoiceCalls.ask(bookingId, {
        title:
          kind === 'company'
            ? { kind, name: name.trim(), taxId: taxId.replace(/\s+/g, '').toUpperCase() }
            : { kind, name: name.trim() },
        ...(email.trim() ? { email: email.trim() } : {}),
      });
      setSaid({
        text: v.state === 'waiting' ? t('invoice.waitingStore') : t('invoice.asked'),
        refusal: false,
      });
      setOpen(false);
    } catch (e) {
      setSaid({ text: invoiceRefusal(t, e), refusal: true });
    } finally {
      setBusy(false);
      await queries.invalidateQueries({ queryKey: ['invoices', bookingId] });
    }
  };

  const download = async (inv: CustomerInvoiceView) => {
    setSaid(null);
    try {
      const blob = await invoiceCalls.pdf(bookingId, inv.requestId);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `发票-${inv.number ?? inv.requestId}.pdf`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setSaid({ text: invoiceRefusal(t, e), refusal: true });
    }
  };

  return (
    <div className="invoice card" data-testid="invoice">
      <h3>{t('invoice.title')}</h3>
      {data.invoices.map((inv) => (
        <div key={inv.requestId} className="invoice-row" data-testid="invoice-row">
          <p>
            <span
              className={`status ${inv.state === 'issued' ? 'good' : inv.state === 'rejected' ? 'off' : 'wait'}`}
            >
              {t(`invoice.state.${inv.state}`)}
            </span>{' '}
            {inv.title.name}
            {inv.title.kind === 'company' && <span className="muted"> · {inv.title.taxId}</span>}
          </p>
          <p className="muted">
            {t('invoice.amountIs', { amount: yuan(inv.amount) })}
            {inv.email ? ` · ${inv.email}` : ''}
          </p>
          {inv.state === 'waiting' && !said && (
            <p className="waiting">{t('invoice.waitingHint')}</p>
          )}
          {inv.state === 'rejected' && (
            <p className="refusal" role="alert">
              {t('invoice.rejectedWhy', { reason: inv.reason ?? '' })}
            </p>
          )}
          {inv.state === 'issued' && (
            <>
              <p className="muted">
                {t('invoice.issuedAs', { number: inv.number ?? '', date: inv.issuedOn ?? '' })}
              </p>
              <Button block color="primary" className="tall" onClick={() => void download(inv)}>
                {t('invoice.download')}
              </Button>
            </>
          )}
        </div>
      ))}
      {data.canAsk && !open && (
        <Button block className="tall" onClick={() => setOpen(true)}>
          {data.invoices.some((i) => i.state === 'rejected')
            ? t('invoice.askAgain')
            : t('invoice.ask')}
        </Button>
      )}
      {data.canAsk && open && (
        <div className="invoice-form">
          <Selector
            aria-label={t('invoice.kind')}
            columns={2}
            value={[kind]}
            options={[
              { label: t('invoice.personal'), value: 'personal' },
              { label: t('invoice.company'), value: 'company' },
            ]}
            onChange={(v) => v[0] && setKind(v[0] as Kind)}
          />
          <label className="field">
            <span>{kind === 'company' ? t('invoice.companyName') : t('invoice.personName')}</span>
            <Input
              aria-label={kind === 'company' ? t('invoice.companyName') : t('invoice.personName')}
              value={name}
              onChange={setName}
              maxLength={kind === 'company' ? 100 : 50}
              placeholder={
                kind === 'company' ? t('invoice.companyNameHint') : t('invoice.personNameHint')
              }
            />
          </label>
          {kind === 'company' && (
            <label className="field">
              <span>{t('invoice.taxId')}</span>
              <Input
                aria-label={t('invoice.taxId')}
                value={taxId}
                onChange={setTaxId}
                maxLength={24}
                placeholder={t('invoice.taxIdHint')}
              />
              {taxIdSays && (
                <p className="refusal" role="alert">
                  {taxIdSays}
                </p>
              )}
            </label>
          )}
          <label className="field">
            <span>{t('invoice.email')}</span>
            <Input
              aria-label={t('invoice.email')}
              type="email"
              value={email}
              onChange={setEmail}
              maxLength={100}
              placeholder={t('invoice.emailHint')}
            />
          </label>
          <p className="muted">{t('invoice.amountIs', { amount: yuan(data.amount) })}</p>
          <Button
            block
            color="primary"
            size="large"
            className="tall"
            loading={busy}
            onClick={() => void send()}
          >
            {t('invoice.send')}
          </Button>
        </div>
      )}
      {!data.canAsk && data.invoices.length === 0 && data.whyNot && (
        <p className="muted">{t('invoice.notNow')}</p>
      )}
      {said && (
        <p
          className={said.refusal ? 'refusal' : 'waiting'}
          role={said.refusal ? 'alert' : 'status'}
        >
          {said.text}
        </p>
      )}
    </div>
  );
}
