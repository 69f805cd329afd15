// C8: tea and snacks from the phone. The store's menu by category (photos, specs, prices, what is
// sold out), open to anyone; a signed-in customer with a booking at the store that is paid or in
// use puts items in a cart, sees its price line by line and pays with WeChat Pay; the store makes
// it and brings it to the booking's room, and the booking's page follows its status. The cart is
// priced from the published menu with the hub's own rule (shared-types `priceTeaCart`), less the
// customer's member level's percentage off items as a line of its own, as the store and the cloud
// take it off; the store prices it again and refuses, money back, what sold out meanwhile.
import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { Button, NavBar, Selector, Stepper } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import {
  priceTeaCart,
  type IntentView,
  type MenuDocItem,
  type TeaCartLineInput,
} from '@roomhub/shared-types';
import { cloud, customerToken, newRequestKey } from '../api/cloud-client';
import { clockTime } from '../components/store-time';
import { yuan } from '../components/yuan';
import { customerRefusal } from './refusal-text';
import { useIntentAnswer } from './use-intent-answer';
import './after-booking.css';

/** A line of the cart: one item with one set of choices. */
type CartLine = TeaCartLineInput;

const lineKey = (l: Pick<CartLine, 'itemId' | 'specs'>) =>
  `${l.itemId}|${Object.entries(l.specs)
    .map(([k, v]) => `${k}=${v}`)
    .join('&')}`;

/** The store's refusal, said in the customer's words where the page knows it. */
function teaRefusal(t: (k: string) => string, tc: typeof t, e: unknown, reason?: string): string {
  if (reason && /sold out|left/i.test(reason)) return t('tea.refusedSoldOut');
  if (reason && /price/i.test(reason)) return t('tea.refusedPrice');
  return customerRefusal(tc as never, e);
}

export function TeaMenu() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const queries = useQueryClient();
  const { storeId = '' } = useParams();
  const [params] = useSearchParams();
  const signedIn = Boolean(customerToken());
  const page = useQuery({ queryKey: ['store', storeId], queryFn: () => cloud.store(storeId) });
  const menu = useQuery({
    queryKey: ['menu', storeId],
    queryFn: () => cloud.menu(storeId),
    refetchInterval: 15_000,
  });
  // My orders come newest start first, a page at a time: pages are read until one reaches
  // bookings that started a day ago, so the one the tea goes to is among them however many
  // bookings lie ahead.
  const orders = useQuery({
    queryKey: ['orders', 'still-to-end'],
    queryFn: async () => {
      const page = await cloud.orders();
      const all = [...page.orders];
      for (let next = page.next, more = 0; next !== null && more < 10; more += 1) {
        if (all.some((b) => Date.parse(b.start) < Date.now() - 86_400_000)) break;
        const after = await cloud.orders(next);
        all.push(...after.orders);
        next = after.next;
      }
      return { orders: all };
    },
    enabled: signedIn,
  });
  const memberships = useQuery({
    queryKey: ['my-memberships'],
    queryFn: () => cloud.memberships(),
    enabled: signedIn,
  });
  // Priced as the store will price it: less what the customer's level here takes off items.
  const member = useMemo(() => {
    const m = memberships.data?.memberships.find((x) => x.storeId === storeId);
    return m?.level && m.privileges
      ? {
          level: m.level.name,
          roomPercentOff: m.privileges.roomPercentOff,
          itemPercentOff: m.privileges.itemPercentOff,
        }
      : null;
  }, [memberships.data, storeId]);
  const zone = page.data?.store.timeZone ?? 'Asia/Shanghai';
  // The booking the tea goes to: the one named, else the soonest of mine here still to end.
  const booking = useMemo(() => {
    const mine = (orders.data?.orders ?? []).filter(
      (b) =>
        b.storeId === storeId &&
        (b.status === 'paid' || b.status === 'in_use') &&
        Date.parse(b.end) > Date.now(),
    );
    const named = params.get('booking');
    return (
      mine.find((b) => b.bookingId === named) ??
      [...mine].sort((a, b) => a.start.localeCompare(b.start))[0]
    );
  }, [orders.data, storeId, params]);
  const roomName = page.data?.rooms.find((r) => r.roomId === booking?.roomId)?.name ?? '';

  const [cart, setCart] = useState<CartLine[]>([]);
  const [key, setKey] = useState(newRequestKey);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ text: string; refusal: boolean; placed?: boolean } | null>(
    null,
  );
  const [waiting, setWaiting] = useState<IntentView | null>(null);
  const answer = useIntentAnswer(waiting);
  useEffect(() => {
    if (!answer || answer.state === 'waiting') return;
    setWaiting(null);
    setSaid(
      answer.state === 'confirmed'
        ? { text: t('tea.placed'), refusal: false, placed: true }
        : { text: teaRefusal(t, t, null, answer.reason), refusal: true },
    );
  }, [answer, t]);

  const categories = menu.data?.categories ?? [];
  const priced = useMemo(() => {
    if (cart.length === 0) return null;
    try {
      return priceTeaCart({ categories }, cart, member);
    } catch {
      // An item sold out since it went in the cart: its line says so below.
      return null;
    }
  }, [cart, categories, member]);
  const items = new Map(categories.flatMap((c) => c.items.map((i) => [i.itemId, i] as const)));

  const add = (line: CartLine) =>
    setCart((c) => {
      const k = lineKey(line);
      const there = c.find((x) => lineKey(x) === k);
      return there
        ? c.map((x) => (lineKey(x) === k ? { ...x, quantity: Math.min(99, x.quantity + 1) } : x))
        : [...c, line];
    });
  const setQuantity = (k: string, quantity: number) =>
    setCart((c) =>
      quantity <= 0
        ? c.filter((x) => lineKey(x) !== k)
        : c.map((x) => (lineKey(x) === k ? { ...x, quantity } : x)),
    );

  const pay = async () => {
    if (!booking || !priced) return;
    setBusy(true);
    setSaid(null);
    try {
      const v = await cloud.orderTea(storeId, { bookingId: booking.bookingId, lines: cart }, key);
      if (v.state === 'waiting') {
        setWaiting(v);
        setSaid({ text: t('tea.waiting'), refusal: false });
      } else {
        setSaid({ text: t('tea.placed'), refusal: false, placed: true });
      }
      setCart([]);
      await queries.invalidateQueries({ queryKey: ['tea-orders', booking.bookingId] });
    } catch (e) {
      const reason = (e as { intent?: IntentView }).intent?.reason;
      setSaid({ text: teaRefusal(t, t, e, reason), refusal: true });
      await queries.invalidateQueries({ queryKey: ['menu', storeId] });
    } finally {
      // The next tap is another order, not this one again.
      setKey(newRequestKey());
      setBusy(false);
    }
  };

  return (
    <section>
      <NavBar onBack={() => void navigate(-1)}>{t('tea.title')}</NavBar>
      {page.data && <p className="muted pad-x store-line">{page.data.store.name}</p>}
      {booking ? (
        <p className="hint pad-x" role="note">
          {t('tea.bringTo', {
            room: roomName,
            from: clockTime(booking.start, zone),
            to: clockTime(booking.end, zone),
          })}
        </p>
      ) : (
        <p className="hint pad-x" role="note">
          {signedIn ? t('tea.needsBooking') : t('tea.signInToOrder')}
        </p>
      )}
      {menu.isLoading && <p className="hint pad-x">{t('loading')}</p>}
      {menu.isError && (
        <p className="refusal pad-x" role="alert">
          {customerRefusal(t, menu.error)}
        </p>
      )}
      {menu.data && categories.length === 0 && <p className="hint pad-x">{t('tea.none')}</p>}
      {categories.map((c) => (
        <div key={c.categoryId}>
          <h3 className="pad-x">{c.name}</h3>
          <ul className="cards">
            {c.items.map((i) => (
              <TeaItem key={i.itemId} item={i} canOrder={Boolean(booking)} onAdd={add} />
            ))}
          </ul>
        </div>
      ))}
      {(cart.length > 0 || said) && (
        <div className="pad" aria-label={t('tea.cart')}>
          {cart.length > 0 && (
            <>
              <h3>{t('tea.cart')}</h3>
              <table className="quote">
                <tbody>
                  {cart.map((l, n) => {
                    const item = items.get(l.itemId);
                    const line = priced?.lines[n];
                    const k = lineKey(l);
                    return (
                      <tr key={k}>
                        <td>
                          {item?.name ?? l.itemId}
                          {line && line.specs.length > 0 && (
                            <span className="muted">
                              {' '}
                              · {line.specs.map((s) => s.choice).join(' · ')}
                            </span>
                          )}
                          {line && <div className="muted">¥{yuan(line.unitPrice)}</div>}
                          {!item?.available && <div className="refusal">{t('tea.soldOut')}</div>}
                        </td>
                        <td>
                          <Stepper
                            min={0}
                            max={99}
                            value={l.quantity}
                            onChange={(q) => setQuantity(k, q)}
                            aria-label={t('tea.quantity', { name: item?.name ?? '' })}
                          />
                        </td>
                        <td className="amount">{line ? `¥${yuan(line.amount)}` : '—'}</td>
                      </tr>
                    );
                  })}
                  {priced?.discounts.map((d, i) => (
                    <tr key={`discount-${i}`} className="discount">
                      <td>{t('tea.memberOff', { level: d.name, percent: d.percentOff })}</td>
                      <td />
                      <td className="amount">-¥{yuan(-d.amount)}</td>
                    </tr>
                  ))}
                  <tr className="total">
                    <td>{t('tea.total')}</td>
                    <td />
                    <td className="amount">{priced ? `¥${yuan(priced.total)}` : '—'}</td>
                  </tr>
                </tbody>
              </table>
            </>
          )}
          {said && (
            <p
              className={said.refusal ? 'refusal' : 'waiting'}
              role={said.refusal ? 'alert' : 'status'}
            >
              {said.text}
            </p>
          )}
          {said?.placed && booking && (
            <Button
              block
              className="tall"
              onClick={() => void navigate(`/orders/${booking.bookingId}`)}
            >
              {t('tea.seeStatus')}
            </Button>
          )}
          {cart.length > 0 && (
            <Button
              block
              color="primary"
              size="large"
              className="tall"
              loading={busy}
              disabled={!priced || !booking}
              onClick={() => void pay()}
            >
              {priced ? t('tea.pay', { price: yuan(priced.total) }) : t('tea.fixCart')}
            </Button>
          )}
        </div>
      )}
    </section>
  );
}

function TeaItem({
  item,
  canOrder,
  onAdd,
}: {
  item: MenuDocItem;
  canOrder: boolean;
  onAdd: (line: CartLine) => void;
}) {
  const { t } = useTranslation('customer');
  const [chosen, setChosen] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      item.specs.flatMap((g) => (g.defaultChoice ? [[g.name, g.defaultChoice]] : [])),
    ),
  );
  const open = item.specs.filter((g) => chosen[g.name] === undefined);
  const delta = item.specs.reduce(
    (s, g) => s + (g.choices.find((c) => c.name === chosen[g.name])?.priceDelta ?? 0),
    0,
  );
  return (
    <li className="card" style={item.available ? undefined : { opacity: 0.6 }}>
      {item.photos[0] && (
        <img
          src={item.photos[0]}
          alt={item.name}
          style={{ width: '100%', maxHeight: 160, objectFit: 'cover', borderRadius: 8 }}
        />
      )}
      <div className="room-head">
        <strong>{item.name}</strong>
        <span className="price">¥{yuan(Math.max(0, item.price + delta))}</span>
      </div>
      {item.description && <p className="muted">{item.description}</p>}
      {item.available &&
        item.specs.map((g) => (
          <div key={g.name}>
            <span className="muted">{g.name}</span>
            <Selector
              className="choices"
              columns={Math.min(4, g.choices.length)}
              options={g.choices.map((c) => ({
                label:
                  c.priceDelta === 0
                    ? c.name
                    : `${c.name} ${c.priceDelta > 0 ? '+' : '-'}¥${yuan(Math.abs(c.priceDelta))}`,
                value: c.name,
              }))}
              value={chosen[g.name] ? [chosen[g.name]!] : []}
              onChange={(v) => v[0] && setChosen((x) => ({ ...x, [g.name]: v[0]! }))}
            />
          </div>
        ))}
      {item.available ? (
        <Button
          block
          className="tall"
          disabled={!canOrder || open.length > 0}
          onClick={() => onAdd({ itemId: item.itemId, quantity: 1, specs: chosen })}
          aria-label={t('tea.addNamed', { name: item.name })}
        >
          {open.length > 0 ? t('tea.choose', { spec: open[0]!.name }) : t('tea.add')}
        </Button>
      ) : (
        <p className="status off">{t('tea.soldOut')}</p>
      )}
    </li>
  );
}
