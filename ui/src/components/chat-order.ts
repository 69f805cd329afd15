// How the store's side names the order a conversation or a notice is about: its number as the
// counter reads it out, where the store's hub added it; otherwise the start of its id (the cloud
// knows no number).
import type { ChatView } from '@roomhub/shared-types';

export function chatOrder(chat: Pick<ChatView, 'bookingId' | 'bookingNumber'>): string | undefined {
  return chat.bookingNumber ?? chat.bookingId?.slice(0, 8);
}
