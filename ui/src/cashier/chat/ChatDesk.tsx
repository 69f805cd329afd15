// Customer service at the counter (C13): the store's conversations with customers on the left,
// newest first with what is unread and the order each is about; the one picked on the right, read
// live (asked again every few seconds), its order opened in the bookings screen, and the answer
// box. The hub relays it from the cloud, where the conversations are kept, and answers under the
// signed-in staff member's name; without the cloud it says so.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Empty, Input, List, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ChatDetail, ChatList } from '@roomhub/shared-types';
import { call } from '../../api/counter-client';
import { chatOrder } from '../../components/chat-order';
import { clockTime, localDate } from '../../components/store-time';
import { useCashier } from '../cashier-context';
import { counterRefusal } from '../refusal-text';
import { HubRefusal } from '../../api/hub-client';
import type { TFunction } from 'i18next';

/** The chat's own refusals in the desk's words; the counter's sentences for the rest. */
function chatRefusal(t: TFunction, tc: TFunction, e: unknown): string {
  const code = e instanceof HubRefusal ? e.code : '';
  if (code === 'cloud_unreachable' || code === 'cloud_not_configured') return t('chat.offline');
  if (code === 'staff_only' || code === 'forbidden_role') return t('chat.notYours');
  return counterRefusal(tc, e);
}

const chats = {
  list: () => call<ChatList>('GET', '/api/chats'),
  read: (chatId: string) => call<ChatDetail>('GET', `/api/chats/${chatId}`),
  say: (chatId: string, text: string) =>
    call<ChatDetail>('POST', `/api/chats/${chatId}/lines`, { text }),
};

export function ChatDesk() {
  const { t } = useTranslation('talk');
  const { t: tc } = useTranslation('cashier');
  const c = useCashier();
  const tz = c.store.timeZone;
  const [picked, setPicked] = useState<string | null>(null);
  const list = useQuery({ queryKey: ['chats'], queryFn: chats.list, refetchInterval: 3_000 });
  const when = (iso: string) =>
    localDate(iso, tz) === localDate(new Date(c.now()).toISOString(), tz)
      ? clockTime(Date.parse(iso), tz)
      : `${localDate(iso, tz).slice(5)} ${clockTime(Date.parse(iso), tz)}`;
  return (
    <div className="chat-desk">
      <Card title={t('chat.storeDesk')} className="chat-desk-list">
        {list.isError && <Alert type="warning" showIcon message={chatRefusal(t, tc, list.error)} />}
        {list.data && list.data.chats.length === 0 && <Empty description={t('chat.noChats')} />}
        <List
          dataSource={list.data?.chats ?? []}
          renderItem={(chat) => (
            <List.Item
              className={chat.chatId === picked ? 'picked' : ''}
              onClick={() => setPicked(chat.chatId)}
              style={{ cursor: 'pointer' }}
            >
              <List.Item.Meta
                title={
                  // Spaced wide enough that the unread count does not cover the tags.
                  <Space size="middle" wrap>
                    <Badge count={chat.unread} size="small" offset={[10, 0]}>
                      {t('chat.customer', { who: chat.customer ?? '' })}
                    </Badge>
                    {chat.complaint && <Tag color="red">{t('chat.complaint')}</Tag>}
                    {chat.bookingId && (
                      <Tag data-testid="chat-list-order">
                        {t('chat.order', { number: chatOrder(chat) })}
                      </Tag>
                    )}
                  </Space>
                }
                description={chat.lastText}
              />
              <span className="muted">{when(chat.lastAt)}</span>
            </List.Item>
          )}
        />
      </Card>
      {picked ? (
        <Conversation chatId={picked} when={when} />
      ) : (
        <Card className="chat-desk-talk">
          <Empty description={t('chat.pick')} />
        </Card>
      )}
    </div>
  );
}

function Conversation({ chatId, when }: { chatId: string; when: (iso: string) => string }) {
  const { t } = useTranslation('talk');
  const { t: tc } = useTranslation('cashier');
  const c = useCashier();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const chat = useQuery({
    queryKey: ['chat', chatId],
    queryFn: () => chats.read(chatId),
    refetchInterval: 3_000,
  });
  const answer = useMutation({
    mutationFn: () => chats.say(chatId, text.trim()),
    onSuccess: (after) => {
      client.setQueryData(['chat', chatId], after);
      void client.invalidateQueries({ queryKey: ['chats'] });
      setText('');
    },
    onError: (e) => setError(chatRefusal(t, tc, e)),
  });
  const about = chat.data?.chat;
  const bookingId = about?.bookingId;
  const send = () => {
    setError(null);
    if (!text.trim()) return setError(t('chat.empty'));
    answer.mutate();
  };
  return (
    <Card
      className="chat-desk-talk"
      title={chat.data ? t('chat.customer', { who: chat.data.chat.customer ?? '' }) : ''}
    >
      {chat.isError && <Alert type="warning" showIcon message={chatRefusal(t, tc, chat.error)} />}
      {about && bookingId && (
        <Space data-testid="chat-order">
          <span>
            {t('chat.aboutOrder')} <strong>{chatOrder(about)}</strong>
          </span>
          {c.may('bookings') && (
            <Button
              onClick={() => void navigate(`/bookings?open=${encodeURIComponent(bookingId)}`)}
            >
              {t('chat.openOrder')}
            </Button>
          )}
        </Space>
      )}
      {chat.data?.chat.complaintCase && (
        <Alert
          type={chat.data.chat.complaintCase.status === 'closed' ? 'info' : 'warning'}
          showIcon
          message={t(`chat.complaintStatus.${chat.data.chat.complaintCase.status}`)}
          description={
            chat.data.chat.complaintCase.closed
              ? t('chat.complaintOutcome', {
                  outcome: t(`chat.outcome.${chat.data.chat.complaintCase.closed.outcome}`),
                  words: chat.data.chat.complaintCase.closed.words,
                })
              : t('chat.complaintReason', { reason: chat.data.chat.complaintCase.reason })
          }
        />
      )}
      <ol className="chat-lines" aria-live="polite">
        {(chat.data?.lines ?? []).map((l) => (
          <li key={l.id} className={`chat-line ${l.from === 'customer' ? 'theirs' : 'mine'}`}>
            <span className="muted">
              {l.from === 'customer' ? t('chat.customer', { who: '' }) : l.name} · {when(l.at)}
            </span>
            {l.note && <Tag color="red">{t(`chat.note.${l.note}`)}</Tag>}
            <p>{l.text}</p>
          </li>
        ))}
      </ol>
      {error && <Alert type="error" showIcon message={error} role="alert" />}
      <Input.TextArea
        aria-label={t('chat.answer')}
        placeholder={t('chat.answer')}
        value={text}
        maxLength={500}
        autoSize={{ minRows: 2, maxRows: 5 }}
        onChange={(e) => setText(e.target.value)}
      />
      <Button type="primary" size="large" loading={answer.isPending} onClick={send}>
        {t('chat.send')}
      </Button>
    </Card>
  );
}
