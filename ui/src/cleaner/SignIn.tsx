// A cleaner signs in on their phone with their staff PIN (the phone's number pad comes up). The
// page is for those who clean (cleaners, and a manager or the owner who cleans); anyone else is
// told where their screen is and signed out again at once.
import { useState } from 'react';
import { Button, Form, Input, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { CLEANING_ROLES, type SignedIn } from '@roomhub/shared-types';
import { HubRefusal } from '../api/hub-client';
import { cleaning, NEEDS_PAIRING } from '../api/cleaning-client';
import { keepSignIn, forgetSignIn } from '../api/staff-session';
import { cleanerRefusal } from './refusal-text';

export function SignIn({
  onLang,
  onSignedIn,
}: {
  onLang: () => void;
  onSignedIn: (s: SignedIn) => void;
}) {
  const { t } = useTranslation('cleaner');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The hub serves the store's Wi-Fi only to paired devices: a new phone is paired first.
  const [unpaired, setUnpaired] = useState(false);
  const [code, setCode] = useState('');
  const pair = async () => {
    if (!/^\d{8}$/.test(code)) {
      setError(t('signIn.pairRule'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await cleaning.pair(code);
      setUnpaired(false);
      setCode('');
    } catch (e) {
      setError(cleanerRefusal(t, e));
    } finally {
      setBusy(false);
    }
  };
  const submit = async () => {
    if (!/^\d{6,12}$/.test(pin)) {
      setError(t('signIn.pinRule'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const s = await cleaning.signIn(pin);
      if (!CLEANING_ROLES.includes(s.staff.role)) {
        // Signed out again with the token just given, so it does not linger on the hub.
        keepSignIn(s);
        await cleaning.signOut().catch(() => undefined);
        forgetSignIn();
        setError(t('signIn.notCleaner', { name: s.staff.name, role: t(`role.${s.staff.role}`) }));
        setPin('');
        return;
      }
      onSignedIn(s);
    } catch (e) {
      if (e instanceof HubRefusal && NEEDS_PAIRING.has(e.code)) setUnpaired(true);
      setError(cleanerRefusal(t, e));
      setPin('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="cleaner">
      <NavBar
        back={null}
        right={
          <button type="button" className="cleaner-link" onClick={onLang}>
            {t('switchLanguage')}
          </button>
        }
      >
        {t('title')}
      </NavBar>
      <main className="cleaner-sign-in">
        <h1>{t('signIn.title')}</h1>
        <p className="cleaner-muted">{t('signIn.lead')}</p>
        <Form
          layout="vertical"
          onFinish={() => void submit()}
          footer={
            <Button block type="submit" color="primary" size="large" loading={busy}>
              {t('signIn.submit')}
            </Button>
          }
        >
          <Form.Item label={t('signIn.pin')}>
            <Input
              type="password"
              inputMode="numeric"
              autoComplete="current-password"
              maxLength={12}
              aria-label={t('signIn.pin')}
              placeholder="••••••"
              value={pin}
              onChange={(v) => setPin(v.replace(/\D/g, ''))}
              clearable
            />
          </Form.Item>
        </Form>
        {unpaired && <p className="cleaner-muted cleaner-pair-lead">{t('signIn.pairLead')}</p>}
        {unpaired && (
          <Form
            layout="vertical"
            onFinish={() => void pair()}
            footer={
              <Button block type="submit" size="large" loading={busy}>
                {t('signIn.pair')}
              </Button>
            }
          >
            <Form.Item label={t('signIn.pairCode')}>
              <Input
                inputMode="numeric"
                autoComplete="off"
                maxLength={8}
                aria-label={t('signIn.pairCode')}
                placeholder="12345678"
                value={code}
                onChange={(v) => setCode(v.replace(/\D/g, ''))}
                clearable
              />
            </Form.Item>
          </Form>
        )}
        {error && (
          <p className="cleaner-refusal" role="alert">
            {error}
          </p>
        )}
      </main>
    </div>
  );
}
