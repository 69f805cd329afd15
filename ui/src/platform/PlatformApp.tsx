// The platform console's frame, laid out as the owner's dashboard: a side menu of the pages the
// signed-in staff member's roles allow (the cloud's permission table decides; the menu only
// follows it), the page on the right, the language switch and sign-out in the header.
import { useCallback, useState } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, ConfigProvider, Layout, Menu, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import { platform, platformToken } from './platform-client';
import { SignIn } from './SignIn';
import { StaffPage } from './StaffPage';
import { ReviewsPage } from './ReviewsPage';
import { MerchantsPage } from './MerchantsPage';
import { UsersPage } from './UsersPage';
import { AuditPage } from './AuditPage';
import { CampaignsPage } from './CampaignsPage';
import { OverviewPage } from './overview/OverviewPage';
import { AnomaliesPage } from './overview/AnomaliesPage';
import { OrdersPage } from './orders/OrdersPage';
import { ComplaintsPage } from './complaints/ComplaintsPage';
import { SettingsPage } from './settings/SettingsPage';

type Lang = 'zh-CN' | 'en-US';

/** Each page and the action of the permission table it needs. */
const PAGES = [
  { key: 'overview', path: '/overview', action: 'analytics.read', el: <OverviewPage /> },
  { key: 'orders', path: '/orders', action: 'orders.read', el: <OrdersPage /> },
  { key: 'anomalies', path: '/anomalies', action: 'orders.read', el: <AnomaliesPage /> },
  { key: 'complaints', path: '/complaints', action: 'orders.read', el: <ComplaintsPage /> },
  { key: 'merchants', path: '/merchants', action: 'merchants.read', el: <MerchantsPage /> },
  { key: 'reviews', path: '/reviews', action: 'content.read', el: <ReviewsPage /> },
  { key: 'campaigns', path: '/campaigns', action: 'content.read', el: <CampaignsPage /> },
  { key: 'users', path: '/users', action: 'users.read', el: <UsersPage /> },
  { key: 'staff', path: '/staff', action: 'staff.manage', el: <StaffPage /> },
  { key: 'audit', path: '/audit', action: 'audit.read', el: <AuditPage /> },
  { key: 'settings', path: '/settings', action: 'settings.manage', el: <SettingsPage /> },
] as const;

export function PlatformApp() {
  const [lang, setLang] = useState<Lang>('zh-CN');
  const [token, setToken] = useState(platformToken.get());
  const switchLang = useCallback((l: Lang) => {
    void i18next.changeLanguage(l);
    document.documentElement.lang = l;
    setLang(l);
  }, []);
  return (
    <ConfigProvider
      locale={lang === 'zh-CN' ? zhCN : enUS}
      button={{ autoInsertSpace: false }}
      theme={{ token: { colorPrimary: '#1f4e79', borderRadius: 6 } }}
    >
      <App>
        {token ? (
          <Frame
            key={token}
            lang={lang}
            onLang={switchLang}
            onSignOut={() => {
              platformToken.clear();
              setToken(null);
            }}
          />
        ) : (
          <SignIn
            lang={lang}
            onLang={switchLang}
            onSignedIn={(t) => {
              platformToken.set(t);
              setToken(t);
            }}
          />
        )}
      </App>
    </ConfigProvider>
  );
}

function Frame({
  lang,
  onLang,
  onSignOut,
}: {
  lang: Lang;
  onLang: (l: Lang) => void;
  onSignOut: () => void;
}) {
  const { t } = useTranslation('platform');
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const client = useQueryClient();
  const me = useQuery({ queryKey: ['platform', 'me'], queryFn: platform.me });
  if (me.isError) {
    client.clear();
    onSignOut();
    return null;
  }
  if (!me.data) return <Spin style={{ margin: 48 }} />;
  const pages = PAGES.filter((p) => me.data.actions.includes(p.action));
  const current = pages.find((p) => pathname.startsWith(p.path))?.key;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} breakpoint="lg" collapsedWidth={0}>
        <div
          style={{ color: '#fff', fontWeight: 600, fontSize: 16, padding: '18px 20px' }}
          data-testid="platform-brand"
        >
          {t('app.title')}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={current ? [current] : []}
          items={pages.map((p) => ({ key: p.key, label: t(`app.menu.${p.key}`) }))}
          onClick={({ key }) => navigate(pages.find((p) => p.key === key)!.path)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            gap: 12,
          }}
        >
          <span data-testid="signed-in-as">
            {t('app.signedInAs', {
              name: me.data.name,
              roles: me.data.roles.map((r) => t(`roles.${r}`)).join('、'),
            })}
          </span>
          <Button type="link" onClick={() => onLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}>
            {lang === 'zh-CN' ? 'English' : '中文'}
          </Button>
          <Button onClick={onSignOut}>{t('app.signOut')}</Button>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Routes>
            {pages.map((p) => (
              <Route key={p.key} path={`${p.path}/*`} element={p.el} />
            ))}
            <Route path="*" element={<Navigate to={pages[0]?.path ?? '/merchants'} replace />} />
          </Routes>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
