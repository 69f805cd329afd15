// The hub's link to the cloud as the API and the live events report it (H2).
/**
 * `refused`: the cloud answers but refuses this hub: its credentials (401), its access to the
 * store's databases (403), or it has no database for the store (404, not provisioned).
 */
export type SyncState = 'online' | 'offline' | 'stalled' | 'refused';

/** Why the cloud refuses the hub, as it said it. */
export interface SyncRefusal {
  status: number;
  reason: string;
}

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
  /** Only while `state` is `refused`. */
  refusal?: SyncRefusal;
}
