// The platform's anomalies database: how an anomaly is stored (put-if-absent under an id made of
// its time, kind and cause, so the same cause is the same anomaly) and how the watch's working
// documents (a customer's recent bookings, a store's redemptions...) are read, changed and written
// again when another writer came first. Decides nothing about what is an anomaly.
import { CLOUD_DBS, type AnomalyFacts, type AnomalyKind } from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../../couch';

export const ANOMALIES_DB = CLOUD_DBS.anomalies;
export const DAY = 24 * 3_600_000;
export const HOUR = 3_600_000;

/** What an anomaly says, before it is stored. */
export interface AnomalyFields {
  _id: string;
  kind: AnomalyKind;
  raisedBy: 'store' | 'platform';
  storeId: string | null;
  at: string;
  roomId: string | null;
  bookingId: string | null;
  customerId: string | null;
  facts: AnomalyFacts;
}
export interface AnomalyDocument extends CouchDoc, AnomalyFields {
  type: 'anomaly';
  handled: { at: string; by: string; reason: string } | null;
}

export const iso = (ms: number) => new Date(ms).toISOString();
/** Ids sort by time: `anomaly:<UTC instant>:<kind>:<cause>`. */
export const anomalyId = (atMs: number, kind: AnomalyKind, cause: string) =>
  `anomaly:${iso(atMs)}:${kind}:${cause}`;

/** Put-if-absent: the same cause is the same anomaly. True when it is new. */
export async function raiseAnomaly(couch: CouchClient, a: AnomalyFields): Promise<boolean> {
  try {
    await couch.put(ANOMALIES_DB, { ...a, type: 'anomaly', handled: null });
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}

/** Reads, changes and writes one working document, again if another writer came first. */
export async function updateWorking<T extends CouchDoc>(
  couch: CouchClient,
  id: string,
  empty: () => T,
  change: (doc: T) => boolean,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const doc = (await couch.get<T>(ANOMALIES_DB, id)) ?? empty();
    if (!change(doc)) return doc;
    try {
      doc._rev = await couch.put(ANOMALIES_DB, doc);
      return doc;
    } catch (error) {
      if (!isConflict(error) || attempt >= 8) throw error;
    }
  }
}
