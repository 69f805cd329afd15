// Statistics (O10): the owner picks a range, the hub counts every figure from its ledgers and
// bookings, and the page draws them: summary figures, charts made by the tested transforms, and
// each table with its CSV download (the owner's alone, as the hub's permission table says).
import { Suspense, lazy, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Empty, Segmented, Spin, Statistic, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type {
  EnergyRoomRow,
  StaffRole,
  StatsRangeKind,
  StatsTable,
  StoreStatsRow,
} from '@roomhub/shared-types';
import { hubStats, type OwnerStatsSource, type StatsRange } from '../../api/owner-client';
import { yuan } from '../../components/yuan';
import { ownerRefusal } from '../refusal-text';
import { ownerMay } from '../role-access';
import {
  hoursPerRoom,
  memberGrowth,
  popularSlots,
  revenueByChannel,
  revenueByDay,
  utilisationHeatmap,
  type ChartOption,
} from './transforms';

// ECharts is most of this page's weight: fetched once the statistics are opened, so signing in
// and the staff pages load at once.
const LazyChart = lazy(() => import('./Chart').then((m) => ({ default: m.Chart })));
function Chart(props: { option: ChartOption; height?: number; testId: string }) {
  return (
    <Suspense fallback={<div style={{ height: props.height ?? 280 }} />}>
      <LazyChart {...props} />
    </Suspense>
  );
}

const RANGES: StatsRangeKind[] = ['today', 'yesterday', '7d', '30d', 'custom'];
const money = (fen: number) => `¥${yuan(fen)}`;
const percent = (share: number) => `${Math.round(share * 100)}%`;

/**
 * The statistics of the store that serves the page (the hub's), or, served by the cloud, of one of
 * the owner's stores or all of them with a line per store (`source`).
 */
export function StatsPage({
  role,
  source = hubStats,
}: {
  role: StaffRole;
  source?: OwnerStatsSource;
}) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const [range, setRange] = useState<StatsRange>({ range: 'today' });
  const ready = range.range !== 'custom' || (range.from && range.to);
  const stats = useQuery({
    queryKey: ['stats', ...source.key, range],
    queryFn: () => source.stats(range),
    enabled: Boolean(ready),
  });
  const mayExport = ownerMay(role, 'exportCsv');
  const exportButton = (table: StatsTable) =>
    mayExport ? (
      <Button
        size="small"
        data-testid={`csv-${table}`}
        onClick={() =>
          source.downloadCsv(table, range).then(
            (file) => message.success(t('stats.exported', { file })),
            (e: unknown) => message.error(ownerRefusal(t, e)),
          )
        }
      >
        {t('stats.exportCsv')}
      </Button>
    ) : null;
  const section = (table: StatsTable, title: string, body: ReactNode, wide = false) => (
    <Card
      key={table}
      title={title}
      extra={exportButton(table)}
      className={wide ? 'wide' : undefined}
      data-testid={`section-${table}`}
    >
      {body}
    </Card>
  );
  const col = <T,>(key: keyof T & string, title: string, render?: (v: never, r: T) => ReactNode) =>
    ({
      key,
      dataIndex: key,
      title: t(`stats.cols.${title}`),
      ...(render ? { render } : {}),
    }) as ColumnsType<T>[number];
  const moneyCol = <T,>(key: keyof T & string, title: string = key) =>
    ({
      ...col<T>(key, title, (v: number | null) => (v === null ? '—' : money(v))),
      align: 'right',
    }) as ColumnsType<T>[number];
  const table = <T extends object>(rows: readonly T[], columns: ColumnsType<T>, rowKey: string) => (
    <Table<T>
      size="small"
      // A month's days would make a card as long as the page: ten rows at a time.
      pagination={rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
      rowKey={(r) => String((r as Record<string, unknown>)[rowKey])}
      dataSource={rows as T[]}
      columns={columns}
      locale={{
        emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('stats.empty')} />,
      }}
    />
  );

  const s = stats.data;
  return (
    <div>
      <div className="owner-toolbar">
        <Segmented<StatsRangeKind>
          data-testid="range"
          value={range.range}
          options={RANGES.map((r) => ({ value: r, label: t(`stats.range.${r}`) }))}
          onChange={(r) => setRange(r === 'custom' ? { range: r } : { range: r })}
        />
        {range.range === 'custom' && (
          <DatePicker.RangePicker
            aria-label={t('stats.pickDays')}
            onChange={(days) => {
              const [from, to] = days ?? [];
              if (from && to)
                setRange({
                  range: 'custom',
                  from: from.format('YYYY-MM-DD'),
                  to: to.format('YYYY-MM-DD'),
                });
            }}
          />
        )}
        {s && (
          <span className="muted" data-testid="range-line">
            {t('stats.rangeLine', { from: s.range.from, to: s.range.to, days: s.range.days })}
          </span>
        )}
      </div>
      {stats.isError && <Card>{ownerRefusal(t, stats.error)}</Card>}
      {!s && stats.isFetching && <Spin size="large" />}
      {s && (
        <div className="owner-grid">
          <Card className="wide">
            <div className="owner-toolbar" style={{ gap: 48, marginBottom: 0 }}>
              <Statistic
                title={t('stats.cards.net')}
                value={money(s.revenue.total.net)}
                valueRender={(v) => <span data-testid="net-total">{v}</span>}
              />
              <Statistic
                title={t('stats.cards.bookings')}
                value={money(s.revenue.total.bookings)}
              />
              <Statistic title={t('stats.cards.orders')} value={money(s.revenue.total.orders)} />
              <Statistic
                title={t('stats.cards.refunded')}
                value={money(s.revenue.total.refunded)}
              />
            </div>
          </Card>
          {s.stores && s.stores.length > 0 && (
            <Card className="wide" title={t('stats.sections.stores')} data-testid="section-stores">
              {table<StoreStatsRow>(
                s.stores,
                [
                  col('name', 'store'),
                  moneyCol('received'),
                  moneyCol('refunded'),
                  moneyCol('net'),
                  col('bookings', 'bookingCount'),
                  col('hours', 'hours'),
                  col('share', 'share', (v: number) => percent(v)),
                  col('membersJoined', 'joined'),
                  col('updatedAt', 'publishedAt', (v: string | null) =>
                    v === null ? t('stats.notPublished') : v.slice(0, 16).replace('T', ' '),
                  ),
                ],
                'storeId',
              )}
            </Card>
          )}
          {section(
            'revenue',
            t('stats.sections.revenue'),
            <>
              <Chart
                testId="chart-revenue"
                option={revenueByChannel(
                  s.revenue.rows,
                  (c) => t(`channels.${c}`),
                  t('stats.cols.net'),
                )}
              />
              {table(
                s.revenue.rows,
                [
                  col('channel', 'channel', (c: string) => t(`channels.${c}`)),
                  moneyCol('bookings'),
                  moneyCol('orders'),
                  moneyCol('refunded'),
                  moneyCol('net'),
                  moneyCol('faceValue'),
                  moneyCol('settled'),
                ],
                'channel',
              )}
            </>,
          )}
          {section(
            'revenue_by_day',
            t('stats.sections.revenueByDay'),
            <>
              <Chart
                testId="chart-revenue-by-day"
                option={revenueByDay(s.revenueByDay, {
                  received: t('stats.cols.received'),
                  refunded: t('stats.cols.refunded'),
                  net: t('stats.cols.net'),
                })}
              />
              {table(
                s.revenueByDay,
                [col('date', 'date'), moneyCol('received'), moneyCol('refunded'), moneyCol('net')],
                'date',
              )}
            </>,
          )}
          {section(
            'heatmap',
            t('stats.sections.heatmap'),
            <Chart
              testId="chart-heatmap"
              height={320}
              option={utilisationHeatmap(
                s.heatmap,
                [1, 2, 3, 4, 5, 6, 7].map((d) => t(`weekdays.${d}`)),
              )}
            />,
            true,
          )}
          {section(
            'rooms',
            t('stats.sections.rooms'),
            <>
              <Chart testId="chart-rooms" option={hoursPerRoom(s.rooms, t('stats.cols.hours'))} />
              {table(
                s.rooms,
                [
                  col('roomName', 'room'),
                  col('bookings', 'bookingCount'),
                  col('hours', 'hours', (h: number) => h.toFixed(1)),
                  col('share', 'share', (v: number) => percent(v)),
                ],
                'roomId',
              )}
            </>,
          )}
          {section(
            'slots',
            t('stats.sections.slots'),
            <>
              <Chart
                testId="chart-slots"
                option={popularSlots(s.slots, t('stats.cols.bookingCount'))}
              />
              {table(
                s.slots,
                [
                  col('start', 'start'),
                  col('bookings', 'bookingCount'),
                  col('hours', 'hours', (h: number) => h.toFixed(1)),
                ],
                'start',
              )}
            </>,
          )}
          {section(
            'bookings',
            t('stats.sections.bookings'),
            table(
              s.bookings,
              [
                col('status', 'status', (v: string) =>
                  t(`stats.bookingStatus.${v}`, { defaultValue: v }),
                ),
                col('count', 'count'),
                moneyCol('total', 'bills'),
              ],
              'status',
            ),
          )}
          {section(
            'products',
            t('stats.sections.products'),
            table(
              s.products,
              [col('name', 'item'), col('quantity', 'quantity'), moneyCol('revenue')],
              'itemId',
            ),
          )}
          {section(
            'deals',
            t('stats.sections.deals'),
            table(
              s.deals.map((d) => ({ ...d, key: `${d.source}:${d.dealId ?? d.dealTitle}` })),
              [
                col('source', 'source', (v: string) => t(`stats.sources.${v}`)),
                col('dealTitle', 'deal'),
                col('redeemed', 'redeemed'),
                moneyCol('faceValue'),
                moneyCol('settled'),
              ],
              'key',
            ),
          )}
          {section(
            'wallet',
            t('stats.sections.wallet'),
            <>
              {table(
                s.wallet.topUps,
                [
                  col('method', 'method', (m: string) =>
                    t(`channels.${m}`, {
                      defaultValue: t(`stats.topUp.${m}`, { defaultValue: m }),
                    }),
                  ),
                  col('count', 'count'),
                  moneyCol('principal'),
                  moneyCol('bonus'),
                ],
                'method',
              )}
              <p className="owner-note" data-testid="owed">
                {t('stats.owed', {
                  principal: yuan(s.wallet.owed.principal),
                  bonus: yuan(s.wallet.owed.bonus),
                  wallets: s.wallet.owed.wallets,
                })}
              </p>
            </>,
          )}
          {section(
            'members',
            t('stats.sections.members'),
            <>
              <Chart
                testId="chart-members"
                option={memberGrowth(s.members, {
                  joined: t('stats.cols.joined'),
                  total: t('stats.cols.total'),
                })}
              />
              {table(
                s.members,
                [col('date', 'date'), col('joined', 'joined'), col('total', 'total')],
                'date',
              )}
            </>,
          )}
          {section(
            'refunds',
            t('stats.sections.refunds'),
            <>
              {table(
                s.refunds.rows.map((r) => ({ ...r, key: `${r.of}:${r.purpose}` })),
                [
                  col('of', 'of', (v: string) => t(`stats.refundOf.${v}`)),
                  col('purpose', 'purpose', (v: string) =>
                    t(`stats.refundPurpose.${v}`, { defaultValue: v }),
                  ),
                  col('count', 'count'),
                  moneyCol('amount'),
                ],
                'key',
              )}
              <p className="owner-note">{t('stats.cancellations', s.refunds.cancellations)}</p>
            </>,
          )}
          {section(
            'campaigns',
            t('stats.sections.campaigns'),
            table(
              s.campaigns,
              [
                col('name', 'campaign'),
                col('kind', 'kind', (v: string) =>
                  t(`stats.campaignKind.${v}`, { defaultValue: v }),
                ),
                col('status', 'status', (v: string) =>
                  t(`stats.campaignStatus.${v}`, { defaultValue: v }),
                ),
                col('issued', 'issued'),
                col('claimed', 'claimed'),
                col('used', 'used'),
                col('newMembers', 'newMembers'),
                moneyCol('revenue'),
                moneyCol('cost'),
              ],
              'campaignId',
            ),
            true,
          )}
          {s.energy && s.energy.length > 0 && (
            <Card className="wide" title={t('stats.sections.energy')} data-testid="section-energy">
              {table<EnergyRoomRow & { key: string }>(
                s.energy.map((e) => ({ ...e, key: `${e.storeId}|${e.roomId}` })),
                [
                  col('roomName', 'room', (v: string, r: EnergyRoomRow & { key: string }) =>
                    s.stores && s.stores.length > 1
                      ? `${s.stores.find((x) => x.storeId === r.storeId)?.name ?? r.storeId} · ${v}`
                      : v,
                  ),
                  col('kwh', 'kwh'),
                  moneyCol('costFen', 'energyCost'),
                ],
                'key',
              )}
            </Card>
          )}
        </div>
      )}
    </div>
  );
}
