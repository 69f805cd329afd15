// Staff (O9): who works in the store and in what role; the owner or a manager adds someone with a
// first PIN, changes a role, disables a leaver, or sets a new PIN for someone who forgot theirs.
// Who may manage whom is the hub's rule (a manager cannot make an owner); its refusal is shown.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  StaffRoleSchema,
  type SignedIn,
  type StaffRole,
  type StaffView,
} from '@roomhub/shared-types';
import { owner } from '../../api/owner-client';
import { ownerRefusal } from '../refusal-text';

const ROLES = StaffRoleSchema.options;

export function StaffPage({ me }: { me: SignedIn }) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['staff'], queryFn: owner.staff });
  const [adding, setAdding] = useState(false);
  const [pinFor, setPinFor] = useState<StaffView | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ['staff'] });
  const fail = (e: unknown) => void message.error(ownerRefusal(t, e));
  const patch = useMutation({
    mutationFn: (v: { s: StaffView; role?: StaffRole; status?: 'active' | 'disabled' }) =>
      owner.patchStaff(v.s.id, {
        ...(v.role ? { role: v.role } : {}),
        ...(v.status ? { status: v.status } : {}),
      }),
    onSuccess: (s, v) => {
      if (v.role)
        void message.success(t('staff.roleChanged', { name: s.name, role: t(`roles.${s.role}`) }));
      void refresh();
    },
    onError: fail,
  });
  const roleName = (r: StaffRole) => t(`roles.${r}`);
  return (
    <Card
      title={t('staff.title')}
      extra={
        <Button type="primary" onClick={() => setAdding(true)}>
          {t('staff.add')}
        </Button>
      }
    >
      <Table<StaffView>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data ?? []}
        pagination={false}
        columns={[
          { key: 'name', dataIndex: 'name', title: t('staff.name') },
          {
            key: 'role',
            title: t('staff.role'),
            render: (_, s) => (
              <Select<StaffRole>
                aria-label={`${t('staff.role')} ${s.name}`}
                style={{ width: 140 }}
                value={s.role}
                disabled={s.id === me.staff.id}
                options={ROLES.map((r) => ({ value: r, label: roleName(r) }))}
                onChange={(role) => patch.mutate({ s, role })}
              />
            ),
          },
          {
            key: 'status',
            title: t('staff.status'),
            render: (_, s) =>
              s.status === 'active' ? (
                <Tag color="green">{t('staff.active')}</Tag>
              ) : (
                <Tag>{t('staff.disabled')}</Tag>
              ),
          },
          {
            key: 'actions',
            title: t('staff.actions'),
            render: (_, s) => (
              <Space>
                <Button size="small" onClick={() => setPinFor(s)}>
                  {t('staff.resetPin')}
                </Button>
                {s.id !== me.staff.id &&
                  (s.status === 'active' ? (
                    // Disabling ends the person's sign-ins at once: asked before, not undone by a slip.
                    <Popconfirm
                      title={t('staff.disableConfirm', { name: s.name })}
                      okText={t('staff.disable')}
                      cancelText={t('staff.cancel')}
                      onConfirm={() => patch.mutate({ s, status: 'disabled' })}
                    >
                      <Button size="small" danger>
                        {t('staff.disable')}
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Button size="small" onClick={() => patch.mutate({ s, status: 'active' })}>
                      {t('staff.enable')}
                    </Button>
                  ))}
              </Space>
            ),
          },
        ]}
      />
      <AddStaff open={adding} onClose={() => setAdding(false)} onAdded={() => void refresh()} />
      <ResetPin staff={pinFor} onClose={() => setPinFor(null)} />
    </Card>
  );
}

function AddStaff({
  open,
  onClose,
  onAdded,
}: {
  open: boolean;
  onClose: () => void;
  onAdded: () => void;
}) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; role: StaffRole; pin: string }>();
  const add = useMutation({
    mutationFn: owner.addStaff,
    onSuccess: (s) => {
      void message.success(t('staff.added', { name: s.name }));
      form.resetFields();
      onAdded();
      onClose();
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  return (
    <Modal
      open={open}
      title={t('staff.add')}
      okText={t('staff.save')}
      cancelText={t('staff.cancel')}
      confirmLoading={add.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => add.mutate(v))}
    >
      <Form form={form} layout="vertical" initialValues={{ role: 'cashier' }}>
        <Form.Item
          name="name"
          label={t('staff.name')}
          rules={[{ required: true, whitespace: true, message: t('staff.nameRule') }]}
        >
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="role" label={t('staff.role')}>
          <Select options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </Form.Item>
        <Form.Item
          name="pin"
          label={t('staff.pin')}
          rules={[{ required: true, pattern: /^\d{6,12}$/, message: t('staff.pinRule') }]}
        >
          <Input.Password inputMode="numeric" autoComplete="new-password" maxLength={12} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ResetPin({ staff, onClose }: { staff: StaffView | null; onClose: () => void }) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const [pin, setPin] = useState('');
  const reset = useMutation({
    mutationFn: (v: { id: string; pin: string }) => owner.resetPin(v.id, v.pin),
    onSuccess: () => {
      void message.success(t('staff.pinReset', { name: staff?.name }));
      setPin('');
      onClose();
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  return (
    <Modal
      open={staff !== null}
      title={`${t('staff.resetPin')} · ${staff?.name ?? ''}`}
      okText={t('staff.save')}
      cancelText={t('staff.cancel')}
      okButtonProps={{ disabled: !/^\d{6,12}$/.test(pin) }}
      confirmLoading={reset.isPending}
      onCancel={onClose}
      onOk={() => staff && reset.mutate({ id: staff.id, pin })}
    >
      <Input.Password
        inputMode="numeric"
        autoComplete="new-password"
        maxLength={12}
        placeholder={t('staff.newPin')}
        aria-label={t('staff.newPin')}
        value={pin}
        onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
      />
    </Modal>
  );
}
