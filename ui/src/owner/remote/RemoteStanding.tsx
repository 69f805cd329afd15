// A store's standing with the platform, for its owner from anywhere: the penalties the platform
// set on it (a warning, hidden from search, no bookings online), each with its reason, period and
// where it stands, and the deposit (保证金) of the merchant running it: the balance and every
// entry (paid in, fined, a fine given back, returned). Read only: the platform decides these, and
// its inbox notice says so as they happen. Who at the platform wrote each is not shown.
import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Statistic, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DepositEntryView, PenaltyState, PenaltyView } from '@roomhub/shared-types';
import { remoteOwner } from '../../api/owner-remote-client';
import { yuan } from '../../components/yuan';
import { ownerRefusal } from '../refusal-text';

/** The platform writes UTC instants: read in the owner's own clock, as YYYY-MM-DD HH:MM. */
const when = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short' }).format(
    new Date(iso),
  );

const STATE_COLOR: Record<PenaltyState, string> = {
  scheduled: 'blue',
  active: 'red',
  ended: 'default',
  lifted: 'green',
};

export function RemoteStanding({ storeId, storeName }: { storeId: string; storeName: string }) {
  const { t } = useTranslation('owner');
  const penalties = useQuery({
    queryKey: ['remote', storeId, 'penalties'],
    queryFn: () => remoteOwner.penalties(storeId),
  });
  const deposit = useQuery({
    queryKey: ['remote', storeId, 'deposit'],
    queryFn: () => remoteOwner.deposit(storeId),
  });
  const period = (p: PenaltyView) =>
    `${when(p.from)} – ${p.until ? when(p.until) : t('remote.standing.untilLifted')}`;
  return (
    <Card title={storeName} className="gap" data-testid={`standing-${storeId}`}>
      <h3>{t('remote.standing.penalties')}</h3>
      {penalties.isError && <p role="alert">{ownerRefusal(t, penalties.error)}</p>}
      <Table<PenaltyView>
        rowKey="penaltyId"
        size="small"
        pagination={false}
        loading={penalties.isLoading}
        dataSource={penalties.data ?? []}
        locale={{ emptyText: <Empty description={t('remote.standing.noPenalties')} /> }}
        columns={[
          {
            key: 'kind',
            title: t('remote.standing.kind'),
            render: (_, p) => t(`remote.standing.kinds.${p.kind}`),
          },
          { key: 'reason', title: t('remote.standing.reason'), dataIndex: 'reason' },
          { key: 'period', title: t('remote.standing.period'), render: (_, p) => period(p) },
          {
            key: 'state',
            title: t('remote.standing.state'),
            render: (_, p) => (
              <>
                <Tag color={STATE_COLOR[p.state]}>{t(`remote.standing.states.${p.state}`)}</Tag>
                {p.lifted && t('remote.standing.liftedBecause', { reason: p.lifted.reason })}
              </>
            ),
          },
        ]}
      />
      <h3>{t('remote.standing.deposit')}</h3>
      {deposit.isError && <p role="alert">{ownerRefusal(t, deposit.error)}</p>}
      {deposit.data === null && <Empty description={t('remote.standing.noDeposit')} />}
      {deposit.data && (
        <>
          <Statistic
            title={t('remote.standing.balance')}
            value={`¥${yuan(deposit.data.balance)}`}
            data-testid="deposit-balance"
          />
          <Table<DepositEntryView>
            rowKey="entryId"
            size="small"
            pagination={false}
            dataSource={deposit.data.entries}
            columns={[
              { key: 'at', title: t('remote.standing.at'), render: (_, e) => when(e.at) },
              {
                key: 'kind',
                title: t('remote.standing.entry'),
                render: (_, e) =>
                  e.kind === 'fine' && e.refundedBy
                    ? `${t('remote.standing.entries.fine')}（${t('remote.standing.refunded')}）`
                    : t(`remote.standing.entries.${e.kind}`),
              },
              {
                key: 'amount',
                title: t('remote.standing.amount'),
                align: 'right',
                render: (_, e) => `${e.amount < 0 ? '-' : '+'}¥${yuan(Math.abs(e.amount))}`,
              },
              {
                key: 'after',
                title: t('remote.standing.after'),
                align: 'right',
                render: (_, e) => `¥${yuan(e.balance)}`,
              },
              {
                key: 'why',
                title: t('remote.standing.why'),
                render: (_, e) =>
                  e.reason ??
                  e.reference ??
                  (e.kind === 'fine' ? t('remote.standing.otherStore') : ''),
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}
