// The cleaner's page and what frames it: the PIN first, then the tasks (the list, one task), with
// the store's name, who is signed in, English or Chinese, and one quiet line when the phone cannot
// reach the hub. Signing out, or a sign-in the hub has ended, forgets what this tab held.
import { useCallback, useEffect, useState } from 'react';
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { ConfigProvider, DotLoading, NavBar } from 'antd-mobile';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import enUS from 'antd-mobile/es/locales/en-US';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import type { SignedIn } from '@roomhub/shared-types';
import { cleaning } from '../api/cleaning-client';
import { forgetSignIn, keepSignIn, onSignedOut, signedIn } from '../api/staff-session';
import { CleanerProvider, useCleaner } from './cleaner-context';
import { SignIn } from './SignIn';
import { TaskList } from './TaskList';
import { TaskPage } from './TaskPage';

type Lang = 'zh-CN' | 'en-US';
const LANG_KEY = 'roomhub.cleanerLanguage';

/** A phone is one person's: the language they chose stays for their next visit. */
function savedLang(): Lang {
  return window.localStorage.getItem(LANG_KEY) === 'en-US' ? 'en-US' : 'zh-CN';
}

export function CleanerApp() {
  const [lang, setLang] = useState<Lang>(savedLang);
  const [me, setMe] = useState<SignedIn | null>(signedIn);
  const client = useQueryClient();
  useEffect(() => {
    void i18next.changeLanguage(lang);
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(
    () =>
      onSignedOut(() => {
        client.clear();
        setMe(null);
      }),
    [client],
  );
  const switchLang = useCallback(() => {
    setLang((l) => {
      const next = l === 'zh-CN' ? 'en-US' : 'zh-CN';
      window.localStorage.setItem(LANG_KEY, next);
      return next;
    });
  }, []);
  return (
    <ConfigProvider locale={lang === 'zh-CN' ? zhCN : enUS}>
      {me ? (
        <CleanerProvider
          key={me.token}
          me={me}
          fallback={(hubDown) => <Loading hubDown={hubDown} onLang={switchLang} />}
        >
          <Frame onLang={switchLang} />
        </CleanerProvider>
      ) : (
        <SignIn
          onLang={switchLang}
          onSignedIn={(s) => {
            keepSignIn(s);
            setMe(s);
          }}
        />
      )}
    </ConfigProvider>
  );
}

function Loading({ hubDown, onLang }: { hubDown: boolean; onLang: () => void }) {
  const { t } = useTranslation('cleaner');
  return (
    <div className="cleaner">
      <NavBar back={null} right={<LangButton onLang={onLang} />}>
        {t('title')}
      </NavBar>
      <div className="cleaner-loading">
        <DotLoading color="primary" />
      </div>
      {hubDown && <HubDown />}
    </div>
  );
}

function HubDown() {
  const { t } = useTranslation('cleaner');
  return (
    <p className="cleaner-quiet" role="status" data-testid="hub-down">
      {t('hubDown')}
    </p>
  );
}

function LangButton({ onLang }: { onLang: () => void }) {
  const { t } = useTranslation('cleaner');
  return (
    <button type="button" className="cleaner-link" onClick={onLang}>
      {t('switchLanguage')}
    </button>
  );
}

function Frame({ onLang }: { onLang: () => void }) {
  const { t } = useTranslation('cleaner');
  const c = useCleaner();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const onList = pathname === '/' || pathname === '';
  const signOut = async () => {
    try {
      await cleaning.signOut();
    } catch {
      // signed out on this phone whatever the hub answered
    } finally {
      forgetSignIn();
    }
  };
  return (
    <div className="cleaner">
      <NavBar
        back={onList ? null : t('task.back')}
        onBack={() => void navigate('/')}
        right={
          <span className="cleaner-nav-right">
            <LangButton onLang={onLang} />
            <button type="button" className="cleaner-link" onClick={() => void signOut()}>
              {t('signOut')}
            </button>
          </span>
        }
      >
        {onList ? t('title') : ''}
      </NavBar>
      {c.hubDown && <HubDown />}
      <div className="cleaner-who" data-testid="signed-in-as">
        {c.store.name} · {c.staff.name}
      </div>
      <main className="cleaner-main">
        <Routes>
          <Route path="/tasks/:id" element={<TaskPage />} />
          <Route path="*" element={<TaskList />} />
        </Routes>
      </main>
    </div>
  );
}
