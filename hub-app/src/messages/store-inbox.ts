// The store's inbox in the cloud as the hub reaches it (cloud-sync's `CloudStoreInbox`): the
// store's notices, one marked read or all of them, for the store.
import type { InboxView } from '@roomhub/shared-types';

export interface StoreInbox {
  list(): Promise<InboxView>;
  read(messageId: string): Promise<{ unread: number }>;
  readAll(): Promise<{ unread: number }>;
}
