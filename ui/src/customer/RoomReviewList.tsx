// C10: a room's reviews on the store's page: the average of each of the four ratings and how many
// reviewed it, opened to the newest reviews with their words; a room nobody reviewed says so.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Rate } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { cloud } from '../api/cloud-client';
import { localDate } from '../components/store-time';
import { RATED } from './ReviewForm';
import './after-booking.css';

export function RoomReviewList({
  storeId,
  roomId,
  timeZone,
}: {
  storeId: string;
  roomId: string;
  timeZone: string;
}) {
  const { t } = useTranslation('customer');
  const [open, setOpen] = useState(false);
  const reviews = useQuery({
    queryKey: ['room-reviews', storeId, roomId],
    queryFn: () => cloud.roomReviews(storeId, roomId),
  });
  const r = reviews.data;
  if (!r) return null;
  if (r.count === 0) return <p className="muted reviews-none">{t('reviews.none')}</p>;
  const avgs = RATED.map((k) => r.average[k] ?? 0);
  const overall = Math.round((avgs.reduce((a, b) => a + b, 0) / avgs.length) * 10) / 10;
  return (
    <div className="room-reviews">
      <button className="reviews-head" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        <Rate readOnly allowHalf value={Math.round(overall * 2) / 2} />
        <strong>{t('reviews.score', { score: overall.toFixed(1) })}</strong>
        <span className="muted">{t('reviews.count', { count: r.count })}</span>
      </button>
      <p className="muted reviews-avg">
        {RATED.map((k) => `${t(`review.${k}`)} ${(r.average[k] ?? 0).toFixed(1)}`).join(' · ')}
      </p>
      {open && (
        <ul className="plain-list reviews">
          {r.reviews.map((one, i) => (
            <li key={i}>
              <span className="muted">
                {localDate(one.at, timeZone)} ·{' '}
                {RATED.map((k) => `${t(`review.${k}`)} ${one.ratings[k]}`).join(' ')}
              </span>
              {one.text && <span>{one.text}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
