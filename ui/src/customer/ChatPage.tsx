// C13: talking with a store's customer service. `/chats` lists my conversations (new replies
// marked); `/chats/:storeId/:chatId` is one, read live (asked again every few seconds), with a box
// to write; `/chats/new/:storeId?booking=` starts one, about an order when it names one. A
// conversation about an order can be turned into a complaint (投诉) with a reason: it is marked,
// the platform's customer service (平台客服) may step in, and its outcome is shown when closed.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { Badge, Button, NavBar, Tag, TextArea } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { ChatDetail, ChatLineView, ComplaintView } from '@roomhub/shared-types';
import { talk } from '../api/talk-client';
import { storeDateTime } from './talk-time';
import { customerRefusal } from './refusal-text';

export function MyChats() {
  const { t } = useTranslation('talk');
  const { t: tc } = useTranslation('customer');
  const navigate = useNavigate();
  const list = useQuery({ queryKey: ['chats'], queryFn: talk.chats, refetchInterval: 5_000 });
  return (
    <section>
      <NavBar onBack={() => void navigate('/me')}>{t('chat.list')}</NavBar>
      {list.isError && (
        <p className="refusal pad-x" role="alert">
          {customerRefusal(tc, list.error)}
        </p>
      )}
      {list.data && list.data.chats.length === 0 && <p className="hint pad-x">{t('chat.none')}</p>}
      <ul className="cards">
        {list.data?.chats.map((c) => (
          <li
            key={`${c.storeId}:${c.chatId}`}
            className="card"
            onClick={() => void navigate(`/chats/${c.storeId}/${c.chatId}`)}
          >
            <span className="room-head">
              <strong>
                {c.storeName ?? ''}{' '}
                {c.complaint && (
                  <Tag color={c.complaintCase?.status === 'closed' ? 'default' : 'danger'}>
                    {t(`chat.complaintStatus.${c.complaintCase?.status ?? 'open'}`)}
                  </Tag>
                )}
              </strong>
              {c.unread > 0 ? (
                <Badge content={t('chat.unreadBadge', { count: c.unread })} />
              ) : (
                <span className="muted">{storeDateTime(c.lastAt)}</span>
              )}
            </span>
            <span className="muted">{c.lastText}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Lines({ lines }: { lines: ChatLineView[] }) {
  const { t } = useTranslation('talk');
  return (
    <ol className="chat-lines" aria-live="polite">
      {lines.map((l) => (
        <li
          key={l.id}
          className={`chat-line ${l.from === 'customer' ? 'mine' : 'theirs'}${l.from === 'platform' ? ' platform' : ''}`}
          data-note={l.note}
        >
          <span className="muted">
            {l.from === 'customer'
              ? t('chat.me')
              : (l.name ?? (l.from === 'platform' ? t('chat.platform') : t('chat.store')))}{' '}
            · {storeDateTime(l.at)}
          </span>
          {l.note && (
            <Tag color="danger" className="chat-note">
              {t(`chat.note.${l.note}`)}
            </Tag>
          )}
          <p>{l.text}</p>
        </li>
      ))}
    </ol>
  );
}

/** The box to write in; `send` answers once the line is the cloud's. */
function Compose({ send }: { send: (text: string) => Promise<unknown> }) {
  const { t } = useTranslation('talk');
  const { t: tc } = useTranslation('customer');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const go = useMutation({
    mutationFn: () => send(text.trim()),
    onSuccess: () => setText(''),
    onError: (e) => setError(customerRefusal(tc, e)),
  });
  const submit = () => {
    setError(null);
    if (!text.trim()) return setError(t('chat.empty'));
    if (text.trim().length > 500) return setError(t('chat.tooLong'));
    go.mutate();
  };
  return (
    <div className="chat-compose pad-x">
      {error && (
        <p className="refusal" role="alert">
          {error}
        </p>
      )}
      <TextArea
        aria-label={t('chat.placeholder')}
        placeholder={t('chat.placeholder')}
        value={text}
        onChange={setText}
        autoSize={{ minRows: 2, maxRows: 5 }}
      />
      <Button block color="primary" className="tall" loading={go.isPending} onClick={submit}>
        {go.isPending ? t('chat.sending') : t('chat.send')}
      </Button>
    </div>
  );
}

/** Where the complaint stands, above the conversation. */
function ComplaintBanner({ c }: { c: ComplaintView }) {
  const { t } = useTranslation('talk');
  return (
    <div className={`complaint-banner pad-x ${c.status}`} data-testid="complaint-banner">
      <strong>{t(`chat.complaintStatus.${c.status}`)}</strong>
      <p>{t('chat.complaintReason', { reason: c.reason })}</p>
      {c.closed && (
        <p data-testid="complaint-outcome">
          {t('chat.complaintOutcome', {
            outcome: t(`chat.outcome.${c.closed.outcome}`),
            words: c.closed.words,
          })}
        </p>
      )}
    </div>
  );
}

/** 投诉: the reason typed, then sent; the conversation is then marked. */
function Complain({ send }: { send: (reason: string) => Promise<unknown> }) {
  const { t } = useTranslation('talk');
  const { t: tc } = useTranslation('customer');
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const go = useMutation({
    mutationFn: () => send(reason.trim()),
    onSuccess: () => {
      setReason('');
      setOpen(false);
    },
    onError: (e) => setError(customerRefusal(tc, e)),
  });
  if (!open) {
    return (
      <div className="pad-x">
        <Button size="small" color="danger" fill="outline" onClick={() => setOpen(true)}>
          {t('chat.complain')}
        </Button>
      </div>
    );
  }
  const submit = () => {
    setError(null);
    if (reason.trim().length < 4) return setError(t('chat.complainShort'));
    if (reason.trim().length > 300) return setError(t('chat.complainLong'));
    go.mutate();
  };
  return (
    <div className="complain-form pad-x" data-testid="complain-form">
      <p className="hint">{t('chat.complainHint')}</p>
      {error && (
        <p className="refusal" role="alert">
          {error}
        </p>
      )}
      <TextArea
        aria-label={t('chat.complainPlaceholder')}
        placeholder={t('chat.complainPlaceholder')}
        value={reason}
        onChange={setReason}
        autoSize={{ minRows: 2, maxRows: 5 }}
      />
      <div className="complain-actions">
        <Button size="small" onClick={() => setOpen(false)}>
          {t('chat.complainCancel')}
        </Button>
        <Button size="small" color="danger" loading={go.isPending} onClick={submit}>
          {t('chat.complainSubmit')}
        </Button>
      </div>
    </div>
  );
}

export function ChatPage() {
  const { t } = useTranslation('talk');
  const { t: tc } = useTranslation('customer');
  const navigate = useNavigate();
  const queries = useQueryClient();
  const { storeId = '', chatId = '' } = useParams();
  const key = ['chat', storeId, chatId];
  const chat = useQuery({
    queryKey: key,
    queryFn: () => talk.chat(storeId, chatId),
    refetchInterval: 3_000,
  });
  return (
    <section>
      <NavBar onBack={() => void navigate('/chats')}>
        {chat.data?.chat.storeName ?? t('chat.title')}
      </NavBar>
      {chat.isError && (
        <p className="refusal pad-x" role="alert">
          {customerRefusal(tc, chat.error)}
        </p>
      )}
      {chat.data?.chat.bookingId && (
        <p className="pad-x muted">
          {t('chat.aboutOrder')}{' '}
          <a className="link" onClick={() => void navigate(`/orders/${chat.data!.chat.bookingId}`)}>
            {chat.data.chat.bookingId.slice(0, 8)}
          </a>
        </p>
      )}
      {chat.data?.chat.complaintCase && <ComplaintBanner c={chat.data.chat.complaintCase} />}
      {chat.data?.chat.bookingId && !chat.data.chat.complaint && (
        <Complain
          send={async (reason) => {
            const after: ChatDetail = await talk.complain(storeId, chatId, reason);
            queries.setQueryData(key, after);
          }}
        />
      )}
      <Lines lines={chat.data?.lines ?? []} />
      <Compose
        send={async (text) => {
          const after = await talk.say(storeId, chatId, text);
          queries.setQueryData(key, after);
        }}
      />
    </section>
  );
}

export function NewChat() {
  const { t } = useTranslation('talk');
  const navigate = useNavigate();
  const { storeId = '' } = useParams();
  const [search] = useSearchParams();
  const booking = search.get('booking') ?? undefined;
  return (
    <section>
      <NavBar onBack={() => void navigate(-1)}>{t('chat.title')}</NavBar>
      {booking && <p className="pad-x muted">{t('chat.aboutOrder')}</p>}
      <Compose
        send={async (text) => {
          const opened = await talk.open(storeId, text, booking);
          void navigate(`/chats/${storeId}/${opened.chat.chatId}`, { replace: true });
        }}
      />
    </section>
  );
}
