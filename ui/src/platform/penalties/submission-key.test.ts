// A deposit form sent again with the same values before it went through carries its first key (one
// entry in the ledger); sent again after, or with other values, it takes a fresh key.
import { describe, expect, it } from 'vitest';
import { IdempotencyKeySchema } from '@roomhub/shared-types';
import { newSubmissionKey, submissionOf, submissions } from './submission-key';

const counter = () => {
  let n = 0;
  return () => `key-000${++n}`;
};

describe('a form submission’s key', () => {
  it('keeps the key for the same values and takes a fresh one for others', () => {
    const next = counter();
    const first = submissionOf(undefined, { amount: 300000, reference: 'BANK-1' }, next);
    expect(submissionOf(first, { amount: 300000, reference: 'BANK-1' }, next).key).toBe('key-0001');
    expect(submissionOf(first, { amount: 300001, reference: 'BANK-1' }, next).key).toBe('key-0002');
  });

  it('retries a failed write with its key, and sends the next write with a fresh one', async () => {
    const send = submissions(counter());
    const keys: string[] = [];
    const timeout = (key: string) => {
      keys.push(key);
      return Promise.reject(new Error('timeout'));
    };
    const ok = (key: string) => {
      keys.push(key);
      return Promise.resolve(key);
    };
    const fine = { amount: 50000, reason: '卫生不合格' };
    await expect(send('fine', fine, timeout)).rejects.toThrow('timeout');
    await send('fine', fine, ok);
    await send('fine', fine, ok);
    // Another form's submission is its own.
    await send('pay-in', fine, ok);
    expect(keys).toEqual(['key-0001', 'key-0001', 'key-0002', 'key-0003']);
  });

  it('makes keys the cloud takes', () => {
    const a = newSubmissionKey();
    expect(IdempotencyKeySchema.safeParse(a).success).toBe(true);
    expect(newSubmissionKey()).not.toBe(a);
  });
});
