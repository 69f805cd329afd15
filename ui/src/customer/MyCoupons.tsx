// C12: my coupons in every store: what each takes off, where and until when; the usable first.
import { useQueries, useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { cloud } from '../api/cloud-client';
import { localDate } from '../components/store-time';
import { customerRefusal } from './refusal-text';

const ORDER = { available: 0, not_yet: 1, used: 2, expired: 3 } as const;

export function MyCoupons() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const mine = useQuery({ queryKey: ['my-coupons'], queryFn: () => cloud.coupons() });
  const coupons = [...(mine.data?.coupons ?? [])].sort(
    (a, b) => ORDER[a.status] - ORDER[b.status] || a.useUntil.localeCompare(b.useUntil),
  );
  const storeIds = [...new Set(coupons.map((c) => c.storeId))];
  const stores = useQueries({
    queries: storeIds.map((id) => ({ queryKey: ['store', id], queryFn: () => cloud.store(id) })),
  });
  const nameOf = (id: string) =>
    stores.find((s) => s.data?.store.storeId === id)?.data?.store.name ?? '';
  return (
    <section>
      <NavBar onBack={() => void navigate('/me')}>{t('coupons.title')}</NavBar>
      {mine.isError && (
        <p className="refusal pad-x" role="alert">
          {customerRefusal(t, mine.error)}
        </p>
      )}
      {mine.data && coupons.length === 0 && <p className="hint pad-x">{t('coupons.none')}</p>}
      <ul className="cards">
        {coupons.map((c) => (
          <li key={`${c.storeId}:${c.couponId}`} className={`card coupon ${c.status}`}>
            <span className="room-head">
              <strong>{c.name}</strong>
              <span className="status">{t(`couponStatus.${c.status}`)}</span>
            </span>
            <span className="muted">{nameOf(c.storeId)}</span>
            <span className="muted">
              {t('coupons.until', { date: localDate(c.useUntil, 'Asia/Shanghai') })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
