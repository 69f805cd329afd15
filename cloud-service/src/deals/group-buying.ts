// The buyers of a group deal and their group's deadline: a paid purchase joins the deal's group
// under way (or starts one, `groupHours` to fill), and a group that is over settles every buyer's
// purchase: a full one issues each voucher, one that did not fill by its deadline gives each
// buyer's money back and its claims, issuing nothing. Safe to repeat; a group is replaced only once
// every buyer's purchase carries its outcome. Owns no documents (deal-groups.ts keeps the group)
// and never writes a store's database.
import type { Clock } from '@roomhub/shared-types';
import { PaymentChannelError, type CloudPaymentChannel } from '../payments/payment-channel';
import { groupOver, groupDocId, type DealGroup, type DealGroups } from './deal-groups';
import type { DueOutcome, DueWork } from './due-work';
import type { PurchaseRecord, PurchaseRecords } from './purchase-records';
import { iso, refundIdOf, type PurchaseSteps } from './purchase-steps';

const HOUR = 3_600_000;
/** Races lost in a row on a group before a join gives up (the sweep joins it later). */
const MAX_RACES = 12;

export interface GroupBuyingDeps {
  clock: Clock;
  records: PurchaseRecords;
  groups: DealGroups;
  due: DueWork;
  payments: CloudPaymentChannel;
  log: (error: unknown) => void;
}

export class GroupBuying {
  constructor(
    private readonly d: GroupBuyingDeps,
    private readonly steps: PurchaseSteps,
  ) {}

  /** Joins the deal's group (or starts one), and settles it once it is over. */
  async group(record: PurchaseRecord): Promise<PurchaseRecord> {
    let r = record;
    if (r.groupId === undefined) r = await this.join(r);
    const g = await this.d.groups.current(r.storeId, r.dealId);
    if (g && g.groupId === r.groupId && groupOver(g, this.d.clock.now())) await this.closeGroup(g);
    return (await this.d.records.get(r.purchaseId)) ?? r;
  }

  /** The sweep's item for a deal's group (`group:<storeId>:<dealId>`): settled once it is over. */
  async deadline(storeId: string, dealId: string): Promise<DueOutcome> {
    const g = await this.d.groups.current(storeId, dealId);
    if (!g) return 'done';
    if (!groupOver(g, this.d.clock.now())) return 'done'; // a later group: its own item runs
    await this.closeGroup(g);
    return 'done';
  }

  /** The money of a purchase whose group did not fill goes back, once; its claims too. */
  async giveMoneyBack(r: PurchaseRecord): Promise<PurchaseRecord> {
    if (r.state !== 'unfilled' || r.moneyBack?.paidAt) return r;
    await this.d.payments.refund({
      paymentId: r.payment.paymentId,
      refundId: refundIdOf(r.purchaseId),
      amount: r.price,
    });
    await this.steps.releaseClaims(r);
    const at = iso(this.d.clock.now());
    return this.d.records.update(r.purchaseId, (cur) =>
      cur.moneyBack?.paidAt ? undefined : { ...cur, moneyBack: { amount: cur.price, paidAt: at } },
    );
  }

  private async join(r: PurchaseRecord): Promise<PurchaseRecord> {
    const me = { purchaseId: r.purchaseId, customerId: r.customerId };
    const key = `group:${r.storeId}:${r.dealId}`;
    for (let race = 0; race < MAX_RACES; race += 1) {
      const now = this.d.clock.now();
      const g = await this.d.groups.current(r.storeId, r.dealId);
      if (g?.members.some((m) => m.purchaseId === r.purchaseId)) return this.joined(r, g);
      if (g && !groupOver(g, now)) {
        const members = [...g.members, me];
        const next: DealGroup = {
          ...g,
          members,
          state: members.length >= g.size ? 'filled' : 'open',
        };
        if (!(await this.d.groups.write(next))) continue;
        if (next.state === 'filled') await this.d.due.at(now, key);
        return this.joined(r, next);
      }
      // The group before is over: its buyers learn how it ended before it is replaced.
      if (g) await this.closeGroup(g);
      const deadline = now + r.groupHours * HOUR;
      const next: DealGroup = {
        _id: groupDocId(r.storeId, r.dealId),
        ...(g?._rev ? { _rev: g._rev } : {}),
        type: 'deal_group',
        groupId: r.purchaseId,
        storeId: r.storeId,
        dealId: r.dealId,
        size: r.groupSize,
        members: [me],
        startedAt: iso(now),
        deadline: iso(deadline),
        state: 'open',
      };
      if (!(await this.d.groups.write(next))) continue;
      await this.d.due.at(deadline, key);
      return this.joined(r, next);
    }
    return r;
  }

  private joined(r: PurchaseRecord, g: DealGroup): Promise<PurchaseRecord> {
    return this.d.records.update(r.purchaseId, (cur) =>
      cur.groupId === g.groupId ? undefined : { ...cur, groupId: g.groupId },
    );
  }

  /**
   * A group that is over: a full one issues every buyer's voucher, one that did not fill by its
   * deadline gives every buyer's money back. Each buyer's purchase carries the outcome before
   * the group can be replaced; safe to repeat.
   */
  private async closeGroup(g: DealGroup): Promise<void> {
    const outcome = groupOver(g, this.d.clock.now());
    if (!outcome) return;
    if (g.state === 'open') {
      // Said on the group first, so nobody joins it while its buyers are told.
      const closed = await this.d.groups.write({ ...g, state: outcome });
      if (!closed) {
        const now = await this.d.groups.current(g.storeId, g.dealId);
        if (now && now.groupId === g.groupId) return this.closeGroup(now);
      }
    }
    for (const m of g.members) {
      const r = await this.d.records.get(m.purchaseId);
      if (!r || r.state !== 'grouping') continue;
      if (outcome === 'filled') {
        const issued = await this.d.records.update(r.purchaseId, (cur) =>
          cur.state !== 'grouping' ? undefined : { ...cur, groupId: g.groupId, state: 'issued' },
        );
        await this.steps.deliver(await this.steps.issue(issued));
      } else {
        const unfilled = await this.d.records.update(r.purchaseId, (cur) =>
          cur.state !== 'grouping'
            ? undefined
            : { ...cur, groupId: g.groupId, state: 'unfilled', moneyBack: { amount: cur.price } },
        );
        await this.giveMoneyBack(unfilled).catch((error: unknown) => {
          // The sweep pays it (its purchase item); the other buyers are still told.
          if (!(error instanceof PaymentChannelError)) throw error;
          this.d.log(error);
        });
      }
    }
  }
}
