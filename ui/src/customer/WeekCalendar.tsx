// C3: a room's live status for the week ahead as a calendar, beside today's timeline: a row a day,
// a cell every two hours, free light and booked, in use or cleaning darker, with a legend in
// words. Each day is read from the cloud as the store published it.
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { cloud } from '../api/cloud-client';
import { datesFrom, SLOT_HOURS, slotsOf, type SlotState } from './week-slots';
import './store-theme.css';

const LEGEND: SlotState[] = ['free', 'booked', 'in_use', 'cleaning'];

export function WeekCalendar({
  storeId,
  roomId,
  from,
}: {
  storeId: string;
  roomId: string;
  /** The store's today (YYYY-MM-DD). */
  from: string;
}) {
  const { t } = useTranslation('customer');
  const dates = datesFrom(from, 7);
  const days = useQueries({
    queries: dates.map((date) => ({
      queryKey: ['room-day', storeId, roomId, date],
      queryFn: () => cloud.roomDay(storeId, roomId, date),
    })),
  });
  const hours = Array.from({ length: 24 / SLOT_HOURS }, (_, i) => i * SLOT_HOURS);
  return (
    <div className="week" aria-label={t('week.title')}>
      <table>
        <thead>
          <tr>
            <th />
            {hours.map((h) => (
              <th key={h} scope="col">
                {h % 6 === 0 ? h : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {dates.map((date, i) => {
            const day = days[i]?.data;
            const slots = day ? slotsOf(day) : hours.map((): SlotState => 'unknown');
            const [, m, d] = date.split('-');
            return (
              <tr key={date}>
                <th scope="row">{i === 0 ? t('week.today') : `${Number(m)}/${Number(d)}`}</th>
                {slots.map((s, j) => (
                  <td
                    key={j}
                    className={`slot ${s}`}
                    title={`${date} ${hours[j]}:00 ${t(`week.${s}`)}`}
                  />
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="week-legend">
        {LEGEND.map((s) => (
          <span key={s}>
            <i className={`slot ${s}`} aria-hidden />
            {t(`week.${s}`)}
          </span>
        ))}
      </p>
    </div>
  );
}
