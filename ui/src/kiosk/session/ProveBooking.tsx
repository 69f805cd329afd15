// "My booking": a customer shows the kiosk a booking they already have, by the door code's QR
// held to the scanner, or the booking number (on the SMS and the receipt) and its six-digit door
// code typed here; the hub checks it and gives the kiosk a pass to act on that booking (time
// left, extending, the door) until the screen goes idle.
import { useEffect, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { hub } from '../../api/hub-client';
import { Keypad } from '../../components/Keypad';
import { refusalText } from '../../components/refusal';
import { useKiosk } from '../kiosk-context';

export function ProveBooking() {
  const { t } = useTranslation('kiosk');
  const { keepPass, scan, takeScan } = useKiosk();
  const navigate = useNavigate();
  const [field, setField] = useState<'number' | 'code'>('number');
  const [number, setNumber] = useState('');
  const [code, setCode] = useState('');
  // The day's booking numbers are twelve digits: the code comes next by itself.
  const typeNumber = (v: string) => {
    setNumber(v);
    if (v.length === 12) setField('code');
  };
  const prove = useMutation({
    mutationFn: hub.prove,
    onSuccess: (p) => {
      keepPass(p.booking.id, p.pass);
      navigate(`/session/${p.booking.id}`, { replace: true });
    },
    onError: () => setCode(''),
  });
  // The door code's QR held to the kiosk's scanner proves the booking with no typing.
  useEffect(() => {
    if (!scan) return;
    takeScan();
    if (!prove.isPending) prove.mutate({ qr: scan.text });
  }, [scan, takeScan, prove]);
  return (
    <section className="door prove">
      <h1>{t('mine.heading')}</h1>
      <p className="lead">{t('mine.text')}</p>
      <div className="choices prove-fields">
        {(['number', 'code'] as const).map((f) => (
          <button
            key={f}
            type="button"
            className={`choice${field === f ? ' on' : ''}`}
            aria-pressed={field === f}
            data-testid={`prove-${f}`}
            onClick={() => setField(f)}
          >
            <small>{t(`mine.${f}`)}</small> {f === 'number' ? number : code}
          </button>
        ))}
      </div>
      <Keypad
        value={field === 'number' ? number : code}
        maxLength={field === 'number' ? 16 : 6}
        onChange={field === 'number' ? typeNumber : setCode}
        placeholder={field === 'number' ? t('mine.numberHint') : t('door.code')}
        testId="prove-keypad"
      />
      {prove.isError && <Alert type="error" showIcon title={refusalText(t, prove.error)} />}
      <div className="actions">
        <Button size="large" onClick={() => navigate('/')}>
          {t('common:back')}
        </Button>
        <Button
          type="primary"
          size="large"
          disabled={number.length < 8 || code.length !== 6 || prove.isPending}
          data-testid="prove-submit"
          onClick={() => prove.mutate({ number, code })}
        >
          {t('mine.submit')}
        </Button>
      </div>
    </section>
  );
}
