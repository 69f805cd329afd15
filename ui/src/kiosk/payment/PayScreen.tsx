// Paying a booking made at the kiosk, or the extension of the booking in front of it: online by a
// QR the customer scans (the screen follows the booking to paid through the hub's events), by a
// payment code or a voucher shown to the kiosk's scanner, from the member wallet by the member
// code (会员码) shown to it, or at the counter, where a cashier takes cash while the room stays
// held. Only the ways the owner has not switched off are offered (a payment code here, cash or a
// payment code at the counter), read again when the owner switches one. Once nothing is due the
// door code follows (or, for an extension, the booking's own screen again); after a wallet
// payment, once the member has seen what their wallet holds.
import { useCallback, useEffect, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { isMemberCodeText, type MemberCodePaidView, type PaymentView } from '@roomhub/shared-types';
import { hub } from '../../api/hub-client';
import { QrImage } from '../../components/QrImage';
import { refusalText } from '../../components/refusal';
import { clockTime } from '../../components/store-time';
import { yuan } from '../../components/yuan';
import { useKiosk } from '../kiosk-context';
import { MemberPay } from './MemberPay';
import { ScanToPay } from './ScanToPay';

const QR_METHODS = ['wechat', 'alipay', 'unionpay'] as const;
type QrMethod = (typeof QR_METHODS)[number];

export function PayScreen() {
  const { t } = useTranslation('kiosk');
  const { id = '' } = useParams();
  const { store, passOf, scan } = useKiosk();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const extension = params.get('for') === 'extension';
  const pass = passOf(id);
  const [way, setWay] = useState<'choose' | 'qr' | 'counter' | 'scan' | 'member'>('choose');
  const [memberPaid, setMemberPaid] = useState<MemberCodePaidView | null>(null);
  const booking = useQuery({
    queryKey: ['booking', id],
    queryFn: () => hub.booking(id, pass),
    // The hub's event for the money (an extension's too) reads the booking again; while a QR is
    // up, a slow read as well, in case the event stream dropped just then.
    refetchInterval: way === 'qr' ? 30_000 : false,
  });
  const methods = useQuery({ queryKey: ['payment-methods'], queryFn: hub.paymentMethods });
  const pay = useMutation({
    mutationFn: (method: QrMethod) => hub.pay(id, method, pass),
    onSuccess: () => setWay('qr'),
  });
  const cancel = useMutation({
    mutationFn: () => hub.cancel(id, pass),
    onSuccess: () => navigate('/'),
  });

  const paid =
    booking.data && ['paid', 'in_use'].includes(booking.data.status) && booking.data.due <= 0;
  const goOn = useCallback(
    () => navigate(extension ? `/session/${id}` : `/done/${id}`, { replace: true }),
    [navigate, extension, id],
  );
  useEffect(() => {
    // Paid from the wallet, the member first sees what it holds now (MemberPay goes on).
    if (paid && !memberPaid) goOn();
  }, [paid, memberPaid, goOn]);
  // Something held to the scanner while another way is on screen: it is read as paying, a member
  // code from the wallet.
  useEffect(() => {
    if (!scan || memberPaid) return;
    const wanted = isMemberCodeText(scan.text) ? 'member' : 'scan';
    if (way !== wanted) setWay(wanted);
  }, [scan, way, memberPaid]);

  if (booking.isError) {
    return (
      <Result
        status="warning"
        title={refusalText(t, booking.error)}
        extra={
          <Button size="large" onClick={() => navigate('/')}>
            {t('common:backToBoard')}
          </Button>
        }
      />
    );
  }
  if (!booking.data) return <Spin size="large" />;
  const b = booking.data;
  if (b.status === 'cancelled') {
    // The hold ran out before the money came: the room is free for anyone again.
    return (
      <Result
        status="warning"
        title={t('pay.holdEnded')}
        extra={
          <Button size="large" type="primary" onClick={() => navigate('/')}>
            {t('common:backToBoard')}
          </Button>
        }
      />
    );
  }
  const zone = store.timeZone;
  const offered = QR_METHODS.filter((m) => methods.data?.methods.includes(m));
  const codes = methods.data?.methods.includes('payment_code') ?? false;
  // Sent to the counter only while a cashier there can take the money (cash or a payment code).
  const counterTakes =
    methods.data?.counter.some((c) => c === 'cash' || c === 'payment_code') ?? false;

  return (
    <section className="pay">
      <h1>{extension ? t('pay.extensionHeading') : t('pay.heading')}</h1>
      <div className="pay-grid">
        <div className="pay-summary">
          <p className="booking-number">{t('pay.number', { number: b.number })}</p>
          <p>
            {t('pay.when', {
              room: b.room.name,
              start: clockTime(b.start, zone),
              end: clockTime(b.end, zone),
            })}
          </p>
          <p className="due">
            {t('pay.due')} <strong data-testid="due">¥{yuan(b.due)}</strong>
          </p>
          {b.holdExpiresAt && (
            <p className="lead">{t('pay.heldUntil', { time: clockTime(b.holdExpiresAt, zone) })}</p>
          )}
          {cancel.isError && <Alert type="error" showIcon title={refusalText(t, cancel.error)} />}
          {memberPaid ? null : extension ? (
            // Unpaid, the added time goes back by itself when its hold ends.
            <Button size="large" className="give-up" onClick={() => navigate(`/session/${id}`)}>
              {t('pay.notNow')}
            </Button>
          ) : (
            <Button
              size="large"
              className="give-up"
              loading={cancel.isPending}
              onClick={() => cancel.mutate()}
            >
              {t('pay.giveUp')}
            </Button>
          )}
        </div>

        <div>
          {pay.isError && <Alert type="error" showIcon title={refusalText(t, pay.error)} />}

          {way === 'choose' && (
            <div className="pay-ways">
              {offered.map((m) => (
                <Button
                  key={m}
                  size="large"
                  type="primary"
                  className={`pay-${m}`}
                  loading={pay.isPending && pay.variables === m}
                  onClick={() => pay.mutate(m)}
                >
                  {t(`pay.${m}`)}
                </Button>
              ))}
              <Button size="large" className="pay-member" onClick={() => setWay('member')}>
                {t('pay.memberWay')}
              </Button>
              <Button size="large" className="pay-scan" onClick={() => setWay('scan')}>
                {codes ? t('pay.scanWay') : t('pay.voucherWay')}
              </Button>
              {counterTakes && (
                <Button size="large" className="pay-counter" onClick={() => setWay('counter')}>
                  {t('pay.counter')}
                </Button>
              )}
            </div>
          )}

          {way === 'qr' && pay.data && (
            <QrPanel payment={pay.data} onBack={() => setWay('choose')} />
          )}

          {way === 'scan' && (
            <ScanToPay bookingId={id} pass={pass} codes={codes} onBack={() => setWay('choose')} />
          )}

          {way === 'member' && (
            <MemberPay
              bookingId={id}
              pass={pass}
              onPaid={setMemberPaid}
              onDone={goOn}
              onBack={() => setWay('choose')}
            />
          )}

          {way === 'counter' && (
            <div className="counter-panel" data-testid="pay-at-counter">
              <h2>{t('pay.counterHeading')}</h2>
              <p className="booking-number big">{b.number}</p>
              <p className="lead">{t('pay.counterText', { number: b.number })}</p>
              <Button size="large" onClick={() => setWay('choose')}>
                {t('pay.otherWay')}
              </Button>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}

function QrPanel({ payment, onBack }: { payment: PaymentView; onBack: () => void }) {
  const { t } = useTranslation('kiosk');
  const text = payment.qrPayload ?? payment.payUrl ?? '';
  const method = t(`pay.app.${payment.method}`);
  return (
    <div className="qr-panel" data-testid="pay-qr" data-payment-id={payment.id}>
      <h2>{t('pay.scan', { method })}</h2>
      <QrImage text={text} alt={t('pay.scan', { method })} />
      <p className="lead">{t('pay.waiting')}</p>
      <Button size="large" onClick={onBack}>
        {t('pay.otherWay')}
      </Button>
    </div>
  );
}
