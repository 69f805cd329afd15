// The hub's client of the cloud's customer-service chat (`/api/hub/chats`), signed in as the
// store's hub with the CouchDB user it already has: the store's conversations, one read (what the
// customer wrote is then read), and a staff member's answer, naming the staff member the hub
// proved. Conversations are the cloud's: a cloud that cannot be reached is thrown as unavailable.
import { DomainError, type ChatDetail, type ChatList } from '@roomhub/shared-types';
import { CloudCalls, type CloudCallOptions } from './cloud-calls';

const offline = () =>
  new DomainError(
    'unavailable',
    'cloud_unreachable',
    'conversations are kept in the cloud, which cannot be reached just now; try again when the store is online',
  );

export class CloudChats {
  private readonly wire: CloudCalls;

  constructor(o: CloudCallOptions) {
    this.wire = new CloudCalls({ timeoutMs: 8_000, ...o });
  }

  private async answer<T>(p: ReturnType<CloudCalls['call']>): Promise<T> {
    const a = await p;
    if (a?.ok) return a.json as T;
    if (a && !a.ok) throw a.refusal;
    throw offline();
  }

  list(): Promise<ChatList> {
    return this.answer(this.wire.call('GET', '/api/hub/chats'));
  }

  read(chatId: string): Promise<ChatDetail> {
    return this.answer(this.wire.call('GET', `/api/hub/chats/${encodeURIComponent(chatId)}`));
  }

  say(chatId: string, staff: { id: string; name: string }, text: string): Promise<ChatDetail> {
    return this.answer(
      this.wire.call(
        'POST',
        `/api/hub/chats/${encodeURIComponent(chatId)}/lines`,
        { text, staff },
        'text',
      ),
    );
  }
}
