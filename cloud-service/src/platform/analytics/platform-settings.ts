// The system settings the platform owner edits (P5): payment, SMS, upload limits and the anomaly
// rules' thresholds. Kept in the registry (`platform:settings`), which every cloud instance reads
// and only the platform's credential writes; each change is audited with its reason and what it
// changed. Until the first change the defaults hold. Owns that document only.
import {
  DEFAULT_PLATFORM_SETTINGS,
  DomainError,
  PlatformSettingsSchema,
  REGISTRY_DB,
  type Clock,
  type PlatformSettings,
  type PlatformSettingsView,
} from '@roomhub/shared-types';
import { isConflict, type CouchDoc } from '../../couch';
import type { PlatformAudit } from '../platform-audit';
import { platformWriter, type PlatformStore } from '../platform-store';

export const SETTINGS_ID = 'platform:settings';
/** How long an instance trusts what it read; a change reaches every instance within this. */
const CACHE_MS = 30_000;

interface SettingsDoc extends CouchDoc {
  type: 'platform_settings';
  settings: PlatformSettings;
  updatedAt: string;
  updatedBy: string;
}

export class PlatformSettingsStore {
  private cached: { view: PlatformSettingsView; readAt: number } | undefined;

  constructor(private readonly d: { store: PlatformStore; audit: PlatformAudit; clock: Clock }) {}

  async view(): Promise<PlatformSettingsView> {
    const doc = await this.d.store.read.get<SettingsDoc>(REGISTRY_DB, SETTINGS_ID);
    const parsed = doc ? PlatformSettingsSchema.safeParse(doc.settings) : undefined;
    const view: PlatformSettingsView = parsed?.success
      ? { settings: parsed.data, updatedAt: doc!.updatedAt, updatedBy: doc!.updatedBy }
      : { settings: DEFAULT_PLATFORM_SETTINGS, updatedAt: null, updatedBy: null };
    this.cached = { view, readAt: this.d.clock.now() };
    return view;
  }

  /** The settings in force, read again at most every half minute. */
  async current(): Promise<PlatformSettings> {
    const c = this.cached;
    if (c && this.d.clock.now() - c.readAt < CACHE_MS) return c.view.settings;
    return (await this.view()).settings;
  }

  /** Replaces the settings, audited with the reason and the sections that changed. */
  async change(
    settings: PlatformSettings,
    reason: string,
    by: string,
  ): Promise<PlatformSettingsView> {
    const writer = platformWriter(this.d.store);
    const before = await writer.get<SettingsDoc>(REGISTRY_DB, SETTINGS_ID);
    const old = before?.settings ?? DEFAULT_PLATFORM_SETTINGS;
    const changed = (Object.keys(settings) as (keyof PlatformSettings)[]).filter(
      (k) => JSON.stringify(settings[k]) !== JSON.stringify(old[k]),
    );
    const updatedAt = new Date(this.d.clock.now()).toISOString();
    const doc: SettingsDoc = {
      _id: SETTINGS_ID,
      ...(before?._rev ? { _rev: before._rev } : {}),
      type: 'platform_settings',
      settings,
      updatedAt,
      updatedBy: by,
    };
    try {
      await writer.put(REGISTRY_DB, doc);
    } catch (error) {
      // A change made at the same moment by another owner is refused rather than lost.
      if (!isConflict(error)) throw error;
      throw new DomainError(
        'conflict',
        'settings_changed',
        'the settings were changed by someone else just now: load them again and repeat your change',
      );
    }
    await this.d.audit.record(writer, {
      actor: by,
      action: 'settings.change',
      target: SETTINGS_ID,
      reason,
      detail: Object.fromEntries(changed.map((k) => [k, settings[k]])),
    });
    const view = { settings, updatedAt, updatedBy: by };
    this.cached = { view, readAt: this.d.clock.now() };
    return view;
  }
}
