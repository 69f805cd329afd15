// Vouchers at the counter (S2): a code read by the USB scanner (the hub's scan events, or keys a
// scanner types into this page) or typed by hand; what it buys and whether it can be used now;
// redeemed for a new booking, to pay a booking waiting for payment, or to add time to one going
// on; and the day's redemptions, each given back (undone) with a reason while it still can be.
import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Input,
  InputNumber,
  Radio,
  Select,
  Table,
  Tag,
} from 'antd';
import { useTranslation } from 'react-i18next';
import type {
  DealSource,
  RedemptionView,
  VoucherPrepared,
  VoucherRedeem,
} from '@roomhub/shared-types';
import { counter } from '../../api/counter-client';
import { clockTime, isoInStore, localDate, startChoices } from '../../components/store-time';
import { yuan } from '../../components/yuan';
import { useCashier } from '../cashier-context';
import { counterRefusal } from '../refusal-text';
import { newRequestId } from '../request-id';
import { ReasonModal } from '../ReasonModal';

interface Prepared {
  text: string;
  source: DealSource | undefined;
  view: VoucherPrepared;
  /** One redemption per voucher shown: pressing redeem twice redeems once. */
  requestId: string;
}

type UseKind = 'book' | 'pay' | 'extend';

const HOUR = 3_600_000;

export function VoucherDesk() {
  const { t } = useTranslation('cashier');
  const c = useCashier();
  const client = useQueryClient();
  const [text, setText] = useState('');
  const [source, setSource] = useState<DealSource | 'auto'>('auto');
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<RedemptionView | null>(null);

  const prepare = useMutation({
    mutationFn: async (v: { text: string; source: DealSource | undefined }) => ({
      ...v,
      view: await counter.prepareVoucher({
        text: v.text,
        ...(v.source ? { source: v.source } : {}),
      }),
      requestId: newRequestId(),
    }),
    onMutate: () => {
      setError(null);
      setDone(null);
      setPrepared(null);
    },
    onSuccess: (p) => setPrepared(p),
    onError: (e) => setError(counterRefusal(t, e)),
  });

  // A scan, from the hub's scanner or typed by one into this page, is looked up at once.
  const { scan, clearScan } = c;
  const { mutate: lookUpText } = prepare;
  useEffect(() => {
    if (!scan) return;
    clearScan();
    setText(scan.text);
    lookUpText({ text: scan.text, source: undefined });
  }, [scan, clearScan, lookUpText]);

  const lookUp = () => {
    const v = text.trim();
    if (v.length < 4) {
      setError(t('vouchers.codeRule'));
      return;
    }
    prepare.mutate({ text: v, source: source === 'auto' ? undefined : source });
  };

  return (
    <div className="cashier-columns">
      <section className="cashier-col">
        <Card title={t('vouchers.title')}>
          <p className="muted">{t('vouchers.lead')}</p>
          <div className="voucher-entry">
            <Select
              value={source}
              onChange={setSource}
              aria-label={t('vouchers.source')}
              style={{ width: 130 }}
              options={(['auto', 'own', 'meituan', 'douyin'] as const).map((s) => ({
                value: s,
                label: t(`source.${s}`),
              }))}
            />
            <Input
              data-testid="voucher-code"
              value={text}
              onChange={(e) => setText(e.target.value)}
              onPressEnter={lookUp}
              placeholder={t('vouchers.codePlaceholder')}
              aria-label={t('vouchers.code')}
              allowClear
            />
            <Button type="primary" loading={prepare.isPending} onClick={lookUp}>
              {t('vouchers.lookUp')}
            </Button>
          </div>
          {error && <Alert className="gap" type="error" showIcon title={error} />}
          {done && (
            <Alert
              className="gap"
              type="success"
              showIcon
              data-testid="redeemed"
              title={t('vouchers.redeemed', {
                number: done.bookingNumber,
                amount: yuan(done.covered),
              })}
            />
          )}
        </Card>
        {prepared && (
          <PreparedCard
            key={prepared.requestId}
            prepared={prepared}
            onRedeemed={(r) => {
              setPrepared(null);
              setText('');
              setDone(r);
              void client.invalidateQueries({ queryKey: ['redemptions'] });
              void client.invalidateQueries({ queryKey: ['bookings'] });
            }}
          />
        )}
      </section>
      <section className="cashier-col">
        <TodayRedemptions />
      </section>
    </div>
  );
}

function PreparedCard({
  prepared,
  onRedeemed,
}: {
  prepared: Prepared;
  onRedeemed: (r: RedemptionView) => void;
}) {
  const { t } = useTranslation('cashier');
  const c = useCashier();
  const v = prepared.view;
  const e = v.deal?.entitlement;
  const rooms = c.rooms.filter((r) => !e || e.roomIds.length === 0 || e.roomIds.includes(r.id));
  const [kind, setKind] = useState<UseKind>('book');
  const [roomId, setRoomId] = useState<string | undefined>(rooms[0]?.id);
  // Left empty: now. A later start leaves the redemption undoable until then.
  const [start, setStart] = useState<number | null>(null);
  const [partySize, setPartySize] = useState(2);
  const [phone, setPhone] = useState('');
  const [bookingId, setBookingId] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);

  const today = c.today();
  const tz = c.store.timeZone;
  const starts = useMemo(() => {
    const now = c.now();
    return startChoices(now, c.store.rules.stepMinutes, now + 12 * HOUR, 25).slice(1);
  }, [c]);
  const bookings = useQuery({
    queryKey: ['bookings', { date: today }],
    queryFn: () => counter.bookings({ date: today }),
  });
  const candidates = useMemo(
    () =>
      (bookings.data ?? []).filter((b) =>
        kind === 'pay' ? b.status === 'pending_payment' : ['paid', 'in_use'].includes(b.status),
      ),
    [bookings.data, kind],
  );

  const redeem = useMutation({
    mutationFn: () => {
      let use: VoucherRedeem['use'];
      if (kind === 'book') {
        if (!roomId) throw new Error('room');
        use = {
          kind: 'book',
          roomId,
          ...(start !== null ? { start: isoInStore(start, tz) } : {}),
          partySize,
          ...(phone ? { customer: { phone } } : {}),
        };
      } else {
        if (!bookingId) throw new Error('booking');
        use = { kind, bookingId };
      }
      return counter.redeemVoucher({
        text: prepared.text,
        ...(prepared.source ? { source: prepared.source } : {}),
        use,
        requestId: prepared.requestId,
      });
    },
    onMutate: () => setError(null),
    onSuccess: onRedeemed,
    onError: (err) =>
      setError(
        err instanceof Error && (err.message === 'room' || err.message === 'booking')
          ? t(`vouchers.pick.${err.message}`)
          : counterRefusal(t, err),
      ),
  });

  const what = e
    ? e.kind === 'session'
      ? t('vouchers.buysSession', { pkg: e.packageId })
      : t('vouchers.buysHours', { hours: e.minutes / 60 })
    : t('vouchers.buysUnknown');
  return (
    <Card className="gap" title={v.deal?.title ?? t('vouchers.noDeal')} data-testid="prepared">
      <Descriptions column={2} size="small" bordered>
        <Descriptions.Item label={t('vouchers.source')}>
          {t(`source.${v.source}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('vouchers.code')}>{v.maskedCode}</Descriptions.Item>
        <Descriptions.Item label={t('vouchers.buys')} span={2}>
          <span data-testid="voucher-buys">{what}</span>
          {e?.maxPartySize ? ` · ${t('vouchers.maxParty', { count: e.maxPartySize })}` : ''}
          {e && e.roomIds.length > 0
            ? ` · ${e.roomIds.map((id) => c.roomName(id)).join('、')}`
            : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('vouchers.faceValue')}>¥{yuan(v.faceValue)}</Descriptions.Item>
        <Descriptions.Item label={t('vouchers.validUntil')}>
          {v.validUntil
            ? `${localDate(v.validUntil, c.store.timeZone)} ${clockTime(v.validUntil, c.store.timeZone)}`
            : '—'}
        </Descriptions.Item>
      </Descriptions>
      {v.provisional && (
        <Alert className="gap" type="warning" showIcon title={t('vouchers.provisional')} />
      )}
      {!v.usable.ok ? (
        <Alert
          className="gap"
          type="error"
          showIcon
          data-testid="not-usable"
          title={t(`errors.${v.usable.code}`, { defaultValue: v.usable.message })}
        />
      ) : c.may('redeem') ? (
        <div className="gap">
          <Radio.Group
            value={kind}
            onChange={(ev) => setKind(ev.target.value as UseKind)}
            optionType="button"
            options={(['book', 'pay', 'extend'] as const).map((k) => ({
              value: k,
              label: t(`vouchers.use.${k}`),
            }))}
          />
          {kind === 'book' ? (
            <div className="form-row gap">
              <Select
                aria-label={t('room')}
                placeholder={t('room')}
                value={roomId}
                onChange={setRoomId}
                style={{ minWidth: 140 }}
                options={rooms.map((r) => ({ value: r.id, label: r.name }))}
              />
              <Select
                aria-label={t('vouchers.start')}
                value={start ?? 'now'}
                onChange={(v: number | 'now') => setStart(v === 'now' ? null : v)}
                style={{ width: 110 }}
                options={[
                  { value: 'now' as const, label: t('vouchers.now') },
                  ...starts.map((x) => ({ value: x, label: clockTime(x, tz) })),
                ]}
              />
              <InputNumber
                aria-label={t('partySize')}
                min={1}
                max={e?.maxPartySize ?? 50}
                value={partySize}
                onChange={(n) => setPartySize(n ?? 1)}
                addonAfter={t('people')}
              />
              <Input
                aria-label={t('phone')}
                placeholder={t('vouchers.phoneHint')}
                value={phone}
                maxLength={11}
                inputMode="numeric"
                onChange={(ev) => setPhone(ev.target.value.replace(/\D/g, ''))}
                style={{ width: 200 }}
              />
            </div>
          ) : (
            <Select
              className="gap"
              aria-label={t('vouchers.pick.booking')}
              placeholder={t('vouchers.pick.booking')}
              value={bookingId}
              onChange={setBookingId}
              style={{ width: '100%' }}
              notFoundContent={t('vouchers.noBookings')}
              options={candidates.map((b) => ({
                value: b.id,
                label: `${b.number} · ${b.room.name} · ${clockTime(b.start, c.store.timeZone)}-${clockTime(b.end, c.store.timeZone)} · ${b.customer.phone}${b.due ? ` · ${t('due')} ¥${yuan(b.due)}` : ''}`,
              }))}
            />
          )}
          {error && <Alert className="gap" type="error" showIcon title={error} />}
          <Button
            className="gap"
            type="primary"
            size="large"
            block
            loading={redeem.isPending}
            onClick={() => redeem.mutate()}
          >
            {t('vouchers.redeem')}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

function TodayRedemptions() {
  const { t } = useTranslation('cashier');
  const c = useCashier();
  const client = useQueryClient();
  const today = c.today();
  const list = useQuery({
    queryKey: ['redemptions', today],
    queryFn: () => counter.redemptions(today),
  });
  const [undoing, setUndoing] = useState<RedemptionView | null>(null);
  return (
    <Card title={t('vouchers.today')}>
      <Table<RedemptionView>
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        pagination={false}
        locale={{ emptyText: t('vouchers.noneToday') }}
        columns={[
          { title: t('time'), render: (_, r) => clockTime(r.at, c.store.timeZone), width: 64 },
          {
            title: t('vouchers.deal'),
            render: (_, r) => (
              <>
                {r.dealTitle}
                <div className="muted small">
                  {t(`source.${r.source}`)} · {r.maskedCode}
                </div>
              </>
            ),
          },
          { title: t('booking'), dataIndex: 'bookingNumber' },
          { title: t('vouchers.covered'), render: (_, r) => `¥${yuan(r.covered)}` },
          {
            title: t('status'),
            render: (_, r) => (
              <Tag
                color={r.status === 'done' ? 'green' : r.status === 'failed' ? 'red' : 'default'}
              >
                {t(`redemption.${r.status}`)}
              </Tag>
            ),
          },
          ...(c.may('undoRedemption')
            ? [
                {
                  title: '',
                  render: (_: unknown, r: RedemptionView) =>
                    r.status === 'done' || r.status === 'queued' ? (
                      <Button size="small" danger onClick={() => setUndoing(r)}>
                        {t('vouchers.undo')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <ReasonModal
        open={!!undoing}
        title={t('vouchers.undoTitle', { number: undoing?.bookingNumber ?? '' })}
        okText={t('vouchers.undo')}
        danger
        onCancel={() => setUndoing(null)}
        onConfirm={async (reason) => {
          await counter.undoRedemption(undoing!.id, reason);
          await client.invalidateQueries({ queryKey: ['redemptions'] });
          await client.invalidateQueries({ queryKey: ['bookings'] });
        }}
      >
        <p className="muted">{t('vouchers.undoLead')}</p>
      </ReasonModal>
    </Card>
  );
}
