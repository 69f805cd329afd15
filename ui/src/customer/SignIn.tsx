// C1: a customer signs in with a code texted to their phone, having ticked that they agree to the
// privacy notice (its text is on the page, folded open on a tap). Then back to where they were.
// Signed in from a store's pages, they become that store's member too (C11) unless they untick
// it on the page: the store is asked once, and a store offline answers when it is back.
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Input, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { cloud, keepCustomerToken } from '../api/cloud-client';
import { customerRefusal } from './refusal-text';
import { FrozenNotice, isFrozen } from './FrozenNotice';
import { shareCodeFor } from './share-code';

const PHONE = /^1[3-9]\d{9}$/;
/** A store's pages: /stores/<storeId>, its rooms, deals, tea and tables. */
const STORE_PAGE = /^\/stores\/([^/?#]+)/;

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queries = useQueryClient();
  const from = STORE_PAGE.exec(params.get('next') ?? '')?.[1];
  const storeId = from ? decodeURIComponent(from) : null;
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [agreed, setAgreed] = useState(false);
  // Offered, not imposed: the customer may untick it and sign in without joining.
  const [joinStore, setJoinStore] = useState(true);
  const [showNotice, setShowNotice] = useState(false);
  const [wait, setWait] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The platform froze this phone's account: said with the way to appeal.
  const [frozen, setFrozen] = useState<unknown>(null);
  useEffect(() => {
    if (wait <= 0) return;
    const id = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(id);
  }, [wait]);

  const check = (): boolean => {
    if (!PHONE.test(phone)) return (setError(t('signIn.phoneRule')), false);
    if (!agreed) return (setError(t('signIn.consentRule')), false);
    return true;
  };
  const send = async () => {
    if (!check()) return;
    setBusy(true);
    setError(null);
    try {
      await cloud.sendCode(phone);
      setWait(60);
    } catch (e) {
      setError(customerRefusal(t, e));
    } finally {
      setBusy(false);
    }
  };
  const verify = async () => {
    if (!check()) return;
    if (!/^\d{6}$/.test(code)) return setError(t('signIn.codeRule'));
    setBusy(true);
    setError(null);
    setFrozen(null);
    try {
      const s = await cloud.verifyCode(phone, code);
      keepCustomerToken(s.token);
      if (storeId && joinStore) {
        // Asking again is the first answer; the sign-in never waits on the store.
        void cloud
          .joinStore(storeId, shareCodeFor(storeId))
          .then(() => queries.invalidateQueries({ queryKey: ['my-memberships'] }))
          .catch(() => undefined);
      }
      onSignedIn();
      void navigate(params.get('next') ?? '/', { replace: true });
    } catch (e) {
      if (isFrozen(e)) setFrozen(e);
      else setError(customerRefusal(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="sign-in">
      <NavBar onBack={() => void navigate('/')}>{t('signIn.title')}</NavBar>
      <div className="pad">
        <p className="lead">{t('signIn.lead')}</p>
        {storeId && (
          <div className="consent" data-testid="joins-store">
            <Checkbox
              checked={joinStore}
              onChange={setJoinStore}
              aria-label={t('signIn.joinsStore')}
            >
              {t('signIn.joinsStore')}
            </Checkbox>
          </div>
        )}
        <label className="field">
          <span>{t('signIn.phone')}</span>
          <Input
            type="tel"
            inputMode="numeric"
            maxLength={11}
            placeholder={t('signIn.phoneHint')}
            value={phone}
            onChange={setPhone}
          />
        </label>
        <div className="code-row">
          <label className="field">
            <span>{t('signIn.code')}</span>
            <Input
              inputMode="numeric"
              maxLength={6}
              placeholder={t('signIn.codeHint')}
              value={code}
              onChange={setCode}
            />
          </label>
          <Button className="tall" disabled={busy || wait > 0} onClick={() => void send()}>
            {wait > 0 ? t('signIn.sendAgain', { seconds: wait }) : t('signIn.send')}
          </Button>
        </div>
        <div className="consent">
          <Checkbox checked={agreed} onChange={setAgreed} aria-label={t('signIn.consent')}>
            {t('signIn.consent')}
          </Checkbox>
          <a className="link" onClick={() => setShowNotice((s) => !s)} role="button">
            {t('signIn.readNotice')}
          </a>
        </div>
        {showNotice && (
          <div className="notice" role="note">
            <h3>{t('privacy.title')}</h3>
            <p>{t('privacy.what')}</p>
            <p>{t('privacy.why')}</p>
            <p>{t('privacy.share')}</p>
            <p>{t('privacy.rights')}</p>
          </div>
        )}
        {error && (
          <p className="refusal" role="alert">
            {error}
          </p>
        )}
        {frozen !== null && <FrozenNotice error={frozen} phone={phone} />}
        <Button
          block
          color="primary"
          size="large"
          className="tall"
          loading={busy}
          onClick={() => void verify()}
        >
          {t('signIn.submit')}
        </Button>
      </div>
    </section>
  );
}
