// Our own deals in the cloud (C12), as the mini-program's pages call them: a store's deals on
// sale, buying one online (the cloud takes the money; a group deal issues once its group fills),
// "my vouchers" with each voucher's rules, validity, state and QR, and a refund of one. The cloud
// validates with these schemas and the pages import them. Pure: schemas and types only.
import { z } from 'zod';
import type { ApiErrorBody } from '../errors';
import type { DealSource, Entitlement } from '../vouchers/deal-rules';
import { StoreIdSchema } from '../sync/databases';
import { IdPartSchema } from '../sync/documents';
import { CustomerSchema } from './bookings';
import { ShareCodeSchema } from './share-code';
import type { VoucherStatus } from './vouchers';

export const DealParamsSchema = z.object({ dealId: IdPartSchema });
export const StoreDealParamsSchema = z.object({ storeId: StoreIdSchema, dealId: IdPartSchema });
export const MyVoucherParamsSchema = z.object({ voucherId: IdPartSchema });

/** A deal of our own on sale, as a customer sees it. */
export interface OnlineDealView {
  dealId: string;
  storeId: string;
  /** Our own deals are bought here; a platform's are shown for what they buy in the store. */
  source: DealSource;
  title: string;
  description: string;
  photos: string[];
  /** What one voucher buys in the store. */
  entitlement: Entitlement;
  price: number;
  originalPrice: number | null;
  /** Buyers a group needs before anyone's voucher is issued; 1: issued at once. */
  groupSize: number;
  /** Hours a group has to fill after its first purchase; unfilled, everyone is refunded. */
  groupHours: number;
  validDays: number;
  perCustomerLimit: number | null;
  /** How many are left to sell online; null: no limit. */
  left: number | null;
  /** The group under way: how many have bought into it and until when it may fill. */
  group: { joined: number; deadline: string } | null;
  /** 随时退: refund any time before use. */
  refundAnyTime: boolean;
  /** 过期退: refunded by itself when it expires unused. */
  refundOnExpiry: boolean;
  updatedAt: string;
}

export interface StoreDeals {
  deals: OnlineDealView[];
}

// ---- sharing a deal -------------------------------------------------------------------------

export { ShareCodeSchema };

/** The query of a deal's page opened from a share link. */
export const SharedDealQuerySchema = z.object({ share: ShareCodeSchema.optional() });

/**
 * A signed-in customer's share of one deal: the same code every time they share it, and the
 * page's path (under the customer's pages, `/h5`) that opens the deal for anyone with it.
 */
export interface DealShareView {
  shareId: string;
  storeId: string;
  dealId: string;
  /** The share link's path, e.g. `/h5/stores/s1/deals/d1?share=Ab3...`. */
  path: string;
  /** The title a share card and a chat's link preview show. */
  title: string;
}

/** The mini-program page that hosts the customer's pages in its web-view, `?url=` the page's path. */
export const MINI_PROGRAM_WEB_VIEW_PAGE = '/pages/web/web';

/**
 * What the customer's pages post to the mini-program (`wx.miniProgram.postMessage({ data })`) for
 * its `onShareAppMessage`: the card's title, the mini-program page to open (its web-view with the
 * share link) and the card's picture (the deal's photo, else the link's QR code).
 */
export interface MiniProgramShareMessage {
  share: {
    title: string;
    /** `/pages/web/web?url=<the share link's path, encoded>`. */
    path: string;
    /** Absolute: `https://…`. */
    imageUrl: string;
  };
}

export const PurchaseBodySchema = z.object({
  /** For a WeChat sign-in without a phone on its token: the phone the store knows the buyer by. */
  phone: CustomerSchema.shape.phone.optional(),
  /** The share link the buyer came through: the one who shared it may be rewarded. */
  share: ShareCodeSchema.optional(),
});

/**
 * `paying` while the money is being taken; `failed` when it was not; `grouping` paid, waiting for
 * the group to fill; `issued` the voucher is out; `unfilled` the group did not fill in time, the
 * money went back and nothing was issued.
 */
export const PurchaseStateSchema = z.enum(['paying', 'failed', 'grouping', 'issued', 'unfilled']);
export type PurchaseState = z.infer<typeof PurchaseStateSchema>;

/** A refund of a voucher as the customer follows it. */
export interface VoucherRefundView {
  /** `asked` waits for the store (offline: it answers when back); `rejected` with its reason. */
  state: 'asked' | 'rejected' | 'done' | 'paid';
  /** 随时退 asked by the customer, or 过期退 when it expired unused. */
  why: 'asked' | 'expired';
  amount: number;
  reason?: string;
  message?: string;
  askedAt: string;
}

export interface MyVoucherView {
  voucherId: string;
  /** The 12 digits to type at the counter. */
  code: string;
  /** The QR the store's hub checks with no network. */
  qr: string;
  storeId: string;
  dealId: string;
  title: string;
  /** What it buys: the deal's rules when it was bought. */
  entitlement: Entitlement;
  price: number;
  refundAnyTime: boolean;
  refundOnExpiry: boolean;
  status: VoucherStatus;
  /** In the store's time zone. */
  validFrom: string;
  validUntil: string;
  refund: VoucherRefundView | null;
}

/** A refund the store refused (the voucher was used): the error shape and the voucher beside it. */
export type VoucherRefundRefusal = ApiErrorBody & MyVoucherView;

export interface PurchaseView {
  purchaseId: string;
  storeId: string;
  dealId: string;
  title: string;
  price: number;
  state: PurchaseState;
  /** A group deal's group: its size, buyers in it so far, until when it may fill. */
  group: { size: number; joined: number; deadline: string } | null;
  /** What went back when the group did not fill: fen, and whether it has been paid yet. */
  moneyBack: { amount: number; paid: boolean } | null;
  voucher: MyVoucherView | null;
  createdAt: string;
}

export interface MyVouchers {
  vouchers: MyVoucherView[];
  /** Purchases with no voucher: a group filling, a group that did not fill, a failed payment. */
  purchases: PurchaseView[];
}
