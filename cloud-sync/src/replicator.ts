// The hub's replicator. It owns three flows and nothing else:
//   outbox -> local PouchDB: copies the hub's outbox rows as upserts under deterministic ids, with
//     a durable cursor (`_local/roomhub-outbox`), so a restart neither loses nor duplicates a row
//     (outbox-copy.ts, which also keeps what is not yet pushed);
//   local <-> remote: PouchDB live replication, push of the hub's documents to the store's
//     database and pull of the store's inbox (the intents), with back-off, request deadlines and
//     a stall watchdog;
//   intents -> answers: each intent gets exactly one `answer:<intentId>` document, written once;
//     an intent that does not parse, is not the cloud's (`verify`), is addressed to another store
//     or has expired is answered `rejected` without asking the hub (intent-answering.ts).
// It never edits an intent, never decides an answer (the hub's `answer` does), never creates a
// database in the cloud (the hub's user may not: provisioning does) and never touches the hub's
// SQLite: the outbox comes in through `OutboxSource`. When the cloud refuses the hub (401, 403,
// or no database for the store) it says so in its status and log, and keeps trying slowly.
// This file keeps the live replication, its watchdog, the status and the lifecycle; the copy and
// the answering keep their own state and are told where to write. What it is given is in
// replicator-options.ts.
import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import PouchDB from 'pouchdb-node';
import {
  INTENT_PREFIX,
  storeDbName,
  storeInboxDbName,
  type SyncRefusal,
  type SyncState,
  type SyncStatus,
} from '@roomhub/shared-types';
import { createDeadlineFetch } from './deadline-fetch';
import { IntentAnswering } from './intent-answering';
import { OutboxCopy } from './outbox-copy';
import { describe, parseRemote, refusalOf } from './remote-target';
import type { Doc, Replicator, ReplicatorOptions } from './replicator-options';

export type {
  IntentCheck,
  OutboxRow,
  OutboxSource,
  Replicator,
  ReplicatorOptions,
  SyncLogEntry,
} from './replicator-options';
export type { SyncState, SyncStatus };

const EMIT_EVERY_MS = 200;

type Direction = 'push' | 'pull';

interface FlowState {
  handle: PouchDB.Replication.Replication<object> | undefined;
  lastEventAt: number;
  error: string | undefined;
}

export function createReplicator(options: ReplicatorOptions): Replicator {
  const {
    storeId,
    outbox,
    clock,
    stallMs = 30_000,
    backoff = { initialMs: 1_000, maxMs: 60_000 },
    pollMs = 1_000,
    batchSize = 200,
    pushBatchSize = 500,
  } = options;
  const probeMs = options.probeMs ?? Math.max(50, Math.floor(stallMs / 3));
  const offlineProbeMs = options.offlineProbeMs ?? Math.min(probeMs, 1_000);
  const requestTimeoutMs = options.requestTimeoutMs ?? stallMs;
  const feedTimeoutMs = options.feedTimeoutMs ?? 60_000;
  const heartbeatMs = options.heartbeatMs ?? 500;
  const silenceMs = options.silenceMs ?? 4 * heartbeatMs;
  // A probe that hangs would hold back the one that finds the healed line.
  const probeTimeoutMs = Math.min(
    requestTimeoutMs,
    Math.max(probeMs, 100),
    Math.max(2 * silenceMs, 1_000),
  );
  const log = options.log ?? (() => undefined);
  const remote = parseRemote(options.remoteUrl, storeDbName(storeId));
  const remoteInbox = parseRemote(options.remoteUrl, storeInboxDbName(storeId));

  let local: PouchDB.Database | undefined;
  /** The intents pulled from the store's inbox, apart from the hub's documents. */
  let localInbox: PouchDB.Database | undefined;
  let remoteDb: PouchDB.Database | undefined;
  let remoteInboxDb: PouchDB.Database | undefined;
  let running = false;
  let timers: NodeJS.Timeout[] = [];
  const inflight = new Set<AbortController>();
  /** Requests of flows that were stopped: dropped without an answer to anyone. */
  const forgotten = new WeakSet<AbortController>();
  const flows: Record<Direction, FlowState> = {
    push: { handle: undefined, lastEventAt: 0, error: undefined },
    pull: { handle: undefined, lastEventAt: 0, error: undefined },
  };

  let pullPending = 0;

  /** The connections to the cloud; replaced, every socket dropped, when the link froze. */
  let agent = newAgent();
  /** Counts replaced agents: a request of an older one no longer speaks for the link. */
  let agentGeneration = 0;
  /** When the inbox's change feed last carried a byte (monotonic ms). */
  let feedHeardAt = -Infinity;
  let probeOk: boolean | undefined;
  /** What refused the hub, by who saw it; cleared by that one's next success. */
  const refusals: Partial<Record<'probe' | Direction, SyncRefusal>> = {};
  let probing = false;
  let stalled = false;
  let restarts = 0;
  let lastSyncAt: number | null = null;
  const listeners = new Set<(status: SyncStatus) => void>();
  let lastEmitted = '';
  let lastEmitAt = -Infinity;
  let emitTimer: NodeJS.Timeout | undefined;

  function db(): PouchDB.Database {
    if (!local) throw new Error('the replicator is not started');
    return local;
  }

  // ---- status ----------------------------------------------------------------------------------

  function status(): SyncStatus {
    const uncopied = running ? copy.uncopied() : 0;
    const oldest = copy.oldestUnpushedAt();
    const anyError = flows.push.error !== undefined || flows.pull.error !== undefined;
    const refusal = refusedNow();
    const state: SyncState =
      refusal && running
        ? 'refused'
        : stalled
          ? 'stalled'
          : probeOk === true && !anyError && running
            ? 'online'
            : 'offline';
    return {
      state,
      lastSyncAt,
      pendingOut: uncopied + pendingPush(),
      // Queued, or waiting to be tried again after a failure: unanswered either way.
      pendingIn: answering.pending() + pullPending,
      lagMs: oldest !== undefined ? Math.max(0, clock.now() - oldest) : 0,
      restarts,
      invalidIntents: answering.invalid,
      ...(refusal && running ? { refusal } : {}),
    };
  }

  function refusedNow(): SyncRefusal | undefined {
    return refusals.probe ?? refusals.push ?? refusals.pull;
  }

  /** Records (or clears) a refusal; the log says so once when it starts, changes or ends. */
  function noteRefusal(by: 'probe' | Direction, refusal: SyncRefusal | undefined): void {
    const before = refusedNow();
    if (refusal) refusals[by] = refusal;
    else delete refusals[by];
    const after = refusedNow();
    if (after && (after.status !== before?.status || after.reason !== before.reason)) {
      log({
        level: 'error',
        event: 'the cloud refuses this hub',
        detail: { status: after.status, reason: after.reason, seenBy: by },
      });
    } else if (!after && before) {
      log({ level: 'info', event: 'the cloud accepts this hub again' });
    }
  }

  /**
   * Tells listeners of a changed status, at most every EMIT_EVERY_MS (the last change always
   * goes out): during a catch-up replication events come by the hundred a second, and each status
   * reads the outbox.
   */
  function emit(): void {
    if (emitTimer) return;
    const wait = lastEmitAt + EMIT_EVERY_MS - performance.now();
    if (wait <= 0 || !running) {
      emitNow();
      return;
    }
    emitTimer = setTimeout(() => {
      emitTimer = undefined;
      emitNow();
    }, wait);
    emitTimer.unref();
  }

  function emitNow(): void {
    lastEmitAt = performance.now();
    const snapshot = status();
    const key = JSON.stringify({ ...snapshot, lagMs: Math.round(snapshot.lagMs / 1000) });
    if (key === lastEmitted) return;
    lastEmitted = key;
    for (const listener of listeners) {
      try {
        listener(snapshot);
      } catch (error) {
        log({ level: 'error', event: 'status listener failed', detail: { error: String(error) } });
      }
    }
  }

  // ---- outbox -> local (outbox-copy.ts) ------------------------------------------------------

  const copy = new OutboxCopy({
    outbox,
    clock,
    batchSize,
    log,
    local: db,
    running: () => running,
    changed: emit,
  });
  const pump = () => copy.pump();
  const pendingPush = () => copy.pendingPush();

  // ---- intents -> answers (intent-answering.ts) -------------------------------------------

  const answering = new IntentAnswering({
    options,
    backoff,
    log,
    local: db,
    inbox: () => {
      if (!localInbox) throw new Error('the replicator is not started');
      return localInbox;
    },
    running: () => running,
    writeAnswer: (doc) => copy.write(doc),
    later,
    changed: emit,
  });

  // ---- local <-> remote -----------------------------------------------------------------------

  const deadlineFetch = createDeadlineFetch({
    feedTimeoutMs,
    requestTimeoutMs,
    silenceMs,
    inflight,
    forgotten,
    agent: () => agent,
    generation: () => agentGeneration,
    heard: (at) => (feedHeardAt = at),
    silent: (generation) => linkSilent(generation),
  });

  function newAgent(): http.Agent {
    const Agent = remote.base.startsWith('https:') ? https.Agent : http.Agent;
    // Idle sockets are closed after `silenceMs`: one idle longer may be one a NAT forgot.
    return new Agent({ keepAlive: true, timeout: silenceMs });
  }

  /**
   * The feed went silent: every connection of that agent may be dead. Says `stalled`, drops them
   * all and lets the probe start the flows again on fresh ones once the cloud answers.
   */
  function linkSilent(generation: number): void {
    if (!running || generation !== agentGeneration) return;
    stalled = true;
    log({
      level: 'warn',
      event: 'the link to the cloud went silent',
      detail: { silentMs: silenceMs },
    });
    stopFlows();
    agentGeneration += 1;
    agent.destroy();
    agent = newAgent();
    // Known bad until a probe on a fresh connection answers; that one restarts the flows.
    probeOk = false;
    emit();
    void watchdog();
  }

  function startFlows(): void {
    const localDb = db();
    const target = remoteDb!;
    const base = {
      live: true,
      retry: true,
      heartbeat: heartbeatMs,
      batch_size: 100,
      back_off_function: (delay: number) =>
        delay === 0
          ? backoff.initialMs
          : Math.min(backoff.maxMs, Math.round(delay * (1.5 + Math.random()))),
    };
    // Each direction copies a whole database, so neither side filters every document. The inbox
    // holds only intents; the pull checks the prefix anyway, so nothing else the cloud puts there
    // (a design document, say) is taken for one.
    // The push carries the backlog after an outage: larger batches, fewer round trips (on a
    // store's line each costs tens of milliseconds).
    const push = localDb.replicate.to(target, { ...base, batch_size: pushBatchSize });
    // The pull takes smaller batches: an invoice the owner issued from afar carries its PDF (up
    // to 2.8 MB as base64), and a hub pulling the inbox afresh must fit a batch in one request's
    // deadline on a store's line.
    const pull = localInbox!.replicate.from(remoteInboxDb!, {
      ...base,
      batch_size: 20,
      filter: (doc: { _id: string }) => doc._id.startsWith(INTENT_PREFIX),
    });
    wire('push', push);
    wire('pull', pull);
  }

  function wire(direction: Direction, handle: PouchDB.Replication.Replication<object>): void {
    const flow = flows[direction];
    flow.handle = handle;
    flow.lastEventAt = clock.now();
    flow.error = undefined;
    const current = () => flow.handle === handle;
    const touch = () => {
      flow.lastEventAt = clock.now();
    };
    const progressed = () => {
      touch();
      flow.error = undefined;
      stalled = false;
      if (refusals[direction]) noteRefusal(direction, undefined);
    };
    const events = handle as unknown as NodeJS.EventEmitter;
    events.on('change', (info: { docs?: Doc[]; pending?: number }) => {
      if (!current()) return;
      progressed();
      if (direction === 'pull') {
        // The intents themselves are taken from the local inbox's feed (see start): a pull
        // cancelled by a restart may have written an intent without telling us.
        pullPending = info.pending ?? 0;
      }
      emit();
    });
    events.on('checkpoint', (info: { checkpoint?: unknown }) => {
      if (!current()) return;
      progressed();
      lastSyncAt = clock.now();
      if (direction === 'push' && typeof info.checkpoint === 'number')
        void copy.pushed(info.checkpoint);
      emit();
    });
    events.on('active', () => {
      if (!current()) return;
      progressed();
      emit();
    });
    events.on('paused', (error?: unknown) => {
      if (!current()) return;
      touch();
      if (error) {
        flow.error = describe(error);
        noteRefusal(direction, refusalOf(error));
        // Learn at once whether the cloud is unreachable, so nothing restarts flows meanwhile.
        void watchdog();
        log({
          level: 'warn',
          event: `${direction} paused by an error`,
          detail: { error: flow.error },
        });
      } else {
        flow.error = undefined;
        stalled = false;
        lastSyncAt = clock.now();
        if (direction === 'pull') pullPending = 0;
      }
      emit();
    });
    events.on('denied', (error: unknown) => {
      log({
        level: 'error',
        event: `${direction} denied a document`,
        detail: { error: describe(error) },
      });
    });
    const ended = (error?: unknown) => {
      if (!current() || !running) return;
      flow.error = describe(error ?? 'replication ended');
      noteRefusal(direction, refusalOf(error));
      log({ level: 'warn', event: `${direction} ended`, detail: { error: flow.error } });
      emit();
      // PouchDB gave up (e.g. an error it will not retry): restart it after the first back-off,
      // unless the cloud is unreachable; then the probe restarts both once it answers again.
      later(backoff.initialMs, () => {
        if (running && current() && probeOk !== false) restartFlows(`${direction} ended`);
      });
    };
    events.on('error', ended);
    events.on('complete', (info?: { status?: string }) => {
      if (info?.status !== 'cancelled') ended();
    });
  }

  function stopFlows(): void {
    for (const flow of Object.values(flows)) {
      const handle = flow.handle;
      flow.handle = undefined;
      handle?.cancel();
    }
    for (const controller of inflight) {
      forgotten.add(controller);
      controller.abort();
    }
    inflight.clear();
  }

  function restartFlows(reason: string): void {
    if (!running) return;
    restarts += 1;
    log({ level: 'warn', event: 'replication restarted', detail: { reason, restarts } });
    stopFlows();
    startFlows();
    emit();
  }

  /** One GET of the store's database: reachable, and open to this hub's credentials? */
  async function probe(): Promise<boolean> {
    let response: Response;
    let text: string;
    try {
      // On the replicator's own connections: a fresh one after the link froze, never a dead one.
      response = (await PouchDB.fetch(remote.dbUrl, {
        headers: remote.authorization ? { Authorization: remote.authorization } : {},
        signal: AbortSignal.timeout(probeTimeoutMs),
        agent,
      } as never)) as Response;
      text = await response.text();
    } catch {
      return false;
    }
    if (response.status === 404) {
      noteRefusal('probe', {
        status: 404,
        reason: `the cloud has no database ${storeDbName(storeId)}: the store is not provisioned`,
      });
      return false;
    }
    if (response.status === 401 || response.status === 403) {
      let reason = response.statusText;
      try {
        reason = String((JSON.parse(text) as { reason?: unknown }).reason ?? reason);
      } catch {
        // Not CouchDB's JSON: keep the status text.
      }
      noteRefusal('probe', { status: response.status, reason });
      return false;
    }
    if (response.ok && refusals.probe) noteRefusal('probe', undefined);
    return response.ok;
  }

  async function watchdog(): Promise<void> {
    if (probing) return;
    probing = true;
    let ok: boolean;
    try {
      ok = await probe();
    } finally {
      probing = false;
    }
    if (!running) return;
    const was = probeOk;
    probeOk = ok;
    if (!ok) {
      emit();
      return;
    }
    if (was === false) {
      // A live feed that lived through the outage may be a dead socket: renew both at once.
      restartFlows('the cloud is reachable again');
      return;
    }
    const t = clock.now();
    for (const direction of ['push', 'pull'] as const) {
      const flow = flows[direction];
      const waiting = direction === 'push' ? pendingPush() > 0 : flow.error !== undefined;
      if (waiting && t - flow.lastEventAt > stallMs) {
        stalled = true;
        emit();
        restartFlows(`${direction} silent for ${t - flow.lastEventAt} ms with work waiting`);
        return;
      }
    }
    // In sync: nothing to push, and the inbox's feed alive (its heartbeat heard), not merely open.
    const feedAlive = performance.now() - feedHeardAt <= silenceMs;
    if (pendingPush() === 0 && !flows.push.error && !flows.pull.error && feedAlive) lastSyncAt = t;
    emit();
  }

  function later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      timers = timers.filter((t) => t !== timer);
      fn();
    }, ms);
    timer.unref();
    timers.push(timer);
  }

  function every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    timer.unref();
    timers.push(timer);
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  async function start(): Promise<void> {
    if (running) return;
    await mkdir(options.localDir, { recursive: true });
    local = new PouchDB(path.join(options.localDir, storeDbName(storeId)));
    localInbox = new PouchDB(path.join(options.localDir, storeInboxDbName(storeId)));
    const remoteConfig = {
      fetch: deadlineFetch,
      // The databases are provisioned; a hub's user may not create one (and must not try).
      skip_setup: true,
      ...(remote.auth ? { auth: remote.auth } : {}),
    } as PouchDB.Configuration.RemoteDatabaseConfiguration;
    remoteDb = new PouchDB(remote.dbUrl, remoteConfig);
    remoteInboxDb = new PouchDB(remoteInbox.dbUrl, remoteConfig);

    await copy.load();
    answering.reset();
    for (const by of Object.keys(refusals) as (keyof typeof refusals)[]) delete refusals[by];
    stalled = false;
    probeOk = undefined;
    running = true;

    await answering.start();
    startFlows();
    every(pollMs, () => void pump());
    every(probeMs, () => void watchdog());
    every(offlineProbeMs, () => {
      // A refusal is not healed by a line coming back: ask at the slower pace then.
      if (probeOk === false && !refusals.probe) void watchdog();
    });
    void pump();
    void watchdog();
    emit();
  }

  async function stop(): Promise<void> {
    if (!running) return;
    running = false;
    for (const timer of timers) clearTimeout(timer);
    timers = [];
    clearTimeout(emitTimer);
    emitTimer = undefined;
    answering.stopFeed();
    stopFlows();
    agent.destroy();
    agent = newAgent();
    // Let a copy or an answer in progress finish, so its cursor or answer doc is saved.
    await answering.idle();
    await copy.idle();
    await local?.close();
    await localInbox?.close();
    local = undefined;
    localInbox = undefined;
    remoteDb = undefined;
    remoteInboxDb = undefined;
    emit();
  }

  return {
    start,
    stop,
    status,
    async syncNow() {
      if (!running) return;
      // While the cloud answers, a flow backing off after an error is retried at once; while it
      // does not, the probe restarts the flows when it answers again (not every kiosk booking).
      if ((flows.push.error || flows.pull.error) && probeOk !== false)
        restartFlows('syncNow while backing off');
      await pump();
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
