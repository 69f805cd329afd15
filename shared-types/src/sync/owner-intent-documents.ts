// What a store's owner changes from the remote view, as the intents the cloud writes for a signed-in
// owner into the store's inbox: each the hub's own change of the same name, made by the hub for
// the owner through the same services as at the store (owner-answers.ts). No I/O.
import { z } from 'zod';
import { IdPartSchema } from './id-part';
import { ownerIntentBase } from './intent-base';
import { CalendarPutSchema } from '../api/calendar';
import { DeviceOverrideSchema } from '../api/devices';
import { DeviceScheduleInputSchema } from '../devices/device-schedules';
import { RoomPatchSchema, StorePatchSchema } from '../api/store';
import {
  INVOICE_PDF_MAX_BYTES,
  InvoiceIssueQuerySchema,
  InvoiceRejectSchema,
} from '../api/invoices';
import { MenuItemInputSchema, RemoteMenuItemPatchSchema, StockMoveInputSchema } from '../api/menu';
import {
  CampaignCreateSchema,
  CampaignStatusSchema,
  CouponIssueSchema,
  RemoteCampaignPatchSchema,
} from '../api/coupons';
import { MemberSettingsPutSchema } from '../api/members';
import { DealInputSchema, RemoteDealPatchSchema, RemoteDealStatusSchema } from '../api/vouchers';
import { StaffPatchSchema } from '../api/staff';
import { LocalDateSchema } from '../time/instant';

/**
 * What a store's owner changes from the remote view; each is the hub's own change of the same
 * name (`store.patch`...), made by the hub for the owner.
 */
export const OwnerIntentKindSchema = z.enum([
  'store_patch',
  'room_patch',
  'calendar_set',
  'calendar_remove',
  'device_override',
  'device_schedule_add',
  'device_schedule_change',
  'device_schedule_remove',
  'menu_item_patch',
  'campaign_status',
  'deal_status',
  'invoice_reject',
  'invoice_issue',
  'campaign_create',
  'deal_create',
  'menu_item_create',
  'stock_move',
  'member_settings_put',
  'staff_patch',
  'coupon_give',
  'deal_patch',
  'campaign_patch',
]);
export type OwnerIntentKind = z.infer<typeof OwnerIntentKindSchema>;

export const StorePatchIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('store_patch'),
  body: StorePatchSchema,
});

export const RoomPatchIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('room_patch'),
  body: z.object({ roomId: IdPartSchema, patch: RoomPatchSchema }),
});

export const CalendarSetIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('calendar_set'),
  body: CalendarPutSchema.extend({ date: LocalDateSchema }),
});

export const CalendarRemoveIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('calendar_remove'),
  body: z.object({ date: LocalDateSchema }),
});

export const DeviceOverrideIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('device_override'),
  body: DeviceOverrideSchema.extend({ deviceId: IdPartSchema }),
});

/** A device schedule added, changed whole or removed, by the same rules as at the store. */
export const DeviceScheduleAddIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('device_schedule_add'),
  body: DeviceScheduleInputSchema,
});

export const DeviceScheduleChangeIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('device_schedule_change'),
  body: z.object({ scheduleId: IdPartSchema, schedule: DeviceScheduleInputSchema }),
});

export const DeviceScheduleRemoveIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('device_schedule_remove'),
  body: z.object({ scheduleId: IdPartSchema }),
});

/** An item of the menu repriced, switched off or on, or given another low-stock threshold. */
export const MenuItemPatchIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('menu_item_patch'),
  body: z.object({ itemId: IdPartSchema, patch: RemoteMenuItemPatchSchema }),
});

/** A new item of the menu, checked by the store as one added at its dashboard. */
export const MenuItemCreateIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('menu_item_create'),
  body: MenuItemInputSchema,
});

/** Goods received, thrown away or counted for a counted item, a move on the store's stock ledger. */
export const StockMoveIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('stock_move'),
  body: z.object({ itemId: IdPartSchema, move: StockMoveInputSchema }),
});

/** The member levels and points rules, changed together as the store's dashboard would. */
export const MemberSettingsIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('member_settings_put'),
  body: MemberSettingsPutSchema,
});

/** A campaign paused, resumed or ended, by the same rules as at the store. */
export const CampaignStatusIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('campaign_status'),
  body: z.object({ campaignId: IdPartSchema, status: CampaignStatusSchema }),
});

/** A campaign's claim end, total limit or name changed; coupons already given keep theirs. */
export const CampaignPatchIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('campaign_patch'),
  body: z.object({ campaignId: IdPartSchema, patch: RemoteCampaignPatchSchema }),
});

/**
 * A campaign's coupon given by hand to the customers whose phones the owner typed (a goodwill
 * gesture, a prize), by the campaign's own limits; all of them or, refused, none.
 */
export const CouponGiveIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('coupon_give'),
  body: CouponIssueSchema.extend({ campaignId: IdPartSchema }),
});

/** A new campaign, checked by the store as one made at its own dashboard. */
export const CampaignCreateIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('campaign_create'),
  body: CampaignCreateSchema,
});

/** A new deal (or a platform's deal mapped), checked by the store as one made at its dashboard. */
export const DealCreateIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('deal_create'),
  body: DealInputSchema,
});

/** A deal's terms changed (its price, rules, stock...); vouchers already sold keep theirs. */
export const DealPatchIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('deal_patch'),
  body: z.object({ dealId: IdPartSchema, patch: RemoteDealPatchSchema }),
});

/** A deal put on sale or taken off it; vouchers already sold keep what they bought. */
export const DealStatusIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('deal_status'),
  body: z.object({ dealId: IdPartSchema, status: RemoteDealStatusSchema }),
});

/** A customer's invoice request turned down, saying why; the customer may ask again. */
export const InvoiceRejectIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('invoice_reject'),
  body: InvoiceRejectSchema.extend({ requestId: IdPartSchema }),
});

/**
 * A customer's invoice issued from afar: the number and date the tax system printed, and its PDF
 * itself (base64, at most the store's upload limit), covered by the intent's signature like the
 * rest, so the store keeps exactly the file the owner sent. The store checks it as an upload.
 */
export const InvoiceIssueIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('invoice_issue'),
  body: InvoiceIssueQuerySchema.extend({
    requestId: IdPartSchema,
    pdf: z
      .string()
      .min(1, 'the PDF file is empty')
      .max(Math.ceil(INVOICE_PDF_MAX_BYTES / 3) * 4, 'the PDF is over the upload limit')
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be the PDF in base64'),
  }),
});

/**
 * A staff member renamed, given another role, disabled (every sign-in of theirs ends) or enabled,
 * by the same rules as at the store (the last owner stays). PINs are set at the store only.
 */
export const StaffPatchIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('staff_patch'),
  body: z.object({ staffId: IdPartSchema, patch: StaffPatchSchema }),
});
