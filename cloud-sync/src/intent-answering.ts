// The replicator's third flow, intents -> answers: each intent the pull writes into the local inbox
// gets exactly one `answer:<intentId>` document among the hub's documents, written once and pushed
// like them. An intent that does not parse, is not the cloud's (`verify`), is addressed to another
// store or has expired is answered `rejected` without asking the hub; any other is handed to the
// hub's `answer`, which decides. One that fails (the hub failed, it did not decide) stays
// unanswered and is tried again on its own back-off. Intents are answered one at a time, in the
// order they came. Owns the answering's state; the replicator (replicator.ts) owns the databases,
// the writes and the timers, and reads `pending()` and `invalid` for its status.
import {
  ANSWER_PREFIX,
  AnswerBodySchema,
  INTENT_PREFIX,
  answerDoc,
  answerDocId,
  intentIdOf,
  parseIntent,
  type AnswerBody,
  type IntentDoc,
} from '@roomhub/shared-types';
import type { Doc, IntentCheck, ReplicatorOptions, SyncLogEntry } from './replicator-options';
import { describe } from './remote-target';

export interface IntentAnsweringDeps {
  options: Pick<ReplicatorOptions, 'storeId' | 'clock' | 'answer' | 'verify'>;
  backoff: { initialMs: number; maxMs: number };
  log: (entry: SyncLogEntry) => void;
  /** The hub's local database, where answers are written, and the local inbox of intents. */
  local: () => PouchDB.Database;
  inbox: () => PouchDB.Database;
  running: () => boolean;
  /** Writes an answer among the hub's documents, to be pushed like them. */
  writeAnswer: (doc: Doc) => Promise<void>;
  later: (ms: number, fn: () => void) => void;
  /** Something the status shows changed. */
  changed: () => void;
}

export class IntentAnswering {
  private readonly answered = new Set<string>();
  private readonly queued = new Set<string>();
  /** Intents whose answering failed, with how often: each is retried on its own back-off. */
  private readonly failed = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();
  /** The local inbox's own change feed: every intent the pull writes is answered from here. */
  private feed: PouchDB.Core.Changes<object> | undefined;
  /** Intents refused for their form or their signature, since the replicator was made. */
  invalid = 0;

  constructor(private readonly d: IntentAnsweringDeps) {}

  /** Intents unanswered: queued, or waiting to be tried again after a failure. */
  pending(): number {
    return new Set([...this.queued, ...this.failed.keys()]).size;
  }

  /** Forgets what an earlier run knew: the answers are read again from the database. */
  reset(): void {
    this.answered.clear();
    this.queued.clear();
    this.failed.clear();
  }

  /**
   * Everything in the local inbox from here on is answered from its feed, whichever pull (or
   * restarted pull) wrote it; what was there before is found by a scan.
   */
  async start(): Promise<void> {
    this.follow((await this.d.inbox().info()).update_seq);
    await this.scan();
  }

  /** Stops following the inbox. */
  stopFeed(): void {
    this.feed?.cancel();
    this.feed = undefined;
  }

  /** Once the answer in progress, if any, is written. */
  idle(): Promise<void> {
    return this.chain;
  }

  private enqueue(doc: Doc): void {
    if (doc._deleted) return;
    const intentId = intentIdOf(doc._id);
    if (!intentId) {
      this.invalid += 1;
      this.d.log({ level: 'warn', event: 'intent with a bad id skipped', detail: { id: doc._id } });
      return;
    }
    if (this.answered.has(intentId) || this.queued.has(intentId)) return;
    this.queued.add(intentId);
    this.chain = this.chain.then(() => this.answerOnce(intentId, doc));
  }

  private async answerOnce(intentId: string, doc: Doc): Promise<void> {
    const { storeId, clock } = this.d.options;
    try {
      if (!this.d.running() || this.answered.has(intentId)) return;
      if (await this.hasLocalDoc(answerDocId(intentId))) {
        this.answered.add(intentId);
        return;
      }
      const parsed = parseIntent(doc);
      let body: AnswerBody;
      if (!parsed.ok) {
        this.invalid += 1;
        this.d.log({
          level: 'warn',
          event: 'invalid intent',
          detail: { intentId, reason: parsed.reason },
        });
        body = { outcome: 'rejected', reason: `invalid intent: ${parsed.reason}`.slice(0, 200) };
      } else if (!this.verified(parsed.intent, doc)) {
        // Not the cloud's: whoever wrote it learns no more than that.
        body = { outcome: 'rejected', reason: 'invalid signature' };
      } else if (parsed.intent.storeId !== storeId) {
        body = { outcome: 'rejected', reason: 'addressed to another store' };
      } else if (parsed.intent.expiresAt && Date.parse(parsed.intent.expiresAt) <= clock.now()) {
        // The cloud has released the payment by now; confirming would take a booking unpaid.
        body = { outcome: 'rejected', reason: 'expired before the store received it' };
      } else {
        body = AnswerBodySchema.parse(await this.d.options.answer(parsed.intent));
      }
      await this.d.writeAnswer(answerDoc(intentId, body, clock.now()));
      this.answered.add(intentId);
      this.failed.delete(intentId);
      this.d.log({
        level: 'info',
        event: 'intent answered',
        detail: { intentId, outcome: body.outcome },
      });
    } catch (error) {
      // The hub failed (not decided): leave it unanswered and try this one again, later each time.
      const failures = (this.failed.get(intentId) ?? 0) + 1;
      this.failed.set(intentId, failures);
      this.d.log({
        level: 'error',
        event: 'answering failed',
        detail: { intentId, failures, error: String(error) },
      });
      const { initialMs, maxMs } = this.d.backoff;
      const delay = Math.min(maxMs, initialMs * 2 ** (failures - 1));
      if (this.d.running()) this.d.later(delay, () => this.enqueue(doc));
    } finally {
      this.queued.delete(intentId);
      this.d.changed();
    }
  }

  /** The `verify` option's verdict; a refusal is counted and logged with its reason. */
  private verified(intent: IntentDoc, doc: Doc): boolean {
    const verify = this.d.options.verify;
    if (!verify) return true;
    let check: IntentCheck;
    try {
      check = verify(intent, doc);
    } catch (error) {
      check = { ok: false, reason: describe(error) };
    }
    if (check.ok) return true;
    this.invalid += 1;
    this.d.log({
      level: 'warn',
      event: 'intent not signed by the cloud',
      detail: { intentId: intent.intentId, reason: check.reason },
    });
    return false;
  }

  private async hasLocalDoc(id: string): Promise<boolean> {
    try {
      await this.d.local().get(id);
      return true;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return false;
      throw error;
    }
  }

  /** Answers every intent written into the local inbox after `since`; renewed if it fails. */
  private follow(since: number | string): void {
    let seen = since;
    const feed = this.d.inbox().changes({ live: true, since, include_docs: true });
    this.feed = feed;
    feed.on('change', (change) => {
      seen = change.seq;
      if (change.doc) this.enqueue(change.doc as unknown as Doc);
    });
    feed.on('error', (error: unknown) => {
      this.d.log({
        level: 'error',
        event: 'inbox feed failed',
        detail: { error: describe(error) },
      });
      this.d.later(this.d.backoff.initialMs, () => {
        if (this.d.running() && this.feed === feed) this.follow(seen);
      });
    });
  }

  /** Finds intents pulled but never answered, e.g. when the hub stopped in between. */
  private async scan(): Promise<void> {
    if (!this.d.running()) return;
    const answers = await this.d.local().allDocs({
      startkey: ANSWER_PREFIX,
      endkey: `${ANSWER_PREFIX}\uffff`,
    });
    for (const row of answers.rows) this.answered.add(row.id.slice(ANSWER_PREFIX.length));
    const intents = await this.d.inbox().allDocs({
      startkey: INTENT_PREFIX,
      endkey: `${INTENT_PREFIX}\uffff`,
      include_docs: true,
    });
    for (const row of intents.rows) if (row.doc) this.enqueue(row.doc as unknown as Doc);
  }
}
