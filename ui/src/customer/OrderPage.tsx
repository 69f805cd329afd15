// C6, C7, C9, C10: one of my bookings: status, store, room and hours, what was paid and given back
// line by line, and its history. During the slot (from the store's early-entry grace) a button
// asks the store to open the door, and the booking's own code and QR open it with no network;
// near the end it says how long is left (15 and 5 minutes) and extends in one tap, the added time
// quoted and paid first. Before the start it moves to another time (改期) or cancels with the fee
// shown first; after it, a refund is asked for and its progress shown; once done, it is
// reviewed here, once.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { Button, Dialog, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { OrderDetail } from '@roomhub/shared-types';
import { cloud, newRequestKey } from '../api/cloud-client';
import { clockTime } from '../components/store-time';
import { useNow } from '../components/use-now';
import { yuan } from '../components/yuan';
import { customerRefusal } from './refusal-text';
import { spanText, STATUS_TONE } from './order-words';
import { DoorCode } from './DoorCode';
import { TableOfOrder } from './TablesLinks';
import { ExtendBooking } from './ExtendBooking';
import { ChangeBooking } from './ChangeBooking';
import { OrderHistory } from './OrderHistory';
import { ReviewForm } from './ReviewForm';
import { SubscribePrompt } from './SubscribePrompt';
import { TeaOrders } from './TeaOrders';
import { InvoiceRequest } from './InvoiceRequest';
import './after-booking.css';

const MINUTE = 60_000;
/** The phone reminds at these minutes before the end (the store's room reminds too). */
const REMIND_AT = [15, 5];

const nowMs = () => Date.now();

export function OrderPage() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const queries = useQueryClient();
  const { bookingId = '' } = useParams();
  // Just paid: ask for the reminders now (WeChat's rule: one message per authorisation).
  const justPaid = useSearchParams()[0].get('paid') === '1';
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
  const now = useNow(nowMs, 15_000);

  const zone = page.data?.store.timeZone ?? 'Asia/Shanghai';
  const room = page.data?.rooms.find((r) => r.roomId === booking?.roomId)?.name ?? '';
  const cancel = order.data?.ifNow.cancel ?? null;
  const early = page.data?.store.rules.earlyEntryMinutes ?? 10;
  const live = booking && (booking.status === 'paid' || booking.status === 'in_use');
  const doorFrom = booking ? Date.parse(booking.start) - early * MINUTE : 0;
  const inSlot = Boolean(live && now >= doorFrom && now < Date.parse(booking!.end));
  const minutesLeft = booking ? Math.ceil((Date.parse(booking.end) - now) / MINUTE) : 0;
  const started = booking ? now >= Date.parse(booking.start) : false;
  const reminder =
    live && started && minutesLeft > 0 && minutesLeft <= REMIND_AT[0]!
      ? minutesLeft <= REMIND_AT[1]!
        ? 'urgent'
        : 'soon'
      : null;

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
  const askRefund = async () => {
    const sure = await Dialog.confirm({
      title: t('refund.title'),
      content: t('refund.terms'),
      confirmText: t('refund.confirm'),
      cancelText: t('order.keep'),
    });
    if (!sure) return;
    setBusy(true);
    setSaid(null);
    try {
      const v = await cloud.askRefund(bookingId, t('refund.reason'), newRequestKey());
      setSaid({
        text: v.state === 'waiting' ? t('book.waiting') : t('refund.asked'),
        refusal: false,
      });
      await refresh();
    } catch (e) {
      setSaid({ text: customerRefusal(t, e), refusal: true });
    } finally {
      setBusy(false);
    }
  };

  const refundable =
    booking &&
    !cancel &&
    booking.intentId !== undefined &&
    (booking.status === 'paid' || booking.status === 'in_use' || booking.status === 'completed') &&
    booking.totals.paid - booking.totals.refunded > 0 &&
    !refundAsked(order.data);
  const reviewed = order.data?.intents.some(
    (i) => i.kind === 'review' && i.state !== 'rejected' && i.state !== 'expired',
  );

  return (
    <section>
      <NavBar onBack={() => void navigate('/orders')}>
        {page.data?.store.name ?? t('order.title')}
      </NavBar>
      {order.isLoading && <p className="hint pad-x">{t('loading')}</p>}
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
            {booking.status === 'refunding' && <p className="waiting">{t('refund.underReview')}</p>}
          </div>
          {justPaid && booking.status === 'paid' && (
            <SubscribePrompt bookingId={booking.bookingId} />
          )}
          {reminder && (
            <p className={`reminder ${reminder}`} role="status">
              {t('order.minutesLeft', { count: minutesLeft, end: clockTime(booking.end, zone) })}
            </p>
          )}
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
          {live && (
            <div className="door">
              <p className="hint">
                {inSlot
                  ? t('order.doorNow')
                  : t('order.doorFrom', { minutes: early, time: clockTime(doorFrom, zone) })}
              </p>
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
          {live && order.data?.door && <DoorCode door={order.data.door} zone={zone} />}
          <TableOfOrder bookingId={booking.bookingId} />
          {live && booking.intentId && now < Date.parse(booking.end) && (
            <ExtendBooking
              bookingId={booking.bookingId}
              end={booking.end}
              zone={zone}
              stepMinutes={page.data?.store.rules.stepMinutes ?? 30}
              onExtended={refresh}
            />
          )}
          {booking.status === 'paid' &&
            booking.intentId &&
            now < Date.parse(booking.start) &&
            page.data?.store.rules.change.allowed !== false && (
              <ChangeBooking
                bookingId={booking.bookingId}
                storeId={booking.storeId}
                roomId={booking.roomId}
                start={booking.start}
                end={booking.end}
                zone={zone}
                rules={page.data?.store.rules}
                onChanged={refresh}
              />
            )}
          {booking.intentId && (
            <TeaOrders
              bookingId={booking.bookingId}
              storeId={booking.storeId}
              canOrder={Boolean(live && now < Date.parse(booking.end))}
            />
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
          {refundable && (
            <Button
              block
              size="large"
              className="tall"
              disabled={busy}
              onClick={() => void askRefund()}
            >
              {t('refund.ask')}
            </Button>
          )}
          {booking.status === 'completed' && booking.intentId && (
            <ReviewForm bookingId={booking.bookingId} done={Boolean(reviewed)} onDone={refresh} />
          )}
          {booking.intentId &&
            (booking.status === 'paid' ||
              booking.status === 'in_use' ||
              booking.status === 'completed') && <InvoiceRequest bookingId={booking.bookingId} />}
          <Button
            block
            className="tall"
            onClick={() =>
              void navigate(`/chats/new/${booking.storeId}?booking=${booking.bookingId}`)
            }
          >
            {t('talk:chat.start')}
          </Button>
          {order.data && <OrderHistory order={order.data} zone={zone} />}
        </div>
      )}
    </section>
  );
}

/** A refund asked already, answered or still under the store's review. */
function refundAsked(o: OrderDetail | undefined): boolean {
  return Boolean(
    o?.intents.some(
      (i) => i.kind === 'refund_request' && (i.state === 'waiting' || i.underReview === true),
    ),
  );
}
