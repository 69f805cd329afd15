// One store's day through the cloud: each room with its bookings of the day and the session
// under way, and the day's orders, as the store's hub last published them.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Input, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OwnerBoard } from '@roomhub/shared-types';
import { remoteOwner } from '../../api/owner-remote-client';
import { yuan } from '../../components/yuan';
import { ownerRefusal } from '../refusal-text';
import { hm, stamp, todayDate } from './when';

type Booking = OwnerBoard['rooms'][number]['bookings'][number];

export function RemoteBoard({ storeId, storeName }: { storeId: string; storeName: string }) {
  const { t } = useTranslation('owner');
  const [date, setDate] = useState(todayDate);
  const board = useQuery({
    queryKey: ['remote', storeId, 'board', date],
    queryFn: () => remoteOwner.board(storeId, date),
  });
  const orders = useQuery({
    queryKey: ['remote', storeId, 'orders', date],
    queryFn: () => remoteOwner.orders(storeId, date),
  });
  const b = board.data;
  return (
    <Card
      title={storeName}
      data-testid={`board-${storeId}`}
      extra={
        <Input
          type="date"
          aria-label={t('remote.board.date')}
          value={date}
          onChange={(e) => e.target.value && setDate(e.target.value)}
        />
      }
      className="gap"
    >
      {board.isError && <p>{ownerRefusal(t, board.error)}</p>}
      {b && (
        <>
          <p className="muted">
            {b.syncedAt
              ? t('remote.board.syncedAt', { at: stamp(b.syncedAt) })
              : t('remote.board.neverSynced')}
          </p>
          <div className="owner-grid">
            {b.rooms.map((room) => (
              <Card key={room.roomId} size="small" title={room.name}>
                {room.session ? (
                  <Tag color="green">{t('remote.board.inUse')}</Tag>
                ) : (
                  <Tag>{t('remote.board.free')}</Tag>
                )}
                {room.bookings.length === 0 ? (
                  <p className="muted">{t('remote.board.noBookings')}</p>
                ) : (
                  <ul className="remote-bookings">
                    {room.bookings.map((x) => (
                      <li key={x.bookingId}>
                        {hm(x.start)}–{hm(x.end)} ·{' '}
                        {t(`stats.bookingStatus.${x.status}`, { defaultValue: x.status })}
                      </li>
                    ))}
                  </ul>
                )}
              </Card>
            ))}
          </div>
        </>
      )}
      <h4 className="gap">{t('remote.board.orders')}</h4>
      <Table<Booking>
        size="small"
        rowKey="bookingId"
        pagination={false}
        dataSource={orders.data?.orders ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        columns={[
          {
            key: 'time',
            title: t('remote.board.time'),
            render: (_: unknown, x) => `${hm(x.start)}–${hm(x.end)}`,
          },
          {
            key: 'room',
            title: t('stats.cols.room'),
            render: (_: unknown, x) =>
              b?.rooms.find((r) => r.roomId === x.roomId)?.name ?? x.roomId,
          },
          {
            key: 'status',
            title: t('stats.cols.status'),
            render: (_: unknown, x) =>
              t(`stats.bookingStatus.${x.status}`, { defaultValue: x.status }),
          },
          {
            key: 'amount',
            title: t('stats.cols.amount'),
            align: 'right',
            render: (_: unknown, x) => `¥${yuan(x.totals.amount)}`,
          },
        ]}
      />
    </Card>
  );
}
