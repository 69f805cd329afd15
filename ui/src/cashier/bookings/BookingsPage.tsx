// Bookings at the counter (S3): found by status, day, room or phone; one opened beside the list
// with everything about it and what the signed-in role may do to it; and the cash refunds owed
// to customers, handed over here.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Popconfirm, Select, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { BookingStatus, BookingView } from '@roomhub/shared-types';
import { counter, type BookingFilters } from '../../api/counter-client';
import { clockTime, localDate } from '../../components/store-time';
import { yuan } from '../../components/yuan';
import { useCashier } from '../cashier-context';
import { counterRefusal } from '../refusal-text';
import { BookingDrawer } from './BookingDrawer';
import { SessionsNow } from './SessionsNow';
import { MOBILE_NUMBER } from '@roomhub/shared-types';

export const BOOKING_STATUSES: readonly BookingStatus[] = [
  'pending_payment',
  'paid',
  'in_use',
  'completed',
  'cancelled',
  'refunding',
  'refunded',
];

export const STATUS_COLOR: Record<BookingStatus, string> = {
  pending_payment: 'gold',
  paid: 'green',
  in_use: 'volcano',
  completed: 'default',
  cancelled: 'default',
  refunding: 'purple',
  refunded: 'default',
};

export function BookingsPage() {
  const { t } = useTranslation('cashier');
  const c = useCashier();
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState<BookingStatus | undefined>();
  const [date, setDate] = useState<string>(c.today());
  const [roomId, setRoomId] = useState<string | undefined>();
  const [phone, setPhone] = useState('');
  const phoneOk = phone === '' || MOBILE_NUMBER.test(phone);
  // A whole phone number finds a customer's bookings on any day.
  const filters: BookingFilters = {
    ...(status ? { status } : {}),
    ...(MOBILE_NUMBER.test(phone) ? { phone } : date ? { date } : {}),
    ...(roomId ? { roomId } : {}),
  };
  const list = useQuery({
    queryKey: ['bookings', filters],
    queryFn: () => counter.bookings(filters),
  });
  const open = params.get('open');
  const tz = c.store.timeZone;
  return (
    <div className="cashier-stack">
      <SessionsNow onOpen={(id) => setParams({ open: id })} />
      <Card>
        <div className="form-row" data-testid="booking-filters">
          <Select
            allowClear
            aria-label={t('status')}
            placeholder={t('bookings.anyStatus')}
            value={status}
            onChange={setStatus}
            style={{ width: 150 }}
            options={BOOKING_STATUSES.map((s) => ({ value: s, label: t(`bookingStatus.${s}`) }))}
          />
          <Input
            type="date"
            aria-label={t('date')}
            value={date}
            onChange={(e) => setDate(e.target.value)}
            style={{ width: 170 }}
          />
          <Select
            allowClear
            aria-label={t('room')}
            placeholder={t('bookings.anyRoom')}
            value={roomId}
            onChange={setRoomId}
            style={{ width: 140 }}
            options={c.rooms.map((r) => ({ value: r.id, label: r.name }))}
          />
          <Input
            aria-label={t('phone')}
            placeholder={t('bookings.phonePlaceholder')}
            value={phone}
            maxLength={11}
            inputMode="numeric"
            status={phoneOk ? '' : 'warning'}
            onChange={(e) => setPhone(e.target.value.replace(/\D/g, ''))}
            style={{ width: 180 }}
            allowClear
          />
          {!phoneOk && <span className="muted">{t('bookings.phoneRule')}</span>}
        </div>
      </Card>
      <Card>
        {list.error && <Alert type="error" showIcon title={counterRefusal(t, list.error)} />}
        <Table<BookingView>
          size="middle"
          rowKey="id"
          data-testid="booking-list"
          loading={list.isLoading}
          dataSource={list.data ?? []}
          pagination={{ pageSize: 12, hideOnSinglePage: true }}
          locale={{ emptyText: t('bookings.none') }}
          onRow={(b) => ({
            onClick: () => setParams({ open: b.id }),
            className: 'clickable',
            'data-number': b.number,
          })}
          columns={[
            { title: t('booking'), dataIndex: 'number' },
            { title: t('room'), render: (_, b) => b.room.name },
            {
              title: t('time'),
              render: (_, b) =>
                `${localDate(b.start, tz) === c.today() ? '' : `${localDate(b.start, tz)} `}${clockTime(b.start, tz)}-${clockTime(b.end, tz)}`,
            },
            { title: t('phone'), render: (_, b) => b.customer.phone },
            {
              title: t('status'),
              render: (_, b) => (
                <Tag color={STATUS_COLOR[b.status]}>{t(`bookingStatus.${b.status}`)}</Tag>
              ),
            },
            { title: t('total'), align: 'right', render: (_, b) => `¥${yuan(b.total)}` },
            { title: t('paid'), align: 'right', render: (_, b) => `¥${yuan(b.paid)}` },
            {
              title: t('due'),
              align: 'right',
              render: (_, b) => (b.due ? <strong>¥{yuan(b.due)}</strong> : '—'),
            },
          ]}
        />
      </Card>
      {c.may('owedRefunds') && <OwedRefunds />}
      <BookingDrawer id={open} onClose={() => setParams({})} />
    </div>
  );
}

/** Cash a customer is owed (a cancellation at the kiosk, an approved refund of cash). */
function OwedRefunds() {
  const { t } = useTranslation('cashier');
  const c = useCashier();
  const client = useQueryClient();
  const owed = useQuery({ queryKey: ['owed'], queryFn: counter.owedRefunds });
  const payOut = useMutation({
    mutationFn: counter.payOut,
    onSuccess: () => client.invalidateQueries({ queryKey: ['owed'] }),
  });
  if (!owed.data?.refunds.length) return null;
  return (
    <Card title={t('owed.title', { amount: yuan(owed.data.total) })} data-testid="owed-refunds">
      {payOut.error && <Alert type="error" showIcon title={counterRefusal(t, payOut.error)} />}
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={owed.data.refunds}
        columns={[
          { title: t('booking'), dataIndex: 'bookingNumber' },
          { title: t('phone'), dataIndex: 'customerPhone' },
          { title: t('reason.label'), dataIndex: 'reason' },
          { title: t('amount'), render: (_, r) => `¥${yuan(r.amount)}` },
          ...(c.may('payOut')
            ? [
                {
                  title: '',
                  render: (_: unknown, r: { id: string; amount: number }) => (
                    <Popconfirm
                      title={t('owed.confirm', { amount: yuan(r.amount) })}
                      okText={t('confirm')}
                      cancelText={t('cancel')}
                      onConfirm={() => payOut.mutate(r.id)}
                    >
                      <Button size="small">{t('owed.payOut')}</Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
