// C3: a room's day as a bar from midnight to midnight: free stretches light, taken ones dark, the
// hours marked below; and the taken stretches in words for those who cannot read the colours.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { cloud } from '../api/cloud-client';
import { clockTime, localDate } from '../components/store-time';

const DAY = 24 * 60 * 60_000;

export function DayTimeline({
  storeId,
  roomId,
  date,
  timeZone,
}: {
  storeId: string;
  roomId: string;
  date: string;
  timeZone: string;
}) {
  const { t } = useTranslation('customer');
  const day = useQuery({
    queryKey: ['room-day', storeId, roomId, date],
    queryFn: () => cloud.roomDay(storeId, roomId, date),
  });
  const segments = day.data?.segments ?? [];
  if (day.data && segments.length === 0) {
    return <p className="hint">{t('store.dayUnknown')}</p>;
  }
  const from = segments.length ? Date.parse(segments[0]!.start) : 0;
  // A booking and the cleaning after it are one stretch the customer cannot have.
  const taken: { start: string; end: string }[] = [];
  for (const s of segments) {
    if (s.state === 'free') continue;
    const last = taken[taken.length - 1];
    if (last && Date.parse(last.end) === Date.parse(s.start)) last.end = s.end;
    else taken.push({ start: s.start, end: s.end });
  }
  return (
    <div className="timeline" aria-label={t('store.today')}>
      <div className="timeline-bar">
        {segments.map((s) => (
          <span
            key={s.start}
            className={s.state === 'free' ? 'free' : 'taken'}
            style={{
              left: `${((Date.parse(s.start) - from) / DAY) * 100}%`,
              width: `${((Date.parse(s.end) - Date.parse(s.start)) / DAY) * 100}%`,
            }}
          />
        ))}
      </div>
      <div className="timeline-hours" aria-hidden>
        {[0, 6, 12, 18, 24].map((h) => (
          <span key={h} style={{ left: `${(h / 24) * 100}%` }}>
            {h}
          </span>
        ))}
      </div>
      <p className="hint">
        {taken.length === 0
          ? t(date === localDate(Date.now(), timeZone) ? 'store.allFree' : 'store.dayFree')
          : t('store.taken', {
              spans: taken
                .map((s) => `${clockTime(s.start, timeZone)}–${clockTime(s.end, timeZone)}`)
                .join('、'),
            })}
      </p>
    </div>
  );
}
