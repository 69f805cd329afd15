// The cleaning API (O9, the cleaner): the tasks that appear when a session ends, taken, given
// back, done (with a photo if the cleaner takes one), handed over or called off by a manager; the
// rooms that skip cleaning; what each cleaner did over a date range. The cleaner's page and the
// cashier's screen read these shapes; every rule is worded for the person holding the phone.
import { z } from 'zod';
import type { StaffRole } from '../staff/roles';
import { LocalDateSchema } from '../time/instant';
import {
  CleaningTaskStatusSchema,
  type CleaningAction,
  type CleaningTaskStatus,
} from '../cleaning/cleaning-status';

const reason = z
  .string()
  .trim()
  .min(1, 'say why, in a few words')
  .max(200, 'a reason is at most 200 characters');
const id = z.string().trim().min(1).max(64);

/** The photo a cleaner may take of the cleaned room: a JPEG or PNG of at most this many bytes. */
export const CLEANING_PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const CLEANING_PHOTO_TYPES = ['image/jpeg', 'image/png'] as const;

export const CleaningTaskQuerySchema = z
  .object({
    /** Left out: the tasks still to do (open and taken). */
    status: CleaningTaskStatusSchema.optional(),
    /** The store day the session ended on. */
    date: LocalDateSchema.optional(),
    roomId: id.optional(),
    /** Only the tasks the caller holds or finished. */
    mine: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type CleaningTaskQuery = z.output<typeof CleaningTaskQuerySchema>;

export const CleaningDoneSchema = z
  .object({
    /** What the cleaner wants the store to know: a broken cup, a missing chess piece. */
    note: z.string().trim().max(500, 'a note is at most 500 characters').optional(),
  })
  .strict();
export type CleaningDone = z.infer<typeof CleaningDoneSchema>;

export const CleaningReassignSchema = z
  .object({
    /** The staff member the task goes to: a cleaner, a manager or the owner. */
    staffId: id,
    reason,
  })
  .strict();
export type CleaningReassign = z.infer<typeof CleaningReassignSchema>;

export const CleaningCancelSchema = z.object({ reason }).strict();
export type CleaningCancel = z.infer<typeof CleaningCancelSchema>;

export const CleaningRoomSettingSchema = z
  .object({
    /** The room needs no cleaning after a session (a room cleaned by the guests, a store room). */
    skipCleaning: z.boolean(),
  })
  .strict();
export type CleaningRoomSetting = z.infer<typeof CleaningRoomSettingSchema>;

export const CleaningReportQuerySchema = z
  .object({ from: LocalDateSchema, to: LocalDateSchema })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'to must not be before from', path: ['to'] });
export type CleaningReportQuery = z.infer<typeof CleaningReportQuerySchema>;

export interface CleaningTaskView {
  id: string;
  status: CleaningTaskStatus;
  room: { id: string; name: string };
  /** The booking whose session left the room to clean. */
  booking: { id: string; number: string };
  /** Who holds it (taken), finished it (done) or held it when it was called off. */
  holder: { id: string; name: string } | null;
  /** When the session ended and the room needed cleaning. */
  since: string;
  /** When the room is free again anyway: the store's cleaning buffer after the session. */
  freeBy: string;
  takenAt: string | null;
  doneAt: string | null;
  cancelledAt: string | null;
  note: string | null;
  /** Why it was handed over or called off, last. */
  reason: string | null;
  /** Where staff see the photo (GET), once one was taken. */
  photo: string | null;
  history: CleaningHistoryEntry[];
}

export interface CleaningHistoryEntry {
  action: CleaningAction | 'create' | 'photo';
  from: CleaningTaskStatus | null;
  to: CleaningTaskStatus;
  actor: { kind: string; id: string };
  holderId: string | null;
  reason: string | null;
  at: string;
}

export interface CleaningRoomView {
  roomId: string;
  name: string;
  skipCleaning: boolean;
}

/** What one person did in the range: tasks done, and how long they took. */
export interface CleaningReportRow {
  staff: { id: string; name: string; role: StaffRole };
  done: number;
  /** From taking a task to marking it done, in minutes. */
  minutes: { total: number; average: number; longest: number };
  /** From the end of the session to the room being clean, in minutes, on average. */
  averageWaitMinutes: number;
  withPhoto: number;
  /** Tasks they held that were called off. */
  cancelled: number;
}

export interface CleaningReport {
  from: string;
  to: string;
  cleaners: CleaningReportRow[];
  /** Tasks of sessions that ended in the range, by status, whoever held them. */
  tasks: Record<CleaningTaskStatus, number>;
}
