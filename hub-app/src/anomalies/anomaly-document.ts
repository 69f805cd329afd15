// An anomaly the store raised, as its hub publishes it for the platform (B8).
import { AnomalyDocSchema, anomalyDocId, type AnomalyDoc } from '@roomhub/shared-types';
import type { AnomalyRecords } from './anomaly-records';

export function anomalyDocument(
  anomalies: AnomalyRecords,
  storeId: string,
  anomalyId: string,
  at: (ms: number) => string,
  updatedAt: string,
): AnomalyDoc | null {
  const row = anomalies.find(anomalyId);
  if (!row) return null;
  return AnomalyDocSchema.parse({
    _id: anomalyDocId(row.id),
    type: 'anomaly',
    storeId,
    anomalyId: row.id,
    kind: row.kind,
    at: at(row.at),
    roomId: row.room_id,
    bookingId: row.booking_id,
    facts: JSON.parse(row.facts) as unknown,
    updatedAt,
  });
}
