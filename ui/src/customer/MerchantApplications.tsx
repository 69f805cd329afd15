// P1 on the phone: 我的 → 商家入驻. The applicant's merchant applications with where each stands
// (草稿, 审核中, 已退回 with the platform's reasons, 已通过), a tap away from its page; with none yet,
// what applying takes and one button to start.
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Button, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { MerchantApplicationStatus } from '@roomhub/shared-types';
import { merchantCloud } from '../api/merchant-client';
import { merchantRefusal, useMerchantWords } from './merchant-words';
import { storeDateTime } from './talk-time';
import './merchant.css';

export const MY_APPLICATIONS = ['merchant-applications'] as const;

export const STATUS_TONE: Record<MerchantApplicationStatus, string> = {
  draft: 'done',
  submitted: 'wait',
  returned: 'bad',
  approved: 'good',
};

export function MerchantApplications() {
  useMerchantWords();
  const { t } = useTranslation('merchant');
  const navigate = useNavigate();
  const mine = useQuery({ queryKey: MY_APPLICATIONS, queryFn: () => merchantCloud.mine() });
  const apps = mine.data ?? [];
  return (
    <section className="merchant">
      <NavBar onBack={() => void navigate('/me')}>{t('list.title')}</NavBar>
      {mine.isPending && <p className="hint pad-x">{t('customer:loading')}</p>}
      {mine.isError && (
        <p className="refusal pad-x" role="alert">
          {merchantRefusal(t, mine.error)}
        </p>
      )}
      {mine.data && apps.length === 0 && (
        <div className="merchant-empty pad">
          <strong>{t('list.none')}</strong>
          <p className="hint">{t('list.intro')}</p>
          <Button
            block
            color="primary"
            size="large"
            className="tall"
            onClick={() => void navigate('/merchant/new')}
          >
            {t('list.start')}
          </Button>
        </div>
      )}
      {apps.length > 0 && (
        <>
          <ul className="cards">
            {apps.map((a) => (
              <li key={a.applicationId} className="card" data-testid="merchant-application">
                <button
                  className="card-main"
                  onClick={() => void navigate(`/merchant/${a.applicationId}`)}
                >
                  <span className="room-head">
                    <strong>{a.merchantName}</strong>
                    <span className={`status ${STATUS_TONE[a.status]}`}>
                      {t(`status.${a.status}`)}
                    </span>
                  </span>
                  <span className="muted">
                    {t('list.stores', { count: a.stores.length })} ·{' '}
                    {t('list.updated', { at: storeDateTime(a.updatedAt) })}
                  </span>
                  {a.status === 'returned' && a.reasons && (
                    <span className="merchant-reasons">
                      {t('reasonsLine', { reasons: a.reasons })}
                    </span>
                  )}
                </button>
              </li>
            ))}
          </ul>
          <div className="pad">
            <Button
              block
              size="large"
              className="tall"
              onClick={() => void navigate('/merchant/new')}
            >
              {t('list.another')}
            </Button>
          </div>
        </>
      )}
    </section>
  );
}
