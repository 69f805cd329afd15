// The rooms (O2): every room with its number, capacity, style, facilities, photos and video; the
// owner adds one (with its hourly rates, edited further on the prices page), edits one, or retires
// one.
// A room with bookings to come cannot retire: the hub says so and the page repeats it in words.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Popconfirm, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Room } from '@roomhub/shared-types';
import { ownerPages } from '../../api/owner-client';
import { yuan } from '../../components/yuan';
import { ownerRefusal } from '../refusal-text';
import { MaintenanceCard } from './MaintenanceCard';
import { RoomModal } from './RoomModal';
import { roomColumns } from './room-columns';

export function RoomsPage() {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const rooms = useQuery({ queryKey: ['owner-rooms'], queryFn: ownerPages.rooms });
  const [editing, setEditing] = useState<Room | 'new' | null>(null);
  // A refused retirement stays on the page until read: it says what to do first.
  const [refusal, setRefusal] = useState<string | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ['owner-rooms'] });
  const patch = useMutation({
    mutationFn: (v: { room: Room; status: 'active' | 'retired' }) =>
      ownerPages.patchRoom(v.room.id, { status: v.status }),
    onSuccess: (r) => {
      setRefusal(null);
      void message.success(
        t(r.status === 'retired' ? 'rooms.retired' : 'rooms.restored', { name: r.name }),
      );
      void refresh();
    },
    onError: (e, v) => setRefusal(`${v.room.name}：${ownerRefusal(t, e)}`),
  });
  return (
    <>
      <Card
        title={t('rooms.title')}
        extra={
          <Button type="primary" onClick={() => setEditing('new')}>
            {t('rooms.add')}
          </Button>
        }
      >
        {refusal && (
          <Alert
            type="error"
            showIcon
            closable
            className="owner-toolbar"
            data-testid="rooms-refusal"
            title={refusal}
            onClose={() => setRefusal(null)}
          />
        )}
        {rooms.isError && <Alert type="error" showIcon title={ownerRefusal(t, rooms.error)} />}
        <Table<Room>
          rowKey="id"
          loading={rooms.isFetching}
          dataSource={rooms.data ?? []}
          pagination={false}
          locale={{ emptyText: <Empty description={t('rooms.empty')} /> }}
          columns={[
            { key: 'number', dataIndex: 'number', title: t('rooms.number'), width: 80 },
            ...roomColumns<Room>(t, [
              {
                key: 'rate',
                title: t('rooms.rate'),
                render: (_, r) => `¥${yuan(r.pricePlan.rates.workday)}`,
              },
            ]),
            {
              key: 'actions',
              title: t('rooms.actions'),
              render: (_, r) => (
                <Space>
                  <Button size="small" onClick={() => setEditing(r)}>
                    {t('rooms.edit')}
                  </Button>
                  {r.status === 'active' ? (
                    <Popconfirm
                      title={t('rooms.retireConfirm', { name: r.name })}
                      okText={t('rooms.retire')}
                      cancelText={t('common.cancel')}
                      onConfirm={() => patch.mutate({ room: r, status: 'retired' })}
                    >
                      <Button size="small" danger>
                        {t('rooms.retire')}
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Button
                      size="small"
                      onClick={() => patch.mutate({ room: r, status: 'active' })}
                    >
                      {t('rooms.restore')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
        {editing && (
          <RoomModal
            room={editing === 'new' ? null : editing}
            onClose={() => setEditing(null)}
            onSaved={() => void refresh()}
          />
        )}
      </Card>
      <MaintenanceCard rooms={rooms.data ?? []} />
    </>
  );
}
