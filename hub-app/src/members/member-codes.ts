// The member pay codes (会员码) this store takes: a code the cloud signed for a signed-in customer,
// shown to a kiosk's or the counter's scanner to pay from that member's wallet. Checked with no
// network: the cloud's signature (the keys its intents are checked with), that it was made for this
// store (the customer chose the store on their phone), the code's expiry, that this store never
// took it before, and that its customer is a member here (a member is known by
// phone; the customer id is derived from the phone with the key the cloud shares). Owns
// `member_code_uses` and the job that prunes it; never moves money (the wallet service does, in
// the same write as `take`).
import {
  customerIdForPhone,
  DomainError,
  parseMemberCodeText,
  type Clock,
  type MemberCode,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { WriteQueue } from '../db/write-queue';
import type { Scheduler } from '../scheduler/scheduler';
import type { CloudSignatureCheck } from '../vouchers/voucher-keys';
import type { MemberRecords, MemberRow } from './member-records';

export const MEMBER_CODE_PRUNE_JOB = 'member-codes.prune';

const HOUR = 60 * 60_000;
/** A used code is kept this long past its expiry: a clock set back a little cannot revive it. */
const KEEP_MS = 24 * HOUR;

export interface MemberCodesDeps {
  db: Db;
  clock: Clock;
  writes: WriteQueue;
  scheduler: Scheduler;
  members: MemberRecords;
  /** This store's id: a code made for another store is refused here. */
  storeId: () => string;
  /** The cloud's keys; none: every code is refused. */
  cloud: CloudSignatureCheck | undefined;
  /** The key customer ids are made with (`CUSTOMER_ID_KEY`); none: no code names a member here. */
  customerIdKey: string | undefined;
}

/** A code checked, and the member it names. */
export interface ShownMember {
  code: MemberCode;
  member: MemberRow;
}

const refuse = (kind: 'invalid' | 'conflict' | 'gone', code: string, message: string) =>
  new DomainError(kind, code, message, 'memberCode');

export class MemberCodes {
  /** Customer id to member id, made from the members' phones; made again when one is not found. */
  private byCustomer = new Map<string, string>();

  private cloud: CloudSignatureCheck | undefined;
  private customerIdKey: string | undefined;

  constructor(private readonly d: MemberCodesDeps) {
    this.cloud = d.cloud;
    this.customerIdKey = d.customerIdKey;
  }

  /** The cloud's keys and the customer id key, once the hub has them (with the cloud link's). */
  trustCloud(cloud: CloudSignatureCheck | undefined, customerIdKey: string | undefined): void {
    this.cloud = cloud;
    this.customerIdKey = customerIdKey;
    this.byCustomer.clear();
  }

  /** Prunes the codes taken, hourly (the first run at once). */
  register(): void {
    this.d.scheduler.on(MEMBER_CODE_PRUNE_JOB, () => this.runPrune());
    if (this.d.scheduler.pending(MEMBER_CODE_PRUNE_JOB).length === 0) {
      this.d.db.transaction(() =>
        this.d.scheduler.schedule(MEMBER_CODE_PRUNE_JOB, 'hourly', this.d.clock.now()),
      )();
    }
  }

  /**
   * The member a scanned code names, refused in words when it is not a good code: not ours or
   * forged, expired, taken already, or of someone who is not a member here. Takes nothing.
   */
  check(text: string): ShownMember {
    const code = parseMemberCodeText(text);
    if (!code || !this.cloud || !this.cloud.check(code).ok) {
      throw refuse('invalid', 'member_code_invalid', 'this is not a member code of ours');
    }
    if (code.store !== this.d.storeId()) {
      throw refuse(
        'conflict',
        'member_code_other_store',
        'this member code is for another store: choose this store on your phone and show the new code',
      );
    }
    if (code.exp * 1000 <= this.d.clock.now()) {
      throw refuse('gone', 'member_code_expired', 'this member code has expired: show a fresh one');
    }
    if (this.used(code.id)) {
      throw refuse('conflict', 'member_code_used', 'this member code was used already');
    }
    const member = this.memberOf(code.customer);
    if (!member) {
      throw refuse('conflict', 'member_code_not_member', 'this customer is not a member here');
    }
    return { code, member };
  }

  /** Checks the code again and marks it taken for `bookingId`. Runs inside the paying write. */
  take(text: string, bookingId: string): ShownMember {
    const shown = this.check(text);
    this.d.db
      .prepare(
        `INSERT INTO member_code_uses (code_id, member_id, booking_id, expires_at, used_at)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(shown.code.id, shown.member.id, bookingId, shown.code.exp * 1000, this.d.clock.now());
    return shown;
  }

  /** Forgets the codes expired a day ago and more; returns how many. */
  prune(): number {
    return this.d.db
      .prepare('DELETE FROM member_code_uses WHERE expires_at < ?')
      .run(this.d.clock.now() - KEEP_MS).changes;
  }

  private used(codeId: string): boolean {
    return !!this.d.db.prepare('SELECT 1 FROM member_code_uses WHERE code_id = ?').get(codeId);
  }

  private memberOf(customerId: string): MemberRow | undefined {
    const key = this.customerIdKey;
    if (!key) return undefined;
    const known = this.byCustomer.get(customerId);
    const row = known ? this.d.members.find(known) : undefined;
    if (row) return row;
    const all = this.d.db.prepare('SELECT id, phone FROM members').all() as {
      id: string;
      phone: string;
    }[];
    this.byCustomer = new Map(all.map((m) => [customerIdForPhone(m.phone, key), m.id]));
    const id = this.byCustomer.get(customerId);
    return id ? this.d.members.find(id) : undefined;
  }

  private async runPrune(): Promise<void> {
    await this.d.writes.run(() => {
      this.prune();
      this.d.scheduler.schedule(MEMBER_CODE_PRUNE_JOB, 'hourly', this.d.clock.now() + HOUR);
    });
  }
}
