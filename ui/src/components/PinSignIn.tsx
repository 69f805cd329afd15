// A staff member signs in with their PIN on a screen of the store (the counter, the owner's
// dashboard on the hub); the hub answers a token for this tab and who they are. Too many wrong
// PINs make the hub ask for a wait, said in plain words. A computer on the store's network that
// the hub does not know yet is paired first with a manager's code. Each screen gives its words
// (its i18n namespace, `signIn.*`) and how it says a refusal.
import { useState } from 'react';
import { Alert, Button, Card, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { SignedIn } from '@roomhub/shared-types';
import { HubRefusal } from '../api/hub-client';
import { counter } from '../api/counter-client';
import { keepCounterScreenToken } from '../api/counter-screen';

export interface PinSignInProps {
  lang: 'zh-CN' | 'en-US';
  onLang: (l: 'zh-CN' | 'en-US') => void;
  onSignedIn: (s: SignedIn) => void;
}

export function PinSignIn({
  lang,
  onLang,
  onSignedIn,
  ns,
  refusal,
  className,
  cardClassName,
}: PinSignInProps & {
  ns: 'cashier' | 'owner';
  refusal: (t: TFunction, e: unknown) => string;
  className: string;
  cardClassName: string;
}) {
  const { t } = useTranslation(ns);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The hub serves the store's network only to paired screens: this computer needs pairing.
  const [unpaired, setUnpaired] = useState(false);
  const [code, setCode] = useState('');
  const pair = async () => {
    if (!/^\d{8}$/.test(code)) return setError(t('signIn.pairRule'));
    setBusy(true);
    setError(null);
    try {
      keepCounterScreenToken((await counter.pair(code)).token);
      setUnpaired(false);
      setCode('');
    } catch (e) {
      setError(refusal(t, e));
    } finally {
      setBusy(false);
    }
  };
  const submit = async () => {
    if (!/^\d{6,12}$/.test(pin)) return setError(t('signIn.pinRule'));
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await counter.signIn(pin));
    } catch (e) {
      if (
        e instanceof HubRefusal &&
        (e.code === 'screen_or_staff_only' || e.code === 'screen_not_paired')
      ) {
        setUnpaired(true);
      }
      setError(refusal(t, e));
      setPin('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={className}>
      <Card title={t('signIn.title')} className={cardClassName}>
        <p className="muted">{t('signIn.lead')}</p>
        <Input.Password
          autoFocus
          inputMode="numeric"
          autoComplete="off"
          maxLength={12}
          size="large"
          placeholder={t('signIn.pin')}
          aria-label={t('signIn.pin')}
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          onPressEnter={() => void submit()}
        />
        {error && <Alert className="gap" type="error" showIcon title={error} />}
        <Button
          className="gap"
          type="primary"
          size="large"
          block
          loading={busy}
          onClick={() => void submit()}
        >
          {t('signIn.submit')}
        </Button>
        {unpaired && (
          <div className="gap" data-testid="pair-counter">
            <p className="muted">{t('signIn.pairLead')}</p>
            <Input
              inputMode="numeric"
              autoComplete="off"
              maxLength={8}
              size="large"
              placeholder={t('signIn.pairCode')}
              aria-label={t('signIn.pairCode')}
              value={code}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
              onPressEnter={() => void pair()}
            />
            <Button className="gap" block loading={busy} onClick={() => void pair()}>
              {t('signIn.pair')}
            </Button>
          </div>
        )}
        <Button type="link" onClick={() => onLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}>
          {lang === 'zh-CN' ? 'English' : '中文'}
        </Button>
      </Card>
    </div>
  );
}
