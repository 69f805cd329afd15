// One store's devices through the cloud: each one's health as the hub last reported it, and a
// switch by hand (on, off, back to the sessions) sent as an owner intent the hub answers: done,
// waiting for the store (offline), or refused with its reason. Below, the store's schedules with
// the same card as at the store, its changes sent as intents too.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Empty, Input, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OwnerDevices } from '@roomhub/shared-types';
import { remoteOwner, remoteSchedules } from '../../api/owner-remote-client';
import { DeviceSchedulesCard } from '../devices/DeviceSchedulesCard';
import { ownerRefusal } from '../refusal-text';
import { stamp, todayDate } from './when';

type Device = OwnerDevices['devices'][number];

export function RemoteDevices({ storeId, storeName }: { storeId: string; storeName: string }) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const devices = useQuery({
    queryKey: ['remote', storeId, 'devices'],
    queryFn: () => remoteOwner.devices(storeId),
    refetchInterval: 10_000,
  });
  // The rooms' names, from the store's day as the rooms and orders page reads it.
  const today = todayDate();
  const board = useQuery({
    queryKey: ['remote', storeId, 'board', today],
    queryFn: () => remoteOwner.board(storeId, today),
  });
  const roomName = (id: string) => board.data?.rooms.find((r) => r.roomId === id)?.name ?? id;
  const rooms = (board.data?.rooms ?? []).map((r) => ({ id: r.roomId, name: r.name }));
  const send = async (deviceId: string, on: boolean | null) => {
    if (!reason.trim()) return void message.warning(t('remote.devices.reasonRule'));
    try {
      const answer = await remoteOwner.override(storeId, deviceId, on, reason.trim());
      if (answer.state === 'waiting') message.info(t('remote.devices.waiting'));
      else message.success(t('remote.devices.done'));
    } catch (e) {
      message.error(ownerRefusal(t, e));
    }
  };
  return (
    <>
      <Card title={storeName} className="gap" data-testid={`devices-${storeId}`}>
        {devices.isError && <p>{ownerRefusal(t, devices.error)}</p>}
        {devices.data && (
          <p className="muted">
            {devices.data.updatedAt
              ? t('remote.devices.reportedAt', { at: stamp(devices.data.updatedAt) })
              : t('remote.devices.neverReported')}
          </p>
        )}
        <Input
          placeholder={t('remote.devices.reason')}
          aria-label={t('remote.devices.reason')}
          value={reason}
          maxLength={200}
          onChange={(e) => setReason(e.target.value)}
          style={{ maxWidth: 360, marginBottom: 12 }}
        />
        <Table<Device>
          size="small"
          rowKey="deviceId"
          pagination={false}
          dataSource={devices.data?.devices ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
          columns={[
            { key: 'id', dataIndex: 'deviceId', title: t('remote.devices.device') },
            {
              key: 'rooms',
              title: t('stats.cols.room'),
              render: (_: unknown, d) => d.rooms.map(roomName).join('、') || '—',
            },
            {
              key: 'kind',
              title: t('remote.devices.kind'),
              render: (_: unknown, d) =>
                t(`remote.devices.kinds.${d.kind}`, { defaultValue: d.kind }),
            },
            {
              key: 'ok',
              title: t('remote.devices.state'),
              render: (_: unknown, d) =>
                d.ok ? (
                  <Tag color="green">{t('remote.devices.ok')}</Tag>
                ) : (
                  <Tag color="red">{d.lastError ?? t('remote.devices.fault')}</Tag>
                ),
            },
            {
              key: 'switch',
              title: t('remote.devices.switch'),
              render: (_: unknown, d) => (
                <Space>
                  <Button size="small" onClick={() => void send(d.deviceId, true)}>
                    {t('remote.devices.on')}
                  </Button>
                  <Button size="small" onClick={() => void send(d.deviceId, false)}>
                    {t('remote.devices.off')}
                  </Button>
                  <Button size="small" onClick={() => void send(d.deviceId, null)}>
                    {t('remote.devices.auto')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <div className="gap" data-testid={`schedules-${storeId}`}>
        <DeviceSchedulesCard
          source={remoteSchedules(storeId, rooms)}
          title={`${storeName} · ${t('devices.schedules.title')}`}
        />
      </div>
    </>
  );
}
