// C8 on a booking's page: the tea and snacks I ordered to its room from the phone, each with the
// store's status (received, made, delivered; or refused with the money given back) and what the
// store has given back of it since, looked at again while any is still on its way; and, while the
// booking is paid or in use, the way to order.
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { MyTeaOrder } from '@roomhub/shared-types';
import { cloud } from '../api/cloud-client';
import { yuan } from '../components/yuan';

/** What the customer reads for where their order is. */
function teaStatus(o: MyTeaOrder): { word: string; tone: string } {
  if (o.state === 'waiting') return { word: 'tea.status.waiting', tone: 'wait' };
  if (o.state !== 'confirmed') return { word: 'tea.status.refused', tone: 'off' };
  const s = o.order?.status ?? 'placed';
  if (s === 'placed') return { word: 'tea.status.placed', tone: 'wait' };
  if (s === 'prepared') return { word: 'tea.status.prepared', tone: 'wait' };
  if (s === 'delivered') return { word: 'tea.status.delivered', tone: 'good' };
  return { word: `tea.status.${s}`, tone: 'off' };
}

const onItsWay = (o: MyTeaOrder) =>
  o.state === 'waiting' || (o.state === 'confirmed' && o.order?.status !== 'delivered');

export function TeaOrders({
  bookingId,
  storeId,
  canOrder,
}: {
  bookingId: string;
  storeId: string;
  canOrder: boolean;
}) {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const mine = useQuery({
    queryKey: ['tea-orders', bookingId],
    queryFn: () => cloud.teaOrders(bookingId),
    // The store's steps arrive by replication: look again while one is on its way.
    refetchInterval: (q) => (q.state.data?.orders.some(onItsWay) ? 4000 : false),
  });
  const orders = mine.data?.orders ?? [];
  if (!canOrder && orders.length === 0) return null;
  return (
    <div className="order-more tea-orders">
      <h3>{t('tea.mine')}</h3>
      {orders.length > 0 && (
        <ul className="cards">
          {orders.map((o) => {
            const s = teaStatus(o);
            return (
              <li key={o.intentId} className="card">
                <div className="room-head">
                  <strong>
                    {o.order ? t('tea.number', { number: o.order.number }) : t('tea.title')}
                  </strong>
                  <span className={`status ${s.tone}`}>{t(s.word)}</span>
                </div>
                {o.order && (
                  <p className="muted">
                    {o.order.lines
                      .map((l) => `${l.name}${l.specs ? `（${l.specs}）` : ''} × ${l.quantity}`)
                      .join('，')}
                  </p>
                )}
                <p className="muted">
                  ¥{yuan(o.amount)}
                  {o.payment === 'released' && ` · ${t('tea.moneyBack')}`}
                  {(o.order?.totals.refunded ?? 0) > 0 &&
                    ` · ${t('tea.refundedAmount', { amount: yuan(o.order!.totals.refunded) })}`}
                </p>
              </li>
            );
          })}
        </ul>
      )}
      {canOrder && (
        <Button
          block
          className="tall"
          onClick={() => void navigate(`/stores/${storeId}/tea?booking=${bookingId}`)}
        >
          {t('tea.order')}
        </Button>
      )}
    </div>
  );
}
