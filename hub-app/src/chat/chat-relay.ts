// The cloud's customer-service chat as the hub reaches it (cloud-sync's `CloudChats`): the store's
// conversations, one read, and a staff member's answer under their name.
import type { ChatDetail, ChatList } from '@roomhub/shared-types';

export interface ChatRelay {
  list(): Promise<ChatList>;
  read(chatId: string): Promise<ChatDetail>;
  say(chatId: string, staff: { id: string; name: string }, text: string): Promise<ChatDetail>;
}
