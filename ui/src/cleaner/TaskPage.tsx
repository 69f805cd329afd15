// One room I am cleaning: open its door, take a photo of it clean if I like (the phone's camera),
// a note if something is broken or missing, then mark it clean; or give it back for another
// cleaner. A task someone else holds, or one called off or done, says so in one line. The task
// follows the hub's events, so a manager handing it over or calling it off shows at once.
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, DotLoading, Result, TextArea } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { CleaningTaskView } from '@roomhub/shared-types';
import { cleaning } from '../api/cleaning-client';
import { clockTime } from '../components/store-time';
import { useCleaner } from './cleaner-context';
import { PhotoUnreadable, photoToSend } from './photo';
import { cleanerRefusal } from './refusal-text';
import { TaskCard } from './TaskList';

export function TaskPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('cleaner');
  const c = useCleaner();
  const navigate = useNavigate();
  const task = useQuery({ queryKey: ['cleaning', 'task', id], queryFn: () => cleaning.task(id) });
  if (!task.data) {
    return (
      <div className="cleaner-loading">
        {task.isError ? (
          <p className="cleaner-refusal" role="alert">
            {cleanerRefusal(t, task.error)}
          </p>
        ) : (
          <DotLoading color="primary" />
        )}
      </div>
    );
  }
  const v = task.data;
  const mine = v.holder?.id === c.staff.id;
  if (v.status === 'taken' && mine) return <Cleaning task={v} />;
  if (v.status === 'done' && mine) return <Finished task={v} />;
  const tz = c.store.timeZone;
  const line =
    v.status === 'done'
      ? t('task.statusDone', { name: v.holder?.name, time: clockTime(v.doneAt!, tz) })
      : v.status === 'cancelled'
        ? t('task.statusCancelled', { reason: v.reason ?? '' })
        : v.status === 'taken'
          ? t('task.heldBy', { name: v.holder?.name })
          : t('task.statusOpen');
  return (
    <div className="cleaner-task">
      <TaskCard task={v} muted>
        <p className="cleaner-muted" data-testid="task-status">
          {line}
        </p>
      </TaskCard>
      <Button block size="large" onClick={() => void navigate('/')}>
        {t('task.back')}
      </Button>
    </div>
  );
}

/** The local picture chosen for the task, shown before and after it reached the hub. */
function usePreview(blob: Blob | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) return setUrl(null);
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  return url;
}

const previews = new Map<string, Blob>();

function Cleaning({ task }: { task: CleaningTaskView }) {
  const { t } = useTranslation('cleaner');
  const client = useQueryClient();
  const navigate = useNavigate();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [picture, setPicture] = useState<Blob | null>(() => previews.get(task.id) ?? null);
  const preview = usePreview(picture);
  const input = useRef<HTMLInputElement>(null);
  const fresh = (v: CleaningTaskView) => {
    client.setQueryData(['cleaning', 'task', v.id], v);
    void client.invalidateQueries({ queryKey: ['cleaning', 'tasks'] });
  };
  const failed = (e: unknown) => {
    setRefusal(cleanerRefusal(t, e));
    void client.invalidateQueries({ queryKey: ['cleaning', 'task', task.id] });
  };

  const door = useMutation({
    mutationFn: () => cleaning.openDoor(task.room.id, t('task.doorReason')),
    onMutate: () => setRefusal(null),
    onError: (e) => setRefusal(cleanerRefusal(t, e)),
  });
  const photo = useMutation({
    mutationFn: async (file: File) => {
      const blob = await photoToSend(file);
      setPicture(blob);
      previews.set(task.id, blob);
      return cleaning.photo(task.id, blob);
    },
    onMutate: () => setRefusal(null),
    onSuccess: fresh,
    onError: (e) => {
      setPicture(null);
      previews.delete(task.id);
      setRefusal(
        e instanceof PhotoUnreadable ? t('errors.photo_unreadable') : cleanerRefusal(t, e),
      );
    },
  });
  const done = useMutation({
    mutationFn: () => cleaning.done(task.id, note.trim() ? { note: note.trim() } : {}),
    onMutate: () => setRefusal(null),
    onSuccess: fresh,
    onError: failed,
  });
  const release = useMutation({
    mutationFn: () => cleaning.release(task.id),
    onMutate: () => setRefusal(null),
    onSuccess: (v) => {
      fresh(v);
      previews.delete(task.id);
      void navigate('/');
    },
    onError: failed,
  });
  const busy = photo.isPending || done.isPending || release.isPending;
  const giveBack = async () => {
    if (await Dialog.confirm({ content: t('task.releaseConfirm') })) release.mutate();
  };

  return (
    <div className="cleaner-task">
      <TaskCard task={task} />
      <Button
        block
        size="large"
        color="primary"
        fill="outline"
        className="cleaner-action"
        loading={door.isPending}
        onClick={() => door.mutate()}
      >
        {t('task.openDoor')}
      </Button>
      {door.isSuccess && !door.isPending && (
        <p className="cleaner-ok" role="status">
          {t('task.doorOpened')}
        </p>
      )}

      <div className="cleaner-photo">
        {preview && <img src={preview} alt={t('task.photoAlt')} data-testid="photo-preview" />}
        <input
          ref={input}
          type="file"
          accept="image/*"
          capture="environment"
          hidden
          data-testid="photo-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) photo.mutate(file);
          }}
        />
        <Button
          block
          size="large"
          className="cleaner-action"
          loading={photo.isPending}
          disabled={busy}
          onClick={() => input.current?.click()}
        >
          {task.photo || preview ? t('task.retake') : t('task.photo')}
        </Button>
        {photo.isPending && <p className="cleaner-muted">{t('task.photoSending')}</p>}
        {task.photo && !photo.isPending && (
          <p className="cleaner-ok" data-testid="photo-saved">
            {t('task.photoSaved')}
          </p>
        )}
      </div>

      <label className="cleaner-note">
        <span>{t('task.note')}</span>
        <TextArea
          value={note}
          onChange={setNote}
          maxLength={500}
          rows={2}
          placeholder={t('task.notePlaceholder')}
        />
      </label>

      {refusal && (
        <p className="cleaner-refusal" role="alert" data-testid="refusal">
          {refusal}
        </p>
      )}

      <Button
        block
        size="large"
        color="primary"
        className="cleaner-action"
        loading={done.isPending}
        disabled={busy}
        onClick={() => done.mutate()}
      >
        {t('task.done')}
      </Button>
      <Button
        block
        fill="none"
        className="cleaner-action cleaner-release"
        disabled={busy}
        onClick={() => void giveBack()}
      >
        {t('task.release')}
      </Button>
    </div>
  );
}

function Finished({ task }: { task: CleaningTaskView }) {
  const { t } = useTranslation('cleaner');
  const navigate = useNavigate();
  const preview = usePreview(previews.get(task.id) ?? null);
  return (
    <div className="cleaner-task">
      <Result
        status="success"
        title={t('task.finished', { room: task.room.name })}
        description={task.photo ? t('task.photoSaved') : undefined}
      />
      {preview && (
        <div className="cleaner-photo">
          <img src={preview} alt={t('task.photoAlt')} />
        </div>
      )}
      <Button
        block
        size="large"
        color="primary"
        className="cleaner-action"
        onClick={() => {
          previews.delete(task.id);
          void navigate('/');
        }}
      >
        {t('task.back')}
      </Button>
    </div>
  );
}
