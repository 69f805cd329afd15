// C12: my vouchers from deals bought online: what each buys and its rules, until when it is good,
// its state, the code to read out and the QR to show at the counter (the store checks it with no
// network), and a refund of one not used where its deal allows; purchases still waiting for their
// group, or given back when it did not fill.
import { useState } from 'react';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Button, Dialog, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { MyVoucherView } from '@roomhub/shared-types';
import { cloud } from '../api/cloud-client';
import { QrImage } from '../components/QrImage';
import { yuan } from '../components/yuan';
import { entitlementText, refundRulesText } from './deal-words';
import { customerRefusal } from './refusal-text';
import './after-booking.css';

const TONE: Record<MyVoucherView['status'], string> = {
  valid: 'good',
  used: 'done',
  refunded: 'off',
  expired: 'off',
  moved: 'done',
};

export function MyVouchers() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const mine = useQuery({
    queryKey: ['my-vouchers'],
    queryFn: () => cloud.vouchers(),
    // A refund asked while the store is offline is answered when it is back.
    refetchInterval: 10_000,
  });
  const vouchers = mine.data?.vouchers ?? [];
  const purchases = (mine.data?.purchases ?? []).filter((p) => p.state !== 'issued');
  const storeIds = [...new Set(vouchers.map((v) => v.storeId))];
  const stores = useQueries({
    queries: storeIds.map((id) => ({ queryKey: ['store', id], queryFn: () => cloud.store(id) })),
  });
  const nameOf = (id: string) =>
    stores.find((s) => s.data?.store.storeId === id)?.data?.store.name ?? '';
  return (
    <section>
      <NavBar onBack={() => void navigate('/me')}>{t('vouchers.title')}</NavBar>
      {mine.isLoading && <p className="hint pad-x">{t('loading')}</p>}
      {mine.isError && (
        <p className="refusal pad-x" role="alert">
          {customerRefusal(t, mine.error)}
        </p>
      )}
      {mine.data && vouchers.length === 0 && purchases.length === 0 && (
        <p className="hint pad-x">{t('vouchers.none')}</p>
      )}
      <ul className="cards">
        {purchases.map((p) => (
          <li key={p.purchaseId} className="card">
            <div className="room-head">
              <strong>{p.title}</strong>
              <span className="status wait">{t(`purchase.${p.state}`)}</span>
            </div>
            {p.group && (
              <p className="muted">
                {t('deals.grouping', { joined: p.group.joined, size: p.group.size })}
              </p>
            )}
            {p.moneyBack && (
              <p className="muted">
                {t(p.moneyBack.paid ? 'purchase.moneyBack' : 'purchase.moneyBackSoon', {
                  amount: yuan(p.moneyBack.amount),
                })}
              </p>
            )}
          </li>
        ))}
        {vouchers.map((v) => (
          <VoucherCard key={v.voucherId} voucher={v} store={nameOf(v.storeId)} />
        ))}
      </ul>
    </section>
  );
}

function VoucherCard({ voucher: v, store }: { voucher: MyVoucherView; store: string }) {
  const { t } = useTranslation('customer');
  const queries = useQueryClient();
  const [qr, setQr] = useState(false);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ text: string; refusal: boolean } | null>(null);
  const refundWaiting = v.refund?.state === 'asked';
  const canRefund = v.status === 'valid' && v.refundAnyTime && !v.refund;
  const refund = async () => {
    const sure = await Dialog.confirm({
      title: t('vouchers.refundTitle'),
      content: t('vouchers.refundTerms', { amount: yuan(v.price) }),
      confirmText: t('vouchers.refundConfirm'),
      cancelText: t('vouchers.keep'),
    });
    if (!sure) return;
    setBusy(true);
    setSaid(null);
    try {
      const after = await cloud.refundVoucher(v.voucherId);
      setSaid({
        text:
          after.refund?.state === 'asked'
            ? t('vouchers.refundWaiting')
            : t('vouchers.refunded', { amount: yuan(after.refund?.amount ?? v.price) }),
        refusal: false,
      });
    } catch (e) {
      setSaid({ text: customerRefusal(t, e), refusal: true });
    } finally {
      setBusy(false);
      await queries.invalidateQueries({ queryKey: ['my-vouchers'] });
    }
  };
  return (
    <li className="card voucher">
      <div className="room-head">
        <strong>{v.title}</strong>
        <span className={`status ${TONE[v.status]}`}>
          {refundWaiting ? t('vouchers.refundAsked') : t(`voucherStatus.${v.status}`)}
        </span>
      </div>
      {store && <p className="muted">{store}</p>}
      <p>{entitlementText(t, v.entitlement).join(' · ')}</p>
      <p className="muted">
        {t('vouchers.validity', {
          from: v.validFrom.slice(0, 10),
          until: v.validUntil.slice(0, 10),
        })}
      </p>
      <p className="muted">{refundRulesText(t, v)}</p>
      {v.refund?.state === 'rejected' && <p className="refusal">{t('vouchers.refundRefused')}</p>}
      {v.status === 'valid' && (
        <>
          <p className="voucher-code" aria-label={t('vouchers.code')}>
            {v.code.replace(/(\d{4})(?=\d)/g, '$1 ')}
          </p>
          {qr ? (
            <div className="qr-box">
              <QrImage text={v.qr} size={220} alt={t('vouchers.qr')} />
              <p className="hint">{t('vouchers.atCounter')}</p>
            </div>
          ) : (
            <Button block className="tall" onClick={() => setQr(true)}>
              {t('vouchers.showQr')}
            </Button>
          )}
        </>
      )}
      {said && (
        <p
          className={said.refusal ? 'refusal' : 'waiting'}
          role={said.refusal ? 'alert' : 'status'}
        >
          {said.text}
        </p>
      )}
      {canRefund && (
        <Button block className="tall" loading={busy} onClick={() => void refund()}>
          {t('vouchers.refund', { amount: yuan(v.price) })}
        </Button>
      )}
    </li>
  );
}
