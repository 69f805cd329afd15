// What each of the change follower's lanes reads in a pass while every store's feed is followed
// live: the stores whose feed woke, every store once a walk is due, and a store given back.
import { describe, expect, it } from 'vitest';
import { Wakeups } from './follower-lanes';

describe("the follower's wake-ups", () => {
  const all = ['store-a', 'store-b', 'store-c'];
  let now = 0;
  const every = () => Promise.resolve(all);

  it('reads every store first and once a walk is due, else only those whose feed woke', async () => {
    now = 0;
    const wakeups = new Wakeups(60_000, () => now);
    expect(await wakeups.take('customers', every)).toEqual(all);
    expect(await wakeups.take('customers', every)).toEqual([]);
    wakeups.woke('store-b');
    now = 30_000;
    expect(await wakeups.take('customers', every)).toEqual(['store-b']);
    expect(await wakeups.take('customers', every)).toEqual([]);
    // Each lane takes its own: the platform's first pass is its walk, and it saw the wake-up.
    expect(await wakeups.take('platform', every)).toEqual(all);
    now = 60_000;
    expect(await wakeups.take('customers', every)).toEqual(all);
    expect(await wakeups.take('customers', every)).toEqual([]);
  });

  it('reads again a store a pass gave back, and keeps wake-ups when the list of stores fails', async () => {
    now = 0;
    const wakeups = new Wakeups(60_000, () => now);
    await wakeups.take('customers', every);
    wakeups.again('customers', 'store-c');
    expect(await wakeups.take('customers', every)).toEqual(['store-c']);

    // A walk whose list of stores could not be read: the wake-ups are the next pass's.
    now = 70_000;
    wakeups.woke('store-a');
    const broken = () => Promise.reject(new Error('CouchDB out of reach'));
    await expect(wakeups.take('customers', broken)).rejects.toThrow('out of reach');
    expect(await wakeups.take('customers', every)).toEqual(all);
    // A store that woke during a walk and is not in its list yet is read by the walk too.
    now = 140_000;
    wakeups.woke('store-new');
    expect(await wakeups.take('customers', every)).toEqual([...all, 'store-new']);
  });
});
