// The owner's remote client meeting a failing cloud: a change is sent once more with the same
// Idempotency-Key (the cloud then finishes the same change, never makes a second), a read is not
// repeated, and a refusal is not retried.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HubRefusal } from './hub-client';
import { remoteOwner } from './owner-remote-client';

const answer = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function cloudAnswering(...answers: (Response | Error)[]) {
  const calls: { url: string; key: string | undefined }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init: { headers: Record<string, string> }) => {
      calls.push({ url, key: init.headers['idempotency-key'] });
      const next = answers.shift();
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    }),
  );
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('the remote client and a failing cloud', () => {
  it('sends a change again with the same key after a 503, and after no answer at all', async () => {
    vi.useFakeTimers();
    const waiting = { intentId: 'i1', state: 'waiting' };
    const calls = cloudAnswering(
      answer(503, { error: { code: 'unavailable', message: 'restarting' } }),
      answer(202, waiting),
    );
    const sent = remoteOwner.setCampaignStatus('s1', 'c1', 'paused');
    await vi.runAllTimersAsync();
    expect(await sent).toEqual(waiting);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.key).toMatch(/.{8,}/);
    expect(calls[1]!.key).toBe(calls[0]!.key);

    const lost = cloudAnswering(new TypeError('network'), answer(202, waiting));
    const again = remoteOwner.setCampaignStatus('s1', 'c1', 'paused');
    await vi.runAllTimersAsync();
    expect(await again).toEqual(waiting);
    expect(lost[1]!.key).toBe(lost[0]!.key);
    // A new change is a new key.
    expect(lost[0]!.key).not.toBe(calls[0]!.key);
  });

  it('does not repeat a read or a refusal', async () => {
    const reads = cloudAnswering(answer(503, { error: { code: 'unavailable', message: 'x' } }));
    await expect(remoteOwner.devices('s1')).rejects.toBeInstanceOf(HubRefusal);
    expect(reads).toHaveLength(1);
    const refused = cloudAnswering(
      answer(409, { error: { code: 'change_under_way', message: 'an earlier change' } }),
    );
    await expect(remoteOwner.setCampaignStatus('s1', 'c1', 'ended')).rejects.toMatchObject({
      status: 409,
      code: 'change_under_way',
    });
    expect(refused).toHaveLength(1);
  });
});
