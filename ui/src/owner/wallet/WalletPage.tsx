// The member wallet (储值, C11, O6): what the store owes its customers now (the principal they
// paid and the bonus it added), one member's wallet looked up by phone with its movements, a
// top-up in cash, the unused principal given back (a wallet shared across the owner's stores is
// gathered here first), the top-up packages the counter sells, and the owner's choice of a wallet
// per store or shared with its offline allowance. Managers and the owner; the mode is the owner's.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Radio,
  Space,
  Statistic,
  Switch,
  Table,
} from 'antd';
import { useTranslation } from 'react-i18next';
import type { StaffRole, WalletPackageView } from '@roomhub/shared-types';
import { yuan } from '../../components/yuan';
import { ownerMay } from '../role-access';
import { WalletLookup } from '../../components/wallet/WalletLookup';
import { walletClient } from '../../components/wallet/wallet-client';
import { NS, useWalletRefusal } from '../../components/wallet/wallet-words';

export function WalletPage({ role }: { role: StaffRole }) {
  const { t } = useTranslation(NS);
  const owed = useQuery({ queryKey: ['wallet-owed'], queryFn: walletClient.owed });
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('owed.title')} data-testid="wallet-owed">
        <Space size={48} wrap>
          <Statistic title={t('owed.principal')} value={`¥${yuan(owed.data?.principal ?? 0)}`} />
          <Statistic title={t('owed.bonus')} value={`¥${yuan(owed.data?.bonus ?? 0)}`} />
          <Statistic title={t('owed.wallets')} value={owed.data?.wallets ?? 0} />
        </Space>
        <p className="muted">{t('owed.lead')}</p>
      </Card>
      <Card title={t('lookup.title')}>
        <WalletLookup role={role} />
      </Card>
      <Packages />
      {ownerMay(role, 'walletSettings') && <Settings />}
    </Space>
  );
}

interface PackageForm {
  name: string;
  pay: number;
  bonus?: number;
  bonusValidDays?: number;
}

function Packages() {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const refusal = useWalletRefusal();
  const client = useQueryClient();
  const [form] = Form.useForm<PackageForm>();
  const packages = useQuery({ queryKey: ['wallet-packages'], queryFn: walletClient.packages });
  const done = () => client.invalidateQueries({ queryKey: ['wallet-packages'] });
  const add = useMutation({
    mutationFn: (v: PackageForm) =>
      walletClient.addPackage({
        name: v.name,
        pay: Math.round(v.pay * 100),
        bonus: Math.round((v.bonus ?? 0) * 100),
        bonusValidDays: v.bonusValidDays ?? null,
      }),
    onSuccess: (p) => {
      void message.success(t('packages.added', { name: p.name }));
      form.resetFields();
      void done();
    },
    onError: (e) => void message.error(refusal(e)),
  });
  const flip = useMutation({
    mutationFn: (v: { id: string; active: boolean }) => walletClient.switchPackage(v.id, v.active),
    onSuccess: () => void done(),
    onError: (e) => void message.error(refusal(e)),
  });
  return (
    <Card title={t('packages.title')} data-testid="wallet-packages">
      <Table<WalletPackageView>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={packages.data ?? []}
        locale={{ emptyText: t('packages.none') }}
        columns={[
          { key: 'name', title: t('packages.name'), dataIndex: 'name' },
          { key: 'pay', title: t('packages.pay'), render: (_, p) => `¥${yuan(p.pay)}` },
          { key: 'bonus', title: t('packages.bonus'), render: (_, p) => `¥${yuan(p.bonus)}` },
          {
            key: 'days',
            title: t('packages.bonusValidDays'),
            render: (_, p) =>
              p.bonusValidDays === null
                ? t('packages.never')
                : t('packages.days', { count: p.bonusValidDays }),
          },
          {
            key: 'active',
            title: t('packages.selling'),
            render: (_, p) => (
              <Switch
                aria-label={t('packages.sellingOf', { name: p.name })}
                checked={p.active}
                onChange={(active) => flip.mutate({ id: p.id, active })}
              />
            ),
          },
        ]}
      />
      <Form<PackageForm>
        form={form}
        layout="inline"
        className="gap"
        onFinish={(v) => add.mutate(v)}
      >
        <Form.Item name="name" rules={[{ required: true, message: t('packages.nameNeeded') }]}>
          <Input aria-label={t('packages.name')} placeholder={t('packages.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="pay" rules={[{ required: true, message: t('packages.payNeeded') }]}>
          <InputNumber
            aria-label={t('packages.pay')}
            placeholder={t('packages.pay')}
            prefix="¥"
            min={0.01}
            max={100000}
            precision={2}
            style={{ width: 150 }}
          />
        </Form.Item>
        <Form.Item name="bonus">
          <InputNumber
            aria-label={t('packages.bonus')}
            placeholder={t('packages.bonus')}
            prefix="¥"
            min={0}
            max={100000}
            precision={2}
            style={{ width: 150 }}
          />
        </Form.Item>
        <Form.Item name="bonusValidDays">
          <InputNumber
            aria-label={t('packages.bonusValidDays')}
            placeholder={t('packages.bonusValidDays')}
            min={1}
            max={3660}
            precision={0}
            style={{ width: 150 }}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={add.isPending}>
          {t('packages.add')}
        </Button>
      </Form>
    </Card>
  );
}

function Settings() {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const refusal = useWalletRefusal();
  const client = useQueryClient();
  const settings = useQuery({ queryKey: ['wallet-settings'], queryFn: walletClient.settings });
  const [allowance, setAllowance] = useState<number | null>(null);
  const save = useMutation({
    mutationFn: walletClient.setSettings,
    onSuccess: () => {
      void message.success(t('settings.saved'));
      setAllowance(null);
      void client.invalidateQueries({ queryKey: ['wallet-settings'] });
    },
    onError: (e) => void message.error(refusal(e)),
  });
  const s = settings.data;
  if (!s) return null;
  return (
    <Card title={t('settings.title')} data-testid="wallet-settings">
      <Radio.Group
        value={s.mode}
        onChange={(e) => save.mutate({ mode: e.target.value as 'store' | 'shared' })}
        options={[
          { value: 'store', label: t('settings.store') },
          { value: 'shared', label: t('settings.shared') },
        ]}
      />
      <p className="muted">
        {t(s.mode === 'shared' ? 'settings.sharedLead' : 'settings.storeLead')}
      </p>
      {s.mode === 'shared' && (
        <Space wrap>
          <span>{t('settings.allowance')}</span>
          <InputNumber
            aria-label={t('settings.allowance')}
            prefix="¥"
            min={0}
            max={100000}
            precision={2}
            value={allowance ?? s.offlineAllowance / 100}
            onChange={setAllowance}
          />
          <Button
            disabled={allowance === null}
            loading={save.isPending}
            onClick={() =>
              allowance !== null && save.mutate({ offlineAllowance: Math.round(allowance * 100) })
            }
          >
            {t('settings.save')}
          </Button>
        </Space>
      )}
      {s.mode === 'shared' && (
        <Alert className="gap" type="info" showIcon title={t('settings.allowanceLead')} />
      )}
    </Card>
  );
}
