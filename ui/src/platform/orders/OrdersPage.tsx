// Every order across the stores (P4): by store, the days they were placed (today unless chosen,
// at most 31), status and the customer's exact phone, newest first, more loaded a page at a time;
// a click on an order shows its money movements as its store's ledger holds them.
import { useState } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  DatePicker,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import {
  BookingStatusSchema,
  type BookingStatus,
  type PlatformOrderLedgerLine,
  type PlatformOrderRow,
} from '@roomhub/shared-types';
import { overviewApi } from '../overview/overview-client';
import { ordersApi, type OrderFilters } from './orders-client';
import { NS, slot, when, yuan } from './words';

const STATUS_COLOR: Partial<Record<BookingStatus, string>> = {
  paid: 'green',
  in_use: 'blue',
  completed: 'default',
  cancelled: 'default',
  refunding: 'orange',
  refunded: 'red',
  pending_payment: 'gold',
};

export function OrdersPage() {
  const { t } = useTranslation(NS);
  const [storeId, setStoreId] = useState('');
  const [status, setStatus] = useState<BookingStatus | ''>('');
  const [days, setDays] = useState<[Dayjs, Dayjs] | null>(null);
  const [phone, setPhone] = useState('');
  const [filters, setFilters] = useState<OrderFilters>({});
  const [open, setOpen] = useState<PlatformOrderRow | null>(null);
  const stores = useQuery({
    queryKey: ['platform', 'orders', 'stores'],
    queryFn: () => overviewApi.overview({ days: 1 }),
    staleTime: 60_000,
  });
  const list = useInfiniteQuery({
    queryKey: ['platform', 'orders', filters],
    queryFn: ({ pageParam }) => ordersApi.list(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const ledger = useQuery({
    queryKey: ['platform', 'orders', 'ledger', open?.storeId, open?.bookingId],
    queryFn: () => ordersApi.ledger(open!.storeId, open!.bookingId),
    enabled: open !== null,
  });
  const rows = list.data?.pages.flatMap((p) => p.orders) ?? [];
  const search = () =>
    setFilters({
      ...(storeId ? { storeId } : {}),
      ...(status ? { status } : {}),
      ...(days ? { from: days[0].format('YYYY-MM-DD'), to: days[1].format('YYYY-MM-DD') } : {}),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
    });
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('hint')}</Typography.Text>
      <Space wrap>
        <Select
          style={{ minWidth: 160 }}
          value={storeId}
          onChange={setStoreId}
          data-testid="orders-store"
          options={[
            { value: '', label: t('allStores') },
            ...(stores.data?.stores ?? []).map((s) => ({ value: s.storeId, label: s.name })),
          ]}
        />
        <DatePicker.RangePicker
          value={days}
          onChange={(v) => setDays(v && v[0] && v[1] ? [v[0], v[1]] : null)}
        />
        <Select
          style={{ minWidth: 140 }}
          value={status}
          onChange={setStatus}
          options={[
            { value: '', label: t('allStatuses') },
            ...BookingStatusSchema.options.map((s) => ({ value: s, label: t(`status.${s}`) })),
          ]}
        />
        <Input
          style={{ width: 220 }}
          value={phone}
          placeholder={t('phone')}
          maxLength={11}
          allowClear
          onChange={(e) => setPhone(e.target.value)}
          onPressEnter={search}
        />
        <Button type="primary" onClick={search}>
          {t('search')}
        </Button>
      </Space>
      {list.error && <Alert type="error" showIcon message={list.error.message} />}
      <Table<PlatformOrderRow>
        size="small"
        data-testid="orders-list"
        rowKey={(o) => `${o.storeId}/${o.bookingId}`}
        loading={list.isFetching}
        pagination={false}
        locale={{ emptyText: t('empty') }}
        dataSource={rows}
        onRow={(o) => ({ onClick: () => setOpen(o), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('col.store'), render: (_, o) => o.storeName ?? o.storeId, width: 100 },
          { title: t('col.bookingId'), dataIndex: 'bookingId', width: 120 },
          { title: t('col.room'), render: (_, o) => o.roomName ?? o.roomId, width: 90 },
          { title: t('col.slot'), render: (_, o) => slot(o.start, o.end) },
          {
            title: t('col.status'),
            dataIndex: 'status',
            width: 90,
            render: (s: BookingStatus) => (
              <Tag color={STATUS_COLOR[s] ?? 'default'}>{t(`status.${s}`)}</Tag>
            ),
          },
          { title: t('col.paid'), dataIndex: 'paid', width: 90, render: yuan },
          {
            title: t('col.refunded'),
            dataIndex: 'refunded',
            width: 90,
            render: (f: number) => (f ? yuan(f) : '—'),
          },
          {
            title: t('col.source'),
            dataIndex: 'source',
            width: 70,
            render: (s: PlatformOrderRow['source']) => t(`source.${s}`),
          },
          { title: t('col.phone'), dataIndex: 'phone', width: 120, render: (p) => p ?? '—' },
          { title: t('col.placedAt'), dataIndex: 'placedAt', width: 150, render: when },
        ]}
      />
      <Space>
        <Typography.Text type="secondary">{t('count', { count: rows.length })}</Typography.Text>
        {list.hasNextPage && (
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('more')}
          </Button>
        )}
      </Space>
      <Modal
        open={open !== null}
        title={open ? t('ledger.title', { bookingId: open.bookingId }) : ''}
        footer={null}
        width={640}
        onCancel={() => setOpen(null)}
      >
        {ledger.error && <Alert type="error" showIcon message={ledger.error.message} />}
        <Table<PlatformOrderLedgerLine>
          size="small"
          rowKey="entryId"
          data-testid="order-ledger"
          loading={ledger.isFetching}
          pagination={false}
          locale={{ emptyText: t('ledger.empty') }}
          dataSource={ledger.data?.lines ?? []}
          columns={[
            { title: t('ledger.at'), dataIndex: 'at', render: when, width: 160 },
            {
              title: t('ledger.kind'),
              dataIndex: 'kind',
              render: (k: PlatformOrderLedgerLine['kind']) => t(`ledger.kinds.${k}`),
            },
            { title: t('ledger.method'), dataIndex: 'method' },
            { title: t('ledger.amount'), dataIndex: 'amount', render: yuan },
            { title: t('ledger.note'), dataIndex: 'note', render: (n) => n ?? '' },
          ]}
        />
      </Modal>
    </Space>
  );
}
