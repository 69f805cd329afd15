// C11: my membership at each store where I have booked: level and what it gives, points, and what
// my wallet there holds (money I put in, and the bonus that came with it), and the member code
// that pays from it at the store's kiosk or counter.
import { useQueries, useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Button, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { cloud } from '../api/cloud-client';
import { yuan } from '../components/yuan';
import { customerRefusal } from './refusal-text';

export function MyMemberships() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const mine = useQuery({ queryKey: ['my-memberships'], queryFn: () => cloud.memberships() });
  const list = mine.data?.memberships ?? [];
  const stores = useQueries({
    queries: list.map((m) => ({
      queryKey: ['store', m.storeId],
      queryFn: () => cloud.store(m.storeId),
    })),
  });
  const nameOf = (id: string) =>
    stores.find((s) => s.data?.store.storeId === id)?.data?.store.name ?? '';
  return (
    <section>
      <NavBar onBack={() => void navigate('/me')}>{t('memberships.title')}</NavBar>
      {mine.isError && (
        <p className="refusal pad-x" role="alert">
          {customerRefusal(t, mine.error)}
        </p>
      )}
      {mine.data && list.length === 0 && <p className="hint pad-x">{t('memberships.none')}</p>}
      <ul className="cards">
        {list.map((m) => (
          <li key={m.storeId} className="card">
            <span className="room-head">
              <strong>{nameOf(m.storeId)}</strong>
              <span className="status good">{m.level?.name ?? t('memberships.noLevel')}</span>
            </span>
            {m.privileges && m.privileges.roomPercentOff > 0 && (
              <span className="muted">
                {t('memberships.roomOff', { percent: m.privileges.roomPercentOff })}
              </span>
            )}
            <dl className="facts-list">
              <dt>{t('memberships.points')}</dt>
              <dd>{m.points}</dd>
              <dt>{t('memberships.wallet')}</dt>
              <dd>
                ¥{yuan((m.wallet?.principal ?? 0) + (m.wallet?.bonus ?? 0))}
                {(m.wallet?.bonus ?? 0) > 0 &&
                  ` ${t('memberships.bonus', { bonus: yuan(m.wallet!.bonus) })}`}
              </dd>
              <dt>{t('memberships.visits')}</dt>
              <dd>{m.visits}</dd>
            </dl>
            <Button
              size="small"
              color="primary"
              fill="outline"
              className="show-member-code"
              onClick={() =>
                void navigate(`/me/member-code?store=${encodeURIComponent(m.storeId)}`)
              }
            >
              {t('memberCode.show')}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
