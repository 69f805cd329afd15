// C10: a finished booking reviewed once: 1-5 stars on the room's environment, its facilities, the
// tea and snacks and the service, and a few words; the store checks it was the customer's and
// finished, then it shows on the room's page with the others.
import { useEffect, useState } from 'react';
import { Button, Rate, TextArea } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { IntentView, ReviewRatings } from '@roomhub/shared-types';
import { cloud } from '../api/cloud-client';
import { customerRefusal } from './refusal-text';
import { useIntentAnswer } from './use-intent-answer';

export const RATED: (keyof ReviewRatings)[] = ['environment', 'facilities', 'teaSnacks', 'service'];

export function ReviewForm({
  bookingId,
  done,
  onDone,
}: {
  bookingId: string;
  done: boolean;
  onDone: () => Promise<unknown>;
}) {
  const { t } = useTranslation('customer');
  const [ratings, setRatings] = useState<ReviewRatings>({
    environment: 0,
    facilities: 0,
    teaSnacks: 0,
    service: 0,
  });
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ text: string; refusal: boolean } | null>(null);
  const [waiting, setWaiting] = useState<IntentView | null>(null);
  const answer = useIntentAnswer(waiting);
  // The store checked it late: thanked, or told why not, once it has.
  useEffect(() => {
    if (!answer || answer.state === 'waiting') return;
    setWaiting(null);
    setSaid(
      answer.state === 'done'
        ? { text: t('review.thanks'), refusal: false }
        : { text: t('review.refused'), refusal: true },
    );
  }, [answer, t]);
  if (done && !said) {
    return <p className="waiting review-done">{t('review.already')}</p>;
  }
  const missing = RATED.filter((k) => ratings[k] < 1);
  const send = async () => {
    if (missing.length) {
      setSaid({ text: t('review.rateAll'), refusal: true });
      return;
    }
    setBusy(true);
    setSaid(null);
    try {
      const v = await cloud.review(bookingId, ratings, text.trim());
      if (v.state === 'waiting') setWaiting(v);
      setSaid({
        text: v.state === 'waiting' ? t('review.waiting') : t('review.thanks'),
        refusal: false,
      });
      await onDone();
    } catch (e) {
      setSaid({ text: customerRefusal(t, e), refusal: true });
    } finally {
      setBusy(false);
    }
  };
  const sent = said && !said.refusal;
  return (
    <div className="review card">
      <h3>{t('review.title')}</h3>
      {!sent && (
        <>
          {RATED.map((k) => (
            <div key={k} className="rate-row">
              <span>{t(`review.${k}`)}</span>
              <Rate
                aria-label={t(`review.${k}`)}
                value={ratings[k]}
                onChange={(v) => setRatings((r) => ({ ...r, [k]: v }))}
              />
            </div>
          ))}
          <TextArea
            className="review-text"
            placeholder={t('review.textHint')}
            value={text}
            onChange={setText}
            maxLength={1000}
            rows={3}
          />
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
      {!sent && (
        <Button
          block
          color="primary"
          size="large"
          className="tall"
          loading={busy}
          onClick={() => void send()}
        >
          {t('review.send')}
        </Button>
      )}
    </div>
  );
}
