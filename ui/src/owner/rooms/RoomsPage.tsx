// The rooms (O2): every room with its number, capacity, style, facilities, photos and video; the
// owner adds one (with its hourly rates, edited further on the prices page), edits one, or retires
// one.
// A room with bookings to come cannot retire: the hub says so and the page repeats it in words.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Image,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { useTranslation } from 'react-i18next';
import {
  RoomVideoPosterSchema,
  RoomVideoSchema,
  type Room,
  type RoomInput,
} from '@roomhub/shared-types';
import { ownerPages } from '../../api/owner-client';
import { yuan } from '../../components/yuan';
import { ownerRefusal } from '../refusal-text';
import { MaintenanceCard } from './MaintenanceCard';

interface RoomForm {
  number?: string;
  name: string;
  capacity: number;
  areaSqm: number;
  style: string;
  facilities: string[];
  photos: string[];
  /** Empty: no video (or no cover: the video's first frame). */
  video?: string;
  videoPoster?: string;
  /** Yuan per hour, a new room's base rates. */
  workday?: number;
  weekend?: number;
  holiday?: number;
}

const fen = (y: number | undefined) => Math.round((y ?? 0) * 100);
const orNull = (v: string | undefined) => v?.trim() || null;

/** The hub's own check, so a wrong address is said at the field before saving. */
const urlRule = (schema: typeof RoomVideoSchema, message: string) => ({
  validator: (_: unknown, v: string | undefined) =>
    !v?.trim() || schema.safeParse(v).success
      ? Promise.resolve()
      : Promise.reject(new Error(message)),
});

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
            {
              key: 'name',
              title: t('rooms.name'),
              width: 180,
              render: (_, r) => (
                <Space style={{ whiteSpace: 'nowrap' }}>
                  {r.photos[0] && <Image src={r.photos[0]} width={48} height={32} alt="" />}
                  {r.name}
                  {r.video && <Tag color="blue">{t('rooms.hasVideo')}</Tag>}
                </Space>
              ),
            },
            { key: 'style', dataIndex: 'style', title: t('rooms.style') },
            {
              key: 'capacity',
              title: t('rooms.capacity'),
              render: (_, r) => t('rooms.people', { n: r.capacity }),
            },
            { key: 'area', title: t('rooms.area'), render: (_, r) => `${r.areaSqm} m²` },
            {
              key: 'facilities',
              title: t('rooms.facilities'),
              render: (_, r) =>
                r.facilities.length ? r.facilities.map((f) => <Tag key={f}>{f}</Tag>) : '—',
            },
            {
              key: 'rate',
              title: t('rooms.rate'),
              render: (_, r) => `¥${yuan(r.pricePlan.rates.workday)}`,
            },
            {
              key: 'status',
              title: t('rooms.status'),
              render: (_, r) =>
                r.status === 'active' ? (
                  <Tag color="green">{t('rooms.active')}</Tag>
                ) : (
                  <Tag>{t('rooms.retiredTag')}</Tag>
                ),
            },
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

function RoomModal({
  room,
  onClose,
  onSaved,
}: {
  room: Room | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const [form] = Form.useForm<RoomForm>();
  const save = useMutation({
    mutationFn: (v: RoomForm) => {
      const fields = {
        name: v.name,
        capacity: v.capacity,
        areaSqm: v.areaSqm,
        style: v.style,
        facilities: v.facilities,
        photos: v.photos,
        video: orNull(v.video),
        // A cover without its video would show nothing: it goes with the video.
        videoPoster: orNull(v.video) && orNull(v.videoPoster),
      };
      if (room) {
        return ownerPages.patchRoom(room.id, {
          ...fields,
          ...(v.number && v.number !== room.number ? { number: v.number } : {}),
        });
      }
      const input: RoomInput = {
        ...fields,
        ...(v.number ? { number: v.number } : {}),
        pricePlan: {
          rates: { workday: fen(v.workday), weekend: fen(v.weekend), holiday: fen(v.holiday) },
        },
      };
      return ownerPages.addRoom(input);
    },
    onSuccess: (r) => {
      void message.success(t(room ? 'rooms.saved' : 'rooms.added', { name: r.name }));
      onSaved();
      onClose();
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  return (
    <Modal
      open
      width={640}
      title={room ? t('rooms.editTitle', { name: room.name }) : t('rooms.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => save.mutate(v))}
    >
      <Form<RoomForm>
        form={form}
        layout="vertical"
        initialValues={
          room
            ? { ...room, video: room.video ?? '', videoPoster: room.videoPoster ?? '' }
            : {
                capacity: 4,
                areaSqm: 15,
                facilities: [],
                photos: [],
                workday: 68,
                weekend: 88,
                holiday: 98,
              }
        }
      >
        <Space align="start">
          <Form.Item
            name="number"
            label={t('rooms.number')}
            extra={room ? undefined : t('rooms.numberHelp')}
            rules={[{ pattern: /^[A-Za-z0-9][A-Za-z0-9-]{0,7}$/, message: t('rooms.numberRule') }]}
          >
            <Input maxLength={8} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('rooms.name')}
            rules={[{ required: true, whitespace: true, message: t('rooms.nameRule') }]}
          >
            <Input maxLength={40} style={{ width: 260 }} />
          </Form.Item>
        </Space>
        <Space align="start">
          <Form.Item
            name="capacity"
            label={t('rooms.capacity')}
            rules={[{ required: true, message: t('rooms.capacityRule') }]}
          >
            <InputNumber min={1} max={50} precision={0} />
          </Form.Item>
          <Form.Item
            name="areaSqm"
            label={t('rooms.areaSqm')}
            rules={[{ required: true, message: t('rooms.areaRule') }]}
          >
            <InputNumber min={1} max={1000} />
          </Form.Item>
          <Form.Item
            name="style"
            label={t('rooms.style')}
            rules={[{ required: true, whitespace: true, message: t('rooms.styleRule') }]}
          >
            <Input maxLength={30} placeholder={t('rooms.stylePlaceholder')} />
          </Form.Item>
        </Space>
        <Form.Item name="facilities" label={t('rooms.facilities')} extra={t('rooms.tagsHelp')}>
          <Select mode="tags" tokenSeparators={[',', '，']} open={false} maxCount={40} />
        </Form.Item>
        <Form.Item name="photos" label={t('rooms.photos')} extra={t('rooms.photosHelp')}>
          <Select mode="tags" tokenSeparators={[' ', ',']} open={false} maxCount={20} />
        </Form.Item>
        <Form.Item
          name="video"
          label={t('rooms.video')}
          extra={t('rooms.videoHelp')}
          rules={[urlRule(RoomVideoSchema, t('rooms.videoRule'))]}
        >
          <Input maxLength={500} placeholder="https://…/room.mp4" allowClear />
        </Form.Item>
        <Form.Item
          name="videoPoster"
          label={t('rooms.videoPoster')}
          extra={t('rooms.videoPosterHelp')}
          rules={[urlRule(RoomVideoPosterSchema, t('rooms.videoPosterRule'))]}
        >
          <Input maxLength={500} placeholder="https://…/cover.jpg" allowClear />
        </Form.Item>
        {!room && (
          <>
            <Space align="start">
              {(['workday', 'weekend', 'holiday'] as const).map((d) => (
                <Form.Item
                  key={d}
                  name={d}
                  label={`${t(`prices.dayType.${d}`)}（${t('prices.perHour')}）`}
                  rules={[{ required: true, message: t('prices.rateRule') }]}
                >
                  <InputNumber
                    min={0}
                    max={10000}
                    precision={2}
                    prefix="¥"
                    style={{ width: 150 }}
                  />
                </Form.Item>
              ))}
            </Space>
            <p className="muted">{t('rooms.ratesHelp')}</p>
          </>
        )}
      </Form>
    </Modal>
  );
}
