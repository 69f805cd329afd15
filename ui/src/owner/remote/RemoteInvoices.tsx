// One store's invoice requests seen from afar, newest first: who asked, for which booking, how
// much, and whether it is issued (its number and date) or refused (why). A waiting request is
// issued from here with the tax system's PDF, or turned down with the reason the customer reads:
// each an owner intent the store answers, with the store page's own dialogs.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OwnerInvoices } from '@roomhub/shared-types';
import { remoteOwner } from '../../api/owner-remote-client';
import { yuan } from '../../components/yuan';
import { IssueDialog, RejectDialog } from '../invoices/InvoicesPage';
import { ownerRefusal } from '../refusal-text';
import { useRemoteChange } from './use-remote-change';
import { stamp as at } from './when';

type Invoice = OwnerInvoices['invoices'][number];

const STATUS_COLOUR = { waiting: 'orange', issued: 'green', rejected: 'red' } as const;

export function RemoteInvoices({ storeId, storeName }: { storeId: string; storeName: string }) {
  const { t } = useTranslation('owner');
  const read = useQuery({
    queryKey: ['remote', storeId, 'invoices'],
    queryFn: () => remoteOwner.invoices(storeId),
    refetchInterval: 60_000,
  });
  const [rejecting, setRejecting] = useState<Invoice | null>(null);
  const [issuing, setIssuing] = useState<Invoice | null>(null);
  const change = useRemoteChange(storeId, ['remote', storeId, 'invoices']);
  return (
    <Card
      title={t('remote.invoices.title', { store: storeName })}
      className="gap"
      data-testid={`invoices-${storeId}`}
      extra={
        read.data && (
          <span data-testid="invoices-waiting">
            {t('remote.invoices.waiting', { n: read.data.waiting })}
          </span>
        )
      }
    >
      {read.isError && <p>{ownerRefusal(t, read.error)}</p>}
      <Table<Invoice>
        rowKey="requestId"
        size="small"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        loading={read.isPending}
        dataSource={read.data?.invoices ?? []}
        locale={{ emptyText: t('remote.invoices.none') }}
        onRow={(i) => ({ 'data-invoice': i.title.name }) as object}
        columns={[
          { title: t('invoices.requestedAt'), render: (_, i) => at(i.requestedAt) },
          {
            title: t('invoices.buyer'),
            render: (_, i) => (
              <Space direction="vertical" size={0}>
                <span>
                  {i.title.name} <Tag>{t(`invoices.kind.${i.title.kind}`)}</Tag>
                </span>
                {i.title.kind === 'company' && <span className="muted">{i.title.taxId}</span>}
              </Space>
            ),
          },
          { title: t('invoices.amount'), render: (_, i) => `¥${yuan(i.amount)}` },
          {
            title: t('invoices.statusTitle'),
            render: (_, i) => (
              <Tag color={STATUS_COLOUR[i.status]}>{t(`invoices.status.${i.status}`)}</Tag>
            ),
          },
          {
            title: t('remote.invoices.outcome'),
            render: (_, i) =>
              i.status === 'issued'
                ? t('remote.invoices.issuedAs', { number: i.number ?? '', on: i.issuedOn ?? '' })
                : i.status === 'rejected'
                  ? (i.reason ?? '')
                  : '—',
          },
          {
            title: t('remote.invoices.change'),
            render: (_, i) =>
              i.status === 'waiting' ? (
                <Space>
                  <Button type="primary" onClick={() => setIssuing(i)}>
                    {t('invoices.issue')}
                  </Button>
                  <Button danger onClick={() => setRejecting(i)}>
                    {t('invoices.reject')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      {issuing && (
        <IssueDialog
          amount={issuing.amount}
          title={issuing.title}
          issue={(number, issuedOn, pdf) =>
            change.sendOrThrow(
              () => remoteOwner.issueInvoice(storeId, issuing.requestId, number, issuedOn, pdf),
              t('remote.invoices.issued', { name: issuing.title.name }),
            )
          }
          onClose={() => setIssuing(null)}
        />
      )}
      {rejecting && (
        <RejectDialog
          name={rejecting.title.name}
          reject={(reason) =>
            change.sendOrThrow(
              () => remoteOwner.rejectInvoice(storeId, rejecting.requestId, reason),
              t('remote.invoices.rejected', { name: rejecting.title.name }),
            )
          }
          onClose={() => setRejecting(null)}
        />
      )}
      <p className="muted">{t('remote.invoices.changeAtStore')}</p>
    </Card>
  );
}
