// Paired screens (O9): the owner or a manager makes a one-time code for a new kiosk, counter
// computer, door scanner or staff phone, typed once on it; the list shows what is paired and when
// it was last seen, and unpairing stops a lost or replaced screen at once.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  ScreenKindSchema,
  type PairingCodeView,
  type ScreenKind,
  type ScreenView,
} from '@roomhub/shared-types';
import { counter } from '../../api/counter-client';
import { owner } from '../../api/owner-client';
import { clockTime, localDate } from '../../components/store-time';
import { ownerRefusal } from '../refusal-text';

export function ScreensPage() {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const store = useQuery({ queryKey: ['store'], queryFn: owner.store });
  const rooms = useQuery({ queryKey: ['rooms'], queryFn: counter.rooms });
  const screens = useQuery({ queryKey: ['screens'], queryFn: owner.screens });
  const zone = store.data?.timeZone ?? 'Asia/Shanghai';
  const when = (at: string | null) =>
    at ? `${localDate(at, zone)} ${clockTime(at, zone)}` : t('screens.never');
  const [form] = Form.useForm<{ name: string; kind: ScreenKind; roomId?: string }>();
  const kind = Form.useWatch('kind', form);
  const [code, setCode] = useState<PairingCodeView | null>(null);
  const make = useMutation({
    mutationFn: owner.pairingCode,
    onSuccess: (c) => {
      setCode(c);
      form.resetFields(['name']);
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  const unpair = useMutation({
    mutationFn: (s: ScreenView) => owner.unpair(s.id),
    onSuccess: (_, s) => {
      void message.success(t('screens.unpaired', { name: s.name }));
      void client.invalidateQueries({ queryKey: ['screens'] });
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  const kindName = (k: string) => t(`screens.kinds.${k}`);
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('screens.makeCode')}>
        <Form
          form={form}
          layout="inline"
          initialValues={{ kind: 'cashier' }}
          onFinish={(v) =>
            make.mutate({
              name: v.name.trim(),
              kind: v.kind,
              ...(v.kind === 'door' && v.roomId ? { roomId: v.roomId } : {}),
            })
          }
        >
          <Form.Item
            name="name"
            label={t('screens.name')}
            rules={[{ required: true, whitespace: true, message: t('screens.nameRule') }]}
          >
            <Input
              placeholder={t('screens.namePlaceholder')}
              maxLength={30}
              style={{ width: 200 }}
            />
          </Form.Item>
          <Form.Item name="kind" label={t('screens.kind')}>
            <Select
              aria-label={t('screens.kind')}
              style={{ width: 140 }}
              options={ScreenKindSchema.options.map((k) => ({ value: k, label: kindName(k) }))}
            />
          </Form.Item>
          {kind === 'door' && (
            <Form.Item
              name="roomId"
              label={t('screens.room')}
              rules={[{ required: true, message: t('screens.roomRule') }]}
            >
              <Select
                style={{ width: 160 }}
                options={(rooms.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
              />
            </Form.Item>
          )}
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={make.isPending}>
              {t('screens.makeCode')}
            </Button>
          </Form.Item>
        </Form>
        {code && (
          <div className="gap" data-testid="pairing-code">
            <div className="muted">
              {t('screens.codeTitle')} · {code.name} · {kindName(code.kind)}
            </div>
            <div className="owner-code" data-testid="pairing-code-digits">
              {code.code}
            </div>
            <div className="owner-note">
              {t('screens.codeLead', { time: clockTime(code.expiresAt, zone) })}
            </div>
          </div>
        )}
      </Card>
      <Card title={t('screens.paired')}>
        <Table<ScreenView>
          rowKey="id"
          loading={screens.isFetching}
          dataSource={screens.data ?? []}
          pagination={false}
          columns={[
            { key: 'name', dataIndex: 'name', title: t('screens.name') },
            { key: 'kind', dataIndex: 'kind', title: t('screens.kind'), render: kindName },
            { key: 'pairedAt', title: t('screens.pairedAt'), render: (_, s) => when(s.pairedAt) },
            { key: 'lastSeen', title: t('screens.lastSeen'), render: (_, s) => when(s.lastSeenAt) },
            {
              key: 'status',
              title: t('screens.status'),
              render: (_, s) =>
                s.revokedAt ? (
                  <Tag>{t('screens.revoked')}</Tag>
                ) : (
                  <Tag color="green">{t('screens.active')}</Tag>
                ),
            },
            {
              key: 'unpair',
              render: (_, s) =>
                !s.revokedAt && (
                  <Popconfirm
                    title={t('screens.unpairConfirm', { name: s.name })}
                    okText={t('screens.unpair')}
                    cancelText={t('staff.cancel')}
                    onConfirm={() => unpair.mutate(s)}
                  >
                    <Button size="small" danger>
                      {t('screens.unpair')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
