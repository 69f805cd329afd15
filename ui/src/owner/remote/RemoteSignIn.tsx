// The owner's sign-in on the cloud: the phone the store was registered with and the code texted
// to it (the cloud's own SMS sign-in); no staff PIN and no paired screen, the store is not here.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { remoteOwner, type RemoteSignIn as SignedIn } from '../../api/owner-remote-client';
import { ownerRefusal } from '../refusal-text';

export function RemoteSignIn({
  lang,
  onLang,
  onSignedIn,
}: {
  lang: 'zh-CN' | 'en-US';
  onLang: (l: 'zh-CN' | 'en-US') => void;
  onSignedIn: (s: SignedIn) => void;
}) {
  const { t } = useTranslation('owner');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [wait, setWait] = useState(0);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);
  const phoneOk = /^1\d{10}$/.test(phone);
  const sendCode = async () => {
    if (!phoneOk) return setError(t('remote.signIn.phoneRule'));
    setBusy(true);
    setError(null);
    try {
      await remoteOwner.sendCode(phone);
      setSent(true);
      setWait(60);
    } catch (e) {
      setError(ownerRefusal(t, e));
    } finally {
      setBusy(false);
    }
  };
  const submit = async () => {
    if (!phoneOk) return setError(t('remote.signIn.phoneRule'));
    if (!/^\d{6}$/.test(code)) return setError(t('remote.signIn.codeRule'));
    setBusy(true);
    setError(null);
    try {
      onSignedIn({ ...(await remoteOwner.signIn(phone, code)), phone });
    } catch (e) {
      setError(ownerRefusal(t, e));
      setCode('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="owner-sign-in">
      <Card title={t('remote.signIn.title')} className="owner-sign-in-card">
        <p className="muted">{t('remote.signIn.lead')}</p>
        <Input
          autoFocus
          inputMode="tel"
          autoComplete="tel"
          maxLength={11}
          size="large"
          placeholder={t('remote.signIn.phone')}
          aria-label={t('remote.signIn.phone')}
          value={phone}
          onChange={(e) => setPhone(e.target.value.replace(/\D/g, ''))}
        />
        <Space.Compact className="gap" style={{ width: '100%' }}>
          <Input
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            size="large"
            placeholder={t('remote.signIn.code')}
            aria-label={t('remote.signIn.code')}
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
            onPressEnter={() => void submit()}
          />
          <Button
            size="large"
            data-testid="send-code"
            disabled={wait > 0}
            loading={busy && !sent}
            onClick={() => void sendCode()}
          >
            {wait > 0 ? t('remote.signIn.resendIn', { s: wait }) : t('remote.signIn.sendCode')}
          </Button>
        </Space.Compact>
        {sent && <p className="muted gap">{t('remote.signIn.sent', { phone })}</p>}
        {error && <Alert className="gap" type="error" showIcon title={error} />}
        <Button
          className="gap"
          type="primary"
          size="large"
          block
          loading={busy && sent}
          onClick={() => void submit()}
        >
          {t('remote.signIn.submit')}
        </Button>
        <Button
          type="link"
          className="gap"
          onClick={() => onLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}
        >
          {lang === 'zh-CN' ? 'English' : '中文'}
        </Button>
      </Card>
    </div>
  );
}
