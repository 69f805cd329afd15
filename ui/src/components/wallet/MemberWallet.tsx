// One member's wallet on the 储值 page: what it holds (principal and bonus), the bonus still to
// expire, each movement with who made it and why, a top-up in cash (a package the counter sells
// or an amount with no bonus), and the unused principal given back in cash or the way each top-up
// came, the bonus that came with it taken back. The hub gathers a shared wallet here first.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Descriptions,
  Empty,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { useTranslation } from 'react-i18next';
import type { StaffRole, WalletMoveView, WalletView } from '@roomhub/shared-types';
import { yuan } from '../yuan';
import { walletClient } from './wallet-client';
import { NS, useWalletRefusal } from './wallet-words';

const money = (fen: number) => `¥${yuan(fen)}`;

export function MemberWallet({ phone, role }: { phone: string; role: StaffRole }) {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const refusal = useWalletRefusal();
  const client = useQueryClient();
  const wallet = useQuery({
    queryKey: ['wallet', phone],
    queryFn: () => walletClient.wallet(phone),
  });
  const packages = useQuery({ queryKey: ['wallet-packages'], queryFn: walletClient.packages });
  const [pkg, setPkg] = useState<string | null>(null);
  const [amount, setAmount] = useState<number | null>(null);
  const [refunding, setRefunding] = useState(false);
  // The hub answers a top-up or a refund with the wallet as it now stands: shown at once.
  const changed = async (w: WalletView) => {
    client.setQueryData(['wallet', phone], w);
    await client.invalidateQueries({ queryKey: ['wallet-owed'] });
  };
  const topUp = useMutation({
    mutationFn: () =>
      walletClient.topUp(
        phone,
        pkg ? { packageId: pkg } : { amount: Math.round((amount ?? 0) * 100) },
      ),
    onSuccess: (w) => {
      void message.success(t('wallet.toppedUp', { total: yuan(w.total) }));
      setPkg(null);
      setAmount(null);
      void changed(w);
    },
    onError: (e) => void message.error(refusal(e)),
  });
  if (wallet.error) return <Empty description={refusal(wallet.error)} />;
  const w = wallet.data;
  if (!w) return null;
  const selling = (packages.data ?? []).filter((p) => p.active);
  return (
    <div className="gap" data-testid="member-wallet">
      <Descriptions size="small" bordered column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('wallet.principal')}>
          <span data-testid="wallet-principal">{money(w.principal)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('wallet.bonus')}>
          <span data-testid="wallet-bonus">{money(w.bonus)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('wallet.total')}>
          <strong data-testid="wallet-total">{money(w.total)}</strong>
        </Descriptions.Item>
      </Descriptions>
      {w.bonusExpiries.some((e) => e.expiresAt) && (
        <p className="muted">
          {w.bonusExpiries
            .filter((e) => e.expiresAt)
            .map((e) =>
              t('wallet.expires', { amount: yuan(e.left), at: e.expiresAt!.slice(0, 10) }),
            )
            .join('；')}
        </p>
      )}
      <Space wrap className="gap">
        <Select
          aria-label={t('wallet.package')}
          placeholder={t('wallet.package')}
          allowClear
          style={{ minWidth: 220 }}
          value={pkg}
          onChange={(v) => {
            setPkg(v ?? null);
            if (v) setAmount(null);
          }}
          options={selling.map((p) => ({
            value: p.id,
            label: t('wallet.packageLabel', {
              name: p.name,
              pay: yuan(p.pay),
              bonus: yuan(p.bonus),
            }),
          }))}
        />
        <InputNumber
          aria-label={t('wallet.amount')}
          placeholder={t('wallet.amount')}
          prefix="¥"
          min={0.01}
          max={100000}
          precision={2}
          value={amount}
          disabled={pkg !== null}
          onChange={setAmount}
          style={{ width: 170 }}
        />
        <Button
          type="primary"
          disabled={!pkg && !amount}
          loading={topUp.isPending}
          onClick={() => topUp.mutate()}
        >
          {t('wallet.topUpCash')}
        </Button>
        {(role === 'owner' || role === 'manager') && (
          <Button danger disabled={w.principal <= 0} onClick={() => setRefunding(true)}>
            {t('wallet.refund')}
          </Button>
        )}
      </Space>
      <Table<WalletMoveView>
        className="gap"
        rowKey="id"
        size="small"
        dataSource={[...w.moves].reverse()}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t('wallet.noMoves') }}
        columns={[
          {
            key: 'at',
            title: t('wallet.at'),
            render: (_, m) => m.at.slice(0, 16).replace('T', ' '),
          },
          {
            key: 'kind',
            title: t('wallet.kind'),
            render: (_, m) => <Tag>{t(`kinds.${m.kind}`)}</Tag>,
          },
          { key: 'pot', title: t('wallet.pot'), render: (_, m) => t(`pots.${m.pot}`) },
          {
            key: 'amount',
            title: t('wallet.change'),
            render: (_, m) => (m.amount > 0 ? `+${money(m.amount)}` : `-${money(-m.amount)}`),
          },
          { key: 'reason', title: t('wallet.reason'), dataIndex: 'reason' },
        ]}
      />
      <RefundModal
        phone={phone}
        principal={w.principal}
        open={refunding}
        onClose={() => setRefunding(false)}
        onDone={changed}
      />
    </div>
  );
}

function RefundModal(props: {
  phone: string;
  principal: number;
  open: boolean;
  onClose: () => void;
  onDone: (w: WalletView) => Promise<void>;
}) {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const refusal = useWalletRefusal();
  const [amount, setAmount] = useState<number | null>(null);
  const [method, setMethod] = useState<'cash' | 'original'>('cash');
  const [reason, setReason] = useState('');
  const refund = useMutation({
    mutationFn: () => {
      const fen = amount === null ? undefined : Math.round(amount * 100);
      return walletClient.refund(props.phone, {
        ...(fen !== undefined && fen < props.principal ? { amount: fen } : {}),
        reason: reason.trim(),
        method,
      });
    },
    onSuccess: async (w) => {
      void message.success(t('refund.done', { left: yuan(w.total) }));
      setAmount(null);
      setReason('');
      props.onClose();
      await props.onDone(w);
    },
    onError: (e) => void message.error(refusal(e)),
  });
  return (
    <Modal
      open={props.open}
      title={t('refund.title')}
      okText={t('refund.confirm')}
      okButtonProps={{ danger: true, disabled: reason.trim() === '', loading: refund.isPending }}
      onOk={() => refund.mutate()}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <p>{t('refund.lead', { amount: yuan(props.principal) })}</p>
      <Space direction="vertical" style={{ width: '100%' }}>
        <InputNumber
          aria-label={t('refund.amount')}
          prefix="¥"
          min={0.01}
          max={props.principal / 100}
          precision={2}
          value={amount ?? props.principal / 100}
          onChange={setAmount}
          style={{ width: 180 }}
        />
        <Radio.Group
          value={method}
          onChange={(e) => setMethod(e.target.value as 'cash' | 'original')}
          options={[
            { value: 'cash', label: t('refund.cash') },
            { value: 'original', label: t('refund.original') },
          ]}
        />
        <Input.TextArea
          aria-label={t('refund.reason')}
          placeholder={t('refund.reason')}
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Space>
    </Modal>
  );
}
