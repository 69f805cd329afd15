// One booking opened at the counter (S3): its time, customer and money; fee lines, payments,
// refunds and history; and the steps the signed-in role may take: take what is due (cash or a
// payment code, as far as the owner has not switched them off at the counter; a member code always),
// add time, end the session, review a refund the customer asked for (in full, in part, or refuse
// it), or give money back by hand. Each step is one call; the hub's answer refreshes the drawer.
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { isMemberCodeText, type BookingDetail } from '@roomhub/shared-types';
import { counter } from '../../api/counter-client';
import { clockTime, localDate } from '../../components/store-time';
import { yuan } from '../../components/yuan';
import { useCashier } from '../cashier-context';
import { counterRefusal } from '../refusal-text';
import { ReasonModal } from '../ReasonModal';
import { STATUS_COLOR } from './BookingsPage';
import { feeLineText } from './fee-lines';
import { ChangeModal } from './ChangeModal';

const EXTEND_CHOICES = [30, 60, 120] as const;
/** What a WeChat or Alipay payment code reads as: 16 to 24 digits. */
const PAYMENT_CODE = /^\d{16,24}$/;
const fenOfYuan = (v: number) => Math.round(v * 100);

export function BookingDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation('cashier');
  const c = useCashier();
  const booking = useQuery({
    queryKey: ['booking', id],
    queryFn: () => counter.booking(id!),
    enabled: !!id,
  });
  const b = booking.data;
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      size="large"
      title={
        b ? (
          <span data-testid="booking-title">
            {t('booking')} {b.number}{' '}
            <Tag color={STATUS_COLOR[b.status]} data-testid="booking-status">
              {t(`bookingStatus.${b.status}`)}
            </Tag>
          </span>
        ) : (
          t('loading')
        )
      }
    >
      {booking.error && <Alert type="error" showIcon title={counterRefusal(t, booking.error)} />}
      {b && <BookingBody b={b} tz={c.store.timeZone} />}
    </Drawer>
  );
}

function BookingBody({ b, tz }: { b: BookingDetail; tz: string }) {
  const { t } = useTranslation('cashier');
  const c = useCashier();
  const client = useQueryClient();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const [extendBy, setExtendBy] = useState<number>(60);
  const [partAmount, setPartAmount] = useState<number | null>(null);
  const [refusing, setRefusing] = useState(false);
  const [handRefund, setHandRefund] = useState(false);
  const [handAmount, setHandAmount] = useState<number | null>(null);
  const [changing, setChanging] = useState(false);

  const refresh = async () => {
    await client.invalidateQueries({ queryKey: ['booking', b.id] });
    await client.invalidateQueries({ queryKey: ['bookings'] });
    await client.invalidateQueries({ queryKey: ['owed'] });
    await client.invalidateQueries({ queryKey: ['sessions'] });
  };
  // One mutation per step, each refreshing the drawer and the list when the hub has answered.
  const useStep = <T,>(fn: () => Promise<T>, done: string) =>
    useMutation({
      mutationFn: fn,
      onMutate: () => setError(null),
      onSuccess: async () => {
        void message.success(done);
        await refresh();
      },
      onError: (e) => setError(counterRefusal(t, e)),
    });
  const cash = useStep(() => counter.takeCash(b.id), t('detail.cashTaken'));
  const codePay = useMutation({
    mutationFn: (code: string) => counter.payByCode(b.id, code),
    onMutate: () => setError(null),
    onSuccess: async (p) => {
      void message.success(
        p.status === 'succeeded' ? t('detail.codePaid') : t('detail.codeWaiting'),
      );
      await refresh();
    },
    onError: (e) => setError(counterRefusal(t, e)),
  });
  const memberPay = useMutation({
    mutationFn: (code: string) => counter.payByMemberCode(b.id, code),
    onMutate: () => setError(null),
    onSuccess: async (p) => {
      void message.success(
        t('detail.memberPaid', {
          phone: p.phone,
          amount: yuan(p.paid),
          balance: yuan(p.balance.total),
        }),
      );
      await refresh();
    },
    onError: (e) => setError(counterRefusal(t, e)),
  });
  const extend = useStep(() => counter.extend(b.id, extendBy), t('detail.extended'));
  const finish = useStep(() => counter.finish(b.id), t('detail.finished'));
  const approveFull = useStep(() => counter.approveRefund(b.id, {}), t('detail.refundApproved'));
  const approvePart = useStep(
    () => counter.approveRefund(b.id, { amount: fenOfYuan(partAmount ?? 0) }),
    t('detail.refundApproved'),
  );

  // While this booking owes something, a payer's payment code read by the scanner pays it (while
  // the counter takes them), and a member's member code pays it from their wallet.
  const { claimScans } = c;
  const { mutate: chargeCode } = codePay;
  const { mutate: payFromWallet } = memberPay;
  const owes = b.due > 0 && c.may('takeCash');
  const takesCash = c.takes('cash');
  const takesCodes = c.takes('payment_code');
  useEffect(
    () =>
      owes
        ? claimScans((text) => {
            if (isMemberCodeText(text)) {
              payFromWallet(text);
              return true;
            }
            if (!PAYMENT_CODE.test(text)) return false;
            if (takesCodes) chargeCode(text);
            else setError(t('detail.codesOff'));
            return true;
          })
        : undefined,
    [owes, takesCodes, claimScans, chargeCode, payFromWallet, t],
  );

  const requested = [...b.history].reverse().find((h) => h.action === 'request_refund');
  const requestedAmount = (requested?.data as { amount?: number } | null)?.amount ?? b.paid;
  const canCash =
    b.due > 0 && ['pending_payment', 'paid', 'in_use', 'completed'].includes(b.status);
  const refundable = b.paid;

  return (
    <div className="cashier-stack" data-testid="booking-detail">
      <Descriptions column={2} size="small" bordered>
        <Descriptions.Item label={t('room')}>{b.room.name}</Descriptions.Item>
        <Descriptions.Item label={t('time')}>
          {localDate(b.start, tz)} {clockTime(b.start, tz)}-{clockTime(b.end, tz)} ({b.minutes}{' '}
          {t('minutes')})
        </Descriptions.Item>
        <Descriptions.Item label={t('phone')}>
          {b.customer.phone}
          {b.customer.name ? ` · ${b.customer.name}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('partySize')}>{b.partySize}</Descriptions.Item>
        <Descriptions.Item label={t('total')}>¥{yuan(b.total)}</Descriptions.Item>
        <Descriptions.Item label={t('paid')}>
          <span data-testid="booking-paid">¥{yuan(b.paid)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('due')} span={2}>
          <strong data-testid="booking-due">¥{yuan(b.due)}</strong>
        </Descriptions.Item>
      </Descriptions>

      {error && <Alert type="error" showIcon title={error} data-testid="detail-error" />}

      {b.status === 'refunding' && (
        <Alert
          type="warning"
          showIcon
          data-testid="refund-request"
          title={t('detail.refundAsked', {
            amount: yuan(requestedAmount),
            reason: requested?.reason ?? '',
          })}
          description={
            c.may('refundApprove') ? (
              <Space wrap className="gap">
                <Popconfirm
                  title={t('detail.approveFullConfirm', { amount: yuan(requestedAmount) })}
                  okText={t('confirm')}
                  cancelText={t('cancel')}
                  onConfirm={() => approveFull.mutate()}
                >
                  <Button type="primary" loading={approveFull.isPending}>
                    {t('detail.approveFull', { amount: yuan(requestedAmount) })}
                  </Button>
                </Popconfirm>
                <InputNumber
                  aria-label={t('detail.partAmount')}
                  min={0.01}
                  max={refundable / 100}
                  precision={2}
                  prefix="¥"
                  placeholder={t('detail.partAmount')}
                  value={partAmount}
                  onChange={setPartAmount}
                  style={{ width: 140 }}
                />
                <Button
                  disabled={!partAmount}
                  loading={approvePart.isPending}
                  onClick={() => approvePart.mutate()}
                >
                  {t('detail.approvePart')}
                </Button>
                {c.may('refundReject') && (
                  <Button danger onClick={() => setRefusing(true)}>
                    {t('detail.refuse')}
                  </Button>
                )}
              </Space>
            ) : (
              t('detail.reviewNotYours')
            )
          }
        />
      )}

      <Space wrap data-testid="booking-actions">
        {canCash && c.may('takeCash') && takesCash && (
          <Popconfirm
            title={t('detail.cashConfirm', { amount: yuan(b.due) })}
            okText={t('confirm')}
            cancelText={t('cancel')}
            onConfirm={() => cash.mutate()}
          >
            <Button type="primary" size="large" loading={cash.isPending}>
              {t('detail.takeCash', { amount: yuan(b.due) })}
            </Button>
          </Popconfirm>
        )}
        {canCash && c.may('takeCash') && (
          <span className="muted" data-testid="scan-to-pay">
            {codePay.isPending
              ? t('detail.codeCharging')
              : !takesCodes
                ? takesCash
                  ? null
                  : t('detail.memberCodeOnly')
                : takesCash
                  ? t('detail.scanToPay')
                  : t('detail.scanCodeOnly')}
          </span>
        )}
        {b.ifNow.change && c.may('change') && (
          <Button onClick={() => setChanging(true)}>{t('change.open')}</Button>
        )}
        {['paid', 'in_use'].includes(b.status) && c.may('extend') && (
          <Space.Compact>
            <Select
              aria-label={t('detail.extendBy')}
              value={extendBy}
              onChange={setExtendBy}
              options={EXTEND_CHOICES.map((m) => ({ value: m, label: `${m} ${t('minutes')}` }))}
              style={{ width: 120 }}
            />
            <Button loading={extend.isPending} onClick={() => extend.mutate()}>
              {t('detail.extend')}
            </Button>
          </Space.Compact>
        )}
        {b.status === 'in_use' && c.may('finish') && (
          <Popconfirm
            title={t('detail.finishConfirm')}
            okText={t('confirm')}
            cancelText={t('cancel')}
            onConfirm={() => finish.mutate()}
          >
            <Button loading={finish.isPending}>{t('detail.finish')}</Button>
          </Popconfirm>
        )}
        {refundable > 0 && b.status !== 'refunding' && c.may('refundByHand') && (
          <Button danger onClick={() => setHandRefund(true)}>
            {t('detail.refundByHand')}
          </Button>
        )}
      </Space>

      <h3>{t('detail.lines')}</h3>
      <Table
        size="small"
        pagination={false}
        rowKey={(_, i) => String(i)}
        dataSource={b.lines}
        columns={[
          { title: t('detail.line'), render: (_, l) => feeLineText(t, l) },
          {
            title: t('time'),
            render: (_, l) => `${clockTime(l.start, tz)}-${clockTime(l.end, tz)}`,
          },
          { title: t('amount'), align: 'right', render: (_, l) => `¥${yuan(l.amount)}` },
        ]}
      />

      <h3>{t('detail.payments')}</h3>
      <Table
        size="small"
        pagination={false}
        rowKey="id"
        dataSource={b.payments}
        locale={{ emptyText: t('detail.noPayments') }}
        columns={[
          { title: t('time'), render: (_, p) => clockTime(p.paidAt ?? p.createdAt, tz) },
          { title: t('payMethod'), render: (_, p) => t(`method.${p.method}`) },
          { title: t('status'), render: (_, p) => t(`paymentStatus.${p.status}`) },
          { title: t('amount'), align: 'right', render: (_, p) => `¥${yuan(p.amount)}` },
        ]}
      />

      {b.refunds.length > 0 && (
        <>
          <h3>{t('detail.refunds')}</h3>
          <Table
            size="small"
            pagination={false}
            rowKey="id"
            dataSource={b.refunds}
            columns={[
              { title: t('time'), render: (_, r) => clockTime(r.settledAt ?? r.createdAt, tz) },
              { title: t('payMethod'), render: (_, r) => t(`method.${r.method}`) },
              { title: t('reason.label'), dataIndex: 'reason' },
              { title: t('status'), render: (_, r) => t(`refundStatus.${r.status}`) },
              { title: t('amount'), align: 'right', render: (_, r) => `¥${yuan(r.amount)}` },
            ]}
          />
        </>
      )}

      <h3>{t('detail.history')}</h3>
      <Timeline
        items={b.history.map((h) => ({
          content: (
            <>
              <strong>{clockTime(h.at, tz)}</strong> {t(`action.${h.action}`, h.action)} ·{' '}
              {t(`bookingStatus.${h.to}`)}
              <span className="muted">
                {' '}
                · {t(`actor.${h.actor.kind}`)}
                {h.reason ? ` · ${h.reason}` : ''}
              </span>
            </>
          ),
        }))}
      />

      <ChangeModal
        booking={b}
        open={changing}
        onClose={() => setChanging(false)}
        onChanged={async () => {
          void message.success(t('change.done'));
          await refresh();
        }}
      />
      <ReasonModal
        open={refusing}
        title={t('detail.refuseTitle')}
        okText={t('detail.refuse')}
        danger
        onCancel={() => setRefusing(false)}
        onConfirm={async (reason) => {
          await counter.rejectRefund(b.id, reason);
          await refresh();
        }}
      />
      <ReasonModal
        open={handRefund}
        title={t('detail.refundByHand')}
        okText={t('detail.refundByHand')}
        danger
        onCancel={() => setHandRefund(false)}
        onConfirm={async (reason) => {
          await counter.refundByHand(b.id, fenOfYuan(handAmount ?? refundable / 100), reason);
          setHandAmount(null);
          await refresh();
        }}
      >
        <p className="muted">{t('detail.refundByHandLead', { amount: yuan(refundable) })}</p>
        <InputNumber
          className="gap-bottom"
          aria-label={t('amount')}
          min={0.01}
          max={refundable / 100}
          precision={2}
          prefix="¥"
          value={handAmount ?? refundable / 100}
          onChange={setHandAmount}
          style={{ width: 160 }}
        />
      </ReasonModal>
    </div>
  );
}
