// The platform's review states of this store's rooms, deals and products (P2), for the owner's
// dashboard in the store: read from the cloud through its link (cloud-sync's `CloudReviews`), the
// last answer kept so that with the cloud out of reach the owner still sees them, marked as of
// when they were read. Owns that copy only; the reviews are the platform's, never decided here.
import {
  DomainError,
  type Clock,
  type HubReviewStates,
  type StoreReviewStates,
} from '@roomhub/shared-types';

/** The cloud's review states as the hub reaches them. */
export interface ReviewStatesClient {
  states(): Promise<StoreReviewStates>;
}

export class ReviewStates {
  private last: { states: StoreReviewStates; readAt: number } | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly client: () => ReviewStatesClient | undefined,
  ) {}

  async read(): Promise<HubReviewStates> {
    const client = this.client();
    if (!client) {
      throw new DomainError(
        'unavailable',
        'cloud_not_configured',
        'this store is not connected to the cloud, where the platform reviews its rooms, deals and products',
      );
    }
    try {
      const states = await client.states();
      this.last = { states, readAt: this.clock.now() };
      return { ...states, readAt: new Date(this.last.readAt).toISOString(), fresh: true };
    } catch (e) {
      // Out of reach: the last answer, said to be as of when it was read.
      if (!this.last || !(e instanceof DomainError) || e.kind !== 'unavailable') throw e;
      return {
        ...this.last.states,
        readAt: new Date(this.last.readAt).toISOString(),
        fresh: false,
      };
    }
  }
}
