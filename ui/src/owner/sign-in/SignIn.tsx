// The owner or a manager signs in with their staff PIN (the same sign-in as the counter's, kept
// for this tab). A computer of the store's network that the hub does not know yet is paired first
// with a manager's code, as the counter's is.
import { useState } from 'react';
import { Alert, Button, Card, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SignedIn } from '@roomhub/shared-types';
import { HubRefusal } from '../../api/hub-client';
import { counter } from '../../api/counter-client';
import { keepCounterScreenToken } from '../../api/counter-screen';
import { ownerRefusal } from '../refusal-text';

export function SignIn({
  lang,
  onLang,
  onSignedIn,
}: {
  lang: 'zh-CN' | 'en-US';
  onLang: (l: 'zh-CN' | 'en-US') => void;
  onSignedIn: (s: SignedIn) => void;
}) {
  const { t } = useTranslation('owner');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
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
      setError(ownerRefusal(t, e));
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
      setError(ownerRefusal(t, e));
      setPin('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="owner-sign-in">
      <Card title={t('signIn.title')} className="owner-sign-in-card">
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
          <div className="gap">
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
