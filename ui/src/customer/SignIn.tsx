// C1: a customer signs in with a code texted to their phone, having ticked that they agree to the
// privacy notice (its text is on the page, folded open on a tap). Then back to where they were.
// Inside the mini-program they may sign in with WeChat instead: having agreed, they are handed to
// the mini-program's login page, which runs wx.login() and opens this page again with the code
// and the hand-over's state; the code is then traded for a token at once. Such a customer gives
// a phone when they book.
// Signed in from a store's pages, they become that store's member too (C11) unless they untick
// it on the page: the store is asked once, and a store offline answers when it is back.
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { cloud, CloudRefusal, keepCustomerToken } from '../api/cloud-client';
import { PhoneCodeFields, useCountdown } from './PhoneCodeFields';
import { customerRefusal } from './refusal-text';
import { FrozenNotice, isFrozen } from './FrozenNotice';
import { shareCodeFor } from './share-code';
import {
  inMiniProgram,
  LOGIN_PAGE,
  miniProgram,
  newLoginState,
  takeLoginCode,
} from './mini-program';
import { MOBILE_NUMBER } from '@roomhub/shared-types';

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
  const [wait, setWait] = useCountdown();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The platform froze this phone's account: said with the way to appeal.
  const [frozen, setFrozen] = useState<unknown>(null);
  const mini = inMiniProgram();
  // Handed to the mini-program's login page, which brings the customer back with a code.
  const [handed, setHanded] = useState(false);

  const check = (): boolean => {
    if (!MOBILE_NUMBER.test(phone)) return (setError(t('signIn.phoneRule')), false);
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
      signedIn((await cloud.verifyCode(phone, code)).token);
    } catch (e) {
      if (isFrozen(e)) setFrozen(e);
      else setError(customerRefusal(t, e));
    } finally {
      setBusy(false);
    }
  };
  const signedIn = (token: string) => {
    keepCustomerToken(token);
    // What was read for whoever signed in before (a profile, orders) is not this customer's.
    queries.clear();
    if (storeId && joinStore) {
      // Asking again is the first answer; the sign-in never waits on the store.
      void cloud
        .joinStore(storeId, shareCodeFor(storeId))
        .then(() => queries.invalidateQueries({ queryKey: ['my-memberships'] }))
        .catch(() => undefined);
    }
    onSignedIn();
    void navigate(params.get('next') ?? '/', { replace: true });
  };
  /**
   * To the mini-program's login page, which runs wx.login() and opens `next` (this page, whole
   * address) with `wxcode` and `wxstate` added.
   */
  const handOver = async () => {
    const bridge = await miniProgram();
    if (!bridge) return setError(t('signIn.wechatFailed'));
    const query = params.toString();
    const back = `${window.location.origin}/h5/sign-in${query ? `?${query}` : ''}`;
    const ask = new URLSearchParams({ state: newLoginState(), next: back });
    bridge.navigateTo({
      url: `${LOGIN_PAGE}?${ask.toString()}`,
      fail: () => (setHanded(false), setError(t('signIn.wechatFailed'))),
    });
    setHanded(true);
  };
  const wechat = () => {
    if (!agreed) return setError(t('signIn.consentRule'));
    setError(null);
    setFrozen(null);
    void handOver();
  };
  // Back from the login page with a code of this page's own hand-over (agreed to before it).
  const traded = useRef(false);
  useEffect(() => {
    if (traded.current || !mini) return;
    const wxCode = takeLoginCode();
    if (wxCode === null) return;
    traded.current = true;
    setAgreed(true);
    setBusy(true);
    cloud
      .wechatSignIn(wxCode)
      .then((s) => signedIn(s.token))
      .catch((e: unknown) => {
        if (isFrozen(e)) setFrozen(e);
        // A code too old or used: the customer taps again for a new one.
        else if (e instanceof CloudRefusal && e.code === 'invalid_code')
          setError(t('signIn.wechatAgain'));
        else setError(customerRefusal(t, e));
      })
      .finally(() => setBusy(false));
    // Once, when the page opens.
  }, []);

  return (
    <section className="sign-in">
      <NavBar onBack={() => void navigate('/')}>
        {t(mini ? 'signIn.titleMini' : 'signIn.title')}
      </NavBar>
      <div className="pad">
        <p className="lead">{t(mini ? 'signIn.leadMini' : 'signIn.lead')}</p>
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
        <PhoneCodeFields
          phone={phone}
          onPhone={setPhone}
          code={code}
          onCode={setCode}
          onSend={() => void send()}
          busy={busy}
          wait={wait}
        />
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
        {mini && (
          <>
            {handed && (
              <p className="muted" role="status">
                {t('signIn.wechatHanded')}
              </p>
            )}
            <Button
              block
              color="success"
              size="large"
              className="tall"
              loading={busy}
              onClick={wechat}
            >
              {t('signIn.wechat')}
            </Button>
            <p className="muted">{t('signIn.orPhone')}</p>
          </>
        )}
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
