// What every intent document carries (the cloud writes them into a store's inbox, the hub answers
// each once), and what an owner's carries besides: shared by the customers', the owners' and the
// stores' intents (intent-documents.ts, owner-intent-documents.ts). No I/O.
import { z } from 'zod';
import { StoreIdSchema } from './databases';
import { IdPartSchema, INTENT_PREFIX } from './id-part';
import { IntentSignatureSchema } from './intent-signature';
import { IsoInstantSchema } from '../time/instant';

export const intentBase = {
  _id: z.string().startsWith(INTENT_PREFIX),
  type: z.literal('intent'),
  intentId: IdPartSchema,
  storeId: StoreIdSchema,
  createdAt: IsoInstantSchema,
  /** After this the cloud stops waiting and releases any payment; the hub must not act on it. */
  expiresAt: IsoInstantSchema.optional(),
  /**
   * The cloud's signature over the document (intent-signature.ts). Optional here so that an
   * unsigned intent still parses and is answered `rejected` by the hub's check, not dropped.
   */
  signature: IntentSignatureSchema.optional(),
};

export const ownerIntentBase = {
  ...intentBase,
  /** The signed-in owner of the store the cloud acted for: their username. */
  ownerId: IdPartSchema,
};
