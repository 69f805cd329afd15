// The owner's dashboard and its frame, laid out as Ant Design Pro's admin shell: a side menu of
// the pages the signed-in role may use, the page on the right. The owner and managers sign in;
// anyone else is told in one sentence that this page is not theirs (the hub refuses them anyway).
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, ConfigProvider, Layout, Menu, Result } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import type { SignedIn } from '@roomhub/shared-types';
import { counter } from '../api/counter-client';
import { forgetSignIn, keepSignIn, onSignedOut, signedIn } from '../api/staff-session';
import { mayOpenDashboard, ownerMay, type OwnerControl } from './role-access';
import { SignIn } from './sign-in/SignIn';
import { StatsPage } from './stats/StatsPage';
import { StaffPage } from './staff/StaffPage';
import { ScreensPage } from './screens/ScreensPage';
import { AuditPage } from './audit/AuditPage';
import { StorePage } from './store/StorePage';
import { RoomsPage } from './rooms/RoomsPage';
import { PricesPage } from './prices/PricesPage';
import { CalendarPage } from './calendar/CalendarPage';
import { ProductsPage } from './products/ProductsPage';
import { MembersPage } from './members/MembersPage';
import { CouponsPage } from './coupons/CouponsPage';
import { DevicesPage } from './devices/DevicesPage';
import { BackupPage } from './backup/BackupPage';
import { SyncPage } from './sync/SyncPage';
import { DealsPage } from './deals/DealsPage';
import { PaymentsPage } from './payments/PaymentsPage';
import { InvoicesPage } from './invoices/InvoicesPage';
import { CleaningPage } from './cleaning/CleaningPage';
import { MessagesMenuLabel, MessagesPage } from './messages/MessagesPage';
import { ReviewsPage } from './reviews/ReviewsPage';
import { WalletPage } from './wallet/WalletPage';

// The store's anomalies use the console's list and its words, added when the page first opens
// (after the dashboard's words are set up).
const AnomaliesPage = lazy(() =>
  import('./anomalies/AnomaliesPage').then((m) => ({ default: m.AnomaliesPage })),
);
import { servedByCloud } from '../api/owner-remote-client';
import { RemoteOwner } from './remote/RemoteOwnerApp';

type Lang = 'zh-CN' | 'en-US';

/** Served by the cloud, the dashboard reads every store of the owner through it (O12). */
const REMOTE = servedByCloud();

export function OwnerApp() {
  const [lang, setLang] = useState<Lang>('zh-CN');
  const [me, setMe] = useState<SignedIn | null>(signedIn);
  const client = useQueryClient();
  useEffect(
    () =>
      onSignedOut(() => {
        client.clear();
        setMe(null);
      }),
    [client],
  );
  const switchLang = useCallback((l: Lang) => {
    void i18next.changeLanguage(l);
    document.documentElement.lang = l;
    setLang(l);
  }, []);
  return (
    <ConfigProvider
      locale={lang === 'zh-CN' ? zhCN : enUS}
      button={{ autoInsertSpace: false }}
      theme={{ token: { colorPrimary: '#2f6b4f', borderRadius: 6 } }}
    >
      <App>
        {REMOTE ? (
          <RemoteOwner lang={lang} onLang={switchLang} />
        ) : me ? (
          <Frame key={me.token} me={me} lang={lang} onLang={switchLang} />
        ) : (
          <SignIn
            lang={lang}
            onLang={switchLang}
            onSignedIn={(s) => {
              keepSignIn(s);
              setMe(s);
            }}
          />
        )}
      </App>
    </ConfigProvider>
  );
}

const PAGES: { key: OwnerControl; path: string }[] = [
  { key: 'stats', path: '/stats' },
  { key: 'messages', path: '/messages' },
  { key: 'store', path: '/store' },
  { key: 'rooms', path: '/rooms' },
  { key: 'prices', path: '/prices' },
  { key: 'calendar', path: '/calendar' },
  { key: 'products', path: '/products' },
  { key: 'members', path: '/members' },
  { key: 'wallet', path: '/wallet' },
  { key: 'coupons', path: '/coupons' },
  { key: 'deals', path: '/deals' },
  { key: 'devices', path: '/devices' },
  { key: 'anomalies', path: '/anomalies' },
  { key: 'reviews', path: '/reviews' },
  { key: 'staff', path: '/staff' },
  { key: 'cleaning', path: '/cleaning' },
  { key: 'screens', path: '/screens' },
  { key: 'audit', path: '/audit' },
  { key: 'backup', path: '/backup' },
  { key: 'sync', path: '/sync' },
  { key: 'payments', path: '/payments' },
  { key: 'invoices', path: '/invoices' },
];

function Frame({ me, lang, onLang }: { me: SignedIn; lang: Lang; onLang: (l: Lang) => void }) {
  const { t } = useTranslation('owner');
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const role = me.staff.role;
  const signOut = async () => {
    await counter.signOut().catch(() => undefined);
    forgetSignIn();
  };
  const header = (
    <Layout.Header className="owner-header">
      <span data-testid="signed-in-as">
        {t('app.signedInAs', { name: me.staff.name, role: t(`roles.${role}`) })}
      </span>
      <Button type="link" onClick={() => onLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}>
        {lang === 'zh-CN' ? 'English' : '中文'}
      </Button>
      <Button onClick={() => void signOut()}>{t('app.signOut')}</Button>
    </Layout.Header>
  );
  if (!mayOpenDashboard(role)) {
    return (
      <Layout style={{ minHeight: '100vh' }}>
        {header}
        <Result
          status="403"
          title={t('app.title')}
          subTitle={<span data-testid="not-for-role">{t('app.notForRole')}</span>}
        />
      </Layout>
    );
  }
  const pages = PAGES.filter((p) => ownerMay(role, p.key));
  const current = pages.find((p) => pathname.startsWith(p.path))?.key ?? 'stats';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} breakpoint="lg" collapsedWidth={0}>
        <div className="owner-brand">{t('app.title')}</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[current]}
          items={pages.map((p) => ({
            key: p.key,
            label: p.key === 'messages' ? <MessagesMenuLabel /> : t(`app.menu.${p.key}`),
          }))}
          onClick={({ key }) => navigate(pages.find((p) => p.key === key)!.path)}
        />
      </Layout.Sider>
      <Layout>
        {header}
        <Layout.Content className="owner-content">
          <Routes>
            <Route path="/stats" element={<StatsPage role={role} />} />
            {ownerMay(role, 'staff') && <Route path="/staff" element={<StaffPage me={me} />} />}
            {ownerMay(role, 'screens') && <Route path="/screens" element={<ScreensPage />} />}
            {ownerMay(role, 'audit') && <Route path="/audit" element={<AuditPage />} />}
            {ownerMay(role, 'store') && <Route path="/store" element={<StorePage />} />}
            {ownerMay(role, 'rooms') && <Route path="/rooms" element={<RoomsPage />} />}
            {ownerMay(role, 'prices') && <Route path="/prices" element={<PricesPage />} />}
            {ownerMay(role, 'calendar') && <Route path="/calendar" element={<CalendarPage />} />}
            {ownerMay(role, 'products') && <Route path="/products" element={<ProductsPage />} />}
            {ownerMay(role, 'members') && (
              <Route path="/members" element={<MembersPage role={role} />} />
            )}
            {ownerMay(role, 'wallet') && (
              <Route path="/wallet" element={<WalletPage role={role} />} />
            )}
            {ownerMay(role, 'coupons') && <Route path="/coupons" element={<CouponsPage />} />}
            {ownerMay(role, 'devices') && <Route path="/devices" element={<DevicesPage />} />}
            {ownerMay(role, 'backup') && (
              <Route path="/backup" element={<BackupPage role={role} />} />
            )}
            {ownerMay(role, 'sync') && <Route path="/sync" element={<SyncPage />} />}
            {ownerMay(role, 'deals') && <Route path="/deals" element={<DealsPage role={role} />} />}
            {ownerMay(role, 'payments') && (
              <Route path="/payments" element={<PaymentsPage role={role} />} />
            )}
            {ownerMay(role, 'invoices') && <Route path="/invoices" element={<InvoicesPage />} />}
            {ownerMay(role, 'cleaning') && <Route path="/cleaning" element={<CleaningPage />} />}
            {ownerMay(role, 'messages') && <Route path="/messages" element={<MessagesPage />} />}
            {ownerMay(role, 'reviews') && <Route path="/reviews" element={<ReviewsPage />} />}
            {ownerMay(role, 'anomalies') && (
              <Route
                path="/anomalies"
                element={
                  <Suspense fallback={null}>
                    <AnomaliesPage />
                  </Suspense>
                }
              />
            )}
            <Route path="*" element={<Navigate to="/stats" replace />} />
          </Routes>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
