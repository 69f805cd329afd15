// The Idempotency-Key of a form's submission, so a deposit write clicked twice or sent again after
// a timeout is one entry in the ledger: the same values sent again, before one went through, carry
// the key they were first sent with; once it went through, or the values changed, the next
// submission takes a fresh one. Pure but for the random key.

export interface Submission {
  key: string;
  /** The values it was sent with, as JSON. */
  values: string;
}

/** A key the cloud takes (8 to 128 letters, digits and - . _ :), random enough never to repeat. */
export const newSubmissionKey = (): string =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/** The submission of `values`: the last one's key when it did not go through with the same values. */
export function submissionOf(
  last: Submission | undefined,
  values: unknown,
  newKey: () => string = newSubmissionKey,
): Submission {
  const json = JSON.stringify(values);
  return last && last.values === json ? last : { key: newKey(), values: json };
}

/**
 * Sends each form's submissions with their key: `send('fine', body, (key) => ...)`. A form's
 * pending submission is forgotten once it went through, and kept while it fails.
 */
export function submissions(newKey: () => string = newSubmissionKey) {
  const pending = new Map<string, Submission>();
  return async <T>(form: string, values: unknown, write: (key: string) => Promise<T>) => {
    const s = submissionOf(pending.get(form), values, newKey);
    pending.set(form, s);
    const answer = await write(s.key);
    if (pending.get(form) === s) pending.delete(form);
    return answer;
  };
}
