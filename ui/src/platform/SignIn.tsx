// Platform staff sign in: the phone and the code texted to it, then the authenticator app's code;
// at the first sign-in the app is enrolled by scanning the QR code shown (or typing its key).
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PlatformSignInStep } from '@roomhub/shared-types';
import { QrImage } from '../components/QrImage';
import { platform, PlatformRefusal } from './platform-client';

export function SignIn({
  lang,
  onLang,
  onSignedIn,
}: {
  lang: 'zh-CN' | 'en-US';
  onLang: (l: 'zh-CN' | 'en-US') => void;
  onSignedIn: (token: string) => void;
}) {
  const { t } = useTranslation('platform');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [totp, setTotp] = useState('');
  const [step, setStep] = useState<PlatformSignInStep | null>(null);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(e instanceof PlatformRefusal ? e.message : t('signIn.failed'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5' }}
    >
      <Card
        style={{ width: 420 }}
        title={t('signIn.title')}
        extra={
          <Button type="link" onClick={() => onLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}>
            {lang === 'zh-CN' ? 'English' : '中文'}
          </Button>
        }
      >
        {error && (
          <Alert
            type="error"
            showIcon
            message={error}
            style={{ marginBottom: 16 }}
            data-testid="sign-in-error"
          />
        )}
        {!step ? (
          <Form
            layout="vertical"
            onFinish={() => void run(async () => setStep(await platform.signIn(phone, code)))}
          >
            <Form.Item label={t('signIn.phone')}>
              <Space.Compact style={{ width: '100%' }}>
                <Input
                  value={phone}
                  onChange={(e) => setPhone(e.target.value)}
                  inputMode="numeric"
                  data-testid="phone"
                />
                <Button
                  disabled={!/^1\d{10}$/.test(phone) || busy}
                  onClick={() =>
                    void run(async () => {
                      await platform.sendCode(phone);
                      setSent(true);
                    })
                  }
                  data-testid="send-code"
                >
                  {sent ? t('signIn.resend') : t('signIn.sendCode')}
                </Button>
              </Space.Compact>
            </Form.Item>
            <Form.Item label={t('signIn.code')}>
              <Input
                value={code}
                onChange={(e) => setCode(e.target.value)}
                inputMode="numeric"
                maxLength={6}
                data-testid="code"
              />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              block
              loading={busy}
              disabled={code.length !== 6}
              data-testid="next"
            >
              {t('signIn.next')}
            </Button>
          </Form>
        ) : (
          <Form
            layout="vertical"
            onFinish={() =>
              void run(async () => onSignedIn((await platform.confirm(step.ticket, totp)).token))
            }
          >
            {step.step === 'enrol' && (
              <div style={{ textAlign: 'center', marginBottom: 16 }}>
                <Typography.Paragraph>{t('signIn.enrol')}</Typography.Paragraph>
                <QrImage text={step.otpauthUri} size={200} alt={t('signIn.qrAlt')} />
                <Typography.Paragraph
                  copyable={{ text: step.secret }}
                  type="secondary"
                  data-testid="totp-secret"
                >
                  {t('signIn.key', { key: step.secret })}
                </Typography.Paragraph>
              </div>
            )}
            <Form.Item label={t('signIn.totp')}>
              <Input
                value={totp}
                onChange={(e) => setTotp(e.target.value)}
                inputMode="numeric"
                maxLength={6}
                data-testid="totp"
              />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              block
              loading={busy}
              disabled={totp.length !== 6}
              data-testid="sign-in"
            >
              {t('signIn.submit')}
            </Button>
          </Form>
        )}
      </Card>
    </div>
  );
}
