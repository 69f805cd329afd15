// The owner's dashboard calls for the store's notices to the hub, which relays the store's inbox
// in the cloud: one inbox per store, so a notice marked read is read for the owner and every
// manager signed in here (never in the owner's own remote inbox).
import type { InboxView } from '@roomhub/shared-types';
import { call } from '../../api/counter-client';

/** The query every view of the store's inbox shares (the page and the menu's unread count). */
export const INBOX_KEY = ['store-inbox'] as const;

export const storeInbox = {
  list: () => call<InboxView>('GET', '/api/messages'),
  read: (id: string) =>
    call<{ unread: number }>('POST', `/api/messages/${encodeURIComponent(id)}/read`),
  readAll: () => call<{ unread: number }>('POST', '/api/messages/read'),
};
