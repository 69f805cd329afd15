// The hub's link to the cloud as the API and the live events report it (H2).
export type SyncState = 'online' | 'offline' | 'stalled';

export interface SyncStatus {
  state: SyncState;
  /** Epoch ms of the last moment the hub knew it was in step with the cloud (or made progress). */
  lastSyncAt: number | null;
  /** Hub documents (outbox rows and answers) not yet confirmed in the cloud's database. */
  pendingOut: number;
  /** Intents pulled and not yet answered, plus those the cloud reports still to send. */
  pendingIn: number;
  /** Age of the oldest document waiting to go out; 0 when nothing waits. */
  lagMs: number;
  /** Replications restarted by the watchdog since start. */
  restarts: number;
  /** Intents that failed validation and were answered `rejected` without asking the hub. */
  invalidIntents: number;
}
