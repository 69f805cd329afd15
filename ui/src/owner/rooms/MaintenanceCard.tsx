// Rooms under maintenance (C13): the owner takes a room out for a period with a reason; it is not
// bookable then, and each mark lists the bookings already in it, to move or refund from the
// bookings page (the hub never does that by itself); their customers are told by message. A mark
// is lifted early here. The hub checks the period and names the field it refuses.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Input, List, Select, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MaintenanceView, Room } from '@roomhub/shared-types';
import { ownerPages } from '../../api/owner-client';
import { offsetOf } from '../../components/store-time';
import { ownerRefusal } from '../refusal-text';

interface MarkForm {
  roomId: string;
  start: string;
  end: string;
  reason: string;
}

/** `2026-11-24T13:00` as the store's clock reads it, with its offset. */
const inStore = (local: string, timeZone: string) =>
  `${local}:00${offsetOf(Date.parse(`${local}:00Z`), timeZone)}`;
const shown = (iso: string) => `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;

export function MaintenanceCard({ rooms }: { rooms: Room[] }) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<MarkForm>();
  const store = useQuery({ queryKey: ['owner-store'], queryFn: ownerPages.store });
  const marks = useQuery({ queryKey: ['owner-maintenance'], queryFn: ownerPages.maintenance });
  const done = (text: string) => {
    void message.success(text);
    void client.invalidateQueries({ queryKey: ['owner-maintenance'] });
  };
  const mark = useMutation({
    mutationFn: (v: MarkForm) => {
      const tz = store.data?.timeZone ?? 'Asia/Shanghai';
      return ownerPages.markMaintenance(v.roomId, {
        start: inStore(v.start, tz),
        end: inStore(v.end, tz),
        reason: v.reason,
      });
    },
    onSuccess: (m) => {
      form.resetFields();
      done(t('maintenance.marked', { count: m.bookings.length }));
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  const lift = useMutation({
    mutationFn: (id: string) => ownerPages.liftMaintenance(id),
    onSuccess: () => done(t('maintenance.lifted')),
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  const active = rooms.filter((r) => r.status === 'active');
  return (
    <Card title={t('maintenance.title')} style={{ marginTop: 16 }}>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <span className="muted">{t('maintenance.intro')}</span>
        <Form<MarkForm> form={form} layout="inline" onFinish={(v) => mark.mutate(v)}>
          <Form.Item name="roomId" rules={[{ required: true, message: t('maintenance.pickRoom') }]}>
            <Select
              aria-label={t('maintenance.room')}
              placeholder={t('maintenance.room')}
              style={{ width: 160 }}
              options={active.map((r) => ({ value: r.id, label: `${r.number} ${r.name}` }))}
            />
          </Form.Item>
          <Form.Item name="start" rules={[{ required: true, message: t('maintenance.when') }]}>
            <Input type="datetime-local" aria-label={t('maintenance.start')} />
          </Form.Item>
          <Form.Item name="end" rules={[{ required: true, message: t('maintenance.when') }]}>
            <Input type="datetime-local" aria-label={t('maintenance.end')} />
          </Form.Item>
          <Form.Item name="reason" rules={[{ required: true, message: t('maintenance.why') }]}>
            <Input
              aria-label={t('maintenance.reason')}
              placeholder={t('maintenance.reason')}
              maxLength={200}
              style={{ width: 220 }}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={mark.isPending}>
            {t('maintenance.mark')}
          </Button>
        </Form>
        <List<MaintenanceView>
          loading={marks.isPending}
          dataSource={marks.data ?? []}
          locale={{ emptyText: <Empty description={t('maintenance.none')} /> }}
          renderItem={(m) => (
            <List.Item
              data-testid="maintenance-mark"
              actions={
                m.lifted
                  ? [<Tag key="lifted">{t('maintenance.liftedTag')}</Tag>]
                  : [
                      <Button key="lift" size="small" onClick={() => lift.mutate(m.id)}>
                        {t('maintenance.lift')}
                      </Button>,
                    ]
              }
            >
              <List.Item.Meta
                title={`${m.roomName} · ${shown(m.start)} – ${shown(m.end)} · ${m.reason}`}
                description={
                  m.bookings.length === 0 ? (
                    t('maintenance.noBookings')
                  ) : (
                    <Space direction="vertical" size={2}>
                      <span className="waiting">
                        {t('maintenance.toMove', { count: m.bookings.length })}
                      </span>
                      {m.bookings.map((b) => (
                        <span key={b.id}>
                          {t('maintenance.booking', {
                            number: b.number,
                            when: `${shown(b.start)} – ${b.end.slice(11, 16)}`,
                            status: t(`stats.bookingStatus.${b.status}`, {
                              defaultValue: b.status,
                            }),
                          })}
                        </span>
                      ))}
                    </Space>
                  )
                }
              />
            </List.Item>
          )}
        />
      </Space>
    </Card>
  );
}
