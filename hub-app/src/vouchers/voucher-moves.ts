// Our own vouchers of the owner's other stores, used here (issue 12): online only. The voucher's
// home store alone decides whether it was used, so this store asks the cloud to move it here; the
// cloud asks the home store's hub, which marks it moved (never redeemable there again) or says
// why not, and signs the pass anew for this store. Kept here before it is redeemed, in its own
// write, so a redemption that then fails leaves it usable here. Owns only the asking: the
// voucher's row is `OwnVouchers`'; never redeems.
import {
  DomainError,
  readVoucherQr,
  type Clock,
  type VoucherMoved,
  type VoucherMoveRequest,
  type VoucherPass,
} from '@roomhub/shared-types';
import type { WriteQueue } from '../db/write-queue';
import type { StoreService } from '../store/store.service';
import { otherStore, type OwnVouchers } from './own-vouchers';

/**
 * The cloud's voucher move (cloud-sync's `CloudVoucherMoves`). Refuses with the product's codes:
 * `voucher_used`, `voucher_refunded`, `voucher_moved`, `voucher_other_owner`...; a home store or
 * a cloud that does not answer in time is `voucher_other_store`.
 */
export interface VoucherMoveClient {
  move(req: VoucherMoveRequest): Promise<VoucherMoved>;
}

export interface VoucherMoveDeps {
  clock: Clock;
  writes: WriteQueue;
  store: StoreService;
  own: OwnVouchers;
  client: () => VoucherMoveClient | undefined;
}

export class VoucherMoves {
  constructor(private readonly d: VoucherMoveDeps) {}

  /**
   * Moves the voucher a scanned QR names here when it is another store's and not here yet; does
   * nothing for anything else (this store's vouchers, codes, platforms' codes).
   */
  async bringHere(text: string): Promise<void> {
    const pass = this.elsewhere(text);
    if (!pass) return;
    if (this.d.clock.now() >= pass.validUntil * 1000) {
      // Asking would only take it from its home store, where an expired one may be refunded.
      throw new DomainError('gone', 'voucher_expired', 'this voucher has expired', 'text');
    }
    const client = this.d.client();
    if (!client) throw otherStore();
    const moved = await client.move({ pass });
    await this.d.writes.run(() => this.d.own.moveIn(moved, pass.store));
  }

  /** The pass of another store's voucher this store does not hold, or undefined. */
  private elsewhere(text: string): VoucherPass | undefined {
    const pass = readVoucherQr(text);
    const here = this.d.store.getStore().id;
    if (!pass || pass.store === here) return undefined;
    const known = this.d.own.find(pass.id);
    if (known && known.store_id === here && known.moved_to === null) return undefined;
    // A cloud pass that does not check is refused as forged without asking anyone.
    if (pass.issuer === 'cloud' && !this.d.own.genuine(pass)) return undefined;
    return pass;
  }
}
