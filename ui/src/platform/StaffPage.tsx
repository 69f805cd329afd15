// The platform owner's staff page: who works for the platform in which roles; adding, changing
// and removing staff, each with its reason.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Card, Checkbox, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PLATFORM_ROLES, type PlatformRole, type PlatformStaffView } from '@roomhub/shared-types';
import { platform } from './platform-client';
import { ReasonAction } from './ReasonAction';

export function StaffPage() {
  const { t } = useTranslation('platform');
  const client = useQueryClient();
  const q = useQuery({ queryKey: ['platform', 'staff'], queryFn: platform.staff });
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<PlatformRole[]>([]);
  const refresh = () => void client.invalidateQueries({ queryKey: ['platform', 'staff'] });
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Typography.Title level={3}>{t('staff.title')}</Typography.Title>
      <Table
        rowKey="phone"
        dataSource={q.data ?? []}
        pagination={false}
        columns={[
          { title: t('staff.name'), dataIndex: 'name' },
          { title: t('staff.phone'), dataIndex: 'phone' },
          {
            title: t('staff.roles'),
            render: (_: unknown, s: PlatformStaffView) =>
              s.roles.map((r) => <Tag key={r}>{t(`roles.${r}`)}</Tag>),
          },
          {
            title: t('staff.enrolled'),
            render: (_: unknown, s: PlatformStaffView) =>
              s.enrolled ? (
                <Tag color="green">{t('staff.yes')}</Tag>
              ) : (
                <Tag>{t('staff.notYet')}</Tag>
              ),
          },
          {
            title: '',
            render: (_: unknown, s: PlatformStaffView) => (
              <ReasonAction
                danger
                label={t('staff.remove')}
                title={t('staff.removeTitle', { name: s.name })}
                act={(r) => platform.removeStaff(s.phone, r)}
                done={refresh}
              />
            ),
          },
        ]}
      />
      <Card title={t('staff.add')} style={{ maxWidth: 640 }}>
        <Form layout="vertical">
          <Form.Item label={t('staff.phone')}>
            <Input
              value={phone}
              onChange={(e) => setPhone(e.target.value.trim())}
              data-testid="staff-phone"
            />
          </Form.Item>
          <Form.Item label={t('staff.name')}>
            <Input
              value={name}
              onChange={(e) => setName(e.target.value)}
              data-testid="staff-name"
            />
          </Form.Item>
          <Form.Item label={t('staff.roles')}>
            <Checkbox.Group
              value={roles}
              onChange={(v) => setRoles(v as PlatformRole[])}
              options={PLATFORM_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            />
          </Form.Item>
          <ReasonAction
            type="primary"
            label={t('staff.save')}
            title={t('staff.saveTitle')}
            testId="staff-save"
            act={(reason) => platform.putStaff({ phone, name, roles, reason })}
            done={refresh}
          />
        </Form>
      </Card>
    </Space>
  );
}
