// The platform's live overview (P5): users, merchants, stores online, today's orders and revenue,
// orders and revenue by day and by region, the stores and the latest anomalies, each explained.
// Read again every few seconds while the page is open.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Card,
  Col,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import type { OverviewStore } from '@roomhub/shared-types';
import { overviewApi } from './overview-client';
import { OverviewChart } from './OverviewChart';
import { ordersAndRevenueByDay, revenueByRegion } from './transforms';
import { AnomalyList } from '../../components/anomaly-list';
import { NS } from './words';

const REFRESH_S = 5;
const yuan = (fen: number) => (fen / 100).toFixed(2);

export function OverviewPage() {
  const { t } = useTranslation(NS);
  const [days, setDays] = useState(14);
  const [region, setRegion] = useState<string | undefined>();
  const q = useQuery({
    queryKey: ['platform', 'overview', days, region],
    queryFn: () => overviewApi.overview({ days, ...(region ? { region } : {}) }),
    refetchInterval: REFRESH_S * 1000,
  });
  const all = useQuery({
    queryKey: ['platform', 'overview', days, 'regions'],
    queryFn: () => overviewApi.overview({ days }),
    refetchInterval: 60_000,
  });
  if (q.isError)
    return <Alert type="error" title={t('overview.failed', { message: q.error.message })} />;
  const o = q.data;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="platform-overview">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('overview.title')}
        </Typography.Title>
        <Space wrap>
          <Segmented
            value={days}
            onChange={(v) => setDays(Number(v))}
            options={[7, 14, 30].map((d) => ({ value: d, label: t('overview.days', { days: d }) }))}
          />
          <Select
            style={{ minWidth: 140 }}
            value={region ?? ''}
            onChange={(v) => setRegion(v || undefined)}
            options={[
              { value: '', label: t('overview.allRegions') },
              ...(all.data?.byRegion ?? []).map((r) => ({ value: r.region, label: r.region })),
            ]}
          />
        </Space>
      </Space>
      {o && (
        <Typography.Text type="secondary" data-testid="overview-live">
          {t('overview.live', {
            seconds: REFRESH_S,
            time: new Date(o.at).toLocaleTimeString('zh-CN', {
              timeZone: 'Asia/Shanghai',
              hour12: false,
            }),
          })}
        </Typography.Text>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={12} md={8} xl={4}>
          <Card loading={!o}>
            <Statistic title={t('overview.users')} value={o?.totals.users ?? 0} />
            <Typography.Text type="secondary">
              {t('overview.newUsers', { count: o?.today.newUsers ?? 0 })}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card loading={!o}>
            <Statistic title={t('overview.merchants')} value={o?.totals.merchants ?? 0} />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card loading={!o}>
            <Statistic
              title={t('overview.stores')}
              value={t('overview.storesOnline', {
                online: o?.totals.storesOnline ?? 0,
                total: o?.totals.stores ?? 0,
              })}
            />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card loading={!o}>
            <Statistic
              title={t('overview.ordersToday')}
              value={o?.today.orders ?? 0}
              data-testid="orders-today"
            />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card loading={!o}>
            <Statistic
              title={t('overview.netToday')}
              value={yuan(o?.today.net ?? 0)}
              data-testid="net-today"
            />
            <Typography.Text type="secondary">
              {t('overview.receivedToday', {
                received: yuan(o?.today.received ?? 0),
                refunded: yuan(o?.today.refunded ?? 0),
              })}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card loading={!o}>
            <Statistic
              title={t('overview.openAnomalies')}
              value={o?.anomalies.open ?? 0}
              valueStyle={{ color: o?.anomalies.open ? '#c0392b' : undefined }}
            />
          </Card>
        </Col>
      </Row>
      {o && (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <Card title={t('overview.byDay')}>
              <OverviewChart
                testId="chart-by-day"
                option={ordersAndRevenueByDay(o.byDay, {
                  orders: t('overview.orders'),
                  net: t('overview.net'),
                })}
              />
            </Card>
          </Col>
          <Col xs={24} xl={10}>
            <Card title={t('overview.byRegion')}>
              <OverviewChart
                testId="chart-by-region"
                option={revenueByRegion(o.byRegion, t('overview.net'))}
              />
            </Card>
          </Col>
          <Col xs={24} xl={10}>
            <Card title={t('overview.storeList')}>
              <Table<OverviewStore>
                size="small"
                rowKey="storeId"
                pagination={false}
                dataSource={o.stores}
                columns={[
                  { title: t('overview.store'), dataIndex: 'name' },
                  { title: t('overview.region'), dataIndex: 'region' },
                  {
                    title: t('overview.orders'),
                    dataIndex: 'orders',
                    align: 'right',
                    // A short header column: its word stays on one line beside the figures.
                    onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }),
                  },
                  {
                    title: t('overview.net'),
                    dataIndex: 'net',
                    align: 'right',
                    render: (v: number) => yuan(v),
                  },
                  {
                    title: t('overview.lastAlive'),
                    dataIndex: 'online',
                    render: (online: boolean) =>
                      online ? (
                        <Tag color="green">{t('overview.online')}</Tag>
                      ) : (
                        <Tag color="red">{t('overview.offline')}</Tag>
                      ),
                  },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={14}>
            <Card title={t('overview.latestAnomalies')}>
              <AnomalyList anomalies={o.anomalies.latest} compact />
            </Card>
          </Col>
        </Row>
      )}
    </Space>
  );
}
