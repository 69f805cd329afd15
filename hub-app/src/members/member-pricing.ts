// The members domain behind the booking's seam (booking/discount-sources.ts): a member's level
// discount and longer booking window, their points and what one is worth, points spent on a
// booking and given back. Reads and writes only through the member service; the booking service
// calls the writing ones inside its own write.
import type { Actor, MemberDiscount } from '@roomhub/shared-types';
import type { MemberPricing } from '../booking/discount-sources';
import type { MemberRecords } from './member-records';
import type { MemberService } from './member.service';
import type { MemberSettings } from './member-settings';

export class MembersPricing implements MemberPricing {
  constructor(
    private readonly members: MemberService,
    private readonly records: MemberRecords,
    private readonly settings: MemberSettings,
  ) {}

  discountFor(phone: string): MemberDiscount | null {
    const level = this.levelOf(phone);
    return level
      ? {
          level: level.name,
          roomPercentOff: level.roomPercentOff,
          itemPercentOff: level.itemPercentOff,
        }
      : null;
  }

  bookingWindowDays(phone: string): number {
    return this.levelOf(phone)?.extraBookingDays ?? 0;
  }

  fenPerPoint(): number {
    return this.settings.rules().fenPerPoint;
  }

  pointsOf(phone: string): number {
    return this.members.pointsOf(phone);
  }

  spendPoints(phone: string, points: number, ref: string, actor: Actor): void {
    this.members.spendPoints(phone, points, ref, actor);
  }

  returnPoints(ref: string, actor: Actor): void {
    this.members.returnPoints(ref, actor);
  }

  private levelOf(phone: string) {
    const member = this.records.byPhone(phone);
    return member ? this.settings.level(member.level_id) : null;
  }
}
