// Products and stock (O5): the menu by category with each item's specs, price and stock; the
// owner adds a category or an item, changes a price, switches an item off for the day, and
// records goods received or thrown away, or the figure counted on the shelf. Counted items at or
// below their threshold are listed first and marked, so the owner sees what to buy.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tag,
} from 'antd';
import { useTranslation } from 'react-i18next';
import type {
  MenuItemInput,
  MenuItemView,
  StockLevelView,
  StockMoveInput,
} from '@roomhub/shared-types';
import { ownerPages } from '../../api/owner-client';
import { yuan } from '../../components/yuan';
import { ItemPhotosField } from './ItemPhotos';
import { ownerRefusal } from '../refusal-text';
import { useLive } from '../devices/use-live';
import { specsOf, specsText } from './specs-text';

interface Row extends MenuItemView {
  category: string;
}

interface ItemForm {
  categoryId: string;
  name: string;
  price: number;
  description?: string;
  photos?: string[];
  stockTracked: boolean;
  lowStockAt?: number | null;
  /** One spec per line: `杯型: 中杯, 大杯+5`. */
  specs?: string;
}

export function ProductsPage() {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const menu = useQuery({ queryKey: ['owner-menu'], queryFn: ownerPages.menu });
  const stock = useQuery({ queryKey: ['owner-stock'], queryFn: ownerPages.stock });
  // Sales at the counter and the kiosk take from the shelf while the page is open.
  useLive((e) =>
    e.type === 'stock.low' || e.type === 'order.status' || e.type === 'menu.changed'
      ? [['owner-stock'], ['owner-menu']]
      : [],
  );
  const [editing, setEditing] = useState<Row | 'new' | null>(null);
  const [moving, setMoving] = useState<Row | null>(null);
  const [addingCategory, setAddingCategory] = useState(false);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['owner-menu'] });
    void client.invalidateQueries({ queryKey: ['owner-stock'] });
  };
  const categories = menu.data?.categories ?? [];
  const levels = new Map((stock.data ?? []).map((s) => [s.itemId, s]));
  const rows: Row[] = categories.flatMap((c) => c.items.map((i) => ({ ...i, category: c.name })));
  const low = (stock.data ?? []).filter((s) => s.low);
  const soldOut = useMutation({
    mutationFn: (v: { item: Row; soldOut: boolean }) =>
      ownerPages.patchItem(v.item.id, { soldOut: v.soldOut }),
    onSuccess: refresh,
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {low.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="low-stock"
          title={t('products.lowStock', {
            items: low.map((s) => `${s.name}（${s.balance}）`).join('、'),
          })}
        />
      )}
      <Card
        title={t('products.title')}
        extra={
          <Space>
            <Button onClick={() => setAddingCategory(true)}>{t('products.addCategory')}</Button>
            <Button
              type="primary"
              disabled={categories.length === 0}
              onClick={() => setEditing('new')}
            >
              {t('products.add')}
            </Button>
          </Space>
        }
      >
        {menu.isError && <Alert type="error" showIcon title={ownerRefusal(t, menu.error)} />}
        <Table<Row>
          rowKey="id"
          loading={menu.isFetching}
          dataSource={rows}
          pagination={false}
          locale={{
            emptyText: (
              <Empty
                description={categories.length ? t('products.empty') : t('products.noCategories')}
              />
            ),
          }}
          columns={[
            { key: 'category', dataIndex: 'category', title: t('products.category') },
            { key: 'name', dataIndex: 'name', title: t('products.name') },
            {
              key: 'specs',
              title: t('products.specs'),
              render: (_, r) =>
                r.specs.length
                  ? r.specs.map((g) => (
                      <div key={g.name} className="muted">
                        {g.name}：{g.choices.map((c) => c.name).join(' / ')}
                      </div>
                    ))
                  : '—',
            },
            { key: 'price', title: t('products.price'), render: (_, r) => `¥${yuan(r.price)}` },
            {
              key: 'stock',
              title: t('products.stock'),
              render: (_, r) => {
                if (!r.stockTracked)
                  return <span className="muted">{t('products.notCounted')}</span>;
                const l = levels.get(r.id);
                const n = l?.balance ?? r.stock ?? 0;
                return (
                  <span data-testid={`stock-${r.name}`}>
                    {l?.low ? <Tag color="red">{n}</Tag> : n}
                    {r.lowStockAt !== null && (
                      <span className="muted"> / {t('products.alertAt', { n: r.lowStockAt })}</span>
                    )}
                  </span>
                );
              },
            },
            {
              key: 'soldOut',
              title: t('products.onSale'),
              render: (_, r) => (
                <Switch
                  aria-label={`${t('products.onSale')} ${r.name}`}
                  checked={!r.soldOut}
                  onChange={(on) => soldOut.mutate({ item: r, soldOut: !on })}
                />
              ),
            },
            {
              key: 'actions',
              title: t('products.actions'),
              render: (_, r) => (
                <Space>
                  <Button size="small" onClick={() => setEditing(r)}>
                    {t('products.edit')}
                  </Button>
                  {r.stockTracked && (
                    <Button size="small" onClick={() => setMoving(r)}>
                      {t('products.restock')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {addingCategory && (
        <CategoryModal onClose={() => setAddingCategory(false)} onSaved={refresh} />
      )}
      {editing && (
        <ItemModal
          item={editing === 'new' ? null : editing}
          categories={categories.map((c) => ({ value: c.id, label: c.name }))}
          onClose={() => setEditing(null)}
          onSaved={refresh}
        />
      )}
      {moving && (
        <StockModal
          item={moving}
          level={levels.get(moving.id) ?? null}
          onClose={() => setMoving(null)}
          onSaved={refresh}
        />
      )}
    </Space>
  );
}

function CategoryModal({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const [name, setName] = useState('');
  const add = useMutation({
    mutationFn: () => ownerPages.addCategory({ name }),
    onSuccess: (c) => {
      void message.success(t('products.categoryAdded', { name: c.name }));
      onSaved();
      onClose();
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  return (
    <Modal
      open
      title={t('products.addCategory')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !name.trim() }}
      confirmLoading={add.isPending}
      onCancel={onClose}
      onOk={() => add.mutate()}
    >
      <Input
        aria-label={t('products.categoryName')}
        placeholder={t('products.categoryName')}
        maxLength={30}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
    </Modal>
  );
}

/**
 * An item added or changed. `send`, from afar: a new item sent as an owner intent (which tells how
 * it went); at the store, the hub is asked and the page says so.
 */
export function ItemModal({
  item,
  categories,
  onClose,
  onSaved,
  send,
}: {
  item: Row | null;
  categories: { value: string; label: string }[];
  onClose: () => void;
  onSaved: () => void;
  send?: (input: MenuItemInput) => Promise<void>;
}) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const [form] = Form.useForm<ItemForm>();
  const tracked = Form.useWatch('stockTracked', form);
  const save = useMutation({
    mutationFn: async (v: ItemForm): Promise<{ name: string } | null> => {
      const body = {
        categoryId: v.categoryId,
        name: v.name,
        price: Math.round(v.price * 100),
        description: v.description ?? '',
        photos: v.photos ?? [],
        stockTracked: v.stockTracked,
        lowStockAt: v.stockTracked ? (v.lowStockAt ?? null) : null,
        specs: specsOf(v.specs, item?.specs),
      };
      if (item) return ownerPages.patchItem(item.id, body);
      if (!send) return ownerPages.addItem(body);
      await send(body);
      return null;
    },
    onSuccess: (i) => {
      if (i) void message.success(t(item ? 'products.saved' : 'products.added', { name: i.name }));
      onSaved();
      onClose();
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  return (
    <Modal
      open
      width={600}
      title={item ? t('products.editTitle', { name: item.name }) : t('products.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => save.mutate(v))}
    >
      <Form<ItemForm>
        form={form}
        layout="vertical"
        initialValues={
          item
            ? {
                ...item,
                price: item.price / 100,
                specs: specsText(item.specs),
              }
            : { categoryId: categories[0]?.value, stockTracked: false, lowStockAt: null }
        }
      >
        <Form.Item name="categoryId" label={t('products.category')} rules={[{ required: true }]}>
          <Select options={categories} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('products.name')}
          rules={[{ required: true, whitespace: true, message: t('products.nameRule') }]}
        >
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item
          name="price"
          label={t('products.priceYuan')}
          rules={[{ required: true, message: t('products.priceRule') }]}
        >
          <InputNumber min={0} max={10000} precision={2} prefix="¥" />
        </Form.Item>
        <Form.Item name="specs" label={t('products.specs')} extra={t('products.specsHelp')}>
          <Input.TextArea rows={3} placeholder={'杯型: 中杯, 大杯+5\n温度: 热, 冰'} />
        </Form.Item>
        <Form.Item name="description" label={t('products.description')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <ItemPhotosField />
        <Space align="start">
          <Form.Item name="stockTracked" label={t('products.counted')} valuePropName="checked">
            <Switch />
          </Form.Item>
          {tracked && (
            <Form.Item name="lowStockAt" label={t('products.lowStockAt')}>
              <InputNumber min={0} max={100000} precision={0} />
            </Form.Item>
          )}
        </Space>
      </Form>
    </Modal>
  );
}

/**
 * Goods received, thrown away (saying why) or counted for one item. `send`, from afar: the move
 * sent as an owner intent (which tells how it went); at the store, the hub is asked.
 */
export function StockModal({
  item,
  level,
  onClose,
  onSaved,
  send,
}: {
  item: { id: string; name: string; stock: number | null };
  level: StockLevelView | null;
  onClose: () => void;
  onSaved: () => void;
  send?: (move: StockMoveInput) => Promise<void>;
}) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const [kind, setKind] = useState<'received' | 'wasted' | 'counted'>('received');
  const [quantity, setQuantity] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const move = useMutation({
    mutationFn: async (): Promise<{ balance: number } | null> => {
      const body = { kind, quantity: quantity ?? 0, reason: reason.trim() };
      if (!send) return ownerPages.moveStock(item.id, body);
      await send(body);
      return null;
    },
    onSuccess: (m) => {
      if (m) void message.success(t('products.moved', { name: item.name, n: m.balance }));
      onSaved();
      onClose();
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  return (
    <Modal
      open
      title={t('products.stockTitle', { name: item.name, n: level?.balance ?? item.stock ?? 0 })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{
        disabled: quantity === null || (kind === 'wasted' && !reason.trim()),
      }}
      confirmLoading={move.isPending}
      onCancel={onClose}
      onOk={() => move.mutate()}
    >
      <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
        {(['received', 'wasted', 'counted'] as const).map((k) => (
          <Radio.Button key={k} value={k}>
            {t(`products.moves.${k}`)}
          </Radio.Button>
        ))}
      </Radio.Group>
      <div className="gap">
        <InputNumber
          aria-label={t('products.quantity')}
          placeholder={t(kind === 'counted' ? 'products.countedAs' : 'products.quantity')}
          min={kind === 'counted' ? 0 : 1}
          max={100000}
          precision={0}
          value={quantity}
          onChange={setQuantity}
          style={{ width: 200 }}
        />
      </div>
      <Input
        className="gap"
        maxLength={200}
        aria-label={t('products.reason')}
        placeholder={t(kind === 'wasted' ? 'products.reasonNeeded' : 'products.reason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
    </Modal>
  );
}
