// The outbox of what the hub publishes to the cloud. A change marks the documents it touched in
// the same transaction (so a crash never loses a mark); the content is built when the replicator
// reads the mark, so it is always the latest. The hub is the only writer of these documents.
// Sits below the domains: it takes plain values and imports none of them. Owns `outbox`.
import {
  availabilityDocId,
  bookingDocId,
  dealDocId,
  DEVICES_HEALTH_ID,
  ledgerDocId,
  memberDocId,
  orderDocId,
  roomProfileDocId,
  sessionDocId,
  STORE_PROFILE_ID,
  WALLET_OWED_ID,
  MEMBER_SETTINGS_ID,
  STAFF_LIST_ID,
} from '@roomhub/shared-types';
import type { OutboxSource } from '@roomhub/cloud-sync';
import { localDateOf, nextLocalDate, type LocalDate } from '@roomhub/shared-types';
import type { Clock } from '@roomhub/shared-types';
import type { Db } from '../db/database';

export class Outbox {
  private listeners: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Marks a document to publish. Call inside the transaction of the change. */
  mark(docId: string): void {
    this.db.prepare('INSERT INTO outbox (doc_id, at) VALUES (?, ?)').run(docId, this.clock.now());
  }

  /** A booking changed: its own document and the availability of every day its block touches. */
  markBooking(
    booking: { id: string; roomId: string; block: { start: number; end: number } },
    timeZone: string,
  ): void {
    this.mark(bookingDocId(booking.id));
    const { start, end } = booking.block;
    let day: LocalDate = localDateOf(start, timeZone);
    const last = localDateOf(Math.max(start, end - 1), timeZone);
    for (let i = 0; i < 60 && day <= last; i++, day = nextLocalDate(day)) {
      this.mark(availabilityDocId(booking.roomId, day));
    }
  }

  markLedger(bookingId: string, entryId: number): void {
    this.mark(ledgerDocId(bookingId, String(entryId)));
  }

  markSession(bookingId: string): void {
    this.mark(sessionDocId(bookingId));
  }

  markStoreProfile(): void {
    this.mark(STORE_PROFILE_ID);
  }

  markRoomProfile(roomId: string): void {
    this.mark(roomProfileDocId(roomId));
  }

  markDeal(dealId: string): void {
    this.mark(dealDocId(dealId));
  }

  markMember(memberId: string): void {
    this.mark(memberDocId(memberId));
  }

  /** Someone joined the staff, or was renamed, moved to another role, disabled or enabled. */
  markStaffList(): void {
    this.mark(STAFF_LIST_ID);
  }

  /** The member levels or points rules changed, or how many hold a level. */
  markMemberSettings(): void {
    this.mark(MEMBER_SETTINGS_ID);
  }

  /** The stored value the store owes moved. */
  markWalletOwed(): void {
    this.mark(WALLET_OWED_ID);
  }

  markOrder(orderId: string): void {
    this.mark(orderDocId(orderId));
  }

  markDevicesHealth(): void {
    this.mark(DEVICES_HEALTH_ID);
  }

  /** Told after a commit that marked something, so the replicator can push at once. */
  onMarked(fn: () => void): void {
    this.listeners.push(fn);
  }

  notify(): void {
    for (const fn of this.listeners) fn();
  }

  pending(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
  }

  /** The replicator's view: rows in order, each with the document's current content. */
  source(build: (docId: string) => object | null): OutboxSource {
    return {
      read: (afterSeq, limit) => {
        const rows = this.db
          .prepare('SELECT seq, doc_id FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?')
          .all(afterSeq, limit) as { seq: number; doc_id: string }[];
        // A document marked many times in a batch (an hour of the audit log, a busy booking) is
        // built once: its content is the current one whichever row asks.
        const built = new Map<string, object>();
        return rows.map((r) => {
          let doc = built.get(r.doc_id);
          if (doc === undefined) {
            doc = build(r.doc_id) ?? { _deleted: true };
            built.set(r.doc_id, doc);
          }
          return { seq: r.seq, id: r.doc_id, doc };
        });
      },
      lastSeq: () =>
        (this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM outbox').get() as { s: number }).s,
      ack: (seq) => {
        this.db.prepare('DELETE FROM outbox WHERE seq <= ?').run(seq);
      },
    };
  }
}
