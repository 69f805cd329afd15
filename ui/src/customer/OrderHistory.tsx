// C9: what a booking is made of and what happened to it: its fee lines, the money paid and given
// back (by which way), and each change of status with its time, in the customer's words.
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { OrderDetail } from '@roomhub/shared-types';
import { clockTime, localDate } from '../components/store-time';
import { yuan } from '../components/yuan';

const chinese = /[\u4e00-\u9fff]/u;

/** A fee line of a booking by its kind, with the owner's own name for it when written in Chinese. */
export function bookingLineText(t: TFunction, line: { kind: string; label: string }): string {
  const kind = t(`customer:line.kind.${line.kind}`, { defaultValue: line.kind });
  const name = line.label.split(' · ').find((part) => chinese.test(part));
  return name ? `${kind} · ${name}` : kind;
}

const when = (at: string, zone: string) => `${localDate(at, zone)} ${clockTime(at, zone)}`;

export function OrderHistory({ order, zone }: { order: OrderDetail; zone: string }) {
  const { t } = useTranslation('customer');
  const { booking, ledger } = order;
  const money = [...ledger].sort((a, b) => a.at.localeCompare(b.at));
  const history = [...booking.history].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <div className="order-more">
      <h3>{t('history.lines')}</h3>
      <table className="quote">
        <tbody>
          {booking.lines.map((l, i) => (
            <tr key={i} className={l.amount < 0 ? 'discount' : undefined}>
              <td>{bookingLineText(t, l)}</td>
              <td className="amount">¥{yuan(l.amount)}</td>
            </tr>
          ))}
          <tr className="total">
            <td>{t('book.total')}</td>
            <td className="amount">¥{yuan(booking.totals.amount)}</td>
          </tr>
        </tbody>
      </table>
      {money.length > 0 && (
        <>
          <h3>{t('history.money')}</h3>
          <ul className="plain-list">
            {money.map((m) => (
              <li key={m.entryId}>
                <span>
                  {t(`history.moneyKind.${m.kind}`)} · {t(`history.method.${m.method}`)}
                </span>
                <span className="muted">{when(m.at, zone)}</span>
                <span className="amount">¥{yuan(Math.abs(m.amount))}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('history.title')}</h3>
      <ol className="plain-list history">
        {history.map((h, i) => (
          <li key={i}>
            <span>{t(`history.action.${h.action}`, { defaultValue: t(`status.${h.to}`) })}</span>
            <span className="muted">{when(h.at, zone)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
