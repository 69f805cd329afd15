// The booking in front of the kiosk, once shown (or just paid here): its room and time, the time
// left counted live on the hub's clock, the 15 and 5 minute reminders as the hub sends them, the
// overtime once the end has passed, adding time (priced by the hub, paid as a walk-in is) and
// opening its door.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { hub } from '../../api/hub-client';
import { refusalKey, refusalText } from '../../components/refusal';
import { clockTime } from '../../components/store-time';
import { useNow } from '../../components/use-now';
import { yuan } from '../../components/yuan';
import { useKiosk } from '../kiosk-context';
import { timeLeft } from './time-left';

/** The extensions offered, in minutes: the store's step decides whether the hub takes them. */
const MORE = [30, 60, 120];

export function SessionScreen() {
  const { t } = useTranslation('kiosk');
  const { id = '' } = useParams();
  const { store, now, passOf, reminderOf } = useKiosk();
  const navigate = useNavigate();
  const pass = passOf(id);
  const tick = useNow(now, 1_000);
  const [asked, setAsked] = useState<number | null>(null);
  const booking = useQuery({
    queryKey: ['booking', id],
    queryFn: () => hub.booking(id, pass),
    enabled: pass !== null,
  });
  const sent = useQuery({
    queryKey: ['notifications', id],
    queryFn: () => hub.notifications(id, pass),
    enabled: pass !== null,
  });
  const client = useQueryClient();
  const extend = useMutation({
    mutationFn: (minutes: number) => hub.extend(id, minutes, pass),
    onSuccess: async () => {
      // The paying screen must see the new amount due, not this screen's "nothing due".
      await client.refetchQueries({ queryKey: ['booking', id] });
      navigate(`/pay/${id}?for=extension`);
    },
  });
  const open = useMutation({ mutationFn: () => hub.openForBooking(id, pass) });
  // The kiosk's pass for this booking lasts minutes: after that the customer shows it again.
  const passRanOut = [extend.error, open.error, booking.error].some(
    (e) => e && refusalKey(e) === 'pass_expired',
  );
  const showAgain = (
    <Button size="large" type="primary" onClick={() => navigate('/mine')}>
      {t('session.showAgain')}
    </Button>
  );

  const back = (
    <Button size="large" onClick={() => navigate('/')}>
      {t('common:backToBoard')}
    </Button>
  );
  if (!pass) {
    return <Result status="info" title={t('session.passGone')} extra={back} />;
  }
  if (booking.isError) {
    return (
      <Result
        status="warning"
        title={refusalText(t, booking.error)}
        extra={passRanOut ? [showAgain, back] : back}
      />
    );
  }
  if (!booking.data) return <Spin size="large" />;
  const b = booking.data;
  const zone = store.timeZone;
  const left = timeLeft(Date.parse(b.start), Date.parse(b.end), tick);
  const end = Date.parse(b.end);
  const heard = reminderOf(id);
  const listed = sent.data?.at(-1);
  const latest = heard ?? (listed ? { ...listed, at: Date.parse(listed.at) } : null);
  // A reminder stands while it is still true: after an extension the end has moved on from it.
  const reminder =
    latest && left.kind !== 'over' && end - latest.at <= (latest.minutesLeft + 1) * 60_000
      ? latest
      : null;
  const over = left.kind === 'over' && b.status === 'in_use';
  const ended = ['finished', 'cancelled', 'no_show', 'refunded'].includes(b.status);

  return (
    <section className="session" data-testid="session">
      <h1>{t('session.heading')}</h1>
      <div className="session-grid">
        <div className="session-summary">
          <p className="booking-number">{t('pay.number', { number: b.number })}</p>
          <p className="session-room">{b.room.name}</p>
          <p className="lead">
            {clockTime(b.start, zone)}–
            <span data-testid="session-end">{clockTime(b.end, zone)}</span>
          </p>
          {ended ? (
            <p className="time-left">{t('session.ended')}</p>
          ) : over ? (
            <p className="time-left over" data-testid="overtime" role="alert">
              {t('session.overtime', { minutes: left.minutes })}
            </p>
          ) : left.kind === 'not_started' ? (
            <p className="time-left" data-testid="time-left">
              {t('session.startsIn', { minutes: left.minutesToStart })}
            </p>
          ) : left.kind === 'left' ? (
            <p className="time-left" data-testid="time-left">
              {t('session.left', { minutes: left.minutes })}
            </p>
          ) : null}
          {reminder && (
            <Alert
              type="warning"
              showIcon
              data-testid="reminder"
              title={t('session.reminder', { minutes: reminder.minutesLeft })}
            />
          )}
          {over && <p className="notice">{t('session.overtimeNote')}</p>}
          {b.due > 0 && (
            <p className="due">
              {t('session.due')} <strong>¥{yuan(b.due)}</strong>
            </p>
          )}
        </div>

        <div className="session-actions">
          {open.isSuccess ? (
            <Alert type="success" showIcon data-testid="door-opened" title={t('door.opened')} />
          ) : null}
          {open.isError && <Alert type="error" showIcon title={refusalText(t, open.error)} />}
          <Button
            type="primary"
            size="large"
            className="session-door"
            disabled={ended || open.isPending}
            data-testid="session-open-door"
            onClick={() => open.mutate()}
          >
            {t('session.openDoor')}
          </Button>
          <h2>{t('session.extend')}</h2>
          <div className="choices">
            {MORE.map((m) => (
              <button
                key={m}
                type="button"
                className={`choice${asked === m ? ' on' : ''}`}
                disabled={ended || extend.isPending}
                onClick={() => {
                  setAsked(m);
                  extend.mutate(m);
                }}
              >
                {t('session.more', { minutes: m })}
              </button>
            ))}
          </div>
          {extend.isError && <Alert type="error" showIcon title={refusalText(t, extend.error)} />}
          {passRanOut && showAgain}
          {b.due > 0 && !ended && (
            <Button size="large" onClick={() => navigate(`/pay/${id}?for=extension`)}>
              {t('session.payNow')}
            </Button>
          )}
          {back}
        </div>
      </div>
    </section>
  );
}
