// A phone and the code texted to it, with the button that sends the code and counts down the
// minute before it may be sent again: signing in, linking a phone to a WeChat sign-in, appealing.
// `usePhoneProof` keeps what a page proving a phone needs: the two fields, the code sent, the
// rules checked in words, and a step run with its refusal said.
import { useEffect, useState } from 'react';
import { Button, Input } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { MOBILE_NUMBER } from '@roomhub/shared-types';
import { cloud } from '../api/cloud-client';
import { customerRefusal } from './refusal-text';

/** Seconds until a code may be sent again; `start(60)` after each code sent. */
export function useCountdown(): [number, (seconds: number) => void] {
  const [wait, setWait] = useState(0);
  useEffect(() => {
    if (wait <= 0) return;
    const id = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(id);
  }, [wait]);
  return [wait, setWait];
}

export function PhoneCodeFields(p: {
  phone: string;
  onPhone: (phone: string) => void;
  code: string;
  onCode: (code: string) => void;
  onSend: () => void;
  busy: boolean;
  wait: number;
}) {
  const { t } = useTranslation('customer');
  return (
    <>
      <label className="field">
        <span>{t('signIn.phone')}</span>
        <Input
          type="tel"
          inputMode="numeric"
          maxLength={11}
          placeholder={t('signIn.phoneHint')}
          value={p.phone}
          onChange={p.onPhone}
        />
      </label>
      <div className="code-row">
        <label className="field">
          <span>{t('signIn.code')}</span>
          <Input
            inputMode="numeric"
            maxLength={6}
            placeholder={t('signIn.codeHint')}
            value={p.code}
            onChange={p.onCode}
          />
        </label>
        <Button className="tall" disabled={p.busy || p.wait > 0} onClick={p.onSend}>
          {p.wait > 0 ? t('signIn.sendAgain', { seconds: p.wait }) : t('signIn.send')}
        </Button>
      </div>
    </>
  );
}

/** A page that proves a phone by a texted code (for `purpose`: linking, or signing in). */
export function usePhoneProof(initialPhone = '', purpose?: 'link_wechat') {
  const { t } = useTranslation('customer');
  const [phone, setPhone] = useState(initialPhone);
  const [code, setCode] = useState('');
  const [wait, setWait] = useCountdown();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Runs a step, busy meanwhile; its refusal is said in the customer's words. */
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
      await cloud.sendCode(phone, purpose);
      setWait(60);
    });
  };
  /** The phone and the code as the rules want them, else the rule said. */
  const proved = (): boolean => {
    if (!MOBILE_NUMBER.test(phone)) return (setError(t('signIn.phoneRule')), false);
    if (!/^\d{6}$/.test(code)) return (setError(t('signIn.codeRule')), false);
    return true;
  };
  const fields = { phone, onPhone: setPhone, code, onCode: setCode, onSend: send, busy, wait };
  return { phone, code, setCode, busy, error, setError, attempt, proved, fields };
}
