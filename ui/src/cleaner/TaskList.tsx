// The cleaner's list: the rooms I am cleaning first, then the rooms waiting for a cleaner (each
// with when its guests left and when it can be booked again), then those others are cleaning. A
// task appears and moves by the hub's events. Taking one opens it; if someone was quicker, the
// cleaner is told who in one sentence.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, DotLoading, ErrorBlock } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { CleaningTaskView } from '@roomhub/shared-types';
import { cleaning } from '../api/cleaning-client';
import { HubRefusal } from '../api/hub-client';
import { clockTime } from '../components/store-time';
import { useNow } from '../components/use-now';
import { useCleaner } from './cleaner-context';
import { cleanerRefusal } from './refusal-text';
import { minutesWaited } from './task-times';

export function TaskList() {
  const { t } = useTranslation('cleaner');
  const c = useCleaner();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [refusal, setRefusal] = useState<string | null>(null);
  const tasks = useQuery({
    queryKey: ['cleaning', 'tasks', 'to-do'],
    queryFn: () => cleaning.tasks(),
  });
  const today = c.today();
  const doneToday = useQuery({
    queryKey: ['cleaning', 'tasks', 'done', today],
    queryFn: () => cleaning.tasks({ status: 'done', mine: true, date: today }),
  });
  const take = useMutation({
    mutationFn: (id: string) => cleaning.take(id),
    onMutate: () => setRefusal(null),
    onSuccess: (task) => {
      client.setQueryData(['cleaning', 'task', task.id], task);
      void client.invalidateQueries({ queryKey: ['cleaning', 'tasks'] });
      void navigate(`/tasks/${task.id}`);
    },
    onError: async (e, id) => {
      let holder: string | null = null;
      if (e instanceof HubRefusal && e.code === 'cleaning_task_taken') {
        // The refusal names nobody in this page's language: the task itself says who has it.
        holder = await cleaning.task(id).then(
          (task) => task.holder?.name ?? null,
          () => null,
        );
      }
      setRefusal(cleanerRefusal(t, e, holder));
      void client.invalidateQueries({ queryKey: ['cleaning', 'tasks'] });
    },
  });

  if (!tasks.data) {
    return (
      <div className="cleaner-loading">
        {tasks.isError ? (
          <p className="cleaner-refusal">{cleanerRefusal(t, tasks.error)}</p>
        ) : (
          <DotLoading color="primary" />
        )}
      </div>
    );
  }
  const all = tasks.data;
  const mine = all.filter((x) => x.status === 'taken' && x.holder?.id === c.staff.id);
  const open = all.filter((x) => x.status === 'open');
  const others = all.filter((x) => x.status === 'taken' && x.holder?.id !== c.staff.id);
  const done = doneToday.data?.length ?? 0;
  return (
    <div className="cleaner-list">
      {refusal && (
        <p className="cleaner-refusal" role="alert" data-testid="refusal">
          {refusal}
        </p>
      )}
      {mine.length === 0 && open.length === 0 && (
        <ErrorBlock
          status="empty"
          className="cleaner-empty"
          data-testid="no-tasks"
          title={t('list.empty')}
          description={t('list.emptyHint')}
        />
      )}
      {mine.length > 0 && (
        <Section title={t('list.mine')}>
          {mine.map((task) => (
            <TaskCard key={task.id} task={task} onOpen={() => void navigate(`/tasks/${task.id}`)} />
          ))}
        </Section>
      )}
      {open.length > 0 && (
        <Section title={t('list.open')}>
          {open.map((task) => (
            <TaskCard key={task.id} task={task}>
              <Button
                color="primary"
                size="large"
                className="cleaner-action"
                loading={take.isPending && take.variables === task.id}
                disabled={take.isPending}
                onClick={() => take.mutate(task.id)}
              >
                {t('task.take')}
              </Button>
            </TaskCard>
          ))}
        </Section>
      )}
      {others.length > 0 && (
        <Section title={t('list.others')}>
          {others.map((task) => (
            <TaskCard key={task.id} task={task} muted>
              <p className="cleaner-muted">{t('task.heldBy', { name: task.holder?.name })}</p>
            </TaskCard>
          ))}
        </Section>
      )}
      {done > 0 && <p className="cleaner-quiet">{t('list.doneToday', { count: done })}</p>}
    </div>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="cleaner-section">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** One room to clean: its name, when its guests left, how long it has waited, when it is bookable. */
export function TaskCard({
  task,
  muted,
  onOpen,
  children,
}: {
  task: CleaningTaskView;
  muted?: boolean;
  onOpen?: () => void;
  children?: React.ReactNode;
}) {
  const { t } = useTranslation('cleaner');
  const c = useCleaner();
  const now = useNow(c.now);
  const tz = c.store.timeZone;
  const waited = minutesWaited(task.since, now);
  const body = (
    <>
      <div className="cleaner-card-head">
        <span className="cleaner-room">{task.room.name}</span>
        {task.status !== 'done' && (
          <span className={waited >= 15 ? 'cleaner-waited late' : 'cleaner-waited'}>
            {waited === 0 ? t('task.justLeft') : t('task.waited', { minutes: waited })}
          </span>
        )}
      </div>
      <div className="cleaner-card-line">
        {t('task.ended', { time: clockTime(task.since, tz) })}
        {' · '}
        {t('task.freeBy', { time: clockTime(task.freeBy, tz) })}
      </div>
    </>
  );
  return (
    <article
      className={muted ? 'cleaner-card muted' : 'cleaner-card'}
      data-testid="task"
      data-room={task.room.name}
      data-status={task.status}
    >
      {onOpen ? (
        <button type="button" className="cleaner-card-open" onClick={onOpen}>
          {body}
          <span className="cleaner-chevron" aria-hidden>
            ›
          </span>
        </button>
      ) : (
        body
      )}
      {children}
    </article>
  );
}
