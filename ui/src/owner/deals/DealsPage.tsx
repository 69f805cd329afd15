// Deals and platform vouchers (O7): the store's own deals (price, group size, validity, purchase
// limit, stock, refund rules, what a voucher buys) made, changed and stopped; Meituan / Douyin
// deals mapped to what they buy here; each deal's sales and redemptions; the redemptions of a day
// with their source, face value and settled amount; the check of a day against each platform's
// own list; and whether platform vouchers are taken while the store is offline. The platforms'
// tokens are the cloud's: the hub never holds them and this page never shows one.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Input,
  Modal,
  Popconfirm,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
} from 'antd';
import { useTranslation } from 'react-i18next';
import type {
  DealView,
  ReconciliationView,
  RedemptionView,
  StaffRole,
} from '@roomhub/shared-types';
import { owner, ownerDeals } from '../../api/owner-client';
import { counter } from '../../api/counter-client';
import { clockTime, localDate } from '../../components/store-time';
import { yuan } from '../../components/yuan';
import { ownerRefusal } from '../refusal-text';
import { ownerMay } from '../role-access';
import { DealForm } from './DealForm';
import { DealPrice, SOURCE_COLOUR, STATUS_COLOUR, dealBuys, dealRules } from './deal-cells';
import { dayBefore, dealTotals } from './deal-totals';

export function DealsPage({ role }: { role: StaffRole }) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const store = useQuery({ queryKey: ['store'], queryFn: owner.store });
  const rooms = useQuery({ queryKey: ['rooms'], queryFn: counter.rooms });
  const zone = store.data?.timeZone ?? 'Asia/Shanghai';
  const today = localDate(new Date().toISOString(), zone);
  const [day, setDay] = useState<string>(today);
  const [editing, setEditing] = useState<DealView | 'new' | null>(null);

  const deals = useQuery({ queryKey: ['deals'], queryFn: ownerDeals.deals });
  const from = dayBefore(today, 29);
  const stats = useQuery({
    queryKey: ['voucher-stats', from, today],
    queryFn: () => ownerDeals.redemptionStats(from, today),
  });
  const redemptions = useQuery({
    queryKey: ['redemptions', day],
    queryFn: () => ownerDeals.redemptions(day),
  });
  const reconciliation = useQuery({
    queryKey: ['reconciliation', day],
    queryFn: () => ownerDeals.reconciliation(day),
    retry: false,
  });
  const settings = useQuery({
    queryKey: ['voucher-settings'],
    queryFn: ownerDeals.voucherSettings,
  });

  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['deals'] });
  };
  const setStatus = useMutation({
    mutationFn: (v: { deal: DealView; status: DealView['status'] }) =>
      ownerDeals.patchDeal(v.deal.id, { status: v.status }),
    onSuccess: (d) => {
      void message.success(t(`deals.statusDone.${d.status}`, { title: d.title }));
      refresh();
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  const offline = useMutation({
    mutationFn: (provisionalOffline: boolean) =>
      ownerDeals.setVoucherSettings({ provisionalOffline }),
    onSuccess: () => {
      void message.success(t('deals.settingsSaved'));
      void client.invalidateQueries({ queryKey: ['voucher-settings'] });
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });

  const totals = dealTotals(stats.data ?? []);
  const mayEdit = ownerMay(role, 'deals');
  const when = (at: string) => `${localDate(at, zone)} ${clockTime(at, zone)}`;
  const roomName = (id: string) => rooms.data?.find((r) => r.id === id)?.name ?? id;
  const buys = (d: DealView) => dealBuys(t, d, roomName);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={t('deals.title')}
        extra={
          mayEdit && (
            <Button type="primary" onClick={() => setEditing('new')} data-testid="new-deal">
              {t('deals.new')}
            </Button>
          )
        }
      >
        <p className="owner-note">{t('deals.lead')}</p>
        <Table<DealView>
          rowKey="id"
          data-testid="deals"
          loading={deals.isFetching}
          dataSource={deals.data ?? []}
          pagination={false}
          locale={{ emptyText: t('deals.none') }}
          columns={[
            {
              title: t('deals.deal'),
              render: (_, d) => (
                <Space direction="vertical" size={0}>
                  <strong>{d.title}</strong>
                  <span className="muted">{buys(d)}</span>
                </Space>
              ),
            },
            {
              title: t('deals.source'),
              render: (_, d) => (
                <Space direction="vertical" size={0}>
                  <Tag color={SOURCE_COLOUR[d.source]}>{t(`deals.sources.${d.source}`)}</Tag>
                  {d.platformDealId && <span className="muted">{d.platformDealId}</span>}
                </Space>
              ),
            },
            {
              title: t('deals.price'),
              render: (_, d) => <DealPrice t={t} d={d} />,
            },
            {
              title: t('deals.rules'),
              render: (_, d) => <span className="muted">{dealRules(t, d)}</span>,
            },
            {
              title: t('deals.sold'),
              render: (_, d) => (
                <span data-testid={`sold-${d.id}`}>
                  {d.stock !== null ? `${d.sold} / ${d.stock}` : d.sold}
                </span>
              ),
            },
            {
              title: t('deals.redeemed'),
              render: (_, d) => {
                const x = totals.byDeal.get(d.id);
                return x ? `${x.count} · ¥${yuan(x.faceValue)}` : '0';
              },
            },
            {
              title: t('deals.status'),
              render: (_, d) => (
                <Tag color={STATUS_COLOUR[d.status]}>{t(`deals.statuses.${d.status}`)}</Tag>
              ),
            },
            {
              title: '',
              render: (_, d) =>
                mayEdit && (
                  <Space>
                    <Button size="small" onClick={() => setEditing(d)}>
                      {t('deals.edit')}
                    </Button>
                    {d.status === 'on_sale' ? (
                      <Popconfirm
                        title={t('deals.stopConfirm', { title: d.title })}
                        okText={t('deals.stop')}
                        cancelText={t('common.cancel')}
                        onConfirm={() => setStatus.mutate({ deal: d, status: 'off_sale' })}
                      >
                        <Button size="small" danger>
                          {t('deals.stop')}
                        </Button>
                      </Popconfirm>
                    ) : (
                      <Button
                        size="small"
                        onClick={() => setStatus.mutate({ deal: d, status: 'on_sale' })}
                      >
                        {t('deals.putOnSale')}
                      </Button>
                    )}
                  </Space>
                ),
            },
          ]}
        />
      </Card>

      <Card title={t('deals.last30')}>
        <Space size={32} wrap data-testid="voucher-totals">
          {(['own', 'meituan', 'douyin'] as const).map((s) => {
            const x = totals.bySource[s];
            return (
              <Statistic
                key={s}
                title={t(`deals.sources.${s}`)}
                value={x.count}
                suffix={
                  <span className="muted" style={{ fontSize: 13 }}>
                    {t('deals.faceSettled', {
                      face: yuan(x.faceValue),
                      settled: yuan(x.settleAmount),
                    })}
                  </span>
                }
              />
            );
          })}
        </Space>
      </Card>

      <Card
        title={t('deals.redemptions')}
        extra={
          <Input
            type="date"
            aria-label={t('deals.day')}
            data-testid="redemption-day"
            value={day}
            max={today}
            onChange={(e) => e.target.value && setDay(e.target.value)}
          />
        }
      >
        <Table<RedemptionView>
          rowKey="id"
          size="small"
          data-testid="redemptions"
          loading={redemptions.isFetching}
          dataSource={redemptions.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('deals.noRedemptions') }}
          columns={[
            { title: t('deals.at'), render: (_, r) => when(r.at) },
            {
              title: t('deals.source'),
              render: (_, r) => (
                <Tag color={SOURCE_COLOUR[r.source]}>{t(`deals.sources.${r.source}`)}</Tag>
              ),
            },
            { title: t('deals.code'), dataIndex: 'maskedCode' },
            { title: t('deals.deal'), dataIndex: 'dealTitle' },
            { title: t('deals.booking'), dataIndex: 'bookingNumber' },
            { title: t('deals.faceValue'), render: (_, r) => `¥${yuan(r.faceValue)}` },
            { title: t('deals.settled'), render: (_, r) => `¥${yuan(r.settleAmount)}` },
            {
              title: t('deals.status'),
              render: (_, r) => t(`deals.redemptionStatuses.${r.status}`),
            },
          ]}
        />
        <h3 className="gap">{t('deals.reconciliation')}</h3>
        {reconciliation.isError ? (
          <Alert type="warning" showIcon message={ownerRefusal(t, reconciliation.error)} />
        ) : (reconciliation.data ?? []).length === 0 ? (
          <p className="muted" data-testid="reconciliation-none">
            {t('deals.noPlatformDeals')}
          </p>
        ) : (
          <Table<ReconciliationView>
            rowKey="platform"
            size="small"
            pagination={false}
            data-testid="reconciliation"
            dataSource={reconciliation.data ?? []}
            columns={[
              { title: t('deals.source'), render: (_, r) => t(`deals.sources.${r.platform}`) },
              { title: t('deals.matched'), dataIndex: 'matched' },
              { title: t('deals.onlyAtPlatform'), render: (_, r) => r.onlyAtPlatform.length },
              { title: t('deals.onlyHere'), render: (_, r) => r.onlyHere.length },
              { title: t('deals.amountsDiffer'), render: (_, r) => r.amountsDiffer.length },
              { title: t('deals.waiting'), dataIndex: 'waiting' },
            ]}
          />
        )}
      </Card>

      <Card title={t('deals.platforms')}>
        <p className="owner-note">{t('deals.platformsLead')}</p>
        <Space>
          <Switch
            data-testid="provisional-offline"
            checked={settings.data?.provisionalOffline ?? false}
            disabled={!ownerMay(role, 'voucherSettings') || !settings.data}
            loading={offline.isPending}
            onChange={(on) => offline.mutate(on)}
          />
          <span>{t('deals.provisionalOffline')}</span>
        </Space>
      </Card>

      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('deals.new') : t('deals.edit')}
        footer={null}
        destroyOnHidden
        width={720}
        onCancel={() => setEditing(null)}
      >
        {editing !== null && (
          <DealForm
            deal={editing === 'new' ? null : editing}
            rooms={(rooms.data ?? []).map((r) => ({ id: r.id, name: r.name }))}
            onSaved={(d) => {
              if (d) void message.success(t('deals.saved', { title: d.title }));
              setEditing(null);
              refresh();
            }}
          />
        )}
      </Modal>
    </Space>
  );
}
