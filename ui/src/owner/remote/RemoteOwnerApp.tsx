// The owner's dashboard as the cloud serves it (O12): the owner signs in by a code texted to their
// phone, picks 全部门店 or one store at the top, and reads the statistics (the total and a line per
// store), each store's day board and orders, its details and booking rules, its rooms' prices
// and its calendar, its members and campaigns (counted), its deals, its tea and snacks with what runs low, its invoice requests, its devices (each change made by the store's hub), how fresh its figures
// are, and its linked Meituan and Douyin shops (only the cloud holds their grants). Pages that
// only make sense beside the hub (staff PINs, screens pairing, backups) are not offered here.
import { useEffect, useState, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Layout, Menu, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  forgetRemoteSignIn,
  onRemoteSignedOut,
  remoteOwner,
  remoteSignedIn,
  remoteStats,
  keepRemoteSignIn,
  type RemoteSignIn as SignedIn,
} from '../../api/owner-remote-client';
import { StatsPage } from '../stats/StatsPage';
import { RemoteSignIn } from './RemoteSignIn';
import { RemoteBoard } from './RemoteBoard';
import { RemoteDevices } from './RemoteDevices';
import { RemoteMembers } from './RemoteMembers';
import { RemoteDeals } from './RemoteDeals';
import { RemoteProducts } from './RemoteProducts';
import { RemoteInvoices } from './RemoteInvoices';
import { RemoteSync } from './RemoteSync';
import { RemoteChats, RemoteInbox, RemoteMessageSettings } from './RemoteMessages';
import { PlatformsReturn, RemotePlatforms } from './RemotePlatforms';
import { RemoteAudit } from './RemoteAudit';
import { RemoteStaff } from './RemoteStaff';
import { RemoteStanding } from './RemoteStanding';
import { RemoteCalendar, RemotePrices, RemoteStore } from './RemoteStoreSettings';

type Lang = 'zh-CN' | 'en-US';

export const ALL_STORES = 'all';

const PAGES = [
  { key: 'stats', path: '/stats' },
  { key: 'board', path: '/board' },
  { key: 'store', path: '/store' },
  { key: 'prices', path: '/prices' },
  { key: 'calendar', path: '/calendar' },
  { key: 'members', path: '/members' },
  { key: 'deals', path: '/deals' },
  { key: 'products', path: '/products' },
  { key: 'invoices', path: '/invoices' },
  { key: 'staff', path: '/staff' },
  { key: 'audit', path: '/audit' },
  { key: 'devices', path: '/devices' },
  { key: 'sync', path: '/sync' },
  { key: 'messages', path: '/messages' },
  { key: 'platforms', path: '/platforms' },
  { key: 'standing', path: '/standing' },
] as const;

export function RemoteOwner({ lang, onLang }: { lang: Lang; onLang: (l: Lang) => void }) {
  const [me, setMe] = useState<SignedIn | null>(remoteSignedIn);
  const client = useQueryClient();
  useEffect(
    () =>
      onRemoteSignedOut(() => {
        client.clear();
        setMe(null);
      }),
    [client],
  );
  if (!me) {
    return (
      <RemoteSignIn
        lang={lang}
        onLang={onLang}
        onSignedIn={(s) => {
          keepRemoteSignIn(s);
          setMe(s);
        }}
      />
    );
  }
  return (
    <RemoteFrame
      key={me.token}
      me={me}
      lang={lang}
      onLang={onLang}
      onSignOut={() => {
        forgetRemoteSignIn();
        client.clear();
        setMe(null);
      }}
    />
  );
}

function RemoteFrame({
  me,
  lang,
  onLang,
  onSignOut,
}: {
  me: SignedIn;
  lang: Lang;
  onLang: (l: Lang) => void;
  onSignOut: () => void;
}) {
  const { t } = useTranslation('owner');
  const navigate = useNavigate();
  const { pathname, search } = useLocation();
  // Back from a platform's authorise page, the cloud names the store that was linked.
  const [storeId, setStoreId] = useState<string>(() => {
    const back = new URLSearchParams(search).get('store');
    return back && me.storeIds.includes(back) ? back : ALL_STORES;
  });
  // The stores' names, from what each published: the statistics of today answer them.
  const names = useQuery({
    queryKey: ['remote', 'names'],
    queryFn: () => remoteOwner.stats(ALL_STORES, { range: 'today' }),
    staleTime: 5 * 60_000,
  });
  const nameOf = (id: string) => names.data?.stores.find((s) => s.storeId === id)?.name ?? id;
  const storeIds = [...me.storeIds].sort();
  const shown = storeId === ALL_STORES ? storeIds : [storeId];
  const each = (render: (id: string, name: string) => ReactNode) =>
    shown.map((id) => <div key={id}>{render(id, nameOf(id))}</div>);
  const current = PAGES.find((p) => pathname.startsWith(p.path))?.key ?? 'stats';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} breakpoint="lg" collapsedWidth={0}>
        <div className="owner-brand">{t('remote.title')}</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[current]}
          items={PAGES.map((p) => ({ key: p.key, label: t(`remote.menu.${p.key}`) }))}
          onClick={({ key }) => navigate(PAGES.find((p) => p.key === key)!.path)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="owner-header">
          <Select
            data-testid="store-switcher"
            aria-label={t('remote.switcher')}
            value={storeId}
            onChange={setStoreId}
            style={{ minWidth: 200, marginRight: 'auto' }}
            options={[
              { value: ALL_STORES, label: t('remote.allStores') },
              ...storeIds.map((id) => ({ value: id, label: nameOf(id) })),
            ]}
          />
          <span data-testid="signed-in-as">{t('remote.signedInAs', { phone: me.phone })}</span>
          <Button type="link" onClick={() => onLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}>
            {lang === 'zh-CN' ? 'English' : '中文'}
          </Button>
          <Button onClick={onSignOut}>{t('app.signOut')}</Button>
        </Layout.Header>
        <Layout.Content className="owner-content">
          <Routes>
            <Route
              path="/stats"
              element={<StatsPage role="owner" source={remoteStats(storeId)} />}
            />
            <Route
              path="/board"
              element={each((id, name) => (
                <RemoteBoard storeId={id} storeName={name} />
              ))}
            />
            <Route
              path="/store"
              element={each((id, name) => (
                <RemoteStore storeId={id} storeName={name} />
              ))}
            />
            <Route
              path="/prices"
              element={each((id, name) => (
                <RemotePrices storeId={id} storeName={name} />
              ))}
            />
            <Route
              path="/calendar"
              element={each((id, name) => (
                <RemoteCalendar storeId={id} storeName={name} />
              ))}
            />
            <Route
              path="/members"
              element={each((id, name) => (
                <RemoteMembers storeId={id} storeName={name} />
              ))}
            />
            <Route
              path="/staff"
              element={each((id, name) => (
                <RemoteStaff storeId={id} storeName={name} />
              ))}
            />
            <Route
              path="/deals"
              element={each((id, name) => (
                <RemoteDeals storeId={id} storeName={name} />
              ))}
            />
            <Route
              path="/products"
              element={each((id, name) => (
                <RemoteProducts storeId={id} storeName={name} />
              ))}
            />
            <Route
              path="/invoices"
              element={each((id, name) => (
                <RemoteInvoices storeId={id} storeName={name} />
              ))}
            />
            <Route
              path="/audit"
              element={each((id, name) => (
                <RemoteAudit storeId={id} storeName={name} />
              ))}
            />
            <Route
              path="/devices"
              element={each((id, name) => (
                <RemoteDevices storeId={id} storeName={name} />
              ))}
            />
            <Route
              path="/sync"
              element={each((id, name) => (
                <RemoteSync storeId={id} storeName={name} />
              ))}
            />
            <Route
              path="/messages"
              element={
                <>
                  <RemoteInbox />
                  {each((id, name) => (
                    <>
                      <RemoteChats storeId={id} storeName={name} />
                      <RemoteMessageSettings storeId={id} storeName={name} />
                    </>
                  ))}
                </>
              }
            />
            <Route
              path="/platforms"
              element={
                <>
                  <PlatformsReturn />
                  {each((id, name) => (
                    <RemotePlatforms storeId={id} storeName={name} />
                  ))}
                </>
              }
            />
            <Route
              path="/standing"
              element={each((id, name) => (
                <RemoteStanding storeId={id} storeName={name} />
              ))}
            />
            <Route path="*" element={<Navigate to="/stats" replace />} />
          </Routes>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
