// A list read a page at a time, newest first: how many a page holds and where it resumes (the
// `next` of the page before, opaque to the caller). Pure: the schema only.
import { z } from 'zod';

/** `limit` (1 to `max`, the reader's own default when absent) and `before`. */
export function pageQuery(max: number) {
  return {
    limit: z.coerce
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(max, `must be at most ${max}`)
      .optional(),
    /** The `next` of the page before; opaque. */
    before: z.string().max(400).optional(),
  };
}
