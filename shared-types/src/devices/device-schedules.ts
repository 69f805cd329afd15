// The owner's device schedules: a room's (or every room's) lights, sockets, fresh air or AC on
// or off by the store's local time on chosen weekdays, e.g. fresh air 10:00-10:20 daily or
// everything off 03:00-07:00, and if the owner says so only on the kinds of day the store's
// calendar names (工作日 with the make-up days, 周末, 节假日). The shapes and the pure windows; the hub stores them and decides
// with them (hub-app/src/devices/room-needs.ts). An "off" schedule never cuts a session in use.
import { z } from 'zod';
import { AcFanSchema, AcModeSchema } from '../booking/booking-rules';
import { DayTypeSchema, officialDayType, type DayType } from '../calendar/day-type';
import {
  instantAt,
  localDateOf,
  MINUTE,
  minutesOfTimeOfDay,
  nextLocalDate,
  type LocalDate,
} from '../time/instant';

/** What a schedule may switch: the devices that follow a room's needs. */
export const ScheduledDeviceSchema = z.enum(['lights', 'sockets', 'freshAir', 'ac']);
export type ScheduledDevice = z.infer<typeof ScheduledDeviceSchema>;

/** ISO weekdays: 1 is Monday, 7 is Sunday. */
export const WeekdaySchema = z
  .number()
  .int('must be a weekday from 1 (Monday) to 7 (Sunday)')
  .min(1, 'must be a weekday from 1 (Monday) to 7 (Sunday)')
  .max(7, 'must be a weekday from 1 (Monday) to 7 (Sunday)');

const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM, e.g. 22:00');

const distinct = (xs: readonly unknown[]) => new Set(xs).size === xs.length;

export const DeviceScheduleInputSchema = z
  .strictObject({
    /** One room, or null for every room of the store. */
    roomId: z.string().min(1).max(64).nullable(),
    devices: z
      .array(ScheduledDeviceSchema)
      .min(1, 'must name at least one device')
      .refine(distinct, 'must not name a device twice'),
    weekdays: z
      .array(WeekdaySchema)
      .min(1, 'must name at least one weekday')
      .refine(distinct, 'must not name a weekday twice'),
    /**
     * The kinds of day it runs on, by the store's calendar (the official one and the owner's
     * overrides): a make-up Saturday is a workday, a holiday on a Monday is not. Empty or left
     * out: every one of its weekdays, whatever the calendar says. Left out rather than empty in
     * what the cloud sends, so a hub from before day types still takes such a schedule.
     */
    dayTypes: z
      .array(DayTypeSchema)
      .refine(distinct, 'must not name a kind of day twice')
      .optional(),
    /** Store local time; `end` before `start` runs over midnight into the next day. */
    start: clockTime,
    end: clockTime,
    on: z.boolean(),
    /** The AC's setting while an "on" schedule runs it; null: the room's own session setting. */
    ac: z
      .strictObject({
        mode: AcModeSchema,
        setpoint: z.number().min(16, 'must be 16 to 30 °C').max(30, 'must be 16 to 30 °C'),
        fan: AcFanSchema,
      })
      .nullable()
      .default(null),
    note: z.string().trim().max(100).default(''),
  })
  .refine((s) => s.start !== s.end, {
    message: 'must differ from the start time',
    path: ['end'],
  });
export type DeviceScheduleInput = z.input<typeof DeviceScheduleInputSchema>;
export type DeviceScheduleFields = z.output<typeof DeviceScheduleInputSchema>;

export interface DeviceSchedule extends DeviceScheduleFields {
  id: string;
  updatedAt: number;
}

/** One run of a schedule: [start, end) in epoch ms. */
export interface ScheduleWindow {
  start: number;
  end: number;
}

/** The ISO weekday (1 Monday .. 7 Sunday) of a local date. */
export function weekdayOf(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const w = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return w === 0 ? 7 : w;
}

/**
 * The runs of a schedule that touch [from, to): each starts on one of its weekdays at `start`
 * and ends at `end` that day, or the next day when it runs over midnight; a schedule that
 * names kinds of day runs only on a date of one of them.
 */
export function scheduleWindows(
  s: Pick<DeviceScheduleFields, 'weekdays' | 'start' | 'end'> & { dayTypes?: readonly DayType[] },
  from: number,
  to: number,
  timeZone: string,
  /** The kind of a local date by the store's calendar (its overrides); the official one if not given. */
  dayType: (date: LocalDate) => DayType = officialDayType,
): ScheduleWindow[] {
  const kinds = s.dayTypes ?? [];
  const start = minutesOfTimeOfDay(s.start);
  const end = minutesOfTimeOfDay(s.end);
  const out: ScheduleWindow[] = [];
  // A run that started the day before `from` may still be going.
  let date = localDateOf(from - 24 * 60 * MINUTE, timeZone);
  const last = localDateOf(to, timeZone);
  for (;;) {
    // A run belongs to the day it starts on: a holiday's eve that runs past midnight is the eve's.
    if (
      s.weekdays.includes(weekdayOf(date)) &&
      (kinds.length === 0 || kinds.includes(dayType(date)))
    ) {
      const w = {
        start: instantAt(date, start, timeZone),
        end:
          end > start
            ? instantAt(date, end, timeZone)
            : instantAt(nextLocalDate(date), end, timeZone),
      };
      if (w.end > from && w.start < to) out.push(w);
    }
    if (date === last) break;
    date = nextLocalDate(date);
  }
  return out;
}
