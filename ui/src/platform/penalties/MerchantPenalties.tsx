// A merchant's penalties and limits (P1) on its row of the merchants page: each with its kind,
// the stores it applies to, reason, period and where it stands, lifted early with a reason; a
// new one (警告, 限制曝光, 暂停线上接单) on all its stores or one, until a time or until lifted.
// Fines are not penalties here: they are taken from the deposit, in MerchantDeposit below.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import {
  PENALTY_KINDS,
  type MerchantView,
  type PenaltyKind,
  type PenaltyState,
  type PenaltyView,
} from '@roomhub/shared-types';
import { platform, PlatformRefusal } from '../platform-client';
import { ReasonAction } from '../ReasonAction';
import { penaltiesApi } from './penalties-client';
import { NS } from './words';

const STATE_COLOR: Record<PenaltyState, string> = {
  scheduled: 'blue',
  active: 'red',
  ended: 'default',
  lifted: 'green',
};

const when = (iso: string) => new Date(iso).toLocaleString();

export function MerchantPenalties({ m }: { m: MerchantView }) {
  const { t } = useTranslation(NS);
  const client = useQueryClient();
  const me = useQuery({ queryKey: ['platform', 'me'], queryFn: platform.me });
  const mayManage = me.data?.actions.includes('merchants.manage');
  const list = useQuery({
    queryKey: ['platform', 'penalties', m.phone],
    queryFn: () => penaltiesApi.list(m.phone),
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ['platform'] });
  const [kind, setKind] = useState<PenaltyKind>('warning');
  const [store, setStore] = useState<string>('');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState<Dayjs | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const add = async () => {
    setBusy(true);
    setError(null);
    try {
      await penaltiesApi.add(m.phone, {
        kind,
        reason: reason.trim(),
        ...(store ? { storeId: store } : {}),
        ...(until ? { until: until.toISOString() } : {}),
      });
      setReason('');
      setUntil(null);
      refresh();
    } catch (e) {
      setError(e instanceof PlatformRefusal ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('title')} data-testid={`penalties-${m.phone}`}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Table
          size="small"
          rowKey="penaltyId"
          pagination={false}
          loading={list.isLoading}
          locale={{ emptyText: t('none') }}
          dataSource={list.data ?? []}
          columns={[
            {
              title: t('columns.kind'),
              render: (_: unknown, p: PenaltyView) => t(`kind.${p.kind}`),
            },
            {
              title: t('columns.scope'),
              render: (_: unknown, p: PenaltyView) => p.storeId ?? t('allStores'),
            },
            { title: t('columns.reason'), dataIndex: 'reason' },
            {
              title: t('columns.period'),
              render: (_: unknown, p: PenaltyView) =>
                t('period', {
                  from: when(p.from),
                  until: p.until ? when(p.until) : t('untilLifted'),
                }),
            },
            {
              title: t('columns.state'),
              render: (_: unknown, p: PenaltyView) => (
                <Space direction="vertical" size={0}>
                  <Tag color={STATE_COLOR[p.state]} data-testid={`penalty-state-${p.penaltyId}`}>
                    {t(`state.${p.state}`)}
                  </Tag>
                  {p.lifted && (
                    <Typography.Text type="secondary">
                      {t('liftedBy', {
                        by: p.lifted.by,
                        at: when(p.lifted.at),
                        reason: p.lifted.reason,
                      })}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            { title: t('columns.by'), dataIndex: 'by' },
            {
              title: '',
              render: (_: unknown, p: PenaltyView) =>
                mayManage &&
                (p.state === 'active' || p.state === 'scheduled') && (
                  <ReasonAction
                    label={t('lift')}
                    title={t('liftTitle')}
                    testId={`lift-${p.penaltyId}`}
                    act={(r) => penaltiesApi.lift(m.phone, p.penaltyId, r)}
                    done={refresh}
                  />
                ),
            },
          ]}
        />
        {mayManage && (
          <Space wrap align="start">
            <Select
              style={{ width: 150 }}
              value={kind}
              onChange={setKind}
              data-testid="penalty-kind"
              options={PENALTY_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
            />
            <Select
              style={{ width: 150 }}
              value={store}
              onChange={setStore}
              aria-label={t('scope')}
              options={[
                { value: '', label: t('allStores') },
                ...m.storeIds.map((s) => ({ value: s, label: s })),
              ]}
            />
            <Input
              style={{ width: 260 }}
              placeholder={t('reason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-testid="penalty-reason"
            />
            <DatePicker
              showTime
              placeholder={t('until')}
              value={until}
              onChange={setUntil}
              style={{ width: 220 }}
            />
            <Button
              type="primary"
              danger
              loading={busy}
              disabled={reason.trim().length < 2}
              onClick={() => void add()}
              data-testid="penalty-add"
            >
              {t('submit')}
            </Button>
          </Space>
        )}
        {mayManage && <Typography.Text type="secondary">{t(`kindHelp.${kind}`)}</Typography.Text>}
        {error && <Alert type="error" message={error} />}
        <Typography.Text type="secondary">{t('finesFromDeposit')}</Typography.Text>
      </Space>
    </Card>
  );
}
