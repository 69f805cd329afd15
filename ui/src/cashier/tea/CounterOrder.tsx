// An order of tea and snacks taken at the counter, with no booking (S3): items picked from the
// menu with a choice for each of their specs (杯型, 温度, 甜度; the item's default taken until the
// cashier picks another, and an item whose spec has no default waits for one), the member named by phone so their level's price shows as its own line under the items,
// the hub's quote read again as the cart changes, then placed. Once the hub knows the member the
// screen shows their phone masked, never in full; a phone that is no member's is said in words and
// the cart is priced without the discount.
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, InputNumber, Select, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MenuItemView, OrderCreate } from '@roomhub/shared-types';
import { HubRefusal } from '../../api/hub-client';
import { counter } from '../../api/counter-client';
import { yuan } from '../../components/yuan';
import { counterRefusal } from '../refusal-text';
import { orderDiscountText } from './order-discounts';

type CartLine = { itemId: string; quantity: number; specs: Record<string, string> };

/** The same item with the same choices is one line of the cart. */
const sameLine = (a: Omit<CartLine, 'quantity'>, b: Omit<CartLine, 'quantity'>) =>
  a.itemId === b.itemId &&
  Object.keys(a.specs).length === Object.keys(b.specs).length &&
  Object.entries(a.specs).every(([spec, choice]) => b.specs[spec] === choice);

/**
 * The picked item's choices as the menu has them now: one the menu no longer has is dropped (the
 * menu is read again as the owner changes it), and a spec not picked takes its default.
 */
const choicesNow = (
  item: MenuItemView | undefined,
  chosen: Record<string, string>,
): Record<string, string> =>
  Object.fromEntries(
    (item?.specs ?? []).flatMap((g) => {
      const picked = g.choices.some((c) => c.name === chosen[g.name]) ? chosen[g.name] : undefined;
      const choice = picked ?? g.defaultChoice;
      return choice ? [[g.name, choice]] : [];
    }),
  );

const choiceLabel = (name: string, priceDelta: number) =>
  priceDelta === 0 ? name : `${name} ${priceDelta > 0 ? '+' : '-'}¥${yuan(Math.abs(priceDelta))}`;

export function CounterOrder() {
  const { t } = useTranslation('cashier');
  const client = useQueryClient();
  const { message } = App.useApp();
  const menu = useQuery({ queryKey: ['menu'], queryFn: counter.menu });
  const [cart, setCart] = useState<CartLine[]>([]);
  const [pick, setPick] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [count, setCount] = useState(1);
  const [typed, setTyped] = useState('');
  // The member the quote is for: the phone typed, kept off the screen once the hub knows them.
  const [memberPhone, setMemberPhone] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);

  const items = (menu.data?.categories ?? []).flatMap((c) => c.items.filter((i) => i.available));
  const body = (): OrderCreate => ({ lines: cart, ...(memberPhone ? { memberPhone } : {}) });
  const quote = useQuery({
    queryKey: ['order-quote', cart, memberPhone],
    queryFn: () => counter.quoteOrder(body()),
    enabled: cart.length > 0,
    retry: false,
  });
  // A phone the hub says is no member's: said once, and the cart priced without it.
  const memberRefused = quote.error instanceof HubRefusal && quote.error.field === 'memberPhone';
  useEffect(() => {
    if (!memberRefused || memberPhone === null) return;
    setRefusal(counterRefusal(t, quote.error));
    setMemberPhone(null);
  }, [memberRefused, memberPhone, quote.error, t]);
  const place = useMutation({
    mutationFn: () => counter.placeOrder(body()),
    onSuccess: async (o) => {
      void message.success(t('tea.counter.placed', { number: o.number, amount: yuan(o.total) }));
      setCart([]);
      setMemberPhone(null);
      setTyped('');
      setRefusal(null);
      await client.invalidateQueries({ queryKey: ['orders'] });
    },
    onError: (e) => void message.error(counterRefusal(t, e)),
  });

  // The item picked while it can still be ordered (one sold out meanwhile is picked no more).
  const picked = items.find((i) => i.id === pick);
  const current = choicesNow(picked, chosen);
  // The first spec of the picked item still to choose: no default, and nothing picked yet.
  const open = picked?.specs.find((g) => current[g.name] === undefined);
  const choose = (id: string) => {
    setPick(id);
    setChosen({});
  };
  const add = () => {
    if (!picked || open) return;
    const line = { itemId: picked.id, specs: current };
    setCart((c) => {
      const at = c.findIndex((l) => sameLine(l, line));
      if (at < 0) return [...c, { ...line, quantity: count }];
      return c.map((l, i) => (i === at ? { ...l, quantity: Math.min(99, l.quantity + count) } : l));
    });
    setPick(null);
    setChosen({});
    setCount(1);
  };
  const name = (id: string) => items.find((i) => i.id === id)?.name ?? id;
  const cartLines =
    quote.data?.lines.map((l) => ({
      ...l,
      choices: l.specs.map((c) => c.choice),
    })) ??
    cart.map((l) => ({
      ...l,
      name: name(l.itemId),
      amount: null,
      choices: Object.values(l.specs),
    }));
  const q = quote.data;
  return (
    <Card size="small" title={t('tea.counter.title')} data-testid="counter-order">
      <Space wrap className="gap-bottom">
        <Select
          showSearch
          optionFilterProp="label"
          aria-label={t('tea.counter.item')}
          placeholder={t('tea.counter.item')}
          style={{ width: 220 }}
          value={picked ? pick : null}
          onChange={choose}
          options={items.map((i) => ({ value: i.id, label: `${i.name} ¥${yuan(i.price)}` }))}
        />
        {picked?.specs.map((g) => (
          <Select
            key={g.name}
            aria-label={g.name}
            placeholder={g.name}
            style={{ width: 130 }}
            value={current[g.name] ?? null}
            onChange={(choice: string) => setChosen((x) => ({ ...x, [g.name]: choice }))}
            options={g.choices.map((c) => ({
              value: c.name,
              label: choiceLabel(c.name, c.priceDelta),
            }))}
          />
        ))}
        <InputNumber
          aria-label={t('tea.counter.quantity')}
          min={1}
          max={99}
          precision={0}
          value={count}
          onChange={(v) => setCount(v ?? 1)}
        />
        <Button onClick={add} disabled={!picked || open !== undefined}>
          {open ? t('tea.counter.choose', { spec: open.name }) : t('tea.counter.add')}
        </Button>
      </Space>
      <div className="gap-bottom">
        {q?.member ? (
          <Tag color="gold" data-testid="counter-member">
            {t('tea.counter.member', {
              phone: q.member.phone,
              level: q.member.level ?? t('tea.counter.noLevel'),
            })}
          </Tag>
        ) : (
          <Space.Compact>
            <Input
              aria-label={t('tea.counter.memberPhone')}
              placeholder={t('tea.counter.memberPhone')}
              inputMode="numeric"
              maxLength={11}
              value={typed}
              onChange={(e) => setTyped(e.target.value.trim())}
              style={{ width: 200 }}
            />
            <Button
              disabled={typed.length === 0 || cart.length === 0}
              onClick={() => {
                setRefusal(null);
                setMemberPhone(typed);
              }}
            >
              {t('tea.counter.findMember')}
            </Button>
          </Space.Compact>
        )}
        {q?.member && (
          <Button
            type="link"
            onClick={() => {
              setMemberPhone(null);
              setTyped('');
            }}
          >
            {t('tea.counter.removeMember')}
          </Button>
        )}
      </div>
      {refusal && (
        <Alert
          type="warning"
          showIcon
          className="gap-bottom"
          data-testid="counter-member-refused"
          title={refusal}
        />
      )}
      {quote.error && !memberRefused && (
        <Alert
          type="error"
          showIcon
          className="gap-bottom"
          title={counterRefusal(t, quote.error)}
        />
      )}
      {cart.length > 0 && (
        <ul className="order-lines" data-testid="counter-cart">
          {cartLines.map((l, i) => (
            <li key={i}>
              {l.name}
              {l.choices.length > 0 && `（${l.choices.join(' · ')}）`} ×{l.quantity}
              {l.amount !== null && ` ¥${yuan(l.amount)}`}{' '}
              <Button
                type="link"
                size="small"
                onClick={() => setCart((c) => c.filter((_, j) => j !== i))}
              >
                {t('tea.counter.remove')}
              </Button>
            </li>
          ))}
          {q?.discounts.map((d, i) => (
            <li key={`discount-${i}`} className="order-discount" data-testid="order-discount">
              {orderDiscountText(t, d)}
            </li>
          ))}
        </ul>
      )}
      <Button
        type="primary"
        disabled={!q || cart.length === 0 || quote.isFetching}
        loading={place.isPending}
        onClick={() => place.mutate()}
      >
        {q ? t('tea.counter.place', { amount: yuan(q.total) }) : t('tea.counter.placeEmpty')}
      </Button>
    </Card>
  );
}
