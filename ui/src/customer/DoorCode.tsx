// C6: the booking's way in when the store's network is down: its entry code to type on the
// door's keypad and the QR its scanner reads, with the hours the door takes them. Shown only on
// the booker's own order (the cloud gives it to nobody else); drawn in the page, no network call.
import { useState } from 'react';
import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { OrderDetail } from '@roomhub/shared-types';
import { QrImage } from '../components/QrImage';
import { spanText } from './order-words';

export function DoorCode({ door, zone }: { door: NonNullable<OrderDetail['door']>; zone: string }) {
  const { t } = useTranslation('customer');
  const [qr, setQr] = useState(false);
  return (
    <div className="door-code card">
      <h3>{t('door.title')}</h3>
      <p className="hint">{t('door.lead')}</p>
      <p className="entry-code" aria-label={t('door.code')}>
        {door.entryCode.slice(0, 3)} {door.entryCode.slice(3)}
      </p>
      <p className="muted">{t('door.window', { span: spanText(door.from, door.until, zone) })}</p>
      {qr ? (
        <div className="qr-box">
          <QrImage text={door.qr} size={220} alt={t('door.qr')} />
        </div>
      ) : (
        <Button block className="tall" onClick={() => setQr(true)}>
          {t('door.showQr')}
        </Button>
      )}
    </div>
  );
}
