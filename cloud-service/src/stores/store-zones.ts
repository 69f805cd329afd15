// The time zone each store's hub published, so every time the cloud answers a person with is in
// the store's zone (`2026-11-23T10:00:00+08:00`), as the hub's own answers are; instants the cloud
// keeps stay UTC. A cache of what the hubs published, never something another instance must know.
import {
  formatInstant,
  STORE_PROFILE_ID,
  StoreIdSchema,
  StoreProfileDocSchema,
  storeDbName,
  type Clock,
} from '@roomhub/shared-types';
import type { CouchClient } from '../couch';

/** The product's zone (ARCHITECTURE.md), for a store whose hub has not published its own yet. */
const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export interface StoreZonesDeps {
  couch: CouchClient;
  clock: Clock;
  /** How long a store's zone is kept before it is read again. */
  ttlMs?: number;
}

/** A time in the store's zone: an instant (ms or ISO) formatted as the hub formats its own. */
export type ZonedFormat = (at: number | string) => string;

export class StoreZones {
  private readonly known = new Map<string, { zone: string; until: number }>();
  private readonly ttlMs: number;

  constructor(private readonly d: StoreZonesDeps) {
    this.ttlMs = d.ttlMs ?? 10 * 60_000;
  }

  /** The store's zone; the product's default until its hub has published one. */
  async zoneOf(storeId: string): Promise<string> {
    const t = this.d.clock.now();
    const cached = this.known.get(storeId);
    if (cached && cached.until > t) return cached.zone;
    const profile = StoreIdSchema.safeParse(storeId).success
      ? StoreProfileDocSchema.safeParse(
          await this.d.couch.get(storeDbName(storeId), STORE_PROFILE_ID),
        )
      : undefined;
    const zone = profile?.success ? profile.data.timeZone : DEFAULT_TIME_ZONE;
    this.known.set(storeId, { zone, until: t + this.ttlMs });
    return zone;
  }

  /** Formats times for one store. */
  async formatFor(storeId: string): Promise<ZonedFormat> {
    return inZone(await this.zoneOf(storeId));
  }
}

/** Formats an instant (ms, or any ISO string) in `timeZone`. */
export function inZone(timeZone: string): ZonedFormat {
  return (at) => formatInstant(typeof at === 'number' ? at : Date.parse(at), timeZone);
}
