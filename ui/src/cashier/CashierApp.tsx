// The cashier's page and what frames it: the PIN first, then the counter's screens (vouchers,
// bookings, tea and snacks, devices), each shown only to the roles the hub lets use it. Signing
// out, or a sign-in the hub has ended, clears everything this tab held and asks for a PIN again.
import { useCallback, useEffect, useState } from 'react';
import { NavLink, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import type { SignedIn } from '@roomhub/shared-types';
import { counter } from '../api/counter-client';
import { forgetSignIn, keepSignIn, onSignedOut, signedIn } from '../api/staff-session';
import { clockTime } from '../components/store-time';
import { useNow } from '../components/use-now';
import { CashierProvider, useCashier } from './cashier-context';
import type { Control } from './role-access';
import { SignIn } from './sign-in/SignIn';
import { VoucherDesk } from './vouchers/VoucherDesk';
import { useWedgeScanner } from './vouchers/use-wedge-scanner';
import { BookingsPage } from './bookings/BookingsPage';
import { WalletDesk } from './wallet/WalletDesk';
import { TeaQueue } from './tea/TeaQueue';
import { DevicesPage } from './devices/DevicesPage';
import { ChatDesk } from './chat/ChatDesk';

type Lang = 'zh-CN' | 'en-US';

export function CashierApp() {
  const [lang, setLang] = useState<Lang>('zh-CN');
  const [me, setMe] = useState<SignedIn | null>(signedIn);
  const client = useQueryClient();
  useEffect(
    () =>
      onSignedOut(() => {
        // Nothing the last person saw stays for the next one.
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
      // Two-character Chinese labels stay as written (收款, 核销), not spaced out.
      button={{ autoInsertSpace: false }}
      theme={{
        token: { fontSize: 16, controlHeight: 40, borderRadius: 8, colorPrimary: '#2f6b4f' },
      }}
    >
      <App>
        {me ? (
          <CashierProvider
            key={me.token}
            fallback={
              <div className="cashier-loading">
                <Spin size="large" />
              </div>
            }
          >
            <Frame lang={lang} onLang={switchLang} />
          </CashierProvider>
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

const SCREENS: { path: string; control: Control; label: string }[] = [
  { path: '/vouchers', control: 'redeem', label: 'nav.vouchers' },
  { path: '/bookings', control: 'bookings', label: 'nav.bookings' },
  { path: '/tea', control: 'orders', label: 'nav.tea' },
  { path: '/wallet', control: 'walletTopUp', label: 'nav.wallet' },
  { path: '/devices', control: 'devices', label: 'nav.devices' },
  { path: '/chats', control: 'chats', label: 'nav.chats' },
];

function Frame({ lang, onLang }: { lang: Lang; onLang: (l: Lang) => void }) {
  const { t } = useTranslation('cashier');
  const c = useCashier();
  const tick = useNow(c.now);
  const screens = SCREENS.filter((s) => c.may(s.control));
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const { takeScan, scan } = c;
  useWedgeScanner(useCallback((text: string) => takeScan(text, 'keyboard'), [takeScan]));
  // A voucher scanned on any screen opens the voucher screen with it.
  const mayRedeem = c.may('redeem');
  useEffect(() => {
    if (scan && mayRedeem && pathname !== '/vouchers') void navigate('/vouchers');
  }, [scan, mayRedeem, pathname, navigate]);
  const signOut = async () => {
    try {
      await counter.signOut();
    } finally {
      forgetSignIn();
    }
  };
  return (
    <div className="cashier">
      <header className="cashier-header">
        <span className="cashier-store">{c.store.name}</span>
        <nav className="cashier-nav">
          {screens.map((s) => (
            <NavLink key={s.path} to={s.path} className="cashier-tab">
              {s.path === '/tea' ? (
                <Badge count={c.stockAlerts.length} size="small" offset={[8, -2]}>
                  <span className="cashier-tab-label">{t(s.label)}</span>
                </Badge>
              ) : (
                t(s.label)
              )}
            </NavLink>
          ))}
        </nav>
        <span className="cashier-clock">{clockTime(tick, c.store.timeZone)}</span>
        <span className="cashier-who" data-testid="signed-in-as">
          {c.staff.name} · {t(`role.${c.staff.role}`)}
        </span>
        <Button size="small" onClick={() => onLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}>
          {lang === 'zh-CN' ? 'English' : '中文'}
        </Button>
        <Button onClick={() => void signOut()}>{t('signOut')}</Button>
      </header>
      <main className="cashier-main">
        <Routes>
          {screens.some((s) => s.path === '/vouchers') && (
            <Route path="/vouchers" element={<VoucherDesk />} />
          )}
          {screens.some((s) => s.path === '/bookings') && (
            <Route path="/bookings" element={<BookingsPage />} />
          )}
          {screens.some((s) => s.path === '/tea') && <Route path="/tea" element={<TeaQueue />} />}
          {screens.some((s) => s.path === '/wallet') && (
            <Route path="/wallet" element={<WalletDesk />} />
          )}
          {screens.some((s) => s.path === '/devices') && (
            <Route path="/devices" element={<DevicesPage />} />
          )}
          {screens.some((s) => s.path === '/chats') && (
            <Route path="/chats" element={<ChatDesk />} />
          )}
          <Route
            path="*"
            element={screens[0] ? <Navigate to={screens[0].path} replace /> : <NothingHere />}
          />
        </Routes>
      </main>
      {(c.stream === 'down' || c.cloudOffline) && (
        <footer className="cashier-footer" role="status">
          {c.stream === 'down' ? t('hubDown') : t('cloudOffline')}
        </footer>
      )}
    </div>
  );
}

function NothingHere() {
  const { t } = useTranslation('cashier');
  return <p className="muted">{t('nothingForRole')}</p>;
}
