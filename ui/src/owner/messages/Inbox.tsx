// An inbox of notices as the owner's screens show it, at the hub's dashboard (the store's inbox)
// and on the remote view (the owner's own): the unread count, 全部已读, each notice with its title
// (a dot while unread), its words, the order it names and its time as the caller formats it. A
// tap hands the notice to `onOpen` (the hub's page marks it read and opens its order).
import type { ReactNode } from 'react';
import { Badge, Button, Card, Empty, List, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { InboxView, MessageView } from '@roomhub/shared-types';
import { chatOrder } from '../../components/chat-order';

export function Inbox({
  data,
  refusal,
  when,
  onReadAll,
  onOpen,
  hint,
}: {
  data: InboxView | undefined;
  /** The sentence to show when the inbox could not be read. */
  refusal?: string | null;
  /** A notice's time, as the screen shows times. */
  when: (at: string) => string;
  onReadAll: () => void;
  onOpen?: (m: MessageView) => void;
  hint?: ReactNode;
}) {
  const { t } = useTranslation('owner');
  return (
    <Card
      className="gap"
      title={
        <Space>
          {t('inbox.title')}
          {data && data.unread > 0 && (
            <Badge count={t('inbox.unread', { count: data.unread })} data-testid="inbox-unread" />
          )}
        </Space>
      }
      extra={
        data && data.unread > 0 ? <Button onClick={onReadAll}>{t('inbox.readAll')}</Button> : null
      }
    >
      {hint && <p className="muted">{hint}</p>}
      {refusal && <p>{refusal}</p>}
      {data && data.messages.length === 0 && <Empty description={t('inbox.none')} />}
      {!!data?.messages.length && (
        <List
          dataSource={data.messages}
          renderItem={(m) => (
            <List.Item
              className={m.read ? '' : 'unread'}
              data-testid="owner-message"
              onClick={onOpen ? () => onOpen(m) : undefined}
              style={onOpen ? { cursor: 'pointer' } : undefined}
            >
              <List.Item.Meta
                title={
                  <Space wrap>
                    {m.read ? m.title : <Badge dot>{m.title}</Badge>}
                    {m.bookingId && (
                      <Tag data-testid="message-order">
                        {t('inbox.order', { number: chatOrder(m) })}
                      </Tag>
                    )}
                  </Space>
                }
                description={m.body}
              />
              <span className="muted">{when(m.at)}</span>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
