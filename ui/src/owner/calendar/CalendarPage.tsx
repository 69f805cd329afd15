// The calendar (O4): each day of the month priced as a workday, weekend or holiday, from the
// official calendar (holidays and the make-up working days) unless the owner set the day; the
// owner sets a day (a store anniversary priced as a holiday) or gives it back to the official one.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, Modal, Radio, Space, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CalendarDay, DayType } from '@roomhub/shared-types';
import { counter } from '../../api/counter-client';
import { ownerPages } from '../../api/owner-client';
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
  const { t } = useTranslation('owner');
  const hubNow = useQuery({ queryKey: ['hub-time'], queryFn: counter.health, staleTime: 600_000 });
  const [month, setMonth] = useState<string | null>(null);
  const shown = month ?? hubNow.data?.time.slice(0, 7) ?? null;
  const range = shown ? monthRange(shown) : null;
  const days = useQuery({
    queryKey: ['owner-calendar', shown],
    queryFn: () => ownerPages.calendar(range!.from, range!.to),
    enabled: range !== null,
  });
  const [editing, setEditing] = useState<CalendarDay | null>(null);
  if (!shown) return <Spin />;
  const byDate = new Map((days.data ?? []).map((d) => [d.date, d]));
  return (
    <Card
      title={t('calendar.title')}
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
      {editing && <DayModal day={editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}

function DayModal({ day, onClose }: { day: CalendarDay; onClose: () => void }) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const [type, setType] = useState<DayType>(day.type);
  const [note, setNote] = useState(day.note ?? '');
  const done = () => {
    void client.invalidateQueries({ queryKey: ['owner-calendar'] });
    void client.invalidateQueries({ queryKey: ['owner-quote'] });
    onClose();
  };
  const set = useMutation({
    mutationFn: () => ownerPages.setDay(day.date, type, note.trim() || undefined),
    onSuccess: () => {
      void message.success(t('calendar.set', { date: day.date }));
      done();
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  const clear = useMutation({
    mutationFn: () => ownerPages.clearDay(day.date),
    onSuccess: () => {
      void message.success(t('calendar.cleared', { date: day.date }));
      done();
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
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
