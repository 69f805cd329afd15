// The hub's log (@roomhub/logging): `logs/hub.log` under its data folder, a file a day, the level
// from HUB_LOG_LEVEL.
import { openLog as open, recentLogs as recent, type AppLog } from '@roomhub/logging';

export { inRequest, logger, maskPhones, requestLog, type Log } from '@roomhub/logging';

export const openLog = (dir: string): AppLog => open(dir, 'hub', process.env.HUB_LOG_LEVEL);

/** The hub's day files of the last `days` days, oldest first, as one download for the owner. */
export const recentLogs = (dir: string, days: number, now: number): string =>
  recent(dir, 'hub', days, now);
