// The store database's backups (H4) as the owner's page sees them: the copies kept on this
// machine, a restore asked for (done when the hub next starts, as no running hub's database is
// ever replaced under it) and how the last restore went.
import { z } from 'zod';
import type { Actor } from '../booking/booking-status';

/** hub-20261123T020000Z.db, hub-20261123T020000Z-1.db: what a backup of this hub is called. */
export const BACKUP_NAME = /^hub-(\d{8}T\d{6}Z)(?:-(\d+))?\.db$/;

export const RestoreAskSchema = z
  .object({
    /** A backup's name as listed, e.g. hub-20261123T020000Z.db. */
    name: z
      .string()
      .regex(BACKUP_NAME, 'a backup is named like hub-20261123T020000Z.db, as the list shows it'),
  })
  .strict();
export type RestoreAsk = z.infer<typeof RestoreAskSchema>;

export interface BackupFileView {
  name: string;
  /** When it was made, from its name. */
  createdAt: string;
  bytes: number;
}

/** A restore asked for: the hub puts the backup in place when it next starts. */
export interface RestoreRequestView {
  name: string;
  requestedAt: string;
  requestedBy: Actor;
}

/** How the last restore went: put in place (the database it replaced kept beside it), or not. */
export type RestoreResultView = RestoreRequestView & { restoredAt: string } & (
    { ok: true; keptAs: string | null } | { ok: false; error: string }
  );

export interface BackupsView {
  /** Newest first. */
  backups: BackupFileView[];
  pending: RestoreRequestView | null;
  last: RestoreResultView | null;
}
