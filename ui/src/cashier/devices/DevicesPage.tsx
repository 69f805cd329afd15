// The store's devices at the counter (S4): each room's door, lights, AC and sockets with what
// they should do and what they confirmed, live from the hub's events, and the health of each
// bus. A manager switches one by hand with a reason and gives it back to the sessions; staff who
// may open doors open a room's door with a reason. Everyone else sees the state only.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AcSetting, DeviceState, Room } from '@roomhub/shared-types';
import { counter } from '../../api/counter-client';
import { clockTime } from '../../components/store-time';
import { useCashier } from '../cashier-context';
import { counterRefusal } from '../refusal-text';
import { ReasonModal } from '../ReasonModal';

/** What staff may switch by hand: a lock is opened instead, a meter only read. */
const SWITCHABLE = new Set<string>(['light', 'socket', 'fresh_air', 'ac']);

type Switching = { device: DeviceState; on: boolean | null } | { door: Room };

export function DevicesPage() {
  const { t } = useTranslation('cashier');
  const c = useCashier();
  const client = useQueryClient();
  const { message } = App.useApp();
  const devices = useQuery({ queryKey: ['devices'], queryFn: counter.devices });
  const [switching, setSwitching] = useState<Switching | null>(null);
  const list = devices.data?.devices ?? [];
  const buses = devices.data?.health.buses ?? [];
  const sick = new Set(
    (devices.data?.health.devices ?? []).filter((d) => !d.ok).map((d) => d.deviceId),
  );
  const tz = c.store.timeZone;
  // A device of one room is shown with it; one serving several (a corridor light, the fresh air
  // of a row of rooms) once, with the shared ones.
  const ofRoom = (room: Room) => list.filter((d) => d.rooms.length === 1 && d.rooms[0] === room.id);
  const shared = list.filter(
    (d) => !c.rooms.some((r) => d.rooms.length === 1 && d.rooms[0] === r.id),
  );
  return (
    <div className="cashier-stack">
      {devices.error && <Alert type="error" showIcon title={counterRefusal(t, devices.error)} />}
      <Card title={t('devices.buses')} size="small">
        {buses.length === 0 ? (
          <span className="muted">{t('devices.noBuses')}</span>
        ) : (
          <Space wrap data-testid="bus-health">
            {buses.map((b) => (
              <Tag key={b.busId} color={b.ok ? 'green' : 'red'}>
                {b.busId} ({b.kind}) · {b.ok ? t('devices.busOk') : t('devices.busDown')}
                {b.lastOkAt ? ` · ${t('devices.lastOk', { time: clockTime(b.lastOkAt, tz) })}` : ''}
                {!b.ok && b.lastError ? ` · ${b.lastError}` : ''}
                {b.retries ? ` · ${t('devices.retries', { count: b.retries })}` : ''}
              </Tag>
            ))}
          </Space>
        )}
      </Card>
      <div className="room-grid">
        {c.rooms.map((room) => (
          <Card
            key={room.id}
            size="small"
            title={room.name}
            data-testid={`room-devices-${room.name}`}
            extra={
              c.may('openDoor') &&
              list.some((d) => d.kind === 'lock' && d.rooms.includes(room.id)) ? (
                <Button size="small" onClick={() => setSwitching({ door: room })}>
                  {t('devices.openDoor')}
                </Button>
              ) : null
            }
          >
            <DeviceTable
              devices={ofRoom(room)}
              sick={sick}
              onSwitch={(device, on) => setSwitching({ device, on })}
            />
          </Card>
        ))}
        {shared.length > 0 && (
          <Card size="small" title={t('devices.shared')} data-testid="shared-devices">
            <DeviceTable
              devices={shared}
              sick={sick}
              onSwitch={(device, on) => setSwitching({ device, on })}
            />
          </Card>
        )}
      </div>
      <ReasonModal
        open={!!switching}
        title={
          !switching
            ? ''
            : 'door' in switching
              ? t('devices.openDoorTitle', { room: switching.door.name })
              : t(
                  switching.on === null
                    ? 'devices.giveBackTitle'
                    : switching.on
                      ? 'devices.onTitle'
                      : 'devices.offTitle',
                  { device: deviceName(t, switching.device, c.roomName) },
                )
        }
        onCancel={() => setSwitching(null)}
        onConfirm={async (reason) => {
          if (!switching) return;
          if ('door' in switching) {
            await counter.openDoor(switching.door.id, reason);
            void message.success(t('devices.doorOpened', { room: switching.door.name }));
          } else {
            await counter.override(switching.device.deviceId, switching.on, reason);
            await client.invalidateQueries({ queryKey: ['devices'] });
          }
        }}
      />
    </div>
  );
}

function deviceName(
  t: (k: string, o?: Record<string, unknown>) => string,
  d: DeviceState,
  roomName: (id: string) => string,
): string {
  return `${d.rooms.map(roomName).join('、')} ${t(`deviceKind.${d.kind}`, { defaultValue: d.kind })}`.trim();
}

function stateText(t: (k: string) => string, v: boolean | AcSetting | null): string {
  if (v === null || v === undefined) return t('devices.unknown');
  if (typeof v === 'boolean') return v ? t('devices.on') : t('devices.off');
  return v.power
    ? `${t('devices.on')} · ${t(`acMode.${v.mode}`)} ${v.setpoint}°C · ${t(`acFan.${v.fan}`)}`
    : t('devices.off');
}

function DeviceTable({
  devices,
  sick,
  onSwitch,
}: {
  devices: DeviceState[];
  sick: Set<string>;
  onSwitch: (d: DeviceState, on: boolean | null) => void;
}) {
  const { t } = useTranslation('cashier');
  const c = useCashier();
  if (devices.length === 0) return <span className="muted">{t('devices.none')}</span>;
  return (
    <Table<DeviceState>
      size="small"
      rowKey="deviceId"
      pagination={false}
      // Never clipped by a narrow card: the switches scroll into view instead.
      scroll={{ x: 'max-content' }}
      dataSource={devices}
      columns={[
        {
          title: t('devices.device'),
          render: (_, d) => (
            <span data-testid={`device-${d.deviceId}`}>
              {t(`deviceKind.${d.kind}`, { defaultValue: d.kind })}
              {d.rooms.length > 1 && <span className="muted small"> · {d.deviceId}</span>}
              {sick.has(d.deviceId) && (
                <Tag color="red" className="tag-gap">
                  {t('devices.notAnswering')}
                </Tag>
              )}
            </span>
          ),
        },
        {
          title: t('devices.state'),
          render: (_, d) =>
            d.kind === 'lock' ? (
              d.doorClosed === undefined || d.doorClosed === null ? (
                t('devices.locked')
              ) : d.doorClosed ? (
                t('devices.doorClosed')
              ) : (
                <Tag color="orange">{t('devices.doorOpen')}</Tag>
              )
            ) : (
              <>
                {stateText(t, d.actual)}
                {d.desired !== null && JSON.stringify(d.actual) !== JSON.stringify(d.desired) && (
                  <span className="muted small"> → {stateText(t, d.desired)}</span>
                )}
                {typeof d.temperature === 'number' && (
                  <span className="muted small"> · {d.temperature}°C</span>
                )}
                {d.override !== null && (
                  <Tag color="blue" className="tag-gap" data-testid="by-hand">
                    {t('devices.byHand')}
                  </Tag>
                )}
              </>
            ),
        },
        ...(c.may('deviceOverride')
          ? [
              {
                title: '',
                render: (_: unknown, d: DeviceState) =>
                  !SWITCHABLE.has(d.kind) ? null : (
                    <Space size={4} data-testid="device-override">
                      <Button size="small" onClick={() => onSwitch(d, true)}>
                        {t('devices.switchOn')}
                      </Button>
                      <Button size="small" onClick={() => onSwitch(d, false)}>
                        {t('devices.switchOff')}
                      </Button>
                      {d.override !== null && (
                        <Button size="small" onClick={() => onSwitch(d, null)}>
                          {t('devices.giveBack')}
                        </Button>
                      )}
                    </Space>
                  ),
              },
            ]
          : []),
      ]}
    />
  );
}
