// The hub's client of the cloud's review states (`/api/hub/reviews`), signed in as the store's hub
// with the CouchDB user it already has: each of the store's rooms, deals and products waiting,
// approved or sent back with the platform reviewer's notes. The reviews are the platform's: a
// cloud that cannot be reached is thrown as unavailable.
import { DomainError, type StoreReviewStates } from '@roomhub/shared-types';
import { CloudCalls, type CloudCallOptions } from './cloud-calls';

export class CloudReviews {
  private readonly wire: CloudCalls;

  constructor(o: CloudCallOptions) {
    this.wire = new CloudCalls({ timeoutMs: 8_000, ...o });
  }

  async states(): Promise<StoreReviewStates> {
    const a = await this.wire.call('GET', '/api/hub/reviews');
    if (a?.ok) return a.json as StoreReviewStates;
    if (a && !a.ok) throw a.refusal;
    throw new DomainError(
      'unavailable',
      'cloud_unreachable',
      'the platform keeps its reviews in the cloud, which cannot be reached just now; try again when the store is online',
    );
  }
}
