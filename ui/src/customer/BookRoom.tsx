// C4, C5: book a room on a day of the store's booking window (longer for a member whose level
// gives extra days): by the hour, by one of the room's packages (套餐: its own start, length and
// price), or a span of the customer's own on the store's step; see the price line by line with
// the member's level and the coupons chosen, then pay by a way offered where the customer is. The
// payment is only held until the store confirms; if the store says no, it is given back and the
// reason shown.
import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate, useParams } from 'react-router';
import { Button, Input, NavBar, Selector, Stepper } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { IntentView } from '@roomhub/shared-types';
import { cloud, newRequestKey, type QuoteAsk } from '../api/cloud-client';
import { clockTime, isoInStore, localDate } from '../components/store-time';
import { yuan } from '../components/yuan';
import { bookingDays, packagesOn, startsOn, weekdayOf } from './booking-window';
import { DayTimeline } from './DayTimeline';
import { lineText } from './fee-lines';
import { payLabel, PayMethodPicker, usePayMethods } from './PayMethodPicker';
import { customerRefusal } from './refusal-text';
import { MOBILE_NUMBER } from '@roomhub/shared-types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

type Mode = 'hours' | 'package' | 'custom';

export function BookRoom() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const queries = useQueryClient();
  const { storeId = '', roomId = '' } = useParams();
  const page = useQuery({ queryKey: ['store', storeId], queryFn: () => cloud.store(storeId) });
  const coupons = useQuery({ queryKey: ['my-coupons'], queryFn: () => cloud.coupons() });
  const memberships = useQuery({
    queryKey: ['my-memberships'],
    queryFn: () => cloud.memberships(),
  });
  const payBy = usePayMethods();
  // Signed in with WeChat and no phone yet: the booking asks for one (the store reaches the
  // customer with it, and the door code is texted to it).
  const profile = useQuery({ queryKey: ['my-profile'], queryFn: () => cloud.profile() });
  const needsPhone = profile.data !== undefined && profile.data.phone === undefined;
  const [phone, setPhone] = useState('');
  const here = useLocation();
  const store = page.data?.store;
  const room = page.data?.rooms.find((r) => r.roomId === roomId);
  const zone = store?.timeZone ?? 'Asia/Shanghai';
  // The room's own rules over the store's (a room booked a shorter way ahead, a longer minimum).
  const rules = room?.rules ?? store?.rules;
  const step = rules?.stepMinutes ?? 30;
  const minMinutes = rules?.minMinutes ?? 60;
  const maxMinutes = rules?.maxMinutes ?? 12 * 60;
  const hours = [1, 2, 3, 4, 6, 8].filter(
    (h) => !rules || (h * 60 >= rules.minMinutes && h * 60 <= rules.maxMinutes),
  );
  // A member's level may let them book further ahead than others, as the store checks it.
  const extraDays =
    memberships.data?.memberships.find((m) => m.storeId === storeId)?.privileges
      ?.extraBookingDays ?? 0;
  // The window is read when the page opens: a page left open does not grow a day at midnight.
  const [now] = useState(() => Date.now());
  const win = useMemo(
    () => ({ now, timeZone: zone, advanceDays: (rules?.advanceDays ?? 7) + extraDays }),
    [now, zone, rules?.advanceDays, extraDays],
  );
  const days = useMemo(() => bookingDays(win), [win]);
  const today = days[0]!;

  const [day, setDay] = useState(today);
  const [mode, setMode] = useState<Mode>('hours');
  const [start, setStart] = useState<number | null>(null);
  const [length, setLength] = useState(2);
  const [minutes, setMinutes] = useState(120);
  const [packageId, setPackageId] = useState<string | null>(null);
  const [party, setParty] = useState(2);
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [waiting, setWaiting] = useState<IntentView | null>(null);
  const [key, setKey] = useState(newRequestKey);

  const open = store?.hours.open ?? '00:00';
  const close = store?.hours.close ?? '24:00';
  const starts = useMemo(
    () => startsOn(win, day, mode === 'custom' ? step : 60, { open, close }),
    [win, day, mode, step, open, close],
  );
  const packages = useMemo(
    () => packagesOn(win, day, room?.pricePlan.packages ?? []),
    [win, day, room],
  );
  const hasPackages = (room?.pricePlan.packages.length ?? 0) > 0;
  // A start or package no longer offered (another day, another mode) gives way to the first one.
  useEffect(() => {
    if (start === null || !starts.includes(start)) setStart(starts[0] ?? null);
  }, [start, starts]);
  useEffect(() => {
    if (!packages.some((p) => p.pkg.id === packageId)) setPackageId(packages[0]?.pkg.id ?? null);
  }, [packageId, packages]);
  useEffect(() => {
    setMinutes((m) => Math.min(Math.max(m, minMinutes), maxMinutes));
  }, [minMinutes, maxMinutes]);

  const usable = (coupons.data?.coupons ?? []).filter(
    (c) => c.storeId === storeId && c.status === 'available',
  );
  const discounts = chosen.length ? { couponIds: chosen } : {};
  const pkg = packages.find((p) => p.pkg.id === packageId);
  const ask: QuoteAsk | null =
    mode === 'package'
      ? pkg
        ? {
            storeId,
            roomId,
            start: isoInStore(pkg.start, zone),
            packageId: pkg.pkg.id,
            ...discounts,
          }
        : null
      : start === null
        ? null
        : {
            storeId,
            roomId,
            start: isoInStore(start, zone),
            end: isoInStore(start + (mode === 'hours' ? length * HOUR : minutes * MINUTE), zone),
            ...discounts,
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

  // A refusal of the way to pay is about that way: another chosen, it no longer stands.
  useEffect(() => setError(null), [payBy.chosen]);

  const pay = async () => {
    if (!ask || !payBy.chosen) return;
    if (needsPhone && !MOBILE_NUMBER.test(phone)) return setError(t('book.phoneRule'));
    setBusy(true);
    setError(null);
    try {
      const v = await cloud.book(
        {
          ...ask,
          partySize: party,
          method: payBy.chosen,
          surface: payBy.surface,
          ...(needsPhone ? { phone } : {}),
        },
        key,
      );
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

  const dayLabel = (date: string, i: number) =>
    i === 0
      ? t('book.today')
      : i === 1
        ? t('book.tomorrowDay')
        : t(`book.weekday.${weekdayOf(date)}`);
  const monthDay = (date: string) => {
    const [, m, d] = date.split('-');
    return t('book.monthDay', { month: Number(m), day: Number(d) });
  };
  const lengthText = (m: number) =>
    m % 60 === 0
      ? t('book.hours', { count: m / 60 })
      : m < 60
        ? t('book.minutes', { count: m })
        : t('book.hoursMinutes', { hours: Math.floor(m / 60), minutes: m % 60 });
  const modes: Mode[] = hasPackages ? ['hours', 'package', 'custom'] : ['hours', 'custom'];

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
        <h3>{t('book.day')}</h3>
        <Selector
          className="choices days"
          columns={4}
          options={days.map((d, i) => ({
            label: <span>{dayLabel(d, i)}</span>,
            description: monthDay(d),
            value: d,
          }))}
          value={[day]}
          onChange={(v) => v[0] && setDay(v[0])}
        />
        {extraDays > 0 && <p className="hint">{t('book.memberDays', { days: win.advanceDays })}</p>}
        <DayTimeline storeId={storeId} roomId={roomId} date={day} timeZone={zone} />
        <h3>{t('book.how')}</h3>
        <Selector
          className="choices"
          columns={modes.length}
          options={modes.map((m) => ({ label: t(`book.mode.${m}`), value: m }))}
          value={[mode]}
          onChange={(v) => v[0] && setMode(v[0] as Mode)}
        />
        {mode === 'package' ? (
          <>
            <h3>{t('book.package')}</h3>
            {packages.length === 0 ? (
              <p className="hint">{t('book.noPackage')}</p>
            ) : (
              <Selector
                className="choices room-packages"
                columns={1}
                options={packages.map(({ pkg: p, start: s }) => ({
                  label: <span>{p.name}</span>,
                  description: t('book.packageSpan', {
                    from: clockTime(s, zone),
                    to: clockTime(s + p.minutes * MINUTE, zone),
                    length: lengthText(p.minutes),
                  }),
                  value: p.id,
                }))}
                value={packageId ? [packageId] : []}
                onChange={(v) => v[0] && setPackageId(v[0])}
              />
            )}
          </>
        ) : (
          <>
            <h3>{t('book.start')}</h3>
            {starts.length === 0 ? (
              <p className="hint">{t('book.noStart')}</p>
            ) : (
              <Selector
                className="choices"
                columns={4}
                options={starts.map((s) => ({ label: clockTime(s, zone), value: String(s) }))}
                value={start === null ? [] : [String(start)]}
                onChange={(v) => v[0] && setStart(Number(v[0]))}
              />
            )}
            <h3>{t('book.length')}</h3>
            {mode === 'hours' ? (
              <Selector
                className="choices"
                columns={3}
                options={hours.map((h) => ({
                  label: t('book.hours', { count: h }),
                  value: String(h),
                }))}
                value={[String(length)]}
                onChange={(v) => v[0] && setLength(Number(v[0]))}
              />
            ) : (
              <div className="party">
                <span>
                  {lengthText(minutes)}
                  {start !== null &&
                    ` · ${t('book.until', { time: clockTime(start + minutes * MINUTE, zone) })}`}
                </span>
                <Stepper
                  aria-label={t('book.length')}
                  min={minMinutes}
                  max={maxMinutes}
                  step={step}
                  value={minutes}
                  onChange={setMinutes}
                  inputReadOnly
                />
              </div>
            )}
          </>
        )}
        <div className="party">
          <h3>{t('book.party')}</h3>
          <Stepper min={1} max={room?.capacity ?? 20} value={party} onChange={setParty} />
        </div>
        {needsPhone && (
          <>
            <label className="field">
              <span>{t('book.phone')}</span>
              <Input
                type="tel"
                inputMode="numeric"
                maxLength={11}
                placeholder={t('book.phoneHint')}
                value={phone}
                onChange={setPhone}
              />
            </label>
            <a
              className="link"
              role="button"
              onClick={() =>
                void navigate(`/me/phone?next=${encodeURIComponent(here.pathname + here.search)}`)
              }
            >
              {t('linkPhone.bookHint')}
            </a>
          </>
        )}
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
              <tr className="quote-span">
                <td colSpan={2}>
                  {t('book.span', {
                    day: monthDay(localDate(q.start, zone)),
                    from: clockTime(q.start, zone),
                    to: clockTime(q.end, zone),
                  })}
                </td>
              </tr>
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
        <PayMethodPicker pay={payBy} />
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
          disabled={!q || !payBy.chosen || Boolean(waiting)}
          onClick={() => void pay()}
        >
          {q && payBy.chosen
            ? payLabel(t, payBy.chosen, yuan(q.total))
            : q && payBy.known
              ? t('payWith.noneShort')
              : t('book.pricing')}
        </Button>
      </div>
    </section>
  );
}
