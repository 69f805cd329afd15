// A room's local day as people read it, from what its hub published: the taken stretches of the
// day's availability document with the free ones between them, over the whole day as the hub's
// own timeline shows it, and when the store last synced, so that "nothing taken" and "nothing
// known" read apart. Pure, but for `lastSync`, which reads the store's views.
import {
  formatInstant,
  instantAt,
  nextLocalDate,
  type AvailabilityDoc,
  type RoomDaySegment,
} from '@roomhub/shared-types';
import type { DesignDocs } from '../design-docs';

/**
 * The day `date` in `timeZone` as segments: the taken ones as published, free between and around
 * them. A store that never synced knows nothing of the day: [].
 */
export function daySegments(
  date: string,
  timeZone: string,
  taken: AvailabilityDoc['segments'] | undefined,
  synced: boolean,
): RoomDaySegment[] {
  if (!synced) return [];
  const dayStart = instantAt(date, 0, timeZone);
  const dayEnd = instantAt(nextLocalDate(date), 0, timeZone);
  const at = (ms: number) => formatInstant(ms, timeZone);
  const out: RoomDaySegment[] = [];
  let cursor = dayStart;
  const sorted = [...(taken ?? [])].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  for (const s of sorted) {
    const start = Math.max(Date.parse(s.start), dayStart);
    const end = Math.min(Date.parse(s.end), dayEnd);
    if (end <= start) continue;
    if (start > cursor) out.push({ start: at(cursor), end: at(start), state: 'free' });
    out.push({ start: at(start), end: at(end), state: s.state });
    cursor = Math.max(cursor, end);
  }
  if (cursor < dayEnd) out.push({ start: at(cursor), end: at(dayEnd), state: 'free' });
  return out;
}

/**
 * The newest document the store's hub published (ms), or null when it never synced: one row, the
 * last of the lookup view's `written` family, however much the store holds. Read from the index as
 * it stands (a burst being indexed is not waited for: "last synced" may then be a few seconds
 * old), and afresh only when that finds nothing, as for an index not built yet.
 */
export async function lastSync(views: DesignDocs, storeId: string): Promise<number | null> {
  return (await newestWritten(views, storeId, true)) ?? newestWritten(views, storeId, false);
}

async function newestWritten(
  views: DesignDocs,
  storeId: string,
  stale: boolean,
): Promise<number | null> {
  const [row] = await views.store(storeId, 'lookup', {
    startkey: ['written', {}],
    endkey: ['written'],
    descending: true,
    limit: 1,
    stale,
  });
  const at = Array.isArray(row?.key) ? row.key[1] : undefined;
  const ms = typeof at === 'string' ? Date.parse(at) : Number.NaN;
  return Number.isFinite(ms) ? ms : null;
}
