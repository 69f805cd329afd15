// C9 online: moving a paid booking that has not started to another time of its room (改期). The
// room's day is shown and a new start and length picked as on the booking page; the new time is
// quoted line by line before confirming (its price, the store's change fee, what was paid, and
// what comes back or is still to pay), and the request is followed to the store's answer:
// waiting, done, or refused with the reason. A cheaper time's difference goes back the way it was
// paid; a dearer time's is paid online with the request, as an extension is, held until the store
// moves the booking and given back if it refuses or never answers.
import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Selector } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { IntentView } from '@roomhub/shared-types';
import { cloud, newRequestKey } from '../api/cloud-client';
import { clockTime, isoInStore, localDate, startChoices } from '../components/store-time';
import { yuan } from '../components/yuan';
import { DayTimeline } from './DayTimeline';
import { lineText } from './fee-lines';
import { spanText } from './order-words';
import { customerRefusal, refusalCode } from './refusal-text';
import { useIntentAnswer } from './use-intent-answer';
import { CloudRefusal } from '../api/cloud-client';

const HOUR = 60 * 60_000;

export function ChangeBooking({
  bookingId,
  storeId,
  roomId,
  start,
  end,
  zone,
  rules,
  onChanged,
}: {
  bookingId: string;
  storeId: string;
  roomId: string;
  start: string;
  end: string;
  zone: string;
  rules: { minMinutes: number; maxMinutes: number } | undefined;
  onChanged: () => Promise<unknown>;
}) {
  const { t } = useTranslation('customer');
  const [open, setOpen] = useState(false);
  // Whole hours from the one after next, as the booking page offers them.
  const starts = useMemo(() => {
    const now = Date.now();
    return startChoices(now + HOUR, 60, now + 18 * HOUR, 16);
  }, []);
  const hours = [1, 2, 3, 4, 6, 8].filter(
    (h) => !rules || (h * 60 >= rules.minMinutes && h * 60 <= rules.maxMinutes),
  );
  const booked = Math.max(1, Math.round((Date.parse(end) - Date.parse(start)) / HOUR));
  const [from, setFrom] = useState<number | null>(null);
  const [length, setLength] = useState(hours.includes(booked) ? booked : (hours[0] ?? 1));
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newRequestKey);
  const [said, setSaid] = useState<{ text: string; refusal: boolean } | null>(null);
  const [waiting, setWaiting] = useState<{ intent: IntentView; span: string } | null>(null);
  const answer = useIntentAnswer(waiting?.intent ?? null);
  useEffect(() => {
    if (from === null && starts.length) setFrom(starts[0]!);
  }, [from, starts]);
  const span =
    from === null
      ? null
      : { start: isoInStore(from, zone), end: isoInStore(from + length * HOUR, zone) };
  const quote = useQuery({
    queryKey: ['change-quote', bookingId, span],
    queryFn: () => cloud.changeQuote(bookingId, span!),
    enabled: open && span !== null,
    retry: false,
  });
  // The store's no is about this change, said in its own words from its reason or code.
  const changeRefusal = (e: unknown, reason?: string) => {
    const code = reason ? '' : refusalCode(e);
    const why = reason ?? (e instanceof CloudRefusal ? (e.intent?.reason ?? '') : '');
    if (code === 'slot_taken' || /no longer free|taken/i.test(why)) return t('change.taken');
    if (code === 'change_costs_more' || /costs more/i.test(why)) return t('change.costsMore');
    if (
      ['changes_not_allowed', 'too_many_changes', 'change_too_late'].includes(code) ||
      /changes close|at most|does not allow/i.test(why)
    )
      return t('change.rules');
    if (code === 'fee_changed' || /fee for changing/i.test(why)) return t('change.feeMoved');
    if (code === 'due_changed' || /price is now/i.test(why)) return t('change.dueMoved');
    if (code === 'rejected' || code === 'refused' || reason) return t('change.refused');
    return customerRefusal(t, e);
  };
  // A change not made whose difference was paid: the money going back is said first, then why
  // when the store said more than no.
  const paidBack = (v: IntentView | undefined, why: string) => {
    const amount = v?.payment?.amount ?? 0;
    if (!v || amount === 0) return why;
    if (v.state === 'expired') return t('change.expiredPaidBack', { due: yuan(amount) });
    const back = t('change.refusedPaidBack', { due: yuan(amount) });
    return why === t('change.refused') ? back : `${back}${why}`;
  };
  // What the quote shows may be out of date (the fee, the difference, the price): shown again,
  // so the next tap confirms what is on the screen.
  const requote = (code: string, why = '') => {
    if (
      ['fee_changed', 'due_changed', 'change_costs_more'].includes(code) ||
      /price is now|costs more|fee for changing/i.test(why)
    )
      void quote.refetch();
  };
  // The store answered late: said once it has. A dearer change is confirmed (its difference
  // taken), a cheaper one done.
  useEffect(() => {
    if (!answer || answer.state === 'waiting') return;
    const asked = waiting?.span ?? '';
    setWaiting(null);
    setKey(newRequestKey());
    if (answer.state === 'done' || answer.state === 'confirmed') {
      setSaid({ text: t('change.done', { span: asked }), refusal: false });
      setOpen(false);
    } else {
      const why = answer.reason ? changeRefusal(null, answer.reason) : t('errors.expired');
      setSaid({ text: paidBack(answer, why), refusal: true });
      requote('', answer.reason);
    }
    void onChanged();
  }, [answer, waiting, t, onChanged]);
  const q = quote.data;
  const confirm = async () => {
    if (!span || !q) return;
    setBusy(true);
    setSaid(null);
    const words = spanText(span.start, span.end, zone);
    try {
      // The difference shown is paid with the request (held until the store answers).
      const v = await cloud.change(
        bookingId,
        { ...span, expectedFee: q.fee, expectedDue: q.due },
        key,
      );
      if (v.state === 'waiting') {
        setWaiting({ intent: v, span: words });
        setSaid({ text: t('change.waiting'), refusal: false });
        return;
      }
      setSaid({ text: t('change.done', { span: words }), refusal: false });
      setKey(newRequestKey());
      setOpen(false);
      await onChanged();
    } catch (e) {
      const intent = e instanceof CloudRefusal ? e.intent : undefined;
      setSaid({ text: paidBack(intent, changeRefusal(e)), refusal: true });
      requote(refusalCode(e), intent?.reason);
      // Another try is another request.
      setKey(newRequestKey());
    } finally {
      setBusy(false);
    }
  };
  const saidLine = said && (
    <p className={said.refusal ? 'refusal' : 'waiting'} role={said.refusal ? 'alert' : 'status'}>
      {said.text}
    </p>
  );
  if (!open) {
    return (
      <div className="change">
        {saidLine}
        <Button block size="large" className="tall" onClick={() => setOpen(true)}>
          {t('change.open')}
        </Button>
      </div>
    );
  }
  const today = localDate(Date.now(), zone);
  return (
    <div className="change card">
      <h3>{t('change.title')}</h3>
      <p className="hint">{t('change.lead', { span: spanText(start, end, zone) })}</p>
      {from !== null && (
        <DayTimeline
          storeId={storeId}
          roomId={roomId}
          date={localDate(from, zone)}
          timeZone={zone}
        />
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
        value={from === null ? [] : [String(from)]}
        onChange={(v) => v[0] && setFrom(Number(v[0]))}
      />
      <h3>{t('change.length')}</h3>
      <Selector
        className="choices"
        columns={3}
        options={hours.map((h) => ({ label: t('book.hours', { count: h }), value: String(h) }))}
        value={[String(length)]}
        onChange={(v) => v[0] && setLength(Number(v[0]))}
      />
      {quote.isError && <p className="refusal">{changeRefusal(quote.error)}</p>}
      {q && span && (
        <table className="quote">
          <tbody>
            {q.quote.lines.map((l, i) => (
              <tr key={i} className={l.amount < 0 ? 'discount' : undefined}>
                <td>{lineText(t, l)}</td>
                <td className="amount">¥{yuan(l.amount)}</td>
              </tr>
            ))}
            <tr>
              <td>{t('change.newPrice', { span: spanText(span.start, span.end, zone) })}</td>
              <td className="amount">¥{yuan(q.quote.total)}</td>
            </tr>
            <tr>
              <td>{t('change.fee', { percent: q.feePercent })}</td>
              <td className="amount">¥{yuan(q.fee)}</td>
            </tr>
            <tr>
              <td>{t('change.paid')}</td>
              <td className="amount">¥{yuan(q.paid)}</td>
            </tr>
            {q.due > 0 ? (
              <tr className="total">
                <td>{t('change.due')}</td>
                <td className="amount">¥{yuan(q.due)}</td>
              </tr>
            ) : (
              <tr className="total">
                <td>{t('change.refund')}</td>
                <td className="amount">¥{yuan(q.refund)}</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      {saidLine}
      <Button
        block
        color="primary"
        size="large"
        className="tall"
        loading={busy}
        disabled={!q || Boolean(waiting)}
        onClick={() => void confirm()}
      >
        {!q
          ? t('book.pricing')
          : q.due > 0
            ? t('change.confirmPay', { due: yuan(q.due) })
            : t('change.confirm', { refund: yuan(q.refund) })}
      </Button>
      <Button block className="tall" disabled={busy} onClick={() => setOpen(false)}>
        {t('change.close')}
      </Button>
    </div>
  );
}
