// C1, personal information: everything the platform holds about me, in plain words (what is kept
// and why), with the whole as a JSON file to download.
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Button, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { MyData as Data } from '@roomhub/shared-types';
import { cloud } from '../api/cloud-client';
import { yuan } from '../components/yuan';
import { accountRefusal } from './account-refusal';
import './account.css';

function download(data: Data): void {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `my-data-${data.exportedAt.slice(0, 10)}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export function MyData() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const data = useQuery({ queryKey: ['my-data'], queryFn: () => cloud.myData() });
  const d = data.data;
  const p = d?.profile;
  const wallet = (d?.memberships ?? []).reduce(
    (s, m) => s + (m.wallet?.principal ?? 0) + (m.wallet?.bonus ?? 0),
    0,
  );
  return (
    <section className="account">
      <NavBar onBack={() => void navigate('/me')}>{t('account.data.title')}</NavBar>
      <p className="hint pad-x">{t('account.data.why')}</p>
      {data.isPending && <p className="hint pad-x">{t('loading')}</p>}
      {data.isError && (
        <p className="refusal pad-x" role="alert">
          {accountRefusal(t, data.error)}
        </p>
      )}
      {d && p && (
        <>
          <ul className="cards" data-testid="my-data">
            <li className="card">
              <h4>{t('account.data.account')}</h4>
              <dl className="facts-list">
                <dt>{t('account.data.phone')}</dt>
                <dd>{d.phone ?? t('account.data.none')}</dd>
                <dt>{t('account.profile.name')}</dt>
                <dd>{p.name ?? t('account.data.none')}</dd>
                <dt>{t('account.profile.gender')}</dt>
                <dd>{p.gender ? t(`account.gender.${p.gender}`) : t('account.data.none')}</dd>
                <dt>{t('account.profile.birthday')}</dt>
                <dd>{p.birthday ?? t('account.data.none')}</dd>
                <dt>{t('account.profile.signature')}</dt>
                <dd>{p.signature ?? t('account.data.none')}</dd>
                <dt>{t('account.profile.teas')}</dt>
                <dd>{p.preferences.teas.join('，') || t('account.data.none')}</dd>
                <dt>{t('account.profile.areas')}</dt>
                <dd>{p.preferences.areas.join('，') || t('account.data.none')}</dd>
              </dl>
            </li>
            <li className="card">
              <h4>{t('account.data.held')}</h4>
              <dl className="facts-list">
                <dt>{t('account.data.orders')}</dt>
                <dd>{t('account.data.count', { count: d.orders.orders.length })}</dd>
                <dt>{t('account.data.memberships')}</dt>
                <dd>{t('account.data.count', { count: d.memberships.length })}</dd>
                <dt>{t('account.data.wallet')}</dt>
                <dd>¥{yuan(wallet)}</dd>
                <dt>{t('account.data.coupons')}</dt>
                <dd>{t('account.data.count', { count: d.coupons.length })}</dd>
                <dt>{t('account.data.vouchers')}</dt>
                <dd>{t('account.data.count', { count: d.vouchers.vouchers.length })}</dd>
                <dt>{t('account.data.reviews')}</dt>
                <dd>{t('account.data.count', { count: d.reviews.length })}</dd>
                <dt>{t('account.data.stores')}</dt>
                <dd>{t('account.data.storesCount', { count: d.stores.length })}</dd>
              </dl>
            </li>
          </ul>
          <div className="pad">
            <Button block size="large" className="tall" onClick={() => download(d)}>
              {t('account.data.download')}
            </Button>
          </div>
        </>
      )}
    </section>
  );
}
