// The member code (会员码): a QR the customer shows a store's kiosk or counter scanner to pay from
// their wallet there, with no phone number typed. The cloud signs a fresh code for the customer
// signed in; each is good for a minute and once, so the page asks for a new one every half minute
// (and on a tap), and a photo of an old one pays nothing.
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Button, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { MEMBER_CODE_REFRESH_SECONDS } from '@roomhub/shared-types';
import { cloud } from '../api/cloud-client';
import { QrImage } from '../components/QrImage';
import { customerRefusal } from './refusal-text';

export function MemberCode() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const code = useQuery({
    queryKey: ['member-code'],
    queryFn: () => cloud.memberCode(),
    refetchInterval: (q) => (q.state.data?.refreshInSeconds ?? MEMBER_CODE_REFRESH_SECONDS) * 1000,
    refetchIntervalInBackground: false,
    // A code shown once is never shown again from the cache: it may have been used.
    gcTime: 0,
    staleTime: 0,
  });
  return (
    <section className="member-code">
      <NavBar onBack={() => void navigate(-1)}>{t('memberCode.title')}</NavBar>
      <div className="pad member-code-card">
        <p className="lead">{t('memberCode.lead')}</p>
        {code.data ? (
          <div
            data-testid="member-code"
            data-code={code.data.text}
            style={{ display: 'flex', justifyContent: 'center' }}
          >
            <QrImage text={code.data.text} size={260} alt={t('memberCode.title')} />
          </div>
        ) : (
          !code.isError && <div className="qr" style={{ width: 260, height: 260 }} />
        )}
        {code.isError && (
          <p className="refusal" role="alert">
            {customerRefusal(t, code.error)}
          </p>
        )}
        <p className="hint">{t('memberCode.refresh', { seconds: MEMBER_CODE_REFRESH_SECONDS })}</p>
        <Button
          block
          size="large"
          className="tall"
          loading={code.isFetching}
          onClick={() => void code.refetch()}
        >
          {t('memberCode.refreshNow')}
        </Button>
      </div>
    </section>
  );
}
