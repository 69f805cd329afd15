// Tea and snacks at the counter (S3): the day's orders waiting to be made and taken to their
// rooms, live from the hub's events, marked prepared and delivered; cash taken for what an order
// still owes (while the counter takes cash), or from the wallet or points of the order's member (the
// booking's customer, or the member named for a counter order); money given back on an order, in part or in full, each
// part the way it came (an order paid on the phone, through the cloud); and the items running low
// on the shelf. A member's discount shows under the items as a line of its own. An order with no
// booking is taken here too (CounterOrder), for a member named by phone at their price.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, InputNumber, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrderView } from '@roomhub/shared-types';
import { counter } from '../../api/counter-client';
import { clockTime } from '../../components/store-time';
import { yuan } from '../../components/yuan';
import { useCashier } from '../cashier-context';
import { counterRefusal } from '../refusal-text';
import { ReasonModal } from '../ReasonModal';
import { CounterOrder } from './CounterOrder';
import { orderDiscountText } from './order-discounts';

const WAITING = new Set(['placed', 'prepared']);
/** An order money can still go back on: placed, made or handed over. */
const REFUNDABLE = new Set(['placed', 'prepared', 'delivered']);

export function TeaQueue() {
  const { t } = useTranslation('cashier');
  const c = useCashier();
  const today = c.today();
  const orders = useQuery({
    queryKey: ['orders', today],
    queryFn: () => counter.orders({ date: today }),
  });
  const all = orders.data ?? [];
  // Oldest first: the room that ordered first is served first.
  const waiting = all.filter((o) => WAITING.has(o.status)).reverse();
  const rest = all.filter((o) => !WAITING.has(o.status));
  return (
    <div className="cashier-stack">
      {c.stockAlerts.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="low-stock"
          title={t('tea.lowStock')}
          description={c.stockAlerts
            .map((a) => t('tea.lowStockItem', { name: a.name, count: a.balance }))
            .join('；')}
        />
      )}
      {orders.error && <Alert type="error" showIcon title={counterRefusal(t, orders.error)} />}
      {c.may('orderPlace') && <CounterOrder />}
      <h2>{t('tea.queue', { count: waiting.length })}</h2>
      {waiting.length === 0 ? (
        <Empty description={t('tea.nothingWaiting')} />
      ) : (
        <div className="order-grid" data-testid="order-queue">
          {waiting.map((o) => (
            <OrderCard key={o.id} order={o} />
          ))}
        </div>
      )}
      {rest.length > 0 && (
        <>
          <h2>{t('tea.doneToday')}</h2>
          <div className="order-grid">
            {rest.map((o) => (
              <OrderCard key={o.id} order={o} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}

function OrderCard({ order: o }: { order: OrderView }) {
  const { t } = useTranslation('cashier');
  const c = useCashier();
  const client = useQueryClient();
  const { message } = App.useApp();
  const act = useMutation({
    mutationFn: (step: 'prepare' | 'deliver' | 'cash' | 'wallet' | 'points') =>
      step === 'prepare'
        ? counter.prepareOrder(o.id)
        : step === 'deliver'
          ? counter.deliverOrder(o.id)
          : counter.payOrder(o.id, step),
    onSuccess: () => client.invalidateQueries({ queryKey: ['orders'] }),
    onError: (e) => void message.error(counterRefusal(t, e)),
  });
  const [refunding, setRefunding] = useState(false);
  const [amount, setAmount] = useState<number | null>(null);
  const left = o.paid - o.refunded;
  const tz = c.store.timeZone;
  return (
    <Card
      size="small"
      className={`order-card order-${o.status}`}
      data-testid={`order-${o.number}`}
      title={
        <span>
          #{o.number} · {o.roomId ? c.roomName(o.roomId) : t('tea.atCounter')}
        </span>
      }
      extra={<Tag>{t(`orderStatus.${o.status}`)}</Tag>}
    >
      <div className="muted small">{clockTime(o.createdAt, tz)}</div>
      <ul className="order-lines">
        {o.lines.map((l, i) => (
          <li key={i}>
            {l.name}
            {l.specs.length ? ` (${l.specs.map((s) => s.choice).join('/')})` : ''} ×{l.quantity}
          </li>
        ))}
        {o.discounts.map((d, i) => (
          <li key={`discount-${i}`} className="order-discount" data-testid="order-discount">
            {orderDiscountText(t, d)}
          </li>
        ))}
      </ul>
      {o.note && <div className="muted">{o.note}</div>}
      <div className="order-money">
        ¥{yuan(o.total)}
        {o.due > 0 && <Tag color="gold">{t('tea.due', { amount: yuan(o.due) })}</Tag>}
        {o.refunded > 0 && (
          <Tag data-testid="order-refunded">{t('tea.refunded', { amount: yuan(o.refunded) })}</Tag>
        )}
      </div>
      {c.may('orderProgress') && (
        <Space wrap className="gap">
          {o.status === 'placed' && (
            <Button loading={act.isPending} onClick={() => act.mutate('prepare')}>
              {t('tea.prepared')}
            </Button>
          )}
          {WAITING.has(o.status) && (
            <Button type="primary" loading={act.isPending} onClick={() => act.mutate('deliver')}>
              {t('tea.delivered')}
            </Button>
          )}
          {o.due > 0 && c.may('orderCash') && c.takes('cash') && (
            <Button loading={act.isPending} onClick={() => act.mutate('cash')}>
              {t('tea.takeCash', { amount: yuan(o.due) })}
            </Button>
          )}
          {o.due > 0 && o.member && c.may('orderCash') && (
            <>
              <Button loading={act.isPending} onClick={() => act.mutate('wallet')}>
                {t('tea.payWallet', { amount: yuan(o.due) })}
              </Button>
              <Button loading={act.isPending} onClick={() => act.mutate('points')}>
                {t('tea.payPoints')}
              </Button>
            </>
          )}
        </Space>
      )}
      {left > 0 && REFUNDABLE.has(o.status) && c.may('orderRefund') && (
        <Button danger className="gap" onClick={() => setRefunding(true)}>
          {t('tea.refund')}
        </Button>
      )}
      <ReasonModal
        open={refunding}
        title={t('tea.refundTitle', { number: o.number })}
        okText={t('tea.refund')}
        danger
        onCancel={() => {
          setRefunding(false);
          setAmount(null);
        }}
        onConfirm={async (reason) => {
          const fen = Math.round((amount ?? left / 100) * 100);
          await counter.refundOrder(o.id, { ...(fen < left ? { amount: fen } : {}), reason });
          void message.success(t('tea.refundDone', { amount: yuan(fen) }));
          await client.invalidateQueries({ queryKey: ['orders'] });
        }}
      >
        <p className="muted">{t('tea.refundLead', { amount: yuan(left) })}</p>
        <InputNumber
          className="gap-bottom"
          aria-label={t('amount')}
          min={0.01}
          max={left / 100}
          precision={2}
          prefix="¥"
          value={amount ?? left / 100}
          onChange={setAmount}
          style={{ width: 160 }}
        />
      </ReasonModal>
    </Card>
  );
}
