// One store's deals seen from afar, as its hub published them: every status, what each buys,
// its price and rules, and how many of a limited stock are sold (online and in the store). A deal
// is made or its terms changed (the store's own form), or put on sale or taken off, from here, each
// an owner intent the store answers; vouchers already sold keep what they bought.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Modal, Popconfirm, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DealView, OwnerDeals } from '@roomhub/shared-types';
import { remoteOwner } from '../../api/owner-remote-client';
import { DealForm } from '../deals/DealForm';
import { DealPrice, SOURCE_COLOUR, STATUS_COLOUR, dealBuys, dealRules } from '../deals/deal-cells';
import { ownerRefusal } from '../refusal-text';
import { useRemoteChange } from './use-remote-change';

type Deal = OwnerDeals['deals'][number];

export function RemoteDeals({ storeId, storeName }: { storeId: string; storeName: string }) {
  const { t } = useTranslation('owner');
  const read = useQuery({
    queryKey: ['remote', storeId, 'deals'],
    queryFn: () => remoteOwner.deals(storeId),
    refetchInterval: 60_000,
  });
  // The rooms a deal is limited to, by the names the store published.
  const profile = useQuery({
    queryKey: ['remote', storeId, 'profile', 'deal-rooms'],
    queryFn: () => remoteOwner.profile(storeId),
    staleTime: 5 * 60_000,
  });
  const roomName = (id: string) => profile.data?.rooms.find((r) => r.roomId === id)?.name ?? id;
  const { send, sendOrThrow } = useRemoteChange(storeId, ['remote', storeId, 'deals']);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Deal | null>(null);
  const setStatus = (d: Deal, status: 'on_sale' | 'off_sale') =>
    send(
      () => remoteOwner.setDealStatus(storeId, d.dealId, status),
      t(`remote.deals.made.${status}`, { name: d.title }),
    );
  return (
    <Card
      title={t('remote.deals.title', { store: storeName })}
      className="gap"
      data-testid={`deals-${storeId}`}
      extra={
        <Button type="primary" data-testid="new-deal" onClick={() => setAdding(true)}>
          {t('deals.new')}
        </Button>
      }
    >
      {read.isError && <p>{ownerRefusal(t, read.error)}</p>}
      <Table<Deal>
        rowKey="dealId"
        size="small"
        pagination={false}
        loading={read.isPending}
        dataSource={read.data?.deals ?? []}
        locale={{ emptyText: t('remote.deals.none') }}
        onRow={(d) => ({ 'data-deal': d.title }) as object}
        columns={[
          {
            title: t('deals.deal'),
            render: (_, d) => (
              <Space direction="vertical" size={0}>
                <strong>{d.title}</strong>
                <span className="muted">{dealBuys(t, d, roomName)}</span>
              </Space>
            ),
          },
          {
            title: t('deals.source'),
            render: (_, d) => (
              <Tag color={SOURCE_COLOUR[d.source]}>{t(`deals.sources.${d.source}`)}</Tag>
            ),
          },
          {
            title: t('deals.price'),
            render: (_, d) => <DealPrice t={t} d={d} />,
          },
          {
            title: t('deals.rules'),
            render: (_, d) => <span className="muted">{dealRules(t, d)}</span>,
          },
          {
            title: t('deals.sold'),
            render: (_, d) =>
              d.stock === null ? t('remote.deals.noStock') : `${d.sold ?? 0} / ${d.stock}`,
          },
          {
            title: t('deals.status'),
            render: (_, d) => (
              <Tag color={STATUS_COLOUR[d.status]}>{t(`deals.statuses.${d.status}`)}</Tag>
            ),
          },
          {
            title: t('remote.deals.change'),
            render: (_, d) => (
              <Space wrap>
                <Button onClick={() => setEditing(d)}>{t('remote.deals.edit')}</Button>
                {d.status === 'on_sale' ? (
                  <Popconfirm
                    title={t('remote.deals.offConfirm', { name: d.title })}
                    okText={t('remote.deals.takeOff')}
                    onConfirm={() => setStatus(d, 'off_sale')}
                  >
                    <Button danger>{t('remote.deals.takeOff')}</Button>
                  </Popconfirm>
                ) : (
                  <Button onClick={() => setStatus(d, 'on_sale')}>{t('remote.deals.putOn')}</Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <p className="muted">{t('remote.deals.changeAtStore')}</p>
      <Modal
        open={adding}
        title={t('deals.new')}
        footer={null}
        destroyOnHidden
        width={720}
        onCancel={() => setAdding(false)}
      >
        {adding && (
          <DealForm
            deal={null}
            rooms={(profile.data?.rooms ?? []).map((r) => ({ id: r.roomId, name: r.name }))}
            send={(input) =>
              sendOrThrow(
                () => remoteOwner.createDeal(storeId, input),
                t('remote.deals.made.created', { name: input.title }),
              )
            }
            onSaved={() => setAdding(false)}
          />
        )}
      </Modal>
      <Modal
        open={editing !== null}
        title={editing ? t('remote.deals.editTitle', { name: editing.title }) : ''}
        footer={null}
        destroyOnHidden
        width={720}
        onCancel={() => setEditing(null)}
      >
        {editing && (
          <DealForm
            deal={asDealView(editing)}
            rooms={(profile.data?.rooms ?? []).map((r) => ({ id: r.roomId, name: r.name }))}
            sendPatch={(patch) =>
              sendOrThrow(
                () => remoteOwner.patchDeal(storeId, editing.dealId, patch),
                t('remote.deals.made.changed', { name: patch.title ?? editing.title }),
              )
            }
            onSaved={() => setEditing(null)}
          />
        )}
      </Modal>
    </Card>
  );
}

/** The deal as the store published it, in the shape the store's own form reads. */
function asDealView(d: Deal): DealView {
  return {
    id: d.dealId,
    source: d.source,
    platformDealId: d.platformDealId,
    title: d.title,
    description: d.description,
    photos: d.photos,
    entitlement: d.entitlement,
    rev: d.rev,
    price: d.price,
    originalPrice: d.originalPrice,
    groupSize: d.groupSize,
    groupHours: d.groupHours,
    validDays: d.validDays,
    perCustomerLimit: d.perCustomerLimit,
    stock: d.stock,
    sold: d.sold ?? 0,
    refundAnyTime: d.refundAnyTime,
    refundOnExpiry: d.refundOnExpiry,
    status: d.status,
    createdAt: d.updatedAt,
    updatedAt: d.updatedAt,
  };
}
