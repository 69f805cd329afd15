// One segment of a sync document id, shared by the store's facts and the cloud's intents. No I/O.
import { z } from 'zod';

/** One id segment: no ':' (the separator) and never starting with '_' (CouchDB reserves it). */
export const IdPartSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be letters, digits, ".", "_" or "-"');

export function part(value: string): string {
  return IdPartSchema.parse(value);
}

/** Every intent's id starts so: `intent:<intentId>`. */
export const INTENT_PREFIX = 'intent:';
export const intentDocId = (intentId: string) => `${INTENT_PREFIX}${part(intentId)}`;
