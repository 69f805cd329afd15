// The replicator's first flow, outbox -> local PouchDB: copies the hub's outbox rows as upserts
// under deterministic ids, with a durable cursor (`_local/roomhub-outbox`), so a restart neither
// loses nor duplicates a row; and the bookkeeping of what is copied but not yet pushed: the local
// seqs still to go out (rebuilt at start from the push cursor, `_local/roomhub-push`), and the
// outbox rows the hub may prune once the push has carried their documents (`ack`). Every local
// write of the hub's documents, answers included, goes through `write`, one at a time, so the seq
// bookkeeping stays exact. The live replication (replicator.ts) tells it how far the push got.
import { INTENT_PREFIX, type Clock } from '@roomhub/shared-types';
import type { Doc, OutboxSource, SyncLogEntry } from './replicator-options';

const OUTBOX_CURSOR_ID = '_local/roomhub-outbox';
const PUSH_CURSOR_ID = '_local/roomhub-push';

export interface OutboxCopyDeps {
  outbox: OutboxSource;
  clock: Clock;
  /** Outbox rows copied at a time. */
  batchSize: number;
  log: (entry: SyncLogEntry) => void;
  /** The hub's local database; only while running. */
  local: () => PouchDB.Database;
  running: () => boolean;
  /** Something the status shows changed. */
  changed: () => void;
}

export class OutboxCopy {
  // Durable cursors, with the revs of their _local docs.
  private outboxCursor = 0;
  private outboxCursorRev: string | undefined;
  private pushedSeq = 0;
  private pushCursorRev: string | undefined;
  private ackedSeq = 0;
  /** Local seqs of hub documents written and not yet checkpointed by the push, ascending. */
  private unpushed: { seq: number; at: number }[] = [];
  /** Outbox batches waiting for their documents to be pushed before they are acknowledged. */
  private unacked: { outboxSeq: number; localSeq: number }[] = [];
  private pumpChain: Promise<void> = Promise.resolve();
  private writeChain: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: OutboxCopyDeps) {}

  /** Reads the cursors and rebuilds what is still to go out: hub docs written since the push's. */
  async load(): Promise<void> {
    const outboxSaved = await this.getLocal(OUTBOX_CURSOR_ID);
    this.outboxCursor = outboxSaved?.seq ?? 0;
    this.outboxCursorRev = outboxSaved?.rev;
    this.ackedSeq = 0;
    const pushSaved = await this.getLocal(PUSH_CURSOR_ID);
    this.pushedSeq = pushSaved?.seq ?? 0;
    this.pushCursorRev = pushSaved?.rev;
    const since = await this.d.local().changes({ since: this.pushedSeq, return_docs: true });
    this.unpushed = [];
    this.unacked = [];
    this.noteUnpushed(
      since.results.filter((c) => !c.id.startsWith(INTENT_PREFIX)).map((c) => c.seq as number),
    );
  }

  /** Hub documents written locally and not yet in the cloud. */
  pendingPush(): number {
    return this.unpushed.length;
  }

  /** When the oldest document not yet pushed was written; undefined when none waits. */
  oldestUnpushedAt(): number | undefined {
    return this.unpushed[0]?.at;
  }

  /** Outbox rows the hub committed that are not yet copied. */
  uncopied(): number {
    let last: number;
    try {
      last = this.d.outbox.lastSeq();
    } catch {
      last = this.outboxCursor;
    }
    return Math.max(0, last - this.outboxCursor);
  }

  /** Copies what the outbox holds now, after any copy in progress. */
  pump(): Promise<void> {
    const next = this.pumpChain.then(() => this.pumpOnce());
    this.pumpChain = next.catch((error: unknown) => {
      this.d.log({ level: 'error', event: 'outbox copy failed', detail: { error: String(error) } });
    });
    return this.pumpChain;
  }

  /** Writes a document of the hub's own making (an answer), to be pushed like the rest. */
  async write(doc: Doc): Promise<void> {
    this.noteUnpushed(await this.serialWrite(() => this.writeHubDocs([doc])));
  }

  /** The push checkpointed up to local seq `seq`: those documents are out. */
  async pushed(seq: number): Promise<void> {
    if (seq <= this.pushedSeq) return;
    this.pushedSeq = seq;
    let drop = 0;
    while (drop < this.unpushed.length && this.unpushed[drop]!.seq <= seq) drop += 1;
    if (drop > 0) this.unpushed = this.unpushed.slice(drop);
    this.acknowledge();
    try {
      this.pushCursorRev = await this.putLocal(PUSH_CURSOR_ID, this.pushCursorRev, { seq });
    } catch (error) {
      this.d.log({
        level: 'warn',
        event: 'push cursor not saved',
        detail: { error: String(error) },
      });
    }
  }

  /** Once the copy and the write in progress, if any, are saved. */
  async idle(): Promise<void> {
    await this.pumpChain;
    await this.writeChain.catch(() => undefined);
  }

  private serialWrite<T>(work: () => Promise<T>): Promise<T> {
    const next = this.writeChain.then(work, work);
    this.writeChain = next.catch(() => undefined);
    return next;
  }

  /** Writes the hub's docs and returns the local seqs they got (writes are serialised). */
  private async writeHubDocs(docs: Doc[]): Promise<number[]> {
    if (docs.length === 0) return [];
    const db = this.d.local();
    const before = (await db.info()).update_seq as number;
    const results = await db.bulkDocs(docs);
    const failed = results.filter((r) => 'error' in r && r.error);
    if (failed.length > 0) {
      throw new Error(`local write failed: ${JSON.stringify(failed.slice(0, 3))}`);
    }
    const written = new Set(docs.map((d) => d._id));
    const changes = await db.changes({ since: before, return_docs: true });
    return changes.results.filter((c) => written.has(c.id)).map((c) => c.seq as number);
  }

  private noteUnpushed(seqs: number[]): void {
    const at = this.d.clock.now();
    for (const seq of seqs) this.unpushed.push({ seq, at });
    this.unpushed.sort((a, b) => a.seq - b.seq);
  }

  private async pumpOnce(): Promise<void> {
    while (this.d.running()) {
      const rows = this.d.outbox.read(this.outboxCursor, this.d.batchSize);
      if (rows.length === 0) break;
      const lastRowSeq = rows[rows.length - 1]!.seq;
      // Later rows of the same id win: the batch carries each document's latest content.
      const latest = new Map<string, object>();
      for (const row of rows) latest.set(row.id, row.doc);
      const localSeqs = await this.serialWrite(async () => {
        const existing = await this.d
          .local()
          .allDocs({ keys: [...latest.keys()], include_docs: true });
        const docs: Doc[] = [];
        for (const row of existing.rows) {
          const wanted = latest.get(row.key);
          if (!wanted) continue;
          const { _id: _ignoredId, _rev: _ignoredRev, ...content } = wanted as Doc;
          const current = 'value' in row && row.value ? row : undefined;
          const currentRev = current?.value.rev;
          const currentDoc = current && !current.value.deleted ? (current.doc as Doc) : undefined;
          if (content._deleted === true) {
            if (currentDoc) docs.push({ _id: row.key, _rev: currentRev!, _deleted: true });
            continue;
          }
          if (currentDoc && sameContent(currentDoc, content)) continue; // a replayed row
          docs.push({ ...content, _id: row.key, ...(currentDoc ? { _rev: currentRev! } : {}) });
        }
        return this.writeHubDocs(docs);
      });
      this.noteUnpushed(localSeqs);
      this.unacked.push({ outboxSeq: lastRowSeq, localSeq: Math.max(0, ...localSeqs) });
      this.outboxCursor = lastRowSeq;
      this.outboxCursorRev = await this.putLocal(OUTBOX_CURSOR_ID, this.outboxCursorRev, {
        seq: this.outboxCursor,
      });
      this.acknowledge();
      this.d.changed();
    }
  }

  private acknowledge(): void {
    let upTo = 0;
    while (this.unacked.length > 0 && this.unacked[0]!.localSeq <= this.pushedSeq)
      upTo = this.unacked.shift()!.outboxSeq;
    // After a restart the batch map is gone; nothing unpushed means everything copied is out.
    if (this.pendingPush() === 0) {
      upTo = Math.max(upTo, this.outboxCursor);
      this.unacked = [];
    }
    if (upTo > this.ackedSeq) {
      this.ackedSeq = upTo;
      try {
        this.d.outbox.ack?.(upTo);
      } catch (error) {
        this.d.log({ level: 'warn', event: 'outbox ack failed', detail: { error: String(error) } });
      }
    }
  }

  private async putLocal(id: string, rev: string | undefined, body: object): Promise<string> {
    const db = this.d.local();
    try {
      const result = await db.put({ _id: id, ...(rev ? { _rev: rev } : {}), ...body });
      return result.rev;
    } catch (error) {
      if ((error as { status?: number }).status !== 409) throw error;
      const current = await db.get(id);
      const result = await db.put({ ...body, _id: id, _rev: current._rev });
      return result.rev;
    }
  }

  private async getLocal(id: string): Promise<{ seq: number; rev: string } | undefined> {
    try {
      const doc = (await this.d.local().get(id)) as unknown as { seq: number; _rev: string };
      return { seq: doc.seq, rev: doc._rev };
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  }
}

/** Equal as JSON values, ignoring key order (documents come back from LevelDB re-serialised). */
function sameContent(current: Doc, wanted: Record<string, unknown>): boolean {
  const { _id: _i, _rev: _r, ...stored } = current;
  return canonical(stored) === canonical(wanted);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
