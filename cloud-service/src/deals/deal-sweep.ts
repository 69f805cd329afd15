// Carries purchases on: takes the step a purchase waits for (its payment, its group, its voucher
// to the store, a refund's answer and its money) as far as it goes now, and runs the sweep over
// what is due (due-work.ts): groups past their deadline, vouchers expired unused whose deal
// refunds on expiry (过期退), purchases interrupted halfway, here or on another instance. Decides
// no step itself (purchase-steps.ts, group-buying.ts, voucher-refunds.ts do) and never writes a
// store's database.
import { DomainError } from '@roomhub/shared-types';
import { PaymentChannelError } from '../payments/payment-channel';
import type { DueOutcome, DueWork } from './due-work';
import type { GroupBuying } from './group-buying';
import type { PurchaseRecord, PurchaseRecords } from './purchase-records';
import type { PurchaseSteps } from './purchase-steps';
import type { VoucherRefunds } from './voucher-refunds';

export interface DealSweepDeps {
  records: PurchaseRecords;
  due: DueWork;
  log: (error: unknown) => void;
}

export class DealSweep {
  constructor(
    private readonly d: DealSweepDeps,
    private readonly steps: PurchaseSteps,
    private readonly groups: GroupBuying,
    private readonly refunds: VoucherRefunds,
  ) {}

  /**
   * Takes the step the purchase is waiting for, as far as it goes now: the payment, the group,
   * the voucher to the store, a refund's answer and its money. A gateway that does not answer
   * leaves it where it is (the sweep carries on), or is told when `throwUnavailable`.
   */
  async advance(
    record: PurchaseRecord,
    options: { throwUnavailable?: boolean } = {},
  ): Promise<PurchaseRecord> {
    let r = record;
    try {
      if (r.state === 'paying') r = await this.steps.pay(r);
      if (r.state === 'grouping') r = await this.groups.group(r);
      if (r.state === 'issued') r = await this.steps.deliver(r);
      if (r.state === 'issued' && r.refund) r = await this.refunds.settle(r);
      if (r.state === 'unfilled') r = await this.groups.giveMoneyBack(r);
    } catch (error) {
      if (!(error instanceof PaymentChannelError && error.code === 'unavailable')) throw error;
      if (options.throwUnavailable) {
        throw new DomainError('unavailable', 'gateway_unavailable', error.message);
      }
      this.d.log(error);
    }
    return r;
  }

  /** Runs what is due; how many items ran. */
  run(): Promise<number> {
    return this.d.due.run((key) => this.work(key), this.d.log);
  }

  private async work(key: string): Promise<DueOutcome> {
    const [kind, ...rest] = key.split(':');
    if (kind === 'group') {
      const [storeId, dealId] = rest as [string, string];
      return this.groups.deadline(storeId, dealId);
    }
    const r = await this.d.records.get(rest.join(':'));
    if (!r) return 'done';
    if (kind === 'expiry') return this.refunds.expiry(r);
    const after = await this.advance(r);
    return this.atRest(after) ? 'done' : 'later';
  }

  /** Whether nothing is left to do for the purchase but wait for its group or its use. */
  private atRest(r: PurchaseRecord): boolean {
    switch (r.state) {
      case 'failed':
        return true;
      case 'paying':
        return false;
      case 'grouping':
        return r.groupId !== undefined;
      case 'unfilled':
        return r.moneyBack?.paidAt !== undefined;
      case 'issued':
        return (
          r.voucher?.sent === true && (!r.refund || ['rejected', 'paid'].includes(r.refund.state))
        );
    }
  }
}
