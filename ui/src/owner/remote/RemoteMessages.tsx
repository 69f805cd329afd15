// The owner's messages and customers' conversations, from anywhere (C13, O11): the inbox of every
// store the owner runs (new bookings, refunds to review, device faults, a store gone offline),
// and per store the message settings (kinds not sent, quiet hours, win-back, the offline alert,
// the store's own words for each kind: RemoteMessageTemplates.tsx) and the conversations customers
// opened, each with the order it is about, answered here as 店主.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Badge,
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Space,
  Tag,
} from 'antd';
import { useTranslation } from 'react-i18next';
import {
  MessageKindSchema,
  PLATFORM_NOTICE_KINDS,
  type MessageSettings,
} from '@roomhub/shared-types';
import { remoteOwner } from '../../api/owner-remote-client';
import { chatOrder } from '../../components/chat-order';
import { ownerRefusal } from '../refusal-text';
import { Inbox } from '../messages/Inbox';
import { RemoteMessageTemplates } from './RemoteMessageTemplates';
import { stamp } from './when';

export function RemoteInbox() {
  const { t } = useTranslation('owner');
  const client = useQueryClient();
  const inbox = useQuery({
    queryKey: ['remote', 'inbox'],
    queryFn: remoteOwner.inbox,
    refetchInterval: 15_000,
  });
  const readAll = useMutation({
    mutationFn: remoteOwner.readAll,
    onSuccess: () => void client.invalidateQueries({ queryKey: ['remote', 'inbox'] }),
  });
  return (
    <Inbox
      data={inbox.data}
      refusal={inbox.isError ? ownerRefusal(t, inbox.error) : null}
      when={stamp}
      onReadAll={() => readAll.mutate()}
    />
  );
}

export function RemoteMessageSettings({
  storeId,
  storeName,
}: {
  storeId: string;
  storeName: string;
}) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const settings = useQuery({
    queryKey: ['remote', storeId, 'message-settings'],
    queryFn: () => remoteOwner.messageSettings(storeId),
  });
  const [form] = Form.useForm();
  const save = useMutation({
    mutationFn: (s: MessageSettings) => remoteOwner.saveMessageSettings(storeId, s),
    onSuccess: () => void message.success(t('remote.messages.saved')),
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  const hhmm = { pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: t('remote.messages.hhmm') };
  const s = settings.data;
  if (!s) return settings.isError ? <p>{ownerRefusal(t, settings.error)}</p> : null;
  return (
    <Card title={`${storeName} · ${t('remote.messages.settings')}`} className="gap">
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          off: s.off,
          quietFrom: s.quietHours?.from ?? '',
          quietTo: s.quietHours?.to ?? '',
          winBackDays: s.winBackDays,
          winBackOffer: s.winBackOffer,
          offlineAlertMinutes: s.offlineAlertMinutes,
        }}
        onFinish={(v: {
          off: MessageSettings['off'];
          quietFrom: string;
          quietTo: string;
          winBackDays: number | null;
          winBackOffer: string;
          offlineAlertMinutes: number | null;
        }) =>
          save.mutate({
            off: v.off,
            quietHours:
              v.quietFrom.trim() && v.quietTo.trim()
                ? { from: v.quietFrom.trim(), to: v.quietTo.trim() }
                : null,
            winBackDays: v.winBackDays ?? null,
            winBackOffer: v.winBackOffer,
            offlineAlertMinutes: v.offlineAlertMinutes ?? null,
          })
        }
      >
        <Form.Item label={t('remote.messages.quiet')} extra={t('remote.messages.quietHint')}>
          <Space>
            <Form.Item name="quietFrom" noStyle rules={[hhmm]}>
              <Input
                placeholder="22:00"
                style={{ width: 90 }}
                aria-label={t('remote.messages.quiet')}
              />
            </Form.Item>
            –
            <Form.Item name="quietTo" noStyle rules={[hhmm]}>
              <Input placeholder="08:00" style={{ width: 90 }} />
            </Form.Item>
          </Space>
        </Form.Item>
        <Form.Item name="off" label={t('remote.messages.off')}>
          <Checkbox.Group
            // The platform's notices on a complaint are not the store's to switch off.
            options={MessageKindSchema.options
              .filter((k) => !PLATFORM_NOTICE_KINDS.includes(k))
              .map((k) => ({
                value: k,
                label: t(`remote.messages.kinds.${k}`),
              }))}
          />
        </Form.Item>
        <Form.Item name="winBackDays" label={t('remote.messages.winBackDays')}>
          <InputNumber min={7} max={365} />
        </Form.Item>
        <Form.Item name="winBackOffer" label={t('remote.messages.winBackOffer')}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="offlineAlertMinutes" label={t('remote.messages.offline')}>
          <InputNumber min={10} max={1440} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('remote.messages.save')}
        </Button>
      </Form>
      <RemoteMessageTemplates storeId={storeId} />
    </Card>
  );
}

export function RemoteChats({ storeId, storeName }: { storeId: string; storeName: string }) {
  const { t } = useTranslation('owner');
  const client = useQueryClient();
  const [picked, setPicked] = useState<string | null>(null);
  const [text, setText] = useState('');
  const list = useQuery({
    queryKey: ['remote', storeId, 'chats'],
    queryFn: () => remoteOwner.chats(storeId),
    refetchInterval: 5_000,
  });
  const chat = useQuery({
    queryKey: ['remote', storeId, 'chat', picked],
    queryFn: () => remoteOwner.chat(storeId, picked!),
    enabled: picked !== null,
    refetchInterval: 5_000,
  });
  const answer = useMutation({
    mutationFn: () => remoteOwner.answer(storeId, picked!, text.trim()),
    onSuccess: (after) => {
      client.setQueryData(['remote', storeId, 'chat', picked], after);
      setText('');
    },
  });
  return (
    <Card title={`${storeName} · ${t('remote.messages.chats')}`} className="gap">
      {list.isError && <p>{ownerRefusal(t, list.error)}</p>}
      {list.data && list.data.chats.length === 0 && (
        <Empty description={t('remote.messages.noChats')} />
      )}
      {!!list.data?.chats.length && (
        <List
          dataSource={list.data.chats}
          renderItem={(c) => (
            <List.Item onClick={() => setPicked(c.chatId)} style={{ cursor: 'pointer' }}>
              <List.Item.Meta
                title={
                  // Spaced wide enough that the unread count does not cover the tag.
                  <Space size="middle" wrap>
                    <Badge count={c.unread} size="small" offset={[10, 0]}>
                      {t('remote.messages.customer', { who: c.customer ?? '' })}
                    </Badge>
                    {c.bookingId && (
                      <Tag data-testid="chat-list-order">
                        {t('remote.messages.order', { number: chatOrder(c) })}
                      </Tag>
                    )}
                  </Space>
                }
                description={c.lastText}
              />
              <span className="muted">{stamp(c.lastAt)}</span>
            </List.Item>
          )}
        />
      )}
      {picked && chat.data && (
        <div className="gap">
          {chat.data.chat.bookingId && (
            <p data-testid="chat-order">
              {t('remote.messages.aboutOrder')} <strong>{chatOrder(chat.data.chat)}</strong>
            </p>
          )}
          <List
            size="small"
            dataSource={chat.data.lines}
            renderItem={(l) => (
              <List.Item>
                <strong>
                  {l.from === 'customer' ? t('remote.messages.customer', { who: '' }) : l.name}
                </strong>
                : {l.text} <span className="muted">{stamp(l.at)}</span>
              </List.Item>
            )}
          />
          <Space.Compact style={{ width: '100%' }}>
            <Input
              aria-label={t('remote.messages.answer')}
              placeholder={t('remote.messages.answer')}
              maxLength={500}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
            <Button
              type="primary"
              disabled={!text.trim()}
              loading={answer.isPending}
              onClick={() => answer.mutate()}
            >
              {t('remote.messages.send')}
            </Button>
          </Space.Compact>
          {answer.isError && <p>{ownerRefusal(t, answer.error)}</p>}
        </div>
      )}
    </Card>
  );
}
