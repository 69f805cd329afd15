// Merchant onboarding (P1): applications with their documents, approve (giving each store its id)
// or send back with reasons; suspending a store hides it from customers; each merchant's
// penalties and limits (warning, hidden from search, no bookings online) and its deposit (保证金:
// pay-ins, fines, refunds of fines, returns) under its row.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Input, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MerchantApplicationView, MerchantView } from '@roomhub/shared-types';
import { MerchantDeposit } from './penalties/MerchantDeposit';
import { MerchantPenalties } from './penalties/MerchantPenalties';
import { platform } from './platform-client';
import { ReasonAction } from './ReasonAction';

const STATUS_COLOR = {
  draft: 'default',
  submitted: 'blue',
  approved: 'green',
  returned: 'orange',
} as const;

function Application({ a, onDone }: { a: MerchantApplicationView; onDone: () => void }) {
  const { t } = useTranslation('platform');
  const { message } = App.useApp();
  const [ids, setIds] = useState(a.stores.map(() => ''));
  const me = useQuery({ queryKey: ['platform', 'me'], queryFn: platform.me });
  const mayManage = me.data?.actions.includes('merchants.manage');
  return (
    <Card data-testid={`application-${a.applicationId}`} size="small">
      <Descriptions size="small" column={2}>
        <Descriptions.Item label={t('merchants.contact')}>{a.contactPhone}</Descriptions.Item>
        <Descriptions.Item label={t('merchants.applicant')}>{a.applicantPhone}</Descriptions.Item>
        <Descriptions.Item label={t('merchants.documents')} span={2}>
          <Space wrap>
            {a.documents.map((d) => (
              <Button
                key={d.kind}
                size="small"
                onClick={() =>
                  void platform
                    .documentUrl(a.applicationId, d.kind)
                    .then((url) => window.open(url, '_blank'))
                    .catch(() => message.error(t('merchants.openFailed')))
                }
              >
                {t(`merchants.kind.${d.kind}`)} · {Math.ceil(d.bytes / 1024)} KB
              </Button>
            ))}
          </Space>
        </Descriptions.Item>
        {a.reasons && (
          <Descriptions.Item label={t('merchants.reasons')} span={2}>
            {a.reasons}
          </Descriptions.Item>
        )}
      </Descriptions>
      <Table
        size="small"
        pagination={false}
        rowKey={(_, i) => String(i)}
        dataSource={a.stores.map((s, i) => ({ ...s, i }))}
        columns={[
          { title: t('merchants.storeName'), dataIndex: 'name' },
          { title: t('merchants.address'), dataIndex: 'address' },
          {
            title: t('merchants.storeId'),
            render: (_: unknown, s: { i: number }) =>
              a.status === 'approved' ? (
                <Space>
                  <Tag>{a.storeIds[s.i]}</Tag>
                  {mayManage && (
                    <ReasonAction
                      danger
                      label={t('merchants.suspend')}
                      title={t('merchants.suspendTitle')}
                      act={(reason) => platform.suspend(a.storeIds[s.i]!, true, reason)}
                    />
                  )}
                </Space>
              ) : (
                <Input
                  size="small"
                  placeholder="jingxin-xuhui"
                  value={ids[s.i]}
                  disabled={a.status !== 'submitted' || !mayManage}
                  onChange={(e) =>
                    setIds(ids.map((v, j) => (j === s.i ? e.target.value.trim() : v)))
                  }
                  data-testid={`store-id-${s.i}`}
                />
              ),
          },
        ]}
      />
      {a.status === 'submitted' && mayManage && (
        <Space style={{ marginTop: 12 }}>
          <ReasonAction
            type="primary"
            label={t('merchants.approve')}
            title={t('merchants.approveTitle')}
            testId="approve-application"
            act={(reason) =>
              platform.decideApplication(a.applicationId, {
                decision: 'approve',
                storeIds: ids,
                reason,
              })
            }
            done={onDone}
          />
          <ReasonAction
            danger
            label={t('merchants.return')}
            title={t('merchants.returnTitle')}
            testId="return-application"
            act={(reason) =>
              platform.decideApplication(a.applicationId, { decision: 'return', reason })
            }
            done={onDone}
          />
        </Space>
      )}
    </Card>
  );
}

export function MerchantsPage() {
  const { t } = useTranslation('platform');
  const client = useQueryClient();
  const q = useQuery({ queryKey: ['platform', 'applications'], queryFn: platform.applications });
  const list = useQuery({ queryKey: ['platform', 'merchants'], queryFn: platform.merchants });
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Typography.Title level={3}>{t('merchants.merchants')}</Typography.Title>
      <Table
        rowKey="phone"
        size="small"
        pagination={false}
        dataSource={list.data ?? []}
        expandable={{
          expandedRowRender: (m) => (
            <Space direction="vertical" style={{ width: '100%' }}>
              <MerchantPenalties m={m} />
              <MerchantDeposit m={m} />
            </Space>
          ),
        }}
        columns={[
          { title: t('merchants.name'), dataIndex: 'name' },
          { title: t('merchants.applicant'), dataIndex: 'phone' },
          {
            title: t('merchants.stores'),
            render: (_: unknown, m: MerchantView) =>
              m.storeIds.map((s) => (
                <Tag key={s} color={m.suspendedStores.includes(s) ? 'red' : undefined}>
                  {s}
                  {m.suspendedStores.includes(s) && ` · ${t('merchants.suspended')}`}
                </Tag>
              )),
          },
          {
            title: t('merchants.rating'),
            render: (_: unknown, m: MerchantView) =>
              m.rating.score === null
                ? t('merchants.noReviews')
                : t('merchants.ratingText', {
                    score: m.rating.score,
                    reviews: m.rating.reviews,
                    complaints: m.rating.complaints,
                    disputes: m.rating.disputes,
                    upheld: m.rating.upheld,
                    suspensions: m.rating.suspensions,
                  }),
          },
        ]}
      />
      <Typography.Title level={3}>{t('merchants.title')}</Typography.Title>
      <Table
        rowKey="applicationId"
        loading={q.isLoading}
        dataSource={q.data ?? []}
        pagination={{ pageSize: 20 }}
        expandable={{
          expandedRowRender: (a) => (
            <Application
              a={a}
              onDone={() =>
                void client.invalidateQueries({ queryKey: ['platform', 'applications'] })
              }
            />
          ),
          defaultExpandAllRows: true,
        }}
        columns={[
          { title: t('merchants.name'), dataIndex: 'merchantName' },
          {
            title: t('merchants.stores'),
            render: (_: unknown, a: MerchantApplicationView) => a.stores.length,
          },
          {
            title: t('merchants.status'),
            render: (_: unknown, a: MerchantApplicationView) => (
              <Tag color={STATUS_COLOR[a.status]}>{t(`merchants.statuses.${a.status}`)}</Tag>
            ),
          },
          {
            title: t('merchants.updated'),
            render: (_: unknown, a: MerchantApplicationView) =>
              new Date(a.updatedAt).toLocaleString(),
          },
        ]}
      />
    </Space>
  );
}
