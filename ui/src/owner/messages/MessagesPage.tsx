// The store's notices at the hub's dashboard (C13), for the owner and managers: new bookings and
// orders, refunds to review, vouchers redeemed, low stock, device faults, the store offline, each
// at its time in the store's zone. One inbox for the store: a notice read by one of them is read
// for all. A tap marks it read and opens the order it names at the counter's bookings screen (the
// same sign-in, in this tab). The notices are kept in the cloud: without it, one sentence says so.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { MessageView } from '@roomhub/shared-types';
import { HubRefusal } from '../../api/hub-client';
import { owner } from '../../api/owner-client';
import { clockTime, localDate } from '../../components/store-time';
import { ownerRefusal } from '../refusal-text';
import { Inbox } from './Inbox';
import { INBOX_KEY, storeInbox } from './inbox-client';

/** How often the inbox is asked again: the cloud's notices come with no event at the hub. */
const REFRESH_MS = 30_000;

/** Why the notices cannot be had from the cloud, in the inbox's own words; else as any refusal. */
const CLOUD_WORDS: Record<string, string> = {
  cloud_unreachable: 'inbox.offline',
  cloud_not_configured: 'inbox.notConnected',
  cloud_refused_hub: 'inbox.hubRefused',
};
const inboxRefusal = (t: TFunction, e: unknown) => {
  const key = e instanceof HubRefusal ? CLOUD_WORDS[e.code] : undefined;
  return key ? t(key) : ownerRefusal(t, e);
};

// Asked again on the interval, not retried at once; a store not connected to the cloud at all is
// not asked again until the page is opened anew.
const useStoreInbox = () =>
  useQuery({
    queryKey: INBOX_KEY,
    queryFn: storeInbox.list,
    refetchInterval: (q) => {
      const e = q.state.error;
      return e instanceof HubRefusal && e.code === 'cloud_not_configured' ? false : REFRESH_MS;
    },
    retry: false,
  });

export function MessagesPage() {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const store = useQuery({ queryKey: ['store'], queryFn: owner.store });
  const zone = store.data?.timeZone ?? 'Asia/Shanghai';
  const inbox = useStoreInbox();
  const done = () => void client.invalidateQueries({ queryKey: INBOX_KEY });
  const refused = (e: unknown) => void message.error(inboxRefusal(t, e));
  const readOne = useMutation({ mutationFn: storeInbox.read, onSuccess: done, onError: refused });
  const readAll = useMutation({
    mutationFn: storeInbox.readAll,
    onSuccess: done,
    onError: refused,
  });
  const open = async (m: MessageView) => {
    if (!m.read) {
      try {
        await readOne.mutateAsync(m.id);
      } catch {
        return; // said by the mutation
      }
    }
    if (m.bookingId) {
      window.location.assign(`/cashier/bookings?open=${encodeURIComponent(m.bookingId)}`);
    }
  };
  return (
    <Inbox
      data={inbox.data}
      refusal={inbox.isError ? inboxRefusal(t, inbox.error) : null}
      when={(at) => `${localDate(at, zone)} ${clockTime(at, zone)}`}
      onReadAll={() => readAll.mutate()}
      onOpen={(m) => void open(m)}
      hint={t('inbox.storeWide')}
    />
  );
}

/** 消息 in the side menu, with the store's unread count. */
export function MessagesMenuLabel() {
  const { t } = useTranslation('owner');
  const unread = useStoreInbox().data?.unread ?? 0;
  return (
    <Space>
      {t('app.menu.messages')}
      <Badge count={unread} size="small" data-testid="menu-unread" />
    </Space>
  );
}
