// What each of the change follower's lanes reads in a pass while every store's feed is followed
// live: the stores whose feed woke, every store once a walk is due (and counted only once its
// pass is through), and the stores a pass gives back.
import { describe, expect, it } from 'vitest';
import { Wakeups } from './follower-lanes';

describe("the follower's wake-ups", () => {
  const all = ['store-a', 'store-b', 'store-c'];
  let now = 0;
  const every = () => Promise.resolve(all);
  /** A pass that reads its list through. */
  const pass = async (wakeups: Wakeups, lane: 'customers' | 'platform') => {
    const { dbs, walkAt } = await wakeups.take(lane, every);
    if (walkAt !== undefined) wakeups.walked(lane, walkAt);
    return dbs;
  };

  it('reads every store first and once a walk is due, else only those whose feed woke', async () => {
    now = 0;
    const wakeups = new Wakeups(60_000, () => now);
    expect(await pass(wakeups, 'customers')).toEqual(all);
    expect(await pass(wakeups, 'customers')).toEqual([]);
    wakeups.woke('store-b');
    now = 30_000;
    expect(await pass(wakeups, 'customers')).toEqual(['store-b']);
    expect(await pass(wakeups, 'customers')).toEqual([]);
    // Each lane takes its own: the platform's first pass is its walk, and it saw the wake-up.
    expect(await pass(wakeups, 'platform')).toEqual(all);
    now = 60_000;
    expect(await pass(wakeups, 'customers')).toEqual(all);
    expect(await pass(wakeups, 'customers')).toEqual([]);
  });

  it('reads again what a pass gave back, and walks again after a walk that was not read through', async () => {
    now = 0;
    const wakeups = new Wakeups(60_000, () => now);
    await pass(wakeups, 'customers');
    wakeups.giveBack('customers', ['store-c']);
    expect(await pass(wakeups, 'customers')).toEqual(['store-c']);

    // A walk whose list of stores could not be read: the wake-ups are the next pass's.
    now = 70_000;
    wakeups.woke('store-a');
    const broken = () => Promise.reject(new Error('CouchDB out of reach'));
    await expect(wakeups.take('customers', broken)).rejects.toThrow('out of reach');
    // A walk taken but not read through (its pass did not finish): the next pass walks again.
    expect((await wakeups.take('customers', every)).dbs).toEqual(all);
    expect(await pass(wakeups, 'customers')).toEqual(all);
    expect(await pass(wakeups, 'customers')).toEqual([]);
    // A store that woke during a walk and is not in its list yet is read by the walk too.
    now = 140_000;
    wakeups.woke('store-new');
    expect(await pass(wakeups, 'customers')).toEqual([...all, 'store-new']);
  });
});
