// What a room's speaker announces and how loud: the owner's clip numbers for each announcement
// (the clips are stored on the voice module, 0001.mp3 and so on) and the volume by day and at
// night. Pure: the hub decides when, the bridge plays.
import { z } from 'zod';
import { localMinuteOfDay } from '../time/instant';

/** The announcements a room's speaker makes: the two reminders before the end, and overtime. */
export const AnnouncementKindSchema = z.enum(['reminder_15', 'reminder_5', 'overtime']);
export type AnnouncementKind = z.infer<typeof AnnouncementKindSchema>;

const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM, e.g. 22:00');
/** A voice module plays clips 1 to 255 (the files stored on it); null: that announcement is not made. */
const clip = z
  .number()
  .int('must be a whole clip number')
  .min(1, 'must be a clip number from 1 to 255')
  .max(255, 'must be a clip number from 1 to 255')
  .nullable();
const percent = z
  .number()
  .int('must be a whole percentage')
  .min(0, 'must be 0 to 100')
  .max(100, 'must be 0 to 100');

export const SpeakerSettingsSchema = z
  .strictObject({
    clips: z.strictObject({ reminder_15: clip, reminder_5: clip, overtime: clip }),
    /** Percent of the module's loudest, by day. */
    volume: percent,
    /** Percent at night: rooms are let at night and the neighbours sleep. */
    nightVolume: percent,
    night: z.strictObject({ from: hhmm, to: hhmm }),
  })
  .refine((s) => s.nightVolume <= s.volume, {
    message: 'must not be louder than the day volume',
    path: ['nightVolume'],
  });
export type SpeakerSettings = z.infer<typeof SpeakerSettingsSchema>;

/** Clip 1, 2 and 3 as a module's stored files are usually numbered; night from 22:00 to 08:00. */
export const DEFAULT_SPEAKER_SETTINGS: SpeakerSettings = {
  clips: { reminder_15: 1, reminder_5: 2, overtime: 3 },
  volume: 70,
  nightVolume: 30,
  night: { from: '22:00', to: '08:00' },
};

const minutesOf = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** Whether an instant falls in the night window, in the store's time zone (it may wrap midnight). */
export function isNight(settings: SpeakerSettings, at: number, timeZone: string): boolean {
  const m = localMinuteOfDay(at, timeZone);
  const from = minutesOf(settings.night.from);
  const to = minutesOf(settings.night.to);
  if (from === to) return false;
  return from < to ? m >= from && m < to : m >= from || m < to;
}

/** The volume, percent, of an announcement made at this instant. */
export function announcementVolume(
  settings: SpeakerSettings,
  at: number,
  timeZone: string,
): number {
  return isNight(settings, at, timeZone) ? settings.nightVolume : settings.volume;
}

/** Which announcement a reminder this many minutes before the end makes: 5 or fewer is the last. */
export function reminderAnnouncement(minutesBefore: number): AnnouncementKind {
  return minutesBefore <= 5 ? 'reminder_5' : 'reminder_15';
}
