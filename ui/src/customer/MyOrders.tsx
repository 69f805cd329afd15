// C9: my bookings in every store, newest first, each with its status, store, room and hours, a
// page at a time (更多订单 loads the next); and requests the store has not answered yet
// (门店离线，等待确认), which come with the first page.
import { useInfiniteQuery, useQueries } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Button, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { cloud } from '../api/cloud-client';
import { yuan } from '../components/yuan';
import { customerRefusal } from './refusal-text';
import { spanText, STATUS_TONE } from './order-words';

export function MyOrders() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  // Under ['orders', ...], so whatever refreshes the orders (a booking made, paid, cancelled)
  // refreshes these pages too.
  const orders = useInfiniteQuery({
    queryKey: ['orders', 'pages'],
    queryFn: ({ pageParam }) => cloud.orders(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  // A booking whose start moved between two pages' reads would come twice: kept once.
  const loaded = [
    ...new Map(
      (orders.data?.pages.flatMap((p) => p.orders) ?? []).map((o) => [
        `${o.storeId}:${o.bookingId}`,
        o,
      ]),
    ).values(),
  ];
  const storeIds = [...new Set(loaded.map((o) => o.storeId))];
  const stores = useQueries({
    queries: storeIds.map((id) => ({ queryKey: ['store', id], queryFn: () => cloud.store(id) })),
  });
  const storeOf = (id: string) => stores.find((s) => s.data?.store.storeId === id)?.data;
  const list = [...loaded].sort((a, b) => b.start.localeCompare(a.start));
  const waiting = (orders.data?.pages[0]?.intents ?? []).filter((i) => i.state === 'waiting');
  return (
    <section>
      <NavBar back={null}>{t('orders.title')}</NavBar>
      {orders.isError && (
        <p className="refusal pad-x" role="alert">
          {customerRefusal(t, orders.error)}
        </p>
      )}
      {waiting.map((i) => (
        <p key={i.intentId} className="waiting pad-x" role="status">
          {t('book.waiting')}
        </p>
      ))}
      {orders.data && list.length === 0 && <p className="hint pad-x">{t('orders.none')}</p>}
      <ul className="cards">
        {list.map((o) => {
          const page = storeOf(o.storeId);
          const zone = page?.store.timeZone ?? 'Asia/Shanghai';
          const room = page?.rooms.find((r) => r.roomId === o.roomId)?.name ?? '';
          return (
            <li key={`${o.storeId}:${o.bookingId}`} className="card">
              <button className="card-main" onClick={() => void navigate(`/orders/${o.bookingId}`)}>
                <span className="room-head">
                  <strong>{page?.store.name ?? ''}</strong>
                  <span className={`status ${STATUS_TONE[o.status]}`}>
                    {t(`status.${o.status}`)}
                  </span>
                </span>
                <span>{room}</span>
                <span className="muted">{spanText(o.start, o.end, zone)}</span>
                <span className="price">¥{yuan(o.totals.amount)}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {orders.hasNextPage && (
        <div className="pad-x">
          <Button
            block
            fill="outline"
            loading={orders.isFetchingNextPage}
            onClick={() => void orders.fetchNextPage()}
          >
            {t('orders.more')}
          </Button>
        </div>
      )}
    </section>
  );
}
