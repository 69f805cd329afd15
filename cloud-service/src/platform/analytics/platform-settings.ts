// The system settings the platform owner edits (P5): payment, SMS, upload limits and the anomaly
// rules' thresholds. Kept in the registry (`platform:settings`), which every cloud instance reads
// and only the platform's credential writes; each change is audited with its reason and what it
// changed, and the history of changes is read back from that audit trail. Until the first change
// the defaults hold. The same document holds the review-before-showing switch (review-gate.ts),
// which a change of the settings keeps as it was. Owns the settings in that document only.
import {
  DEFAULT_PLATFORM_SETTINGS,
  DomainError,
  MERCHANT_DOCUMENT_CAP_MB,
  PlatformSettingsSchema,
  REGISTRY_DB,
  type Clock,
  type PlatformSettings,
  type PlatformSettingsView,
  type SettingsChangeLine,
  type SettingsHistoryEntry,
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
    const parsed = doc ? PlatformSettingsSchema.safeParse(asNow(doc.settings)) : undefined;
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
      // What else the document holds (the review gate's switch) stays as it was.
      ...(before ?? {}),
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

  /**
   * The changes newest first, each value it moved with its before and after, replayed from the
   * audit trail from the defaults on; the review gate's switches among them.
   */
  async history(limit: number): Promise<SettingsHistoryEntry[]> {
    // The audit trail is the platform's own database, read with its credential.
    const reader = platformWriter(this.d.store);
    const [settings, gate] = await Promise.all([
      this.d.audit.list(reader, { target: SETTINGS_ID, limit: 10_000 }),
      this.d.audit.list(reader, { target: 'settings', limit: 10_000 }),
    ]);
    // Each list comes newest first; oldest first, the replay sees every change in its order.
    const entries = [...settings.reverse(), ...gate.reverse()]
      .filter((e) => ['settings.change', 'review_gate.on', 'review_gate.off'].includes(e.action))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    let state: PlatformSettings = DEFAULT_PLATFORM_SETTINGS;
    const out: SettingsHistoryEntry[] = [];
    for (const e of entries) {
      const lines: SettingsChangeLine[] = [];
      if (e.action === 'settings.change') {
        const next = { ...state } as Record<string, unknown>;
        for (const [section, value] of Object.entries(e.detail ?? {})) {
          if (!(section in state)) continue;
          const key = section as keyof PlatformSettings;
          lines.push(...fieldChanges(key, state[key], value));
          next[section] = value;
        }
        state = next as PlatformSettings;
      }
      out.push({
        at: e.at,
        by: e.actor,
        action: e.action as SettingsHistoryEntry['action'],
        reason: e.reason,
        lines,
      });
    }
    return out.reverse().slice(0, limit);
  }
}

/**
 * Settings kept by an earlier version, read as this one takes them: upload limits above what a
 * document can hold (once up to 50 MB) are that most, and the SMS signature, now the SMS
 * provider's, is dropped (by the schema), so the rest of what the owner set still holds.
 */
function asNow(settings: unknown): unknown {
  const s = settings as { uploads?: Record<string, unknown> } | undefined;
  if (!s?.uploads) return settings;
  const cap = (v: unknown) =>
    typeof v === 'number' && v > MERCHANT_DOCUMENT_CAP_MB ? MERCHANT_DOCUMENT_CAP_MB : v;
  return {
    ...s,
    uploads: {
      ...s.uploads,
      maxImageMb: cap(s.uploads.maxImageMb),
      maxDocumentMb: cap(s.uploads.maxDocumentMb),
    },
  };
}

/** Each field of a section whose value moved. */
function fieldChanges(
  section: keyof PlatformSettings,
  before: unknown,
  after: unknown,
): SettingsChangeLine[] {
  const was = (before ?? {}) as Record<string, unknown>;
  const now = (after ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(was), ...Object.keys(now)])]
    .filter((field) => JSON.stringify(was[field]) !== JSON.stringify(now[field]))
    .map((field) => ({ section, field, before: was[field] ?? null, after: now[field] ?? null }));
}
