// Customers (P3): find one by phone or id, see their sign-ins, profile edits, stores and appeals, freeze or
// unfreeze with a reason; the appeals waiting for an answer.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Input, List, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PlatformAppealView } from '@roomhub/shared-types';
import { ProfileEdits } from './penalties/ProfileEdits';
import { NS as EDITS_NS } from './penalties/words';
import { platform, PlatformRefusal } from './platform-client';
import { ReasonAction } from './ReasonAction';

export function UsersPage() {
  const { t } = useTranslation('platform');
  const { t: te } = useTranslation(EDITS_NS);
  const client = useQueryClient();
  const [query, setQuery] = useState('');
  const user = useQuery({
    queryKey: ['platform', 'user', query],
    queryFn: () => platform.user(query),
    enabled: query.length > 0,
  });
  const appeals = useQuery({ queryKey: ['platform', 'appeals'], queryFn: platform.appeals });
  const me = useQuery({ queryKey: ['platform', 'me'], queryFn: platform.me });
  const mayManage = me.data?.actions.includes('users.manage');
  const refresh = () => void client.invalidateQueries({ queryKey: ['platform'] });
  const u = user.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Typography.Title level={3}>{t('users.title')}</Typography.Title>
      <Input.Search
        placeholder={t('users.search')}
        enterButton
        style={{ maxWidth: 420 }}
        onSearch={(v) => setQuery(v.trim())}
        data-testid="user-search"
      />
      {user.error && (
        <Alert
          type="error"
          message={user.error instanceof PlatformRefusal ? user.error.message : String(user.error)}
        />
      )}
      {u && (
        <Card
          data-testid="user-card"
          title={
            <Space>
              <span>{u.phone ?? u.customerId}</span>
              {u.frozen ? (
                <Tag color="red">{t('users.frozen')}</Tag>
              ) : (
                <Tag color="green">{t('users.active')}</Tag>
              )}
            </Space>
          }
          extra={
            mayManage && (
              <ReasonAction
                danger={!u.frozen}
                label={u.frozen ? t('users.unfreeze') : t('users.freeze')}
                title={u.frozen ? t('users.unfreezeTitle') : t('users.freezeTitle')}
                testId="freeze"
                act={(reason) =>
                  platform.freeze(u.customerId, !u.frozen, reason, u.phone ?? undefined)
                }
                done={refresh}
              />
            )
          }
        >
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('users.customerId')}>{u.customerId}</Descriptions.Item>
            {u.frozen && (
              <Descriptions.Item label={t('users.frozenWhy')}>
                {t('users.frozenBy', {
                  reason: u.frozen.reason,
                  by: u.frozen.by,
                  at: new Date(u.frozen.at).toLocaleString(),
                })}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('users.stores')}>
              {u.stores.join('、') || '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('users.signIns')}>
              {u.signIns.length === 0
                ? '—'
                : u.signIns
                    .slice(0, 5)
                    .map((s) => `${new Date(s.at).toLocaleString()} (${t(`users.via.${s.via}`)})`)
                    .join('；')}
            </Descriptions.Item>
            <Descriptions.Item label={te('edits.title')}>
              <ProfileEdits edits={u.profileEdits} />
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      <Typography.Title level={4}>{t('users.appeals')}</Typography.Title>
      <Table
        rowKey="appealId"
        size="small"
        dataSource={appeals.data ?? []}
        pagination={false}
        columns={[
          { title: t('users.phone'), dataIndex: 'phone' },
          { title: t('users.appealText'), dataIndex: 'text' },
          {
            title: t('users.at'),
            render: (_: unknown, a: PlatformAppealView) => new Date(a.at).toLocaleString(),
          },
          {
            title: t('users.status'),
            render: (_: unknown, a: PlatformAppealView) =>
              a.status === 'open' && mayManage ? (
                <Space>
                  <ReasonAction
                    type="primary"
                    label={t('users.uphold')}
                    title={t('users.upholdTitle')}
                    act={(r) => platform.answerAppeal(a.appealId, 'uphold', r)}
                    done={refresh}
                  />
                  <ReasonAction
                    danger
                    label={t('users.reject')}
                    title={t('users.rejectTitle')}
                    act={(r) => platform.answerAppeal(a.appealId, 'reject', r)}
                    done={refresh}
                  />
                </Space>
              ) : (
                <List.Item.Meta
                  title={t(`users.appealStatus.${a.status}`)}
                  description={a.answer}
                />
              ),
          },
        ]}
      />
    </Space>
  );
}
