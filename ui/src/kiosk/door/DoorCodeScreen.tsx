// After paying: the booking's door code and its QR, and when the door opens for it, and its
// receipt to print (打印小票). Shown while the kiosk holds the booking's pass; after that the
// customer has it in the SMS and on the receipt.
import { useQuery } from '@tanstack/react-query';
import { Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { hub } from '../../api/hub-client';
import { QrImage } from '../../components/QrImage';
import { clockTime } from '../../components/store-time';
import { useKiosk } from '../kiosk-context';
import { ReceiptPrinting } from '../receipt/ReceiptPrinting';

export function DoorCodeScreen() {
  const { t } = useTranslation('kiosk');
  const { id = '' } = useParams();
  const { store, passOf, now } = useKiosk();
  const navigate = useNavigate();
  const pass = passOf(id);
  const booking = useQuery({ queryKey: ['booking', id], queryFn: () => hub.booking(id, pass) });
  const code = useQuery({
    queryKey: ['door-code', id],
    queryFn: () => hub.doorCode(id, pass),
    enabled: pass !== null,
  });
  const back = (
    <Button size="large" onClick={() => navigate('/')}>
      {t('common:backToBoard')}
    </Button>
  );
  if (!pass || code.isError) {
    return (
      <Result status="info" title={t('done.heading')} subTitle={t('done.passGone')} extra={back} />
    );
  }
  if (!code.data) return <Spin size="large" />;
  const zone = store.timeZone;
  const roomId = booking.data?.room.id;
  return (
    <section className="done">
      <Result status="success" title={t('done.heading')} />
      <div className="door-code-panel">
        <div>
          <p className="lead">{t('done.code')}</p>
          <p className="door-code" data-testid="door-code">
            {code.data.entryCode}
          </p>
          {booking.data && (
            <p className="lead">
              {booking.data.room.name} · {clockTime(booking.data.start, zone)}–
              {clockTime(booking.data.end, zone)}
            </p>
          )}
          <p className="lead">
            {t('done.window', {
              from: clockTime(code.data.window.from, zone),
              until: clockTime(code.data.window.until, zone),
            })}
          </p>
          <p className="notice">{t('done.codeHint')}</p>
        </div>
        <QrImage text={code.data.qrPayload} size={240} alt={t('done.code')} />
      </div>
      <div className="actions">
        {back}
        <Button
          type="primary"
          size="large"
          onClick={() => navigate(roomId ? `/door?room=${roomId}` : '/door')}
        >
          {t('done.openDoor')}
        </Button>
        {booking.data && (
          <ReceiptPrinting booking={booking.data} code={code.data} store={store} now={now} />
        )}
      </div>
    </section>
  );
}
