// A customer who signed in with WeChat links their phone (C1, C11): the code texted to it proves
// the phone, and from then on they are that phone's customer (members, points, wallets, coupons
// and member codes are kept by phone), at every later WeChat sign-in too; what they booked
// before stays in their orders. Then back to where they were (`next`), or to "me".
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Button, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { MOBILE_NUMBER } from '@roomhub/shared-types';
import { cloud, keepCustomerToken } from '../api/cloud-client';
import { PhoneCodeFields, useCountdown } from './PhoneCodeFields';
import { customerRefusal } from './refusal-text';

/** Only a page of these customer pages (a path), never another site. */
const ownPage = (next: string | null) => (next && /^\/(?!\/)/.test(next) ? next : '/me');

export function LinkPhone() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queries = useQueryClient();
  const next = ownPage(params.get('next'));
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [wait, setWait] = useCountdown();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(customerRefusal(t, e));
    } finally {
      setBusy(false);
    }
  };
  const send = () => {
    if (!MOBILE_NUMBER.test(phone)) return setError(t('signIn.phoneRule'));
    void attempt(async () => {
      await cloud.sendCode(phone, 'link_wechat');
      setWait(60);
    });
  };
  const link = () => {
    if (!MOBILE_NUMBER.test(phone)) return setError(t('signIn.phoneRule'));
    if (!/^\d{6}$/.test(code)) return setError(t('signIn.codeRule'));
    void attempt(async () => {
      keepCustomerToken((await cloud.linkPhone(phone, code)).token);
      // Read again as the phone's customer: the profile, orders, coupons, memberships.
      queries.clear();
      void navigate(next, { replace: true });
    });
  };

  return (
    <section className="sign-in">
      <NavBar onBack={() => void navigate(next)}>{t('linkPhone.title')}</NavBar>
      <div className="pad">
        <p className="lead">{t('linkPhone.lead')}</p>
        <PhoneCodeFields
          phone={phone}
          onPhone={setPhone}
          code={code}
          onCode={setCode}
          onSend={send}
          busy={busy}
          wait={wait}
        />
        <p className="hint">{t('linkPhone.why')}</p>
        {error && (
          <p className="refusal" role="alert">
            {error}
          </p>
        )}
        <Button block color="primary" size="large" className="tall" loading={busy} onClick={link}>
          {t('linkPhone.submit')}
        </Button>
      </div>
    </section>
  );
}
