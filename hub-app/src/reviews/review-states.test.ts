// The review states the hub relays: read from the cloud each time; with the cloud out of reach, the
// last answer marked as of when it was read; never read and out of reach, or not linked, refused
// in words.
import { describe, expect, it } from 'vitest';
import { DomainError, type StoreReviewStates } from '@roomhub/shared-types';
import { ReviewStates, type ReviewStatesClient } from './review-states';

const T0 = Date.parse('2026-12-03T02:00:00Z');
const STATES: StoreReviewStates = {
  storeId: 's1',
  gateOn: true,
  items: [
    {
      kind: 'product',
      itemId: 'p1',
      name: '瓜子',
      state: 'sent_back',
      notes: '请上传实物照片',
      decidedAt: '2026-12-03T01:00:00.000Z',
      earlierNotes: null,
      shown: 'none',
    },
  ],
};
const offline = () => new DomainError('unavailable', 'cloud_unreachable', 'no cloud');

describe('the review states the hub relays', () => {
  it('keeps the last answer for when the cloud is out of reach, saying when it was read', async () => {
    let now = T0;
    let reachable = true;
    const client: ReviewStatesClient = {
      states: () => (reachable ? Promise.resolve(STATES) : Promise.reject(offline())),
    };
    const states = new ReviewStates({ now: () => now }, () => client);
    reachable = false;
    await expect(states.read()).rejects.toMatchObject({ code: 'cloud_unreachable' });
    reachable = true;
    expect(await states.read()).toEqual({
      ...STATES,
      readAt: new Date(T0).toISOString(),
      fresh: true,
    });
    reachable = false;
    now = T0 + 60_000;
    expect(await states.read()).toEqual({
      ...STATES,
      readAt: new Date(T0).toISOString(),
      fresh: false,
    });
  });

  it('passes on a refusal that is not about reaching the cloud, and says when not linked', async () => {
    const refused = new DomainError('forbidden', 'not_your_store', 'no');
    const client: ReviewStatesClient = { states: () => Promise.reject(refused) };
    await expect(new ReviewStates({ now: () => T0 }, () => client).read()).rejects.toBe(refused);
    await expect(new ReviewStates({ now: () => T0 }, () => undefined).read()).rejects.toMatchObject(
      {
        code: 'cloud_not_configured',
      },
    );
  });
});
