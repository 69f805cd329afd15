// One store's rooms seen from afar as customers see them: photos, video, style, capacity, area and
// facilities, whether each takes bookings. The owner edits a room's details with the store's own
// form, or stops or resumes its bookings; each is an owner intent the store's hub answers (a room
// with bookings to come is not stopped, in the store's words). Rooms are added, and numbered, at
// the store.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Popconfirm, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OwnerStoreProfile } from '@roomhub/shared-types';
import { profileKey, remoteOwner } from '../../api/owner-remote-client';
import { RoomModal } from '../rooms/RoomModal';
import { roomColumns } from '../rooms/room-columns';
import { ownerRefusal } from '../refusal-text';
import { useRemoteChange } from './use-remote-change';

type PublishedRoom = OwnerStoreProfile['rooms'][number];

export function RemoteRooms({ storeId, storeName }: { storeId: string; storeName: string }) {
  const { t } = useTranslation('owner');
  const read = useQuery({
    queryKey: [...profileKey(storeId), 'room-details'],
    queryFn: async () =>
      [...(await remoteOwner.profile(storeId)).rooms].sort((a, b) => a.sort - b.sort),
    refetchInterval: 30_000,
  });
  const { send, sendOrThrow } = useRemoteChange(storeId, profileKey(storeId));
  const [editing, setEditing] = useState<PublishedRoom | null>(null);
  const setStatus = (r: PublishedRoom, status: PublishedRoom['status']) =>
    send(
      () => remoteOwner.patchRoom(storeId, r.roomId, { status }),
      t(status === 'retired' ? 'rooms.retired' : 'rooms.restored', { name: r.name }),
    );
  return (
    <Card title={`${storeName} · ${t('rooms.title')}`} data-testid={`rooms-${storeId}`}>
      {read.isError && <p>{ownerRefusal(t, read.error)}</p>}
      <Table<PublishedRoom>
        rowKey="roomId"
        size="small"
        loading={read.isFetching && !read.data}
        dataSource={read.data ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={t('remote.rooms.none')} /> }}
        onRow={(r) => ({ 'data-room': r.name }) as object}
        columns={[
          ...roomColumns<PublishedRoom>(t, [
            {
              key: 'photos',
              title: t('rooms.photos'),
              render: (_, r) => t('remote.rooms.photoCount', { n: r.photos.length }),
            },
          ]),
          {
            key: 'actions',
            title: t('remote.rooms.change'),
            render: (_, r) => (
              <Space wrap>
                <Button onClick={() => setEditing(r)}>{t('rooms.edit')}</Button>
                {r.status === 'active' ? (
                  <Popconfirm
                    title={t('rooms.retireConfirm', { name: r.name })}
                    okText={t('rooms.retire')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => setStatus(r, 'retired')}
                  >
                    <Button danger>{t('rooms.retire')}</Button>
                  </Popconfirm>
                ) : (
                  <Button onClick={() => setStatus(r, 'active')}>{t('rooms.restore')}</Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <p className="muted">{t('remote.rooms.changeAtStore')}</p>
      {editing && (
        <RoomModal
          room={{ ...editing, id: editing.roomId }}
          fromAfar={(patch) =>
            sendOrThrow(
              () => remoteOwner.patchRoom(storeId, editing.roomId, patch),
              t('rooms.saved', { name: patch.name ?? editing.name }),
            )
          }
          onSaved={() => undefined}
          onClose={() => setEditing(null)}
        />
      )}
    </Card>
  );
}
