// A merchant's deposit (保证金) on its row of the merchants page, beside its penalties: the balance
// and every entry (paid in, fined, a fine given back, returned) with the balance after it; for
// those who manage merchants, a pay-in with its payment reference, a fine on all its stores or one,
// the refund of a fine lifted on appeal, and money returned. The cloud keeps the ledger and refuses
// what would take the balance below zero; each submission carries its own Idempotency-Key, so a
// double click or a retry is one entry.
import { useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Input,
  InputNumber,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import type { DepositEntryView, DepositView, MerchantView } from '@roomhub/shared-types';
import { yuan } from '../../components/yuan';
import { platform, PlatformRefusal } from '../platform-client';
import { ReasonAction } from '../ReasonAction';
import { depositApi } from './deposit-client';
import { submissions } from './submission-key';
import { NS } from './words';

const when = (iso: string) => new Date(iso).toLocaleString();
const money = (fen: number) => `¥${yuan(fen)}`;
const signed = (fen: number) => `${fen < 0 ? '-' : '+'}${money(Math.abs(fen))}`;
/** The yuan typed in, as the fen the cloud counts in. */
const fenOf = (yuanTyped: number) => Math.round(yuanTyped * 100);

/** Sends one of the deposit's writes with its submission's key; the answer is the ledger. */
type Write = (
  form: string,
  values: unknown,
  call: (key: string) => Promise<DepositView>,
) => Promise<void>;

/** One write's inputs and button, and the cloud's refusal of it in its own words. */
function WriteRow({
  title,
  submitLabel,
  testId,
  ready,
  danger,
  submit,
  children,
}: {
  title: string;
  submitLabel: string;
  testId: string;
  ready: boolean;
  danger?: boolean;
  submit: () => Promise<void>;
  children: ReactNode;
}) {
  const { t } = useTranslation(NS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      await submit();
    } catch (e) {
      // No answer at all (a timeout, the network): the same click again is safe, say so.
      setError(e instanceof PlatformRefusal ? e.message : t('deposit.unreachable'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" size={4} style={{ width: '100%' }} data-testid={testId}>
      <Space wrap align="start">
        <Typography.Text strong style={{ display: 'inline-block', width: 96, lineHeight: '32px' }}>
          {title}
        </Typography.Text>
        {children}
        <Button
          type="primary"
          danger={danger}
          loading={busy}
          disabled={!ready}
          onClick={() => void go()}
          data-testid={`${testId}-submit`}
        >
          {submitLabel}
        </Button>
      </Space>
      {error && <Alert type="error" showIcon message={error} data-testid={`${testId}-refused`} />}
    </Space>
  );
}

function AmountInput({
  value,
  onChange,
  testId,
}: {
  value: number | null;
  onChange: (v: number | null) => void;
  testId: string;
}) {
  const { t } = useTranslation(NS);
  return (
    <InputNumber<number>
      style={{ width: 160 }}
      prefix="¥"
      min={0.01}
      max={10_000_000}
      precision={2}
      placeholder={t('deposit.amount')}
      value={value}
      onChange={onChange}
      data-testid={testId}
    />
  );
}

function PayInForm({ phone, write }: { phone: string; write: Write }) {
  const { t } = useTranslation(NS);
  const [amount, setAmount] = useState<number | null>(null);
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const submit = async () => {
    const body = {
      amount: fenOf(amount ?? 0),
      reference: reference.trim(),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    await write('pay-in', body, (key) => depositApi.payIn(phone, body, key));
    setAmount(null);
    setReference('');
    setNote('');
  };
  return (
    <WriteRow
      title={t('deposit.payIn.title')}
      submitLabel={t('deposit.payIn.submit')}
      testId="deposit-pay-in"
      ready={amount !== null && amount > 0 && reference.trim().length >= 2}
      submit={submit}
    >
      <AmountInput value={amount} onChange={setAmount} testId="pay-in-amount" />
      <Input
        style={{ width: 200 }}
        placeholder={t('deposit.payIn.reference')}
        value={reference}
        onChange={(e) => setReference(e.target.value)}
        data-testid="pay-in-reference"
      />
      <Input
        style={{ width: 220 }}
        placeholder={t('deposit.payIn.note')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        data-testid="pay-in-note"
      />
    </WriteRow>
  );
}

function FineForm({ m, write }: { m: MerchantView; write: Write }) {
  const { t } = useTranslation(NS);
  const [amount, setAmount] = useState<number | null>(null);
  const [store, setStore] = useState('');
  const [reason, setReason] = useState('');
  const submit = async () => {
    const body = {
      amount: fenOf(amount ?? 0),
      reason: reason.trim(),
      ...(store ? { storeId: store } : {}),
    };
    await write('fine', body, (key) => depositApi.fine(m.phone, body, key));
    setAmount(null);
    setReason('');
  };
  return (
    <WriteRow
      title={t('deposit.fine.title')}
      submitLabel={t('deposit.fine.submit')}
      testId="deposit-fine"
      danger
      ready={amount !== null && amount > 0 && reason.trim().length >= 2}
      submit={submit}
    >
      <AmountInput value={amount} onChange={setAmount} testId="fine-amount" />
      <Select
        style={{ width: 180 }}
        value={store}
        onChange={setStore}
        aria-label={t('scope')}
        data-testid="fine-store"
        options={[
          { value: '', label: t('allStores') },
          ...m.storeIds.map((s) => ({ value: s, label: s })),
        ]}
      />
      <Input
        style={{ width: 300 }}
        placeholder={t('deposit.fine.reason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        data-testid="fine-reason"
      />
    </WriteRow>
  );
}

function ReturnForm({ phone, write }: { phone: string; write: Write }) {
  const { t } = useTranslation(NS);
  const [amount, setAmount] = useState<number | null>(null);
  const [reference, setReference] = useState('');
  const [reason, setReason] = useState('');
  const submit = async () => {
    const body = { amount: fenOf(amount ?? 0), reference: reference.trim(), reason: reason.trim() };
    await write('return', body, (key) => depositApi.returnToMerchant(phone, body, key));
    setAmount(null);
    setReference('');
    setReason('');
  };
  return (
    <WriteRow
      title={t('deposit.return.title')}
      submitLabel={t('deposit.return.submit')}
      testId="deposit-return"
      ready={
        amount !== null && amount > 0 && reference.trim().length >= 2 && reason.trim().length >= 2
      }
      submit={submit}
    >
      <AmountInput value={amount} onChange={setAmount} testId="return-amount" />
      <Input
        style={{ width: 200 }}
        placeholder={t('deposit.return.reference')}
        value={reference}
        onChange={(e) => setReference(e.target.value)}
        data-testid="return-reference"
      />
      <Input
        style={{ width: 220 }}
        placeholder={t('deposit.return.reason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        data-testid="return-reason"
      />
    </WriteRow>
  );
}

export function MerchantDeposit({ m }: { m: MerchantView }) {
  const { t } = useTranslation(NS);
  const client = useQueryClient();
  const me = useQuery({ queryKey: ['platform', 'me'], queryFn: platform.me });
  const mayManage = me.data?.actions.includes('merchants.manage');
  const queryKey = ['platform', 'deposit', m.phone];
  const ledger = useQuery({ queryKey, queryFn: () => depositApi.read(m.phone) });
  // One panel's submissions: each form's keeps its key until it went through.
  const [send] = useState(() => submissions());
  const write: Write = async (form, values, call) => {
    const view = await send(form, values, call);
    client.setQueryData(queryKey, view);
    void client.invalidateQueries({ queryKey: ['platform', 'audit'] });
  };

  return (
    <Card size="small" title={t('deposit.title')} data-testid={`deposit-${m.phone}`}>
      <Space direction="vertical" style={{ width: '100%' }}>
        {ledger.isError && (
          <Alert
            type="error"
            message={
              ledger.error instanceof PlatformRefusal ? ledger.error.message : String(ledger.error)
            }
          />
        )}
        <Statistic
          title={t('deposit.balance')}
          value={ledger.data ? money(ledger.data.balance) : '–'}
          data-testid="deposit-balance"
        />
        <Table<DepositEntryView>
          size="small"
          rowKey="entryId"
          pagination={false}
          loading={ledger.isLoading}
          locale={{ emptyText: t('deposit.none') }}
          dataSource={ledger.data?.entries ?? []}
          columns={[
            { key: 'entryId', title: t('deposit.columns.entryId'), dataIndex: 'entryId' },
            { key: 'at', title: t('deposit.columns.at'), render: (_, e) => when(e.at) },
            {
              key: 'kind',
              title: t('deposit.columns.kind'),
              render: (_, e) => (
                <Space size={4}>
                  {t(`deposit.kind.${e.kind}`)}
                  {e.refundedBy && <Tag color="green">{t('deposit.refunded')}</Tag>}
                </Space>
              ),
            },
            {
              key: 'amount',
              title: t('deposit.columns.amount'),
              align: 'right',
              render: (_, e) => (
                <Typography.Text type={e.amount < 0 ? 'danger' : 'success'}>
                  {signed(e.amount)}
                </Typography.Text>
              ),
            },
            {
              key: 'after',
              title: t('deposit.columns.after'),
              align: 'right',
              render: (_, e) => money(e.balance),
            },
            {
              key: 'why',
              title: t('deposit.columns.why'),
              render: (_, e) => (
                <Space direction="vertical" size={0}>
                  {e.reference && <span>{t('deposit.reference', { reference: e.reference })}</span>}
                  {e.reason && <span>{e.reason}</span>}
                  {e.fineEntryId && (
                    <Typography.Text type="secondary">
                      {t('deposit.refundOf', { entryId: e.fineEntryId })}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              key: 'store',
              title: t('deposit.columns.store'),
              render: (_, e) =>
                e.kind === 'fine' || e.kind === 'fine_refund' ? (e.storeId ?? t('allStores')) : '',
            },
            { key: 'by', title: t('deposit.columns.by'), dataIndex: 'by' },
            {
              key: 'act',
              title: '',
              render: (_, e) =>
                mayManage &&
                e.kind === 'fine' &&
                !e.refundedBy && (
                  <ReasonAction
                    label={t('deposit.refund')}
                    title={t('deposit.refundTitle')}
                    testId={`refund-${e.entryId}`}
                    act={(reason) =>
                      write(`refund-${e.entryId}`, { reason }, (key) =>
                        depositApi.refundFine(m.phone, e.entryId, reason, key),
                      )
                    }
                  />
                ),
            },
          ]}
        />
        {mayManage && (
          <>
            <PayInForm phone={m.phone} write={write} />
            <FineForm m={m} write={write} />
            <ReturnForm phone={m.phone} write={write} />
            <Typography.Text type="secondary">{t('deposit.help')}</Typography.Text>
          </>
        )}
      </Space>
    </Card>
  );
}
