// The day's room board (S1): a timeline per room, free / held / booked / in use / cleaning, kept
// live by the hub's events. Tapping a free stretch starts a booking of that room at that time.
import { useEffect, type MouseEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { RoomTimeline } from '@roomhub/shared-types';
import { hub } from '../../api/hub-client';
import { clockTime, localDate } from '../../components/store-time';
import { refusalText } from '../../components/refusal';
import { useNow } from '../../components/use-now';
import { useKiosk } from '../kiosk-context';
import {
  boardWindow,
  placeSegments,
  tappedStart,
  type PlacedSegment,
  type Window,
} from './timeline';

const STATES = ['free', 'held', 'booked', 'in_use', 'cleaning'] as const;

export function RoomBoard() {
  const { t } = useTranslation('kiosk');
  const { store, now, scan, takeScan } = useKiosk();
  const navigate = useNavigate();
  // A door code's QR held to the scanner here shows that booking; anything else waits for a
  // screen that pays.
  useEffect(() => {
    if (!scan) return;
    if (scan.text.startsWith('RH1:')) navigate('/mine');
    else takeScan();
  }, [scan, takeScan, navigate]);
  const tick = useNow(now);
  const date = localDate(tick, store.timeZone);
  const board = useQuery({ queryKey: ['board', date], queryFn: () => hub.board(date) });
  const first = board.data?.rooms[0]?.segments;
  const window =
    first && first.length > 0
      ? boardWindow(tick, Date.parse(first[0]!.start), Date.parse(first.at(-1)!.end))
      : null;
  return (
    <section className="board">
      <div className="board-top">
        <div>
          <h1>{t('board.heading')}</h1>
          <p className="lead">{t('board.hint')}</p>
        </div>
        <div className="board-actions">
          <Button size="large" onClick={() => navigate('/mine')}>
            {t('board.mine')}
          </Button>
          <Button size="large" onClick={() => navigate('/door')}>
            {t('board.doorKeypad')}
          </Button>
          <Button type="primary" size="large" onClick={() => navigate('/book')}>
            {t('board.walkIn')}
          </Button>
        </div>
      </div>
      <ul className="legend">
        {STATES.map((s) => (
          <li key={s}>
            <span className={`swatch seg-${s}`} />
            {t(`common:segment.${s}`)}
          </li>
        ))}
      </ul>
      {board.isError && <Alert type="error" showIcon title={refusalText(t, board.error)} />}
      {!board.data || !window ? (
        <Spin size="large" />
      ) : (
        <div className="board-rows">
          <Scale window={window} timeZone={store.timeZone} />
          {board.data.rooms.map((r) => (
            <RoomRow
              key={r.room.id}
              timeline={r}
              window={window}
              now={tick}
              onBook={(start) => navigate(`/book?room=${r.room.id}&start=${start}`)}
            />
          ))}
        </div>
      )}
    </section>
  );
}

function Scale({ window, timeZone }: { window: Window; timeZone: string }) {
  const span = window.to - window.from;
  return (
    <div className="board-row board-scale">
      <div className="room-label" />
      <div className="track">
        {/* The hours at the very edges would be cut in half: only those inside are labelled. */}
        {window.hours
          .filter((h) => h > window.from && h < window.to)
          .map((h) => (
            <span key={h} className="tick" style={{ left: `${((h - window.from) / span) * 100}%` }}>
              {clockTime(h, timeZone)}
            </span>
          ))}
      </div>
    </div>
  );
}

function RoomRow(props: {
  timeline: RoomTimeline;
  window: Window;
  now: number;
  onBook: (start: number) => void;
}) {
  const { t } = useTranslation('kiosk');
  const { store } = useKiosk();
  const { timeline, window, now } = props;
  const placed = placeSegments(timeline.segments, window, now);
  const nowLeft = (now - window.from) / (window.to - window.from);
  const tap = (p: PlacedSegment) => (e: MouseEvent<HTMLButtonElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const share = box.width > 0 ? (e.clientX - box.left) / box.width : 0;
    props.onBook(tappedStart(p, Math.min(Math.max(share, 0), 1), store.rules.stepMinutes));
  };
  return (
    <div className="board-row" data-room={timeline.room.name}>
      <div className="room-label">
        <strong>{timeline.room.name}</strong>
        <span>
          {timeline.room.style} · {t('board.capacity', { count: timeline.room.capacity })}
        </span>
        <span className={`now-state seg-text-${timeline.now}`}>
          {t(`common:segment.${timeline.now}`)}
        </span>
      </div>
      <div className="track">
        {placed.map((p) =>
          p.bookable ? (
            <button
              key={`${p.start}`}
              type="button"
              className="seg seg-free bookable"
              style={{ left: `${p.left * 100}%`, width: `${p.width * 100}%` }}
              onClick={tap(p)}
              aria-label={`${timeline.room.name} ${clockTime(p.start, store.timeZone)}-${clockTime(p.end, store.timeZone)} ${t('common:segment.free')}`}
            >
              {p.width > 0.12 && <span className="seg-words">{t('board.tapToBook')}</span>}
            </button>
          ) : (
            <div
              key={`${p.start}`}
              className={`seg seg-${p.segment.state}${p.end <= now ? ' past' : ''}`}
              style={{ left: `${p.left * 100}%`, width: `${p.width * 100}%` }}
              title={t(`common:segment.${p.segment.state}`)}
            >
              {p.width > 0.08 && p.segment.state !== 'free' && (
                <span className="seg-words">
                  {t(`common:segment.${p.segment.state}`)}
                  {p.width > 0.14 &&
                    ` ${clockTime(p.segment.start, store.timeZone)}–${clockTime(p.segment.end, store.timeZone)}`}
                </span>
              )}
            </div>
          ),
        )}
        {nowLeft >= 0 && nowLeft <= 1 && (
          <div className="now-line" style={{ left: `${nowLeft * 100}%` }} />
        )}
      </div>
    </div>
  );
}
