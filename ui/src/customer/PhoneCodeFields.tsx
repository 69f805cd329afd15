// A phone and the code texted to it, with the button that sends the code and counts down the
// minute before it may be sent again: signing in, linking a phone to a WeChat sign-in, appealing.
import { useEffect, useState } from 'react';
import { Button, Input } from 'antd-mobile';
import { useTranslation } from 'react-i18next';

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
