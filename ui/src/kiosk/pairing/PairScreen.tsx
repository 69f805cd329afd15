// Pairing this kiosk once: the owner makes a kiosk pairing code (POST /api/screens/pairing-codes)
// and it is typed here on the keypad; the hub trades it for the screen token this page keeps.
import { useState } from 'react';
import { Alert, Button } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { hub } from '../../api/hub-client';
import { saveScreenToken } from '../../api/screen-token';
import { Keypad } from '../../components/Keypad';
import { refusalText } from '../../components/refusal';

export function PairScreen({ onPaired }: { onPaired: () => void }) {
  const { t } = useTranslation('kiosk');
  const [code, setCode] = useState('');
  const [notKiosk, setNotKiosk] = useState(false);
  const pair = useMutation({
    mutationFn: () => hub.pair(code),
    onSuccess: (p) => {
      if (p.screen.kind !== 'kiosk') {
        setNotKiosk(true);
        return;
      }
      saveScreenToken(p.token);
      onPaired();
    },
  });
  return (
    <div className="kiosk kiosk-narrow">
      <h1>{t('pair.heading')}</h1>
      <p className="lead">{t('pair.text')}</p>
      <Keypad value={code} maxLength={8} onChange={setCode} testId="pairing-keypad" />
      {pair.isError && <Alert type="error" showIcon title={refusalText(t, pair.error)} />}
      {notKiosk && <Alert type="error" showIcon title={t('pair.notKiosk')} />}
      <Button
        type="primary"
        size="large"
        block
        disabled={code.length !== 8}
        loading={pair.isPending}
        onClick={() => pair.mutate()}
      >
        {t('pair.submit')}
      </Button>
    </div>
  );
}
