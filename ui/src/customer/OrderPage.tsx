// C6, C9: one of my bookings: status, store, room and hours, what was paid and given back; during
// the slot a button that asks the store to open the door; before the start, cancelling with the
// fee shown first (the store keeps that fee, and the refund is named before the customer confirms).
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { Button, Dialog, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { cloud, newRequestKey } from '../api/cloud-client';
import { yuan } from '../components/yuan';
import { customerRefusal } from './refusal-text';
import { spanText, STATUS_TONE } from './order-words';

export function OrderPage() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const queries = useQueryClient();
  const { bookingId = '' } = useParams();
  const order = useQuery({
    queryKey: ['order', bookingId],
    queryFn: () => cloud.order(bookingId),
    // The store's answers arrive by replication: look again while something may change.
    refetchInterval: 5000,
  });
  const booking = order.data?.booking;
  const page = useQuery({
    queryKey: ['store', booking?.storeId],
    queryFn: () => cloud.store(booking!.storeId),
    enabled: Boolean(booking),
  });
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ text: string; refusal: boolean } | null>(null);

  const zone = page.data?.store.timeZone ?? 'Asia/Shanghai';
  const room = page.data?.rooms.find((r) => r.roomId === booking?.roomId)?.name ?? '';
  const cancel = order.data?.ifNow.cancel ?? null;
  const now = Date.now();
  const inSlot =
    booking &&
    (booking.status === 'paid' || booking.status === 'in_use') &&
    now >= Date.parse(booking.start) - 15 * 60_000 &&
    now < Date.parse(booking.end);

  const refresh = () =>
    Promise.all([
      queries.invalidateQueries({ queryKey: ['order', bookingId] }),
      queries.invalidateQueries({ queryKey: ['orders'] }),
    ]);
  const openDoor = async () => {
    setBusy(true);
    setSaid(null);
    try {
      await cloud.openDoor(bookingId, newRequestKey());
      setSaid({ text: t('order.doorOpened'), refusal: false });
    } catch (e) {
      setSaid({ text: customerRefusal(t, e), refusal: true });
    } finally {
      setBusy(false);
    }
  };
  const askCancel = async () => {
    if (!cancel) return;
    const sure = await Dialog.confirm({
      title: t('order.cancelTitle'),
      content: t('order.cancelTerms', { fee: yuan(cancel.fee), refund: yuan(cancel.refund) }),
      confirmText: t('order.cancelConfirm'),
      cancelText: t('order.keep'),
    });
    if (!sure) return;
    setBusy(true);
    setSaid(null);
    try {
      const v = await cloud.cancel(bookingId, cancel.fee, newRequestKey());
      setSaid({
        text:
          v.state === 'waiting'
            ? t('book.waiting')
            : t('order.cancelled', { refund: yuan(v.refund ?? cancel.refund) }),
        refusal: false,
      });
      await refresh();
    } catch (e) {
      setSaid({ text: customerRefusal(t, e), refusal: true });
      await refresh();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <NavBar onBack={() => void navigate('/orders')}>
        {page.data?.store.name ?? t('order.title')}
      </NavBar>
      {order.isError && (
        <p className="refusal pad-x" role="alert">
          {customerRefusal(t, order.error)}
        </p>
      )}
      {booking && (
        <div className="pad">
          <div className="order-head">
            <span className={`status big ${STATUS_TONE[booking.status]}`}>
              {t(`status.${booking.status}`)}
            </span>
            {booking.status === 'paid' && <p className="muted">{t('order.confirmedByStore')}</p>}
          </div>
          <dl className="facts-list">
            <dt>{t('order.store')}</dt>
            <dd>{page.data?.store.name}</dd>
            <dt>{t('order.room')}</dt>
            <dd>{room}</dd>
            <dt>{t('order.when')}</dt>
            <dd>{spanText(booking.start, booking.end, zone)}</dd>
            <dt>{t('order.party')}</dt>
            <dd>{t('store.capacity', { count: booking.partySize })}</dd>
            <dt>{t('order.amount')}</dt>
            <dd>¥{yuan(booking.totals.amount)}</dd>
            <dt>{t('order.paid')}</dt>
            <dd>¥{yuan(booking.totals.paid)}</dd>
            {booking.totals.refunded > 0 && (
              <>
                <dt>{t('order.refunded')}</dt>
                <dd>¥{yuan(booking.totals.refunded)}</dd>
              </>
            )}
            {page.data?.store.address && (
              <>
                <dt>{t('order.address')}</dt>
                <dd>{page.data.store.address}</dd>
              </>
            )}
          </dl>
          {(booking.status === 'paid' || booking.status === 'in_use') && (
            <div className="door">
              <p className="hint">{inSlot ? t('order.doorNow') : t('order.doorLater')}</p>
              <Button
                block
                color="primary"
                size="large"
                className="tall"
                disabled={!inSlot || busy}
                onClick={() => void openDoor()}
              >
                {t('order.openDoor')}
              </Button>
            </div>
          )}
          {said && (
            <p
              className={said.refusal ? 'refusal' : 'waiting'}
              role={said.refusal ? 'alert' : 'status'}
            >
              {said.text}
            </p>
          )}
          {cancel && (
            <Button
              block
              size="large"
              className="tall"
              disabled={busy}
              onClick={() => void askCancel()}
            >
              {t('order.cancel', { fee: yuan(cancel.fee) })}
            </Button>
          )}
        </div>
      )}
    </section>
  );
}
