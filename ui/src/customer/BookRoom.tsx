// C4, C5: book a room by the hour: pick a start today and how long, see the price line by line
// with the member's level and the coupons chosen, then pay with WeChat Pay. The payment is only
// held until the store confirms; if the store says no, it is given back and the reason shown.
import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { Button, NavBar, Selector, Stepper } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { IntentView } from '@roomhub/shared-types';
import { cloud, newRequestKey } from '../api/cloud-client';
import { clockTime, isoInStore, localDate, startChoices } from '../components/store-time';
import { yuan } from '../components/yuan';
import { lineText } from './fee-lines';
import { customerRefusal } from './refusal-text';

const HOUR = 60 * 60_000;

export function BookRoom() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const queries = useQueryClient();
  const { storeId = '', roomId = '' } = useParams();
  const page = useQuery({ queryKey: ['store', storeId], queryFn: () => cloud.store(storeId) });
  const coupons = useQuery({ queryKey: ['my-coupons'], queryFn: () => cloud.coupons() });
  const store = page.data?.store;
  const room = page.data?.rooms.find((r) => r.roomId === roomId);
  const zone = store?.timeZone ?? 'Asia/Shanghai';
  const today = localDate(Date.now(), zone);

  // Whole hours from the one under way, as far as the rest of today and tomorrow's first hours.
  const starts = useMemo(() => {
    const now = Date.now();
    return startChoices(now + HOUR, 60, now + 18 * HOUR, 16);
  }, []);
  const rules = store?.rules;
  const hours = [1, 2, 3, 4, 6, 8].filter(
    (h) => !rules || (h * 60 >= rules.minMinutes && h * 60 <= rules.maxMinutes),
  );
  const [start, setStart] = useState<number | null>(null);
  const [length, setLength] = useState(2);
  const [party, setParty] = useState(2);
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [waiting, setWaiting] = useState<IntentView | null>(null);
  const [key, setKey] = useState(newRequestKey);
  useEffect(() => {
    if (start === null && starts.length) setStart(starts[0]!);
  }, [start, starts]);

  const usable = (coupons.data?.coupons ?? []).filter(
    (c) => c.storeId === storeId && c.status === 'available',
  );
  const ask =
    start === null
      ? null
      : {
          storeId,
          roomId,
          start: isoInStore(start, zone),
          end: isoInStore(start + length * HOUR, zone),
          ...(chosen.length ? { couponIds: chosen } : {}),
        };
  const quote = useQuery({
    queryKey: ['my-quote', ask],
    queryFn: () => cloud.myQuote(ask!),
    enabled: Boolean(ask && store),
    retry: false,
  });

  // While the store is offline the request waits; the page asks how it fared every few seconds.
  const fared = useQuery({
    queryKey: ['intent', waiting?.intentId],
    queryFn: () => cloud.intent(waiting!.intentId),
    enabled: Boolean(waiting),
    refetchInterval: 3000,
  });
  useEffect(() => {
    const v = fared.data;
    if (!v || v.state === 'waiting') return;
    if (v.state === 'confirmed' && v.bookingId) void navigate(`/orders/${v.bookingId}?paid=1`);
    else {
      setWaiting(null);
      setError(v.reason ?? t('errors.expired'));
    }
  }, [fared.data, navigate, t]);

  const pay = async () => {
    if (!ask) return;
    setBusy(true);
    setError(null);
    try {
      const v = await cloud.book({ ...ask, partySize: party }, key);
      await queries.invalidateQueries({ queryKey: ['orders'] });
      if (v.state === 'confirmed' && v.bookingId) void navigate(`/orders/${v.bookingId}?paid=1`);
      else setWaiting(v);
    } catch (e) {
      setError(customerRefusal(t, e));
      // Another try is another request, so a changed choice is not taken for the refused one.
      setKey(newRequestKey());
    } finally {
      setBusy(false);
    }
  };

  const q = quote.data?.quote;
  return (
    <section>
      <NavBar onBack={() => void navigate(`/stores/${storeId}`)}>
        {store?.name ?? t('book.title')}
      </NavBar>
      <div className="pad">
        {room && (
          <h2 className="book-room">{t('book.room', { room: room.name, count: room.capacity })}</h2>
        )}
        <h3>{t('book.start')}</h3>
        <Selector
          className="choices"
          columns={4}
          options={starts.map((s) => ({
            label:
              localDate(s, zone) === today
                ? clockTime(s, zone)
                : t('book.tomorrow', { time: clockTime(s, zone) }),
            value: String(s),
          }))}
          value={start === null ? [] : [String(start)]}
          onChange={(v) => v[0] && setStart(Number(v[0]))}
        />
        <h3>{t('book.length')}</h3>
        <Selector
          className="choices"
          columns={3}
          options={hours.map((h) => ({ label: t('book.hours', { count: h }), value: String(h) }))}
          value={[String(length)]}
          onChange={(v) => v[0] && setLength(Number(v[0]))}
        />
        <div className="party">
          <h3>{t('book.party')}</h3>
          <Stepper min={1} max={room?.capacity ?? 20} value={party} onChange={setParty} />
        </div>
        {usable.length > 0 && (
          <>
            <h3>{t('book.coupons')}</h3>
            <Selector
              className="choices"
              columns={1}
              multiple
              options={usable.map((c) => ({ label: c.name, value: c.couponId }))}
              value={chosen}
              onChange={setChosen}
            />
          </>
        )}
        <h3>{t('book.quote')}</h3>
        {quote.isError && <p className="refusal">{customerRefusal(t, quote.error)}</p>}
        {q && (
          <table className="quote">
            <tbody>
              {q.lines.map((l, i) => (
                <tr key={i} className={l.amount < 0 ? 'discount' : undefined}>
                  <td>{lineText(t, l)}</td>
                  <td className="amount">¥{yuan(l.amount)}</td>
                </tr>
              ))}
              {quote.data!.refused.map((r) => (
                <tr key={r.id} className="refused-line">
                  <td colSpan={2}>
                    {t('book.notApplied', {
                      why: t(`errors.${r.code}`, { defaultValue: t('errors.fallback') }),
                    })}
                  </td>
                </tr>
              ))}
              <tr className="total">
                <td>{t('book.total')}</td>
                <td className="amount">¥{yuan(q.total)}</td>
              </tr>
            </tbody>
          </table>
        )}
        {q && q.terms && <p className="hint">{t('book.terms')}</p>}
      </div>
      <div className="pay-bar">
        {/* Said right above the button the customer just pressed, never hidden under it. */}
        {error && (
          <p className="refusal" role="alert">
            {error}
          </p>
        )}
        {waiting && (
          <p className="waiting" role="status">
            {t('book.waiting')}
          </p>
        )}
        <Button
          block
          color="primary"
          size="large"
          className="tall"
          loading={busy}
          disabled={!q || Boolean(waiting)}
          onClick={() => void pay()}
        >
          {q ? t('book.pay', { price: yuan(q.total) }) : t('book.pricing')}
        </Button>
      </div>
    </section>
  );
}
