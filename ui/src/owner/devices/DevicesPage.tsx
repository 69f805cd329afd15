// Devices (O8): each room's door, lights, sockets, fresh air and AC with what the sessions want
// and what the device confirmed, the buses' health, and a manual switch with the reason the hub
// logs; a device switched by hand is given back to the sessions here too. Doors are opened from
// the counter, meters only read; the owner's schedules and what the speakers announce are set
// below the list.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Input, Modal, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AcSetting, DeviceState } from '@roomhub/shared-types';
import { hubSchedules, ownerPages } from '../../api/owner-client';
import { ownerRefusal } from '../refusal-text';
import { useLive } from './use-live';
import { SpeakerSettingsCard } from './SpeakerSettingsCard';
import { DeviceSchedulesCard } from './DeviceSchedulesCard';

const SWITCHABLE = new Set<string>(['light', 'socket', 'fresh_air', 'ac']);

interface Row extends DeviceState {
  roomNames: string;
}

export function DevicesPage() {
  const { t } = useTranslation('owner');
  const devices = useQuery({ queryKey: ['owner-devices'], queryFn: ownerPages.devices });
  useLive((e) =>
    e.type === 'device.state' || e.type === 'device.health' ? [['owner-devices']] : [],
  );
  const rooms = useQuery({ queryKey: ['owner-rooms'], queryFn: ownerPages.rooms });
  const [switching, setSwitching] = useState<{ device: Row; on: boolean | null } | null>(null);
  const names = new Map((rooms.data ?? []).map((r) => [r.id, `${r.number} ${r.name}`]));
  const rows: Row[] = (devices.data?.devices ?? [])
    .map((d) => ({ ...d, roomNames: d.rooms.map((r) => names.get(r) ?? r).join('、') }))
    .sort((a, b) => a.roomNames.localeCompare(b.roomNames) || a.kind.localeCompare(b.kind));
  const sick = new Set(
    (devices.data?.health.devices ?? []).filter((d) => !d.ok).map((d) => d.deviceId),
  );
  const state = (v: boolean | AcSetting | null | undefined) => {
    if (v === null || v === undefined) return <span className="muted">{t('devices.unknown')}</span>;
    if (typeof v === 'boolean')
      return <Tag color={v ? 'green' : 'default'}>{t(v ? 'devices.on' : 'devices.off')}</Tag>;
    return (
      <Tag color={v.power ? 'green' : 'default'}>
        {v.power ? `${t('devices.on')} · ${v.setpoint}°C` : t('devices.off')}
      </Tag>
    );
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {devices.isError && <Alert type="error" showIcon title={ownerRefusal(t, devices.error)} />}
      <Card title={t('devices.buses')} size="small">
        {(devices.data?.health.buses ?? []).length === 0 ? (
          <span className="muted">{t('devices.noBuses')}</span>
        ) : (
          <Space wrap>
            {devices.data!.health.buses.map((b) => (
              <Tag key={b.busId} color={b.ok ? 'green' : 'red'}>
                {b.busId} · {t(b.ok ? 'devices.busOk' : 'devices.busDown')}
                {!b.ok && b.lastError ? ` · ${b.lastError}` : ''}
              </Tag>
            ))}
          </Space>
        )}
      </Card>
      <Card title={t('devices.title')}>
        <Table<Row>
          rowKey="deviceId"
          size="small"
          loading={devices.isPending}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: <Empty description={t('devices.empty')} /> }}
          columns={[
            { key: 'room', dataIndex: 'roomNames', title: t('devices.room') },
            {
              key: 'kind',
              title: t('devices.kind'),
              render: (_, d) => (
                <Space>
                  {t(`devices.kinds.${d.kind}`)}
                  {sick.has(d.deviceId) && <Tag color="red">{t('devices.notAnswering')}</Tag>}
                </Space>
              ),
            },
            {
              key: 'desired',
              title: t('devices.desired'),
              render: (_, d) => (d.kind === 'speaker' ? '—' : state(d.desired)),
            },
            {
              key: 'actual',
              title: t('devices.actual'),
              render: (_, d) => (d.kind === 'speaker' ? '—' : state(d.actual)),
            },
            {
              key: 'extra',
              title: t('devices.reading'),
              render: (_, d) =>
                d.kind === 'lock'
                  ? d.doorClosed === undefined || d.doorClosed === null
                    ? '—'
                    : t(d.doorClosed ? 'devices.doorClosed' : 'devices.doorOpen')
                  : d.meter
                    ? `${d.meter.powerW} W · ${d.meter.energyKwh} kWh`
                    : typeof d.temperature === 'number'
                      ? `${d.temperature}°C`
                      : d.kind === 'speaker' && typeof d.actual === 'boolean'
                        ? t(d.actual ? 'devices.speaker.playing' : 'devices.speaker.idle')
                        : '—',
            },
            {
              key: 'override',
              title: t('devices.byHand'),
              render: (_, d) =>
                d.override === null ? (
                  <span className="muted">{t('devices.bySessions')}</span>
                ) : (
                  <Tag color="purple">{t(d.override ? 'devices.heldOn' : 'devices.heldOff')}</Tag>
                ),
            },
            {
              key: 'actions',
              title: t('devices.actions'),
              render: (_, d) =>
                SWITCHABLE.has(d.kind) && (
                  <Space>
                    <Button size="small" onClick={() => setSwitching({ device: d, on: true })}>
                      {t('devices.switchOn')}
                    </Button>
                    <Button size="small" onClick={() => setSwitching({ device: d, on: false })}>
                      {t('devices.switchOff')}
                    </Button>
                    {d.override !== null && (
                      <Button size="small" onClick={() => setSwitching({ device: d, on: null })}>
                        {t('devices.giveBack')}
                      </Button>
                    )}
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <DeviceSchedulesCard
        source={hubSchedules(
          (rooms.data ?? []).map((r) => ({ id: r.id, name: `${r.number} ${r.name}` })),
        )}
      />
      <SpeakerSettingsCard hasSpeakers={rows.some((d) => d.kind === 'speaker')} />
      {switching && <SwitchModal {...switching} onClose={() => setSwitching(null)} />}
    </Space>
  );
}

function SwitchModal({
  device,
  on,
  onClose,
}: {
  device: Row;
  on: boolean | null;
  onClose: () => void;
}) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const action = on === null ? 'giveBack' : on ? 'switchOn' : 'switchOff';
  const go = useMutation({
    mutationFn: () => ownerPages.override(device.deviceId, on, reason.trim()),
    onSuccess: () => {
      void message.success(t(`devices.done.${action}`));
      void client.invalidateQueries({ queryKey: ['owner-devices'] });
      onClose();
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  return (
    <Modal
      open
      title={`${t(`devices.${action}`)} · ${device.roomNames} ${t(`devices.kinds.${device.kind}`)}`}
      okText={t(`devices.${action}`)}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !reason.trim() }}
      confirmLoading={go.isPending}
      onCancel={onClose}
      onOk={() => go.mutate()}
    >
      <Input
        aria-label={t('devices.reason')}
        placeholder={t('devices.reasonPlaceholder')}
        maxLength={200}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
    </Modal>
  );
}
