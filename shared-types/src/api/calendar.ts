// The calendar API: day types for pricing, the official calendar overridden by the owner.
import { z } from 'zod';
import { DayTypeSchema, type DayType } from '../calendar/day-type';
import { LocalDateSchema, type LocalDate } from '../time/instant';

export const CalendarRangeQuerySchema = z
  .object({ from: LocalDateSchema, to: LocalDateSchema })
  .refine((q) => q.from <= q.to, { message: 'to must not be before from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 400 * 86_400_000, {
    message: 'ask for at most 400 days at once',
    path: ['to'],
  });

export const CalendarPutSchema = z.object({
  type: DayTypeSchema,
  note: z.string().trim().max(100).optional(),
});

export interface CalendarDay {
  date: LocalDate;
  type: DayType;
  source: 'official' | 'override';
  note: string | null;
}
