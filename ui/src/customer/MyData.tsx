// C1, personal information: everything the platform holds about me, in plain words (what is kept
// and why), with the whole as a JSON file to download; and the WeChat accounts that sign in as my
// phone, each of which I may unlink (a number that changed hands keeps its former owner's).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Button, Dialog, NavBar, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { MyData as Data, WechatLink } from '@roomhub/shared-types';
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
          {d.phone && <WechatLinks links={d.wechatLinks} />}
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

function WechatLinks({ links }: { links: WechatLink[] }) {
  const { t } = useTranslation('customer');
  const queries = useQueryClient();
  // Signed in through a linked WeChat account: only its own link is its to remove.
  const viaWechat = links.some((l) => l.current);
  const unlink = async (link: WechatLink) => {
    const sure = await Dialog.confirm({
      content: `${t('account.data.unlinkConfirm')}${link.current ? t('account.data.unlinkCurrent') : ''}`,
      confirmText: t('account.data.unlink'),
    });
    if (!sure) return;
    try {
      await cloud.unlinkWechat(link.wechatId);
      Toast.show({ content: t('account.data.unlinked') });
      await queries.invalidateQueries({ queryKey: ['my-data'] });
    } catch (e) {
      Toast.show({ content: accountRefusal(t, e) });
    }
  };
  return (
    <ul className="cards" data-testid="wechat-links">
      <li className="card">
        <h4>{t('account.data.wechat')}</h4>
        <p className="hint">
          {links.length ? t('account.data.wechatWhy') : t('account.data.wechatNone')}
        </p>
        {links.map((l) => (
          <div key={l.wechatId} className="wechat-link" data-wechat={l.wechatId}>
            <div>
              <div>
                {t('account.data.wechatAccount', { tail: l.wechatId.slice(-4) })}
                {l.current ? t('account.data.wechatCurrent') : ''}
              </div>
              <div className="hint">
                {t('account.data.wechatSince', { date: l.linkedAt.slice(0, 10) })}
              </div>
            </div>
            {(!viaWechat || l.current) && (
              <Button size="small" color="danger" fill="outline" onClick={() => void unlink(l)}>
                {t('account.data.unlink')}
              </Button>
            )}
          </div>
        ))}
      </li>
    </ul>
  );
}
