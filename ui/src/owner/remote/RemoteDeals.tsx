// One store's deals seen from afar, as its hub published them: every status, what each buys,
// its price and rules, and how many of a limited stock are sold (online and in the store).
// Read-only: deals are made, changed and put on sale on the store's own dashboard.
import { useQuery } from '@tanstack/react-query';
import { Card, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OwnerDeals } from '@roomhub/shared-types';
import { remoteOwner } from '../../api/owner-remote-client';
import { yuan } from '../../components/yuan';
import { SOURCE_COLOUR, STATUS_COLOUR } from '../deals/DealsPage';
import { ownerRefusal } from '../refusal-text';

type Deal = OwnerDeals['deals'][number];

export function RemoteDeals({ storeId, storeName }: { storeId: string; storeName: string }) {
  const { t } = useTranslation('owner');
  const read = useQuery({
    queryKey: ['remote', storeId, 'deals'],
    queryFn: () => remoteOwner.deals(storeId),
    refetchInterval: 60_000,
  });
  const buys = (d: Deal) => {
    const e = d.entitlement;
    const parts = [
      e.kind === 'session'
        ? t('deals.buysSession', { pkg: e.packageId })
        : t('deals.buysHours', { hours: e.minutes / 60 }),
    ];
    if (e.dayTypes.length) parts.push(e.dayTypes.map((x) => t(`deals.dayTypes.${x}`)).join('、'));
    if (e.bands.length) parts.push(e.bands.map((b) => `${b.from}-${b.to}`).join('、'));
    if (e.maxPartySize) parts.push(t('deals.upTo', { n: e.maxPartySize }));
    return parts.join(' · ');
  };
  return (
    <Card
      title={t('remote.deals.title', { store: storeName })}
      className="gap"
      data-testid={`deals-${storeId}`}
    >
      {read.isError && <p>{ownerRefusal(t, read.error)}</p>}
      <Table<Deal>
        rowKey="dealId"
        size="small"
        pagination={false}
        loading={read.isPending}
        dataSource={read.data?.deals ?? []}
        locale={{ emptyText: t('remote.deals.none') }}
        onRow={(d) => ({ 'data-deal': d.title }) as object}
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
              <Tag color={SOURCE_COLOUR[d.source]}>{t(`deals.sources.${d.source}`)}</Tag>
            ),
          },
          {
            title: t('deals.price'),
            render: (_, d) =>
              d.source === 'own' ? (
                <span>
                  ¥{yuan(d.price)}
                  {d.originalPrice !== null && <s className="muted"> ¥{yuan(d.originalPrice)}</s>}
                </span>
              ) : (
                <span className="muted">{t('deals.platformPrice')}</span>
              ),
          },
          {
            title: t('deals.rules'),
            render: (_, d) => (
              <span className="muted">
                {[
                  d.groupSize > 1 ? t('deals.groupOf', { n: d.groupSize, h: d.groupHours }) : '',
                  t('deals.validFor', { n: d.validDays }),
                  d.perCustomerLimit ? t('deals.limitOf', { n: d.perCustomerLimit }) : '',
                  d.refundAnyTime ? t('deals.refundAnyTime') : '',
                  d.refundOnExpiry ? t('deals.refundOnExpiry') : '',
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            ),
          },
          {
            title: t('deals.sold'),
            render: (_, d) =>
              d.stock === null ? t('remote.deals.noStock') : `${d.sold ?? 0} / ${d.stock}`,
          },
          {
            title: t('deals.status'),
            render: (_, d) => (
              <Tag color={STATUS_COLOUR[d.status]}>{t(`deals.statuses.${d.status}`)}</Tag>
            ),
          },
        ]}
      />
      <p className="muted">{t('remote.deals.changeAtStore')}</p>
    </Card>
  );
}
