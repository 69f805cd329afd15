// What a store's owner changes from the remote view: the store and its booking rules, a room (its
// price plan, or retiring it), a day of the calendar, a device switched by hand or given back, a
// device schedule added, changed or removed, an item of the menu added, repriced or switched off,
// its stock received, thrown away or counted, a campaign started, paused, resumed or ended, its
// coupon given by hand, the member levels and points rules, a staff member disabled or enabled, a
// deal made, its terms changed, put on sale or taken off it, an invoice request turned down or issued with its PDF.
// The cloud never changes a store's facts itself: each change is an owner intent, written for a
// signed-in owner of that store into its inbox, that the store's hub makes through its own services
// (audited, as the owner) and answers once. One owner change per store is under way at a time:
// intents pulled together reach the hub in no set order, so a later change must not overtake an
// earlier one. Owns the rules the cloud applies before it writes one (the owner runs the store, the
// store and the room exist, nothing else is under way); never writes a hub document.
import type { z } from 'zod';
import {
  assertPdfContentType,
  checkPdf,
  DomainError,
  notFound,
  type CalendarPutSchema,
  type DeviceOverrideSchema,
  type DeviceScheduleInputSchema,
  MENU_DOC_ID,
  MenuDocSchema,
  campaignDocId,
  dealDocId,
  invoiceDocId,
  storeDbName,
  type CampaignCreate,
  type CouponIssueSchema,
  type DealInputSchema,
  type MenuItemInputSchema,
  type MemberSettingsPutSchema,
  type RemoteStaffPatchSchema,
  type StockMoveInputSchema,
  type CampaignStatus,
  type RemoteCampaignPatch,
  type RemoteDealStatusSchema,
  type RemoteDealPatchSchema,
  type IntentView,
  type InvoiceIssueQuery,
  type OwnerIntentKind,
  type RemoteMenuItemPatchSchema,
  type RoomPatchSchema,
  type StorePatchSchema,
} from '@roomhub/shared-types';
import type { OwnerIdentity } from '../auth/tokens';
import type { CouchClient } from '../couch';
import { intentView, type IntentRecord, type IntentService } from '../intents/intents';
import { loadStoreProfiles, type StoreProfiles } from '../stores/store-profiles';
import type { StoreCache } from '../stores/store-cache';
import type { StoreZones } from '../stores/store-zones';

export interface OwnerIntentDeps {
  couch: CouchClient;
  intents: IntentService;
  /** Times in answers are in the store's zone. */
  zones: StoreZones;
  /** A change not answered within this expires; the store then never makes it. */
  changeTimeoutMs: number;
  /** A device switch not answered within this expires: a light must not come on minutes later. */
  deviceTimeoutMs: number;
  /** How long a change waits for the store's answer before it is answered as waiting. */
  waitMs: number;
  /** What this instance keeps of the stores' databases: a change answered drops the store's. */
  storeCache?: Pick<StoreCache, 'forget'>;
}

export class OwnerIntents {
  constructor(private readonly d: OwnerIntentDeps) {}

  /** Edits the store and its booking rules. */
  patchStore(
    owner: OwnerIdentity,
    storeId: string,
    patch: z.output<typeof StorePatchSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    return this.ask(owner, storeId, 'store_patch', patch, idempotencyKey);
  }

  /** Edits a room: its price plan, its rules, or retires it. */
  async patchRoom(
    owner: OwnerIdentity,
    storeId: string,
    roomId: string,
    patch: z.output<typeof RoomPatchSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    const profiles = await this.access(owner, storeId);
    if (!profiles.rooms.some((r) => r.roomId === roomId)) throw notFound('room', roomId, 'roomId');
    return this.ask(owner, storeId, 'room_patch', { roomId, patch }, idempotencyKey);
  }

  /** Overrides a day's type; the official calendar applies again once it is removed. */
  setDay(
    owner: OwnerIdentity,
    storeId: string,
    date: string,
    body: z.output<typeof CalendarPutSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    return this.ask(owner, storeId, 'calendar_set', { date, ...body }, idempotencyKey);
  }

  removeDay(
    owner: OwnerIdentity,
    storeId: string,
    date: string,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    return this.ask(owner, storeId, 'calendar_remove', { date }, idempotencyKey);
  }

  /** Switches a device by hand (`on: true / false`) or gives it back to the sessions (`null`). */
  overrideDevice(
    owner: OwnerIdentity,
    storeId: string,
    deviceId: string,
    body: z.output<typeof DeviceOverrideSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    return this.ask(owner, storeId, 'device_override', { deviceId, ...body }, idempotencyKey);
  }

  /** Adds a device schedule; the body is checked by the hub's own rules before it is sent. */
  addSchedule(
    owner: OwnerIdentity,
    storeId: string,
    schedule: z.output<typeof DeviceScheduleInputSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    return this.ask(owner, storeId, 'device_schedule_add', schedule, idempotencyKey);
  }

  /** Changes a device schedule whole. */
  changeSchedule(
    owner: OwnerIdentity,
    storeId: string,
    scheduleId: string,
    schedule: z.output<typeof DeviceScheduleInputSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    const body = { scheduleId, schedule };
    return this.ask(owner, storeId, 'device_schedule_change', body, idempotencyKey);
  }

  removeSchedule(
    owner: OwnerIdentity,
    storeId: string,
    scheduleId: string,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    return this.ask(owner, storeId, 'device_schedule_remove', { scheduleId }, idempotencyKey);
  }

  /** Reprices an item of the menu, switches it off or on, or sets its low-stock threshold. */
  async patchMenuItem(
    owner: OwnerIdentity,
    storeId: string,
    itemId: string,
    patch: z.output<typeof RemoteMenuItemPatchSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    await this.onMenu(owner, storeId, itemId);
    return this.ask(owner, storeId, 'menu_item_patch', { itemId, patch }, idempotencyKey);
  }

  /** Records goods received, thrown away or counted for an item whose stock the store counts. */
  async moveStock(
    owner: OwnerIdentity,
    storeId: string,
    itemId: string,
    move: z.output<typeof StockMoveInputSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    await this.onMenu(owner, storeId, itemId);
    return this.ask(owner, storeId, 'stock_move', { itemId, move }, idempotencyKey);
  }

  /** The owner runs the store and the item is on the menu it published, else 403 or 404. */
  private async onMenu(owner: OwnerIdentity, storeId: string, itemId: string): Promise<void> {
    this.mayChange(owner, storeId);
    const menu = MenuDocSchema.safeParse(await this.d.couch.get(storeDbName(storeId), MENU_DOC_ID));
    const known =
      menu.success && menu.data.categories.some((c) => c.items.some((i) => i.itemId === itemId));
    if (!known) throw notFound('item', itemId, 'itemId');
  }

  /** Pauses, resumes or ends a campaign the store published. */
  async setCampaignStatus(
    owner: OwnerIdentity,
    storeId: string,
    campaignId: string,
    status: CampaignStatus,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    await this.published(owner, storeId, campaignDocId(campaignId), 'campaign', campaignId);
    return this.ask(owner, storeId, 'campaign_status', { campaignId, status }, idempotencyKey);
  }

  /** Changes a campaign's claim end, total limit or name at the store, by its own rules. */
  async patchCampaign(
    owner: OwnerIdentity,
    storeId: string,
    campaignId: string,
    patch: RemoteCampaignPatch,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    await this.published(owner, storeId, campaignDocId(campaignId), 'campaign', campaignId);
    return this.ask(owner, storeId, 'campaign_patch', { campaignId, patch }, idempotencyKey);
  }

  /** Gives a campaign's coupon by hand to the phones typed, by the campaign's own limits. */
  async giveCoupons(
    owner: OwnerIdentity,
    storeId: string,
    campaignId: string,
    body: z.output<typeof CouponIssueSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    await this.published(owner, storeId, campaignDocId(campaignId), 'campaign', campaignId);
    return this.ask(owner, storeId, 'coupon_give', { campaignId, ...body }, idempotencyKey);
  }

  /** Adds an item to the store's menu, checked there as at its dashboard. */
  async createMenuItem(
    owner: OwnerIdentity,
    storeId: string,
    item: z.output<typeof MenuItemInputSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    return this.ask(owner, storeId, 'menu_item_create', item, idempotencyKey);
  }

  /** Changes the member levels and the points rules together, as the store's dashboard saves them. */
  async putMemberSettings(
    owner: OwnerIdentity,
    storeId: string,
    settings: z.output<typeof MemberSettingsPutSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    return this.ask(owner, storeId, 'member_settings_put', settings, idempotencyKey);
  }

  /**
   * Disables a staff member (their sign-ins end) or enables them; the store checks it by its own
   * rules (the last owner stays).
   */
  async patchStaff(
    owner: OwnerIdentity,
    storeId: string,
    staffId: string,
    patch: z.output<typeof RemoteStaffPatchSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    return this.ask(owner, storeId, 'staff_patch', { staffId, patch }, idempotencyKey);
  }

  /** Starts a new campaign at the store, checked there as one made at its dashboard. */
  async createCampaign(
    owner: OwnerIdentity,
    storeId: string,
    campaign: CampaignCreate,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    return this.ask(owner, storeId, 'campaign_create', campaign, idempotencyKey);
  }

  /** Makes a new deal at the store (or maps a platform's), checked there as at its dashboard. */
  async createDeal(
    owner: OwnerIdentity,
    storeId: string,
    deal: z.output<typeof DealInputSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    return this.ask(owner, storeId, 'deal_create', deal, idempotencyKey);
  }

  /** Puts a deal the store published on sale or takes it off. */
  async setDealStatus(
    owner: OwnerIdentity,
    storeId: string,
    dealId: string,
    status: z.output<typeof RemoteDealStatusSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    await this.published(owner, storeId, dealDocId(dealId), 'deal', dealId);
    return this.ask(owner, storeId, 'deal_status', { dealId, status }, idempotencyKey);
  }

  /** Changes a deal's terms at the store, checked there as at its dashboard. */
  async patchDeal(
    owner: OwnerIdentity,
    storeId: string,
    dealId: string,
    patch: z.output<typeof RemoteDealPatchSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    await this.published(owner, storeId, dealDocId(dealId), 'deal', dealId);
    return this.ask(owner, storeId, 'deal_patch', { dealId, patch }, idempotencyKey);
  }

  /** Turns a customer's invoice request down, saying why. */
  async rejectInvoice(
    owner: OwnerIdentity,
    storeId: string,
    requestId: string,
    reason: string,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    await this.published(owner, storeId, invoiceDocId(requestId), 'invoice', requestId);
    return this.ask(owner, storeId, 'invoice_reject', { requestId, reason }, idempotencyKey);
  }

  /**
   * Issues a customer's invoice with the PDF the tax system made (its declared type and bytes,
   * checked here as the store checks them, so a wrong file is refused before it travels); the
   * store keeps it and publishes it to the customer's order.
   */
  async issueInvoice(
    owner: OwnerIdentity,
    storeId: string,
    requestId: string,
    issue: InvoiceIssueQuery,
    pdf: { type: string | undefined; bytes: Uint8Array },
    idempotencyKey?: string,
  ): Promise<IntentView> {
    this.mayChange(owner, storeId);
    assertPdfContentType(pdf.type);
    checkPdf(pdf.bytes);
    await this.published(owner, storeId, invoiceDocId(requestId), 'invoice', requestId);
    const body = { requestId, ...issue, pdf: Buffer.from(pdf.bytes).toString('base64') };
    return this.ask(owner, storeId, 'invoice_issue', body, idempotencyKey);
  }

  /** The owner runs the store and its hub published this document, else 403 or 404. */
  private async published(
    owner: OwnerIdentity,
    storeId: string,
    docId: string,
    what: string,
    id: string,
  ): Promise<void> {
    this.mayChange(owner, storeId);
    const doc = await this.d.couch.get(storeDbName(storeId), docId);
    if (!doc) throw notFound(what, id, `${what}Id`);
  }

  /** How one of the owner's changes to the store fared. */
  async intent(owner: OwnerIdentity, storeId: string, intentId: string): Promise<IntentView> {
    this.mayChange(owner, storeId);
    const doc = await this.d.intents.get({ ownerId: owner.username }, intentId);
    if (!doc || doc.storeId !== storeId) throw notFound('intent', intentId, 'intentId');
    return intentView(doc, await this.d.zones.formatFor(storeId));
  }

  private async ask(
    owner: OwnerIdentity,
    storeId: string,
    kind: OwnerIntentKind,
    body: Record<string, unknown>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    await this.access(owner, storeId);
    const doc = await this.d.intents.submit({
      storeId,
      by: { ownerId: owner.username },
      kind,
      body,
      expiresInMs: kind === 'device_override' ? this.d.deviceTimeoutMs : this.d.changeTimeoutMs,
      ...(idempotencyKey ? { idempotencyKey } : {}),
      beforeSend: (record) => this.aloneUnderWay(record),
    });
    const answered = await this.d.intents.waitForAnswer(doc, this.d.waitMs);
    // The owner's next read shows what the store made of it, even before the feed tells it.
    if (answered.answer) this.d.storeCache?.forget(storeId);
    return intentView(answered, await this.d.zones.formatFor(storeId));
  }

  /**
   * The change goes only if no other change of this store is still waiting. The check comes after
   * its own record is written, so two changes made at once (on two instances) never both go: at
   * worst both are refused, and the owner sends one again.
   */
  private async aloneUnderWay(record: IntentRecord): Promise<void> {
    const waiting = await this.d.intents.ownersWaiting(record.storeId, 2);
    if (waiting.some((w) => w.intentId !== record.intentId)) {
      throw new DomainError(
        'conflict',
        'change_under_way',
        'an earlier change to this store has not reached it yet; try again once it is answered',
      );
    }
  }

  private mayChange(owner: OwnerIdentity, storeId: string): void {
    if (!owner.storeIds.includes(storeId)) {
      throw new DomainError('forbidden', 'not_your_store', 'this account does not run that store');
    }
  }

  /** The store, if this owner runs it and its hub has published it. */
  private async access(owner: OwnerIdentity, storeId: string): Promise<StoreProfiles> {
    this.mayChange(owner, storeId);
    const profiles = await loadStoreProfiles(this.d.couch, storeId);
    if (!profiles) throw notFound('store', storeId, 'storeId');
    return profiles;
  }
}
