// One store's tea and snacks seen from afar: what runs low with what is left, then each category's
// items with their price and whether they can be ordered now. Read-only: the menu, prices and
// stock are changed at the store (its 商品与库存 page).
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OwnerProducts } from '@roomhub/shared-types';
import { remoteOwner } from '../../api/owner-remote-client';
import { yuan } from '../../components/yuan';
import { ownerRefusal } from '../refusal-text';
import { stamp as at } from './when';

type Item = OwnerProducts['categories'][number]['items'][number];

export function RemoteProducts({ storeId, storeName }: { storeId: string; storeName: string }) {
  const { t } = useTranslation('owner');
  const read = useQuery({
    queryKey: ['remote', storeId, 'products'],
    queryFn: () => remoteOwner.products(storeId),
    refetchInterval: 60_000,
  });
  const p = read.data;
  return (
    <Card
      title={t('remote.products.title', { store: storeName })}
      className="gap"
      data-testid={`products-${storeId}`}
    >
      {read.isError && <p>{ownerRefusal(t, read.error)}</p>}
      {p && p.updatedAt === null && <Empty description={t('remote.products.none')} />}
      {p && p.low.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="products-low"
          message={t('remote.products.lowTitle', { n: p.low.length })}
          description={p.low
            .map((i) =>
              t('remote.products.lowLine', {
                name: i.name,
                balance: i.balance,
                at: i.lowStockAt,
              }),
            )
            .join('；')}
        />
      )}
      {p?.categories.map((c) => (
        <Table<Item>
          key={c.categoryId}
          className="gap"
          size="small"
          rowKey="itemId"
          pagination={false}
          title={() => <strong>{c.name}</strong>}
          dataSource={c.items}
          locale={{ emptyText: t('remote.products.emptyCategory') }}
          onRow={(i) => ({ 'data-item': i.name }) as object}
          columns={[
            { title: t('remote.products.item'), dataIndex: 'name' },
            { title: t('remote.products.price'), render: (_, i) => `¥${yuan(i.price)}` },
            {
              title: t('remote.products.state'),
              render: (_, i) =>
                i.available ? (
                  <Tag color="green">{t('remote.products.onSale')}</Tag>
                ) : (
                  <Tag color="red">{t('remote.products.soldOut')}</Tag>
                ),
            },
            {
              title: t('remote.products.stock'),
              render: (_, i) =>
                i.low ? (
                  <Tag color="orange">
                    {t('remote.products.left', { n: i.low.balance, at: i.low.lowStockAt })}
                  </Tag>
                ) : (
                  // Not low, or sold out without ever falling past its threshold (none received).
                  <span className="muted">{i.available ? t('remote.products.enough') : '—'}</span>
                ),
            },
          ]}
        />
      ))}
      {p && p.updatedAt !== null && (
        <p className="muted">
          {t('remote.products.asOf', { at: at(p.updatedAt) })} {t('remote.products.changeAtStore')}
        </p>
      )}
    </Card>
  );
}
