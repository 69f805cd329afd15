// The owner's device schedules: a room's or every room's lights, sockets, fresh air and AC on or
// off by the store's time on chosen weekdays. Listed, added, changed and removed here through the
// source the page passes: the hub at the store, or the cloud from anywhere, where a change waits
// while the store is offline. The hub checks each whole and a refusal names the field. An "off"
// never darkens a room with a guest in it (the hub decides that, the card says so).
import { useState, type ReactNode } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { useTranslation } from 'react-i18next';
import {
  AcFanSchema,
  AcModeSchema,
  DayTypeSchema,
  ScheduledDeviceSchema,
  type AcFan,
  type AcMode,
  type DayType,
  type DeviceScheduleInput,
  type ScheduledDevice,
} from '@roomhub/shared-types';
import type { ListedSchedule, OwnerSchedulesSource } from '../../api/owner-client';
import { useChangeAnswers } from '../change-answers';
import { ownerRefusal } from '../refusal-text';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const ALL_ROOMS = '*';

interface FormValues {
  room: string;
  devices: ScheduledDevice[];
  weekdays: number[];
  /** Kinds of day by the store's calendar; none: every one of the weekdays. */
  dayTypes: DayType[];
  start: string;
  end: string;
  on: boolean;
  acMode?: AcMode;
  acSetpoint?: number | null;
  acFan?: AcFan;
  note?: string;
}

export function DeviceSchedulesCard({
  source,
  title,
}: {
  source: OwnerSchedulesSource;
  /** The card's title where the page shows several stores' (the store's name before it). */
  title?: ReactNode;
}) {
  const { t } = useTranslation('owner');
  const answers = useChangeAnswers([source.key], t('devices.schedules.waiting'));
  const schedules = useQuery({
    queryKey: source.key,
    queryFn: () => source.list(),
    refetchInterval: source.refetchInterval,
  });
  const [editing, setEditing] = useState<ListedSchedule | 'new' | null>(null);
  const names = new Map(source.rooms.map((r) => [r.id, r.name]));
  const remove = useMutation({
    mutationFn: (id: string) => source.remove(id),
    onSuccess: (answer) => answers.answered(answer, t('devices.schedules.removed')),
    onError: (e) => answers.refused(e),
  });
  const days = (ws: number[], kinds: readonly DayType[] = []) => {
    const week =
      ws.length === 7
        ? t('devices.schedules.everyDay')
        : ws.map((w) => t(`devices.schedules.weekdays.${w}`)).join('、');
    if (kinds.length === 0) return week;
    const only = kinds.map((k) => t(`devices.schedules.dayTypes.${k}`)).join('、');
    return t('devices.schedules.onlyOn', { week, only });
  };
  return (
    <Card
      title={title ?? t('devices.schedules.title')}
      extra={
        <Button type="primary" onClick={() => setEditing('new')}>
          {t('devices.schedules.add')}
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <span className="muted">{t('devices.schedules.intro')}</span>
        {schedules.isError && (
          <Alert type="error" showIcon title={ownerRefusal(t, schedules.error)} />
        )}
        <Table<ListedSchedule>
          rowKey="id"
          size="small"
          loading={schedules.isPending}
          dataSource={schedules.data ?? []}
          pagination={false}
          locale={{ emptyText: <Empty description={t('devices.schedules.empty')} /> }}
          columns={[
            {
              key: 'room',
              title: t('devices.room'),
              render: (_, s) =>
                s.roomId === null
                  ? t('devices.schedules.allRooms')
                  : (names.get(s.roomId) ?? s.roomId),
            },
            {
              key: 'devices',
              title: t('devices.kind'),
              render: (_, s) =>
                s.devices.map((d) => <Tag key={d}>{t(`devices.schedules.devices.${d}`)}</Tag>),
            },
            {
              key: 'days',
              title: t('devices.schedules.days'),
              render: (_, s) => days(s.weekdays, s.dayTypes),
            },
            {
              key: 'time',
              title: t('devices.schedules.time'),
              render: (_, s) =>
                `${s.start}–${s.end}${s.end < s.start ? ` ${t('devices.schedules.nextDay')}` : ''}`,
            },
            {
              key: 'on',
              title: t('devices.schedules.turns'),
              render: (_, s) => (
                <Tag color={s.on ? 'green' : 'volcano'}>
                  {t(s.on ? 'devices.schedules.turnOn' : 'devices.schedules.turnOff')}
                </Tag>
              ),
            },
            {
              key: 'ac',
              title: t('devices.schedules.acSetting'),
              render: (_, s) =>
                !s.on || !s.devices.includes('ac')
                  ? '—'
                  : s.ac
                    ? `${t(`devices.schedules.modes.${s.ac.mode}`)} · ${s.ac.setpoint}°C · ${t(`devices.schedules.fans.${s.ac.fan}`)}`
                    : t('devices.schedules.acAsSessions'),
            },
            { key: 'note', dataIndex: 'note', title: t('devices.schedules.note') },
            {
              key: 'actions',
              title: t('devices.actions'),
              render: (_, s) => (
                <Space>
                  <Button size="small" onClick={() => setEditing(s)}>
                    {t('devices.schedules.edit')}
                  </Button>
                  <Popconfirm
                    title={t('devices.schedules.removeConfirm')}
                    okText={t('devices.schedules.remove')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => remove.mutate(s.id)}
                  >
                    <Button size="small" danger>
                      {t('devices.schedules.remove')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </Space>
      {editing && (
        <ScheduleModal
          source={source}
          schedule={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </Card>
  );
}

function ScheduleModal({
  source,
  schedule,
  onClose,
}: {
  source: OwnerSchedulesSource;
  schedule: ListedSchedule | null;
  onClose: () => void;
}) {
  const { t } = useTranslation('owner');
  const answers = useChangeAnswers([source.key], t('devices.schedules.waiting'));
  const [form] = Form.useForm<FormValues>();
  const devices = Form.useWatch('devices', form) ?? [];
  const on = Form.useWatch('on', form);
  const save = useMutation({
    mutationFn: (body: DeviceScheduleInput) =>
      schedule ? source.change(schedule.id, body) : source.add(body),
    onSuccess: (answer) => {
      answers.answered(answer, t('devices.schedules.saved'));
      onClose();
    },
    onError: (e) => answers.refused(e),
  });
  const initial: FormValues = schedule
    ? {
        room: schedule.roomId ?? ALL_ROOMS,
        devices: schedule.devices,
        weekdays: schedule.weekdays,
        dayTypes: schedule.dayTypes ?? [],
        start: schedule.start,
        end: schedule.end,
        on: schedule.on,
        acSetpoint: schedule.ac?.setpoint ?? null,
        acMode: schedule.ac?.mode ?? 'cool',
        acFan: schedule.ac?.fan ?? 'auto',
        note: schedule.note,
      }
    : {
        room: ALL_ROOMS,
        devices: [],
        weekdays: WEEKDAYS,
        dayTypes: [],
        start: '',
        end: '',
        on: true,
        acSetpoint: null,
        acMode: 'cool',
        acFan: 'auto',
        note: '',
      };
  const submit = (v: FormValues) => {
    if (v.start === v.end) {
      form.setFields([{ name: 'end', errors: [t('devices.schedules.sameTimes')] }]);
      return;
    }
    const withAc = v.on && v.devices.includes('ac') && typeof v.acSetpoint === 'number';
    save.mutate({
      roomId: v.room === ALL_ROOMS ? null : v.room,
      devices: v.devices,
      weekdays: [...v.weekdays].sort(),
      // Left out when none is picked, as a hub from before kinds of day expects.
      ...(v.dayTypes.length > 0
        ? { dayTypes: DayTypeSchema.options.filter((k) => v.dayTypes.includes(k)) }
        : {}),
      start: v.start,
      end: v.end,
      on: v.on,
      ac: withAc ? { mode: v.acMode!, setpoint: v.acSetpoint!, fan: v.acFan! } : null,
      note: v.note?.trim() ?? '',
    });
  };
  return (
    <Modal
      open
      title={t(schedule ? 'devices.schedules.editTitle' : 'devices.schedules.addTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Form<FormValues> form={form} layout="vertical" initialValues={initial} onFinish={submit}>
        <Form.Item name="room" label={t('devices.room')}>
          <Select
            aria-label={t('devices.room')}
            options={[
              { value: ALL_ROOMS, label: t('devices.schedules.allRooms') },
              ...source.rooms.map((r) => ({ value: r.id, label: r.name })),
            ]}
          />
        </Form.Item>
        <Form.Item
          name="devices"
          label={t('devices.kind')}
          rules={[{ required: true, message: t('devices.schedules.pickDevice') }]}
        >
          <Checkbox.Group
            options={ScheduledDeviceSchema.options.map((d) => ({
              value: d,
              label: t(`devices.schedules.devices.${d}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="weekdays"
          label={t('devices.schedules.days')}
          rules={[{ required: true, message: t('devices.schedules.pickDay') }]}
        >
          <Checkbox.Group
            options={WEEKDAYS.map((w) => ({
              value: w,
              label: t(`devices.schedules.weekdays.${w}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="dayTypes"
          label={t('devices.schedules.dayTypesLabel')}
          extra={t('devices.schedules.dayTypesHelp')}
        >
          <Checkbox.Group
            options={DayTypeSchema.options.map((k) => ({
              value: k,
              label: t(`devices.schedules.dayTypes.${k}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          label={t('devices.schedules.time')}
          extra={t('devices.schedules.timeHelp')}
          required
        >
          <Space>
            <Form.Item
              name="start"
              noStyle
              rules={[{ required: true, pattern: HHMM, message: t('devices.schedules.hhmm') }]}
            >
              <Input
                aria-label={t('devices.schedules.start')}
                placeholder="10:00"
                style={{ width: 80 }}
                maxLength={5}
              />
            </Form.Item>
            –
            <Form.Item
              name="end"
              noStyle
              rules={[{ required: true, pattern: HHMM, message: t('devices.schedules.hhmm') }]}
            >
              <Input
                aria-label={t('devices.schedules.end')}
                placeholder="10:20"
                style={{ width: 80 }}
                maxLength={5}
              />
            </Form.Item>
          </Space>
        </Form.Item>
        <Form.Item
          name="on"
          label={t('devices.schedules.turns')}
          extra={t(on === false ? 'devices.schedules.offHelp' : 'devices.schedules.onHelp')}
        >
          <Radio.Group
            options={[
              { value: true, label: t('devices.schedules.turnOn') },
              { value: false, label: t('devices.schedules.turnOff') },
            ]}
          />
        </Form.Item>
        {on !== false && devices.includes('ac') && (
          <Form.Item label={t('devices.schedules.acSetting')} extra={t('devices.schedules.acHelp')}>
            <Space wrap>
              <Form.Item name="acMode" noStyle>
                <Select
                  aria-label={t('devices.schedules.acMode')}
                  style={{ width: 100 }}
                  options={AcModeSchema.options.map((m) => ({
                    value: m,
                    label: t(`devices.schedules.modes.${m}`),
                  }))}
                />
              </Form.Item>
              <Form.Item name="acSetpoint" noStyle>
                <InputNumber
                  aria-label={t('devices.schedules.acSetpoint')}
                  min={16}
                  max={30}
                  precision={0}
                  suffix="°C"
                  placeholder={t('devices.schedules.acAsSessions')}
                  style={{ width: 160 }}
                />
              </Form.Item>
              <Form.Item name="acFan" noStyle>
                <Select
                  aria-label={t('devices.schedules.acFan')}
                  style={{ width: 100 }}
                  options={AcFanSchema.options.map((f) => ({
                    value: f,
                    label: t(`devices.schedules.fans.${f}`),
                  }))}
                />
              </Form.Item>
            </Space>
          </Form.Item>
        )}
        <Form.Item name="note" label={t('devices.schedules.note')}>
          <Input maxLength={100} placeholder={t('devices.schedules.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
