// The calendar (O4): each day of the month priced as a workday, weekend or holiday, from the
// official calendar (holidays and the make-up working days) unless the owner set the day; the
// owner sets a day (a store anniversary priced as a holiday) or gives it back to the official one.
// Read and set through the source the page passes: the hub at the store, or the cloud from
// anywhere, where a day set waits while the store is offline.
import { useState, type ReactNode } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Modal, Radio, Space, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CalendarDay, DayType } from '@roomhub/shared-types';
import { hubCalendar, type OwnerCalendarSource } from '../../api/owner-client';
import { useChangeAnswers } from '../change-answers';
import { ownerRefusal } from '../refusal-text';
import { labelOf, monthRange, shiftMonth, weeksOf, type DayLabel } from './month';
import './calendar.css';

const COLOURS: Record<DayLabel, string> = {
  holiday: 'red',
  makeUp: 'orange',
  weekend: 'blue',
  workday: 'default',
  override: 'purple',
};

export function CalendarPage() {
  return <CalendarCard source={hubCalendar} />;
}

export function CalendarCard({
  source,
  title,
}: {
  source: OwnerCalendarSource;
  /** The card's title where the page shows several stores' (the store's name before it). */
  title?: ReactNode;
}) {
  const { t } = useTranslation('owner');
  const thisMonth = useQuery({
    queryKey: [...source.key, 'this-month'],
    queryFn: () => source.thisMonth(),
    staleTime: 600_000,
  });
  const [month, setMonth] = useState<string | null>(null);
  const shown = month ?? thisMonth.data ?? null;
  const range = shown ? monthRange(shown) : null;
  const days = useQuery({
    queryKey: [...source.key, shown],
    queryFn: () => source.days(range!.from, range!.to),
    enabled: range !== null,
    refetchInterval: source.refetchInterval,
  });
  const [editing, setEditing] = useState<CalendarDay | null>(null);
  if (thisMonth.isError) {
    return <Alert type="error" showIcon title={ownerRefusal(t, thisMonth.error)} />;
  }
  if (!shown) return <Spin />;
  const byDate = new Map((days.data ?? []).map((d) => [d.date, d]));
  return (
    <Card
      title={title ?? t('calendar.title')}
      extra={
        <Space>
          <Button onClick={() => setMonth(shiftMonth(shown, -1))}>{t('calendar.prev')}</Button>
          <strong data-testid="calendar-month">{shown}</strong>
          <Button onClick={() => setMonth(shiftMonth(shown, 1))}>{t('calendar.next')}</Button>
        </Space>
      }
    >
      {days.isError && <Alert type="error" showIcon title={ownerRefusal(t, days.error)} />}
      <Space wrap className="owner-toolbar">
        {(Object.keys(COLOURS) as DayLabel[]).map((l) => (
          <Tag key={l} color={COLOURS[l]}>
            {t(`calendar.labels.${l}`)}
          </Tag>
        ))}
        <span className="muted">{t('calendar.help')}</span>
      </Space>
      <table className="owner-month">
        <thead>
          <tr>
            {[1, 2, 3, 4, 5, 6, 7].map((d) => (
              <th key={d}>{t(`weekdays.${d}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeksOf(shown).map((week, i) => (
            <tr key={i}>
              {week.map((date, j) => {
                const day = date ? byDate.get(date) : undefined;
                if (!date) return <td key={j} />;
                const label = day ? labelOf(day) : null;
                return (
                  <td key={j}>
                    <button
                      type="button"
                      className="owner-day"
                      data-testid={`day-${date}`}
                      disabled={!day}
                      onClick={() => day && setEditing(day)}
                    >
                      <span className="date">{Number(date.slice(8))}</span>
                      {day && label && (
                        <Tag color={COLOURS[label]}>
                          {label === 'override'
                            ? t(`calendar.dayType.${day.type}`)
                            : t(`calendar.labels.${label}`)}
                        </Tag>
                      )}
                      {day?.note && <span className="note">{day.note}</span>}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {editing && <DayModal day={editing} source={source} onClose={() => setEditing(null)} />}
    </Card>
  );
}

function DayModal({
  day,
  source,
  onClose,
}: {
  day: CalendarDay;
  source: OwnerCalendarSource;
  onClose: () => void;
}) {
  const { t } = useTranslation('owner');
  const answers = useChangeAnswers([source.key, ...source.touches], t('changes.waiting'));
  const [type, setType] = useState<DayType>(day.type);
  const [note, setNote] = useState(day.note ?? '');
  const set = useMutation({
    mutationFn: () => source.set(day.date, type, note.trim() || undefined),
    onSuccess: (answer) => {
      answers.answered(answer, t('calendar.set', { date: day.date }));
      onClose();
    },
    onError: (e) => answers.refused(e),
  });
  const clear = useMutation({
    mutationFn: () => source.clear(day.date),
    onSuccess: (answer) => {
      answers.answered(answer, t('calendar.cleared', { date: day.date }));
      onClose();
    },
    onError: (e) => answers.refused(e),
  });
  return (
    <Modal
      open
      title={t('calendar.editTitle', { date: day.date })}
      onCancel={onClose}
      footer={
        <Space>
          {day.source === 'override' && (
            <Button loading={clear.isPending} onClick={() => clear.mutate()}>
              {t('calendar.backToOfficial')}
            </Button>
          )}
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={set.isPending} onClick={() => set.mutate()}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <p className="muted">
        {day.source === 'override' ? t('calendar.isOverride') : t('calendar.isOfficial')}
      </p>
      <Radio.Group value={type} onChange={(e) => setType(e.target.value as DayType)}>
        {(['workday', 'weekend', 'holiday'] as const).map((d) => (
          <Radio.Button key={d} value={d}>
            {t(`calendar.dayType.${d}`)}
          </Radio.Button>
        ))}
      </Radio.Group>
      <Input
        className="gap"
        maxLength={100}
        placeholder={t('calendar.notePlaceholder')}
        aria-label={t('calendar.note')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
    </Modal>
  );
}
