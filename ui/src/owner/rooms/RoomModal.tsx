// A room's details as customers see them (O2): its number, name, capacity, area, style,
// facilities, photos and video; a new room's base rates too. At the store the hub saves them; from
// afar only what the owner changed goes as an owner intent (a detail changed at the store meanwhile
// is not put back), and the room's number, which the store's screens and devices know it by, is
// changed at the store.
import { useMutation } from '@tanstack/react-query';
import { App, Form, Input, InputNumber, Modal, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  RoomVideoPosterSchema,
  RoomVideoSchema,
  type Room,
  type RoomInput,
  type RoomPatch,
} from '@roomhub/shared-types';
import { ownerPages } from '../../api/owner-client';
import { ownerRefusal } from '../refusal-text';

/** A room's details as the form edits them: the hub's room, or as the store published it. */
export type RoomDetails = Pick<
  Room,
  'name' | 'capacity' | 'areaSqm' | 'style' | 'facilities' | 'photos' | 'video' | 'videoPoster'
> & { id: string; number?: string };

type DetailsPatch = Partial<Omit<RoomDetails, 'id' | 'number'>>;

/** The details the form changed from the room's, or null for none. */
export function changedDetails(
  room: RoomDetails,
  fields: Required<DetailsPatch>,
): DetailsPatch | null {
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (JSON.stringify(v) !== JSON.stringify(room[k as keyof RoomDetails] ?? null)) patch[k] = v;
  }
  return Object.keys(patch).length === 0 ? null : (patch as DetailsPatch);
}

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

export function RoomModal({
  room,
  onClose,
  onSaved,
  fromAfar,
}: {
  room: RoomDetails | null;
  onClose: () => void;
  onSaved: () => void;
  /** From afar: sends the details changed as an owner intent (which tells how it went). */
  fromAfar?: (patch: RoomPatch) => Promise<void>;
}) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const [form] = Form.useForm<RoomForm>();
  const save = useMutation({
    mutationFn: async (v: RoomForm): Promise<Room | null> => {
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
      if (fromAfar && room) {
        const patch = changedDetails(room, fields);
        if (patch) await fromAfar(patch);
        else void message.info(t('rooms.nothingChanged'));
        return null;
      }
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
      if (r) void message.success(t(room ? 'rooms.saved' : 'rooms.added', { name: r.name }));
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
          {!fromAfar && (
            <Form.Item
              name="number"
              label={t('rooms.number')}
              extra={room ? undefined : t('rooms.numberHelp')}
              rules={[
                { pattern: /^[A-Za-z0-9][A-Za-z0-9-]{0,7}$/, message: t('rooms.numberRule') },
              ]}
            >
              <Input maxLength={8} style={{ width: 120 }} />
            </Form.Item>
          )}
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
