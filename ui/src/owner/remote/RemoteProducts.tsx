// One store's tea and snacks seen from afar: what runs low with what is left, then each category's
// items with their price, whether they can be ordered now and what is on the shelf. The owner
// adds an item (the store's own form), reprices one, switches it off or on, or records goods
// received, thrown away or counted for it from here, each an owner intent the store answers
// (waiting while it is offline). Its photos are changed here too; its category, specs and
// description at the store.
import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Image,
  InputNumber,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
} from 'antd';
import { useTranslation } from 'react-i18next';
import type { OwnerProducts, RemoteMenuItemPatch } from '@roomhub/shared-types';
import { remoteOwner } from '../../api/owner-remote-client';
import { yuan } from '../../components/yuan';
import { ItemModal, StockModal } from '../products/ProductsPage';
import { ItemPhotosField } from '../products/ItemPhotos';
import { ownerRefusal } from '../refusal-text';
import { useRemoteChange } from './use-remote-change';
import { stamp as at } from './when';

type Item = OwnerProducts['categories'][number]['items'][number];

/** The price in yuan, typed; saved in fen once it is a price the menu takes. */
function PriceEdit({ item, onSave }: { item: Item; onSave: (fen: number) => void }) {
  const { t } = useTranslation('owner');
  const [price, setPrice] = useState<number | null>(item.price / 100);
  const fen = price === null ? null : Math.round(price * 100);
  return (
    <Space.Compact>
      <InputNumber
        aria-label={t('remote.products.newPrice', { name: item.name })}
        min={0}
        max={100_000}
        step={1}
        precision={2}
        prefix="¥"
        value={price}
        onChange={setPrice}
        style={{ width: 110 }}
      />
      <Button
        disabled={fen === null || fen === item.price}
        onClick={() => fen !== null && onSave(fen)}
      >
        {t('remote.products.reprice')}
      </Button>
    </Space.Compact>
  );
}

/** An item's photos from afar: the list as the store published it, sent whole once changed. */
function PhotosModal({
  item,
  send,
  onClose,
}: {
  item: Item;
  send: (photos: string[]) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation('owner');
  const [form] = Form.useForm<{ photos: string[] }>();
  const { message } = App.useApp();
  const save = useMutation({
    mutationFn: async ({ photos }: { photos?: string[] }) => {
      const list = (photos ?? []).map((p) => p.trim()).filter((p) => p !== '');
      if (JSON.stringify(list) === JSON.stringify(item.photos)) {
        void message.info(t('remote.products.nothingChanged'));
        return;
      }
      await send(list);
    },
    onSuccess: onClose,
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  return (
    <Modal
      open
      title={t('remote.products.photosTitle', { name: item.name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => save.mutate(v))}
    >
      <Form form={form} layout="vertical" initialValues={{ photos: item.photos }}>
        <ItemPhotosField />
      </Form>
    </Modal>
  );
}

export function RemoteProducts({ storeId, storeName }: { storeId: string; storeName: string }) {
  const { t } = useTranslation('owner');
  const read = useQuery({
    queryKey: ['remote', storeId, 'products'],
    queryFn: () => remoteOwner.products(storeId),
    refetchInterval: 60_000,
  });
  const p = read.data;
  const { send, sendOrThrow } = useRemoteChange(storeId, ['remote', storeId, 'products']);
  const [adding, setAdding] = useState(false);
  const [moving, setMoving] = useState<Item | null>(null);
  const [picturing, setPicturing] = useState<Item | null>(null);
  const change = (i: Item, patch: RemoteMenuItemPatch) =>
    send(
      () => remoteOwner.patchMenuItem(storeId, i.itemId, patch),
      t('remote.products.changed', { name: i.name }),
    );
  return (
    <Card
      title={t('remote.products.title', { store: storeName })}
      className="gap"
      data-testid={`products-${storeId}`}
      extra={
        p &&
        p.categories.length > 0 && (
          <Button type="primary" onClick={() => setAdding(true)}>
            {t('products.add')}
          </Button>
        )
      }
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
            {
              title: t('remote.products.item'),
              render: (_, i) => (
                <Space style={{ whiteSpace: 'nowrap' }}>
                  {i.photos[0] && <Image src={i.photos[0]} width={40} height={30} alt="" />}
                  {i.name}
                </Space>
              ),
            },
            { title: t('remote.products.price'), render: (_, i) => `¥${yuan(i.price)}` },
            {
              title: t('remote.products.state'),
              render: (_, i) => {
                if (i.available) return <Tag color="green">{t('remote.products.onSale')}</Tag>;
                // Switched off by staff, or none on the shelf (a menu published before the store
                // said which is both in one).
                const why =
                  i.soldOut === true ? 'stopped' : i.soldOut === false ? 'noneLeft' : 'soldOut';
                return <Tag color="red">{t(`remote.products.${why}`)}</Tag>;
              },
            },
            {
              title: t('remote.products.stock'),
              render: (_, i) =>
                i.low ? (
                  <Tag color="orange">
                    {t('remote.products.left', { n: i.low.balance, at: i.low.lowStockAt })}
                  </Tag>
                ) : i.stock !== null ? (
                  <span>{t('remote.products.onShelf', { n: i.stock })}</span>
                ) : (
                  // Not counted, or a menu published before the store said its stock.
                  <span className="muted">—</span>
                ),
            },
            {
              title: t('remote.products.change'),
              render: (_, i) => (
                <Space wrap>
                  <PriceEdit key={i.price} item={i} onSave={(price) => change(i, { price })} />
                  <Button onClick={() => setPicturing(i)}>{t('remote.products.photos')}</Button>
                  {i.stock !== null && (
                    <Button onClick={() => setMoving(i)}>{t('products.restock')}</Button>
                  )}
                  {i.soldOut === true ? (
                    <Button onClick={() => change(i, { soldOut: false })}>
                      {t('remote.products.resume')}
                    </Button>
                  ) : (
                    <Popconfirm
                      title={t('remote.products.stopConfirm', { name: i.name })}
                      okText={t('remote.products.stop')}
                      onConfirm={() => change(i, { soldOut: true })}
                    >
                      <Button danger>{t('remote.products.stop')}</Button>
                    </Popconfirm>
                  )}
                </Space>
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
      {picturing && (
        <PhotosModal
          item={picturing}
          send={(photos) =>
            sendOrThrow(
              () => remoteOwner.patchMenuItem(storeId, picturing.itemId, { photos }),
              t('remote.products.photosSaved', { name: picturing.name }),
            )
          }
          onClose={() => setPicturing(null)}
        />
      )}
      {moving && (
        <StockModal
          item={{ id: moving.itemId, name: moving.name, stock: moving.stock }}
          level={null}
          send={(move) =>
            sendOrThrow(
              () => remoteOwner.moveStock(storeId, moving.itemId, move),
              t('remote.products.moved', { name: moving.name }),
            )
          }
          onClose={() => setMoving(null)}
          onSaved={() => undefined}
        />
      )}
      {adding && p && (
        <ItemModal
          item={null}
          categories={p.categories.map((c) => ({ value: c.categoryId, label: c.name }))}
          send={(input) =>
            sendOrThrow(
              () => remoteOwner.createMenuItem(storeId, input),
              t('remote.products.added', { name: input.name }),
            )
          }
          onClose={() => setAdding(false)}
          onSaved={() => undefined}
        />
      )}
    </Card>
  );
}
