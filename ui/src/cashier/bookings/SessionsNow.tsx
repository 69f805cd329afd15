// The rooms in use now, above the bookings: each session's room, booking and end, with the time
// left or the overtime counted on by this screen's clock (the hub's time), and what it still owes.
// The list itself changes by the hub's events (a door opened, a session ended).
import { useQuery } from '@tanstack/react-query';
import { Card, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { counter } from '../../api/counter-client';
import { clockTime } from '../../components/store-time';
import { useNow } from '../../components/use-now';
import { yuan } from '../../components/yuan';
import { useCashier } from '../cashier-context';

const MINUTE = 60_000;

export function SessionsNow({ onOpen }: { onOpen: (bookingId: string) => void }) {
  const { t } = useTranslation('cashier');
  const c = useCashier();
  const now = useNow(c.now);
  const sessions = useQuery({ queryKey: ['sessions'], queryFn: counter.sessions });
  const list = sessions.data ?? [];
  if (list.length === 0) return null;
  return (
    <Card size="small" title={t('sessions.title', { count: list.length })}>
      <div className="session-strip" data-testid="sessions-now">
        {list.map((s) => {
          const left = Math.ceil((Date.parse(s.end) - now) / MINUTE);
          return (
            <button
              type="button"
              key={s.bookingId}
              className={`session-chip${left < 0 ? ' session-over' : left <= 15 ? ' session-ending' : ''}`}
              onClick={() => onOpen(s.bookingId)}
            >
              <strong>{s.room.name}</strong> · {s.number.slice(-4)} ·{' '}
              {t('sessions.until', { time: clockTime(s.end, c.store.timeZone) })}
              <br />
              {left >= 0
                ? t('sessions.left', { count: left })
                : t('sessions.over', { count: -left })}
              {s.due > 0 && <Tag color="gold">{t('tea.due', { amount: yuan(s.due) })}</Tag>}
            </button>
          );
        })}
      </div>
    </Card>
  );
}
