// The member code (会员码): a QR the customer shows a store's kiosk or counter scanner to pay from
// their wallet there, with no phone number typed. The cloud signs a fresh code for the customer
// signed in and the store they chose (`?store=`; with none, they pick among their memberships, or
// the one is taken); each is good for a minute, once and at that store only, so the page asks for
// a new one every half minute (and on a tap), and a photo of an old one pays nothing.
import { useQueries, useQuery } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { Button, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { MEMBER_CODE_REFRESH_SECONDS } from '@roomhub/shared-types';
import { cloud } from '../api/cloud-client';
import { QrImage } from '../components/QrImage';
import { customerRefusal } from './refusal-text';

export function MemberCode() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const asked = search.get('store');
  const mine = useQuery({
    queryKey: ['my-memberships'],
    queryFn: () => cloud.memberships(),
    enabled: !asked,
  });
  const list = mine.data?.memberships ?? [];
  const storeId = asked ?? (list.length === 1 ? list[0]!.storeId : null);
  if (!storeId) {
    return (
      <section className="member-code">
        <NavBar onBack={() => void navigate(-1)}>{t('memberCode.title')}</NavBar>
        {mine.isError && (
          <p className="refusal pad-x" role="alert">
            {customerRefusal(t, mine.error)}
          </p>
        )}
        {mine.data && list.length === 0 && (
          <p className="hint pad-x">{t('memberCode.noMembership')}</p>
        )}
        {list.length > 1 && (
          <StorePicker
            storeIds={list.map((m) => m.storeId)}
            onPick={(id) => setSearch({ store: id }, { replace: true })}
          />
        )}
      </section>
    );
  }
  return <CodeFor storeId={storeId} />;
}

/** The customer's stores by name: a code is made for the one they stand in. */
function StorePicker({
  storeIds,
  onPick,
}: {
  storeIds: string[];
  onPick: (storeId: string) => void;
}) {
  const { t } = useTranslation('customer');
  const stores = useQueries({
    queries: storeIds.map((id) => ({ queryKey: ['store', id], queryFn: () => cloud.store(id) })),
  });
  return (
    <div className="pad">
      <p className="lead">{t('memberCode.pickStore')}</p>
      {storeIds.map((id, i) => (
        <Button
          key={id}
          block
          size="large"
          className="tall"
          data-testid="member-code-store"
          onClick={() => onPick(id)}
        >
          {stores[i]?.data?.store.name ?? id}
        </Button>
      ))}
    </div>
  );
}

function CodeFor({ storeId }: { storeId: string }) {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const store = useQuery({ queryKey: ['store', storeId], queryFn: () => cloud.store(storeId) });
  const code = useQuery({
    queryKey: ['member-code', storeId],
    queryFn: () => cloud.memberCode(storeId),
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
        {store.data && <strong className="member-code-store">{store.data.store.name}</strong>}
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
