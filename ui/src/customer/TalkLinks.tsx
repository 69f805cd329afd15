// On "me": my messages with how many are unread, and my conversations with stores.
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Badge, List } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { talk } from '../api/talk-client';

export function TalkLinks() {
  const { t } = useTranslation('talk');
  const navigate = useNavigate();
  const inbox = useQuery({ queryKey: ['inbox'], queryFn: talk.inbox, refetchInterval: 30_000 });
  const chats = useQuery({ queryKey: ['chats'], queryFn: talk.chats, refetchInterval: 30_000 });
  return (
    <>
      <List.Item
        onClick={() => void navigate('/me/messages')}
        extra={inbox.data?.unread ? <Badge content={inbox.data.unread} /> : null}
      >
        {t('inbox.title')}
      </List.Item>
      <List.Item
        onClick={() => void navigate('/chats')}
        extra={chats.data?.unread ? <Badge content={chats.data.unread} /> : null}
      >
        {t('chat.list')}
      </List.Item>
    </>
  );
}
