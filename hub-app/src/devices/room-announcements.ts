// Announcements on the rooms' speakers (C7): the reminders before a session's end and the time-up
// when it runs over, as the stored clip the owner chose for each, louder by day than at night.
// Owns `speaker_settings`. It must never hold up a session: an announcement is played after the
// write that decided it, and a speaker that fails is a device fault (the bridge's health report,
// published like every device's), logged here and otherwise left to the owner.
import {
  announcementVolume,
  DEFAULT_SPEAKER_SETTINGS,
  SpeakerSettingsSchema,
  type AnnouncementKind,
  type Clock,
  type SpeakerSettings,
} from '@roomhub/shared-types';
import type { Devices } from '@roomhub/firmware-bridge';
import type { Db } from '../db/database';
import type { StoreService } from '../store/store.service';
import { logger } from '../log';

export interface Announcement {
  roomId: string;
  bookingId: string;
  kind: AnnouncementKind;
}

/** What became of one announcement: played on these speakers, or why not. */
export type AnnouncementOutcome =
  | { played: string[]; clip: number; volume: number }
  | { skipped: 'no_speaker' | 'no_clip' | 'no_devices' }
  | { failed: string };

export class RoomAnnouncements {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly d: {
      db: Db;
      clock: Clock;
      store: StoreService;
      devices: () => Devices | null;
    },
  ) {}

  settings(): SpeakerSettings {
    const row = this.d.db.prepare('SELECT settings FROM speaker_settings WHERE id = 1').get() as
      { settings: string } | undefined;
    if (!row) return DEFAULT_SPEAKER_SETTINGS;
    const parsed = SpeakerSettingsSchema.safeParse(JSON.parse(row.settings));
    return parsed.success ? parsed.data : DEFAULT_SPEAKER_SETTINGS;
  }

  /** Replaces the settings; call inside a write (the route's, which audits it). */
  setSettings(settings: SpeakerSettings): SpeakerSettings {
    this.d.db
      .prepare(
        `INSERT INTO speaker_settings (id, settings, updated_at) VALUES (1, ?, ?)
         ON CONFLICT(id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
      )
      .run(JSON.stringify(settings), this.d.clock.now());
    return settings;
  }

  /** Plays the announcement on the room's speakers, if it has any; never throws. */
  announce(a: Announcement): Promise<AnnouncementOutcome> {
    const p = this.play(a);
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }

  /** Resolves once every announcement asked for so far has been played or has failed. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async play(a: Announcement): Promise<AnnouncementOutcome> {
    const devices = this.d.devices();
    if (!devices?.announce) return { skipped: 'no_devices' };
    if (!(devices.roomsWithSpeaker?.() ?? []).includes(a.roomId)) return { skipped: 'no_speaker' };
    const settings = this.settings();
    const clip = settings.clips[a.kind];
    if (clip === null) return { skipped: 'no_clip' };
    const volume = announcementVolume(
      settings,
      this.d.clock.now(),
      this.d.store.getStore().timeZone,
    );
    try {
      const played = await devices.announce(a.roomId, clip, volume);
      return { played: played.map((p) => p.deviceId), clip, volume };
    } catch (e) {
      const failed = e instanceof Error ? e.message : String(e);
      logger().warn({ err: e, ...a, clip }, 'a room announcement was not played');
      return { failed };
    }
  }
}
