// The hub's client of the store's inbox in the cloud (`/api/hub/messages`), signed in as the
// store's hub with the CouchDB user it already has: the store's notices (new bookings and orders,
// refunds to review, vouchers redeemed, low stock, device faults, the store offline), one marked
// read or all of them, for the store. The notices are the cloud's: a cloud that cannot be reached
// is thrown as unavailable, and so is a cloud that does not take this hub's credential (the staff
// member's own sign-in at the hub is not what failed).
import { DomainError, type InboxView } from '@roomhub/shared-types';
import { CloudCalls, type CloudCallOptions } from './cloud-calls';

const offline = () =>
  new DomainError(
    'unavailable',
    'cloud_unreachable',
    "the store's messages are kept in the cloud, which cannot be reached just now; try again when the store is online",
  );

const notTaken = () =>
  new DomainError(
    'unavailable',
    'cloud_refused_hub',
    "the cloud did not accept this store's hub; ask the platform to check the store's cloud link",
  );

export class CloudStoreInbox {
  private readonly wire: CloudCalls;

  constructor(o: CloudCallOptions) {
    this.wire = new CloudCalls({ timeoutMs: 8_000, ...o });
  }

  private async answer<T>(p: ReturnType<CloudCalls['call']>): Promise<T> {
    const a = await p;
    if (a?.ok) return a.json as T;
    if (a && !a.ok) {
      if (a.refusal.kind === 'unauthenticated' || a.refusal.kind === 'forbidden') throw notTaken();
      throw a.refusal;
    }
    throw offline();
  }

  list(): Promise<InboxView> {
    return this.answer(this.wire.call('GET', '/api/hub/messages'));
  }

  /** One notice read for the store; the unread count after. */
  read(messageId: string): Promise<{ unread: number }> {
    return this.answer(
      this.wire.call(
        'POST',
        `/api/hub/messages/${encodeURIComponent(messageId)}/read`,
        undefined,
        'messageId',
      ),
    );
  }

  /** Every notice read for the store; the unread count after (none). */
  readAll(): Promise<{ unread: number }> {
    return this.answer(this.wire.call('POST', '/api/hub/messages/read'));
  }
}
