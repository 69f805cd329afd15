// What the hub's replicator (replicator.ts) is given and what it gives back: the outbox it copies
// from, the hub's answer and the cloud's signature check for intents, the clock, the log, and the
// timings of its flows. Types only.
import type { AnswerBody, Clock, IntentDoc, SyncStatus } from '@roomhub/shared-types';

/** One outbox row: the latest content of document `id`, in the order the hub committed it. */
export interface OutboxRow {
  seq: number;
  id: string;
  doc: object;
}

/** The hub's outbox, filled in the same SQLite transaction as each change. */
export interface OutboxSource {
  /** Rows with seq > afterSeq, ascending, at most `limit`. */
  read(afterSeq: number, limit: number): OutboxRow[];
  lastSeq(): number;
  /** Rows up to `seq` are in the cloud's database; the hub may prune them. */
  ack?(seq: number): void;
}

/** Whether an intent is the cloud's; the reason is for the hub's log only. */
export type IntentCheck = { ok: true } | { ok: false; reason: string };

export interface SyncLogEntry {
  level: 'info' | 'warn' | 'error';
  event: string;
  detail?: Record<string, unknown>;
}

export interface ReplicatorOptions {
  /** Folder for the two local LevelDBs: the hub's documents, and the intents pulled. */
  localDir: string;
  /**
   * CouchDB base URL with the hub's credentials, e.g. `https://hub-<storeId>:pass@couch.example.com`;
   * the store's databases are added. The user needs no right to create databases.
   */
  remoteUrl: string;
  storeId: string;
  outbox: OutboxSource;
  /** The hub's decision on an intent. Must be idempotent by intent id (see README). */
  answer: (intent: IntentDoc) => Promise<AnswerBody>;
  /**
   * Whether an intent is the cloud's (its signature), called with the parsed intent and the
   * document as it was pulled, before `answer`. One that fails is answered `rejected` ("invalid
   * signature"), counted in `invalidIntents` and never handed to `answer`. Without it every
   * well-formed intent is believed: only for tests of the replicator itself.
   */
  verify?: (intent: IntentDoc, doc: Readonly<Record<string, unknown>>) => IntentCheck;
  clock: Clock;
  log?: (entry: SyncLogEntry) => void;
  /** No replication event for this long while work waits means the feed died. Default 30 s. */
  stallMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** How often the remote is probed and the watchdog runs. Default stallMs / 3. */
  probeMs?: number;
  /**
   * How often the remote is probed while it is unreachable, so a healed line is used at once.
   * A probe is one small GET. Default min(probeMs, 1 s).
   */
  offlineProbeMs?: number;
  /** Deadline of any request but the change feed. Default stallMs. */
  requestTimeoutMs?: number;
  /** A long-poll of the change feed is ended (as an empty answer) after this. Default 60 s. */
  feedTimeoutMs?: number;
  /**
   * The heartbeat asked of CouchDB on the inbox's change feed: a newline this often while nothing
   * changes, so a connection that went silent is told from a quiet one. Default 500 ms.
   */
  heartbeatMs?: number;
  /**
   * A change feed silent this long means the link froze (a dropped NAT entry): the replicator
   * says `stalled`, drops every connection it holds and starts again on fresh ones as soon as the
   * cloud answers. Idle connections are not reused after this long either. Default 4 heartbeats.
   */
  silenceMs?: number;
  /** How often the outbox is polled when nobody calls `syncNow()`. Default 1 s. */
  pollMs?: number;
  /** Outbox rows copied to the local database at a time. Default 200. */
  batchSize?: number;
  /**
   * Documents per push batch. Default 500 (PouchDB's own default is 100): after an outage the
   * backlog goes up in a fifth of the round trips, with about 1 MB of documents in flight.
   */
  pushBatchSize?: number;
}

export interface Replicator {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): SyncStatus;
  /** Copies the outbox now and retries the cloud at once if it was backing off. */
  syncNow(): Promise<void>;
  onStatus(listener: (status: SyncStatus) => void): () => void;
}

/** A document as PouchDB stores it: the hub's, an intent or an answer. */
export type Doc = Record<string, unknown> & { _id: string; _rev?: string; _deleted?: boolean };
