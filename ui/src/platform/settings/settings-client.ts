// The settings screen's calls to the cloud (its backup's download too), with the staff member's
// token, typed with the cloud's shapes.
import type {
  PlatformSettings,
  PlatformSettingsView,
  SettingsHistoryEntry,
} from '@roomhub/shared-types';
import { platformCall, platformFile } from '../platform-client';

export const settingsApi = {
  get: () => platformCall<PlatformSettingsView>('GET', '/api/platform/settings'),
  put: (settings: PlatformSettings, reason: string) =>
    platformCall<PlatformSettingsView>('PUT', '/api/platform/settings', { settings, reason }),
  history: () =>
    platformCall<{ changes: SettingsHistoryEntry[] }>('GET', '/api/platform/settings/history'),
  /** A backup of the cloud's databases, the platform's audit trail with them; audited. */
  backup: () => platformFile('/api/platform/backup', 'cloud-backup.jsonl'),
};
