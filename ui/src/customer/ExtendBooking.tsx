// C7: extending a booking in one tap: the added time chosen, its price quoted line by line before
// paying (the cloud checks the store's rules), then paid with WeChat Pay; the payment is held until
// the store moves the end, and given back if the room is taken right after.
import { useEffect, useState } from 'react';
import type { IntentView } from '@roomhub/shared-types';
import { useQuery } from '@tanstack/react-query';
import { Button, Selector } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { cloud, newRequestKey } from '../api/cloud-client';
import { clockTime, isoInStore } from '../components/store-time';
import { yuan } from '../components/yuan';
import { lineText } from './fee-lines';
import { customerRefusal, refusalCode } from './refusal-text';
import { useIntentAnswer } from './use-intent-answer';

const MINUTE = 60_000;

export function ExtendBooking({
  bookingId,
  end,
  zone,
  stepMinutes,
  onExtended,
}: {
  bookingId: string;
  end: string;
  zone: string;
  stepMinutes: number;
  onExtended: () => Promise<unknown>;
}) {
  const { t } = useTranslation('customer');
  const adds = [30, 60, 120].filter((m) => m % stepMinutes === 0);
  const [add, setAdd] = useState(adds.includes(60) ? 60 : (adds[0] ?? stepMinutes));
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ text: string; refusal: boolean } | null>(null);
  // The extension asked for, and the end it asked for (the page's end moves once it is done).
  const [waiting, setWaiting] = useState<{ intent: IntentView; end: string } | null>(null);
  const answer = useIntentAnswer(waiting?.intent ?? null);
  // The store's no and a taken time are about this extension: said in its own words.
  const extendRefusal = (e: unknown) => {
    const code = refusalCode(e);
    if (code === 'slot_taken') return t('extend.taken');
    return code === 'rejected' ? t('extend.refused') : customerRefusal(t, e);
  };
  const newEnd = isoInStore(Date.parse(end) + add * MINUTE, zone);
  const quote = useQuery({
    queryKey: ['extend-quote', bookingId, newEnd],
    queryFn: () => cloud.extendQuote(bookingId, newEnd),
    retry: false,
  });
  // The store answered late: said once it has.
  useEffect(() => {
    if (!answer || answer.state === 'waiting') return;
    const asked = waiting?.end ?? end;
    setWaiting(null);
    setSaid(
      answer.state === 'confirmed'
        ? { text: t('extend.done', { end: clockTime(asked, zone) }), refusal: false }
        : { text: answer.reason ? t('extend.refused') : t('errors.expired'), refusal: true },
    );
    void onExtended();
  }, [answer, waiting, end, zone, t, onExtended]);
  const pay = async () => {
    setBusy(true);
    setSaid(null);
    try {
      const v = await cloud.extend(bookingId, newEnd, newRequestKey());
      if (v.state === 'waiting') {
        setWaiting({ intent: v, end: newEnd });
        setSaid({ text: t('book.waiting'), refusal: false });
        return;
      }
      setSaid({ text: t('extend.done', { end: clockTime(newEnd, zone) }), refusal: false });
      await onExtended();
    } catch (e) {
      // The store's own no is about this extension, not the booking: said in its words.
      setSaid({ text: extendRefusal(e), refusal: true });
    } finally {
      setBusy(false);
    }
  };
  const q = quote.data;
  return (
    <div className="extend card">
      <h3>{t('extend.title')}</h3>
      <p className="hint">{t('extend.lead', { end: clockTime(end, zone) })}</p>
      <Selector
        className="choices"
        columns={adds.length || 1}
        options={adds.map((m) => ({
          label:
            m % 60 === 0 ? t('book.hours', { count: m / 60 }) : t('extend.minutes', { count: m }),
          value: String(m),
        }))}
        value={[String(add)]}
        onChange={(v) => v[0] && setAdd(Number(v[0]))}
      />
      {quote.isError && <p className="refusal">{extendRefusal(quote.error)}</p>}
      {q && (
        <table className="quote">
          <tbody>
            {q.lines.map((l, i) => (
              <tr key={i} className={l.amount < 0 ? 'discount' : undefined}>
                <td>{lineText(t, l)}</td>
                <td className="amount">¥{yuan(l.amount)}</td>
              </tr>
            ))}
            <tr className="total">
              <td>{t('extend.newEnd', { end: clockTime(newEnd, zone) })}</td>
              <td className="amount">¥{yuan(q.total)}</td>
            </tr>
          </tbody>
        </table>
      )}
      {said && (
        <p
          className={said.refusal ? 'refusal' : 'waiting'}
          role={said.refusal ? 'alert' : 'status'}
        >
          {said.text}
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
        {q ? t('extend.pay', { price: yuan(q.total) }) : t('book.pricing')}
      </Button>
    </div>
  );
}
