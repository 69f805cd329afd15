// The hub's answers to what the store's owner changed from the remote view: each change made through
// the same services as at the store, with the owner as the actor (`remote:<username>`), audited in
// the same write as its answer, done or refused in the store's words. Called by answerIntent
// (intents.ts) only, with an intent whose signature showed it is the cloud's.
import {
  DomainError,
  type Actor,
  type AnswerBody,
  type OwnerIntentDoc,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { save, stored } from './intent-answers';

/**
 * What the owner's change does, and the before and after the audit log keeps of it; `audited`:
 * the service recorded it itself, as it does for staff at the store.
 */
type Change = { action: string; target: string; before: unknown; after: unknown } | 'audited';

/**
 * An owner's change from the remote view, made as the owner would make it at the store, with the
 * owner as the actor (`remote:<username>`): done, or rejected with the store's reason. The change,
 * its audit entry and the answer land in one write; a refusal is audited too.
 */
export async function answerOwner(hub: Hub, intent: OwnerIntentDoc): Promise<AnswerBody> {
  const owner: Actor = { kind: 'staff', id: `remote:${intent.ownerId}`, role: 'owner' };
  const refused = (e: DomainError, action: string, target: string): AnswerBody => {
    hub.audit.record({
      actor: owner,
      action,
      target,
      outcome: 'refused',
      after: { error: e.code },
    });
    // In the store's words as its screens read them (zh-CN, the English where there is none):
    // the owner reads them on the remote page, as they would at the store's dashboard.
    return save(hub, intent, { outcome: 'rejected', reason: e.messageIn('zh-CN').slice(0, 200) });
  };
  const done = (c: Change): AnswerBody => {
    if (c !== 'audited') hub.audit.record({ actor: owner, ...c });
    return save(hub, intent, { outcome: 'done' });
  };

  if (intent.kind === 'device_override') {
    // The device is switched outside any write (it waits for the bus); its answer and audit
    // entry are written together after.
    const { deviceId, on, reason } = intent.body;
    const action = 'device.override';
    const before = hub.devices.states().devices.find((d) => d.deviceId === deviceId)?.override;
    let answer: (() => AnswerBody) | undefined;
    try {
      const after = await hub.devices.override(deviceId, on, reason, owner);
      answer = () =>
        done({
          action,
          target: deviceId,
          before: { override: before ?? null },
          after: { override: after?.override ?? null, reason },
        });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      answer = () => refused(e, action, deviceId);
    }
    return hub.writes.run(() => stored(hub, intent.intentId) ?? answer());
  }

  return hub.writes.run((afterCommit) => {
    const again = stored(hub, intent.intentId);
    if (again) return again;
    /** Makes the change; when the store refuses, undoes it and keeps the refusal. */
    const decide = (action: string, target: string, change: () => Change): AnswerBody => {
      hub.db.exec('SAVEPOINT intent');
      try {
        const c = change();
        hub.db.exec('RELEASE intent');
        return done(c);
      } catch (e) {
        hub.db.exec('ROLLBACK TO intent');
        hub.db.exec('RELEASE intent');
        if (!(e instanceof DomainError)) throw e;
        return refused(e, action, target);
      }
    };
    switch (intent.kind) {
      case 'store_patch': {
        const target = hub.store.getStore().id;
        return decide('store.patch', target, () => {
          const before = hub.store.getStore();
          const after = hub.store.patchStore(intent.body);
          return { action: 'store.patch', target, before, after };
        });
      }
      case 'room_patch': {
        const { roomId, patch } = intent.body;
        return decide('room.patch', roomId, () => {
          const before = hub.store.getRoom(roomId);
          const after = hub.store.patchRoom(roomId, patch, afterCommit);
          return { action: 'room.patch', target: roomId, before, after };
        });
      }
      case 'calendar_set': {
        const { date, type, note } = intent.body;
        return decide('calendar.set', date, () => {
          const [before] = hub.calendar.list(date, date);
          const after = hub.calendar.set(date, type, note ?? null, owner, afterCommit);
          return { action: 'calendar.set', target: date, before, after };
        });
      }
      case 'calendar_remove': {
        const { date } = intent.body;
        return decide('calendar.remove', date, () => {
          const [before] = hub.calendar.list(date, date);
          const after = hub.calendar.remove(date, afterCommit);
          return { action: 'calendar.remove', target: date, before, after };
        });
      }
      // A device schedule, by the store's own rules (the room exists, the schedule does); the
      // devices follow it and the cloud is told once the write is in.
      case 'device_schedule_add': {
        const target = intent.body.roomId ?? '*';
        return decide('device.schedule.add', target, () => {
          const after = hub.devices.schedules.create(intent.body);
          afterCommit(() => hub.devices.schedulesChanged());
          return { action: 'device.schedule.add', target: after.id, before: null, after };
        });
      }
      case 'device_schedule_change': {
        const { scheduleId, schedule } = intent.body;
        return decide('device.schedule.change', scheduleId, () => {
          const before = hub.devices.schedules.get(scheduleId);
          const after = hub.devices.schedules.update(scheduleId, schedule);
          afterCommit(() => hub.devices.schedulesChanged());
          return { action: 'device.schedule.change', target: scheduleId, before, after };
        });
      }
      // The menu's own rules (a price in fen, a threshold not below zero); the published menu
      // and the counter's order form follow through the menu's change notice.
      case 'menu_item_patch': {
        const { itemId, patch } = intent.body;
        return decide('menu.item.patch', itemId, () => {
          const before = hub.menu.item(itemId);
          const after = hub.menu.patchItem(itemId, patch);
          return { action: 'menu.item.patch', target: itemId, before, after };
        });
      }
      // An item added by the menu's own checks (its category exists, specs that hold); the
      // published menu and the counter's order form follow through the menu's change notice.
      case 'menu_item_create': {
        return decide('menu.item.create', intent.body.name, () => {
          const after = hub.menu.createItem(intent.body);
          return { action: 'menu.item.create', target: after.id, before: null, after };
        });
      }
      // A move on the stock ledger by its own rules (a counted item; never below none), as the
      // owner; the published menu follows the count.
      case 'stock_move': {
        const { itemId, move } = intent.body;
        return decide('stock.move', itemId, () => {
          const after = hub.stock.append(
            {
              itemId,
              kind: move.kind,
              quantity: move.kind === 'wasted' ? -move.quantity : move.quantity,
              orderId: null,
              reason: move.reason,
              actor: owner,
            },
            afterCommit,
          );
          return { action: 'stock.move', target: itemId, before: null, after };
        });
      }
      // The levels and the points rules as the dashboard saves them, in one write; members
      // move to what they reach by both; the published settings follow.
      case 'member_settings_put': {
        const { rules, levels, seenLevelIds } = intent.body;
        return decide('member.settings', 'levels', () => {
          const before = hub.members.settingsView();
          const after = hub.members.putSettings(rules, { levels }, owner, seenLevelIds);
          return { action: 'member.settings', target: 'levels', before, after };
        });
      }
      // The staff's own rules (the last owner stays; disabling ends every sign-in); audited by
      // the staff service as at the store, and the published list follows.
      case 'staff_patch': {
        const { staffId, patch } = intent.body;
        return decide('staff.patch', staffId, () => {
          hub.staff.patch(staffId, patch, owner);
          return 'audited';
        });
      }
      // A campaign's own rules (an ended one stays ended); a win-back campaign's job follows.
      case 'campaign_status': {
        const { campaignId, status } = intent.body;
        return decide('campaign.status', campaignId, () => {
          const before = hub.campaigns.get(campaignId);
          const after = hub.coupons.patchCampaign(campaignId, { status });
          return { action: 'campaign.status', target: campaignId, before, after };
        });
      }
      // A campaign's claim end, total limit or name, by the same rules as at the store.
      case 'campaign_patch': {
        const { campaignId, patch } = intent.body;
        return decide('campaign.patch', campaignId, () => {
          const before = hub.campaigns.get(campaignId);
          const after = hub.coupons.patchCampaign(campaignId, patch);
          return { action: 'campaign.patch', target: campaignId, before, after };
        });
      }
      // A campaign made by the store's own checks; its birthday or win-back job follows.
      case 'campaign_create': {
        return decide('campaign.create', intent.body.name, () => {
          const after = hub.coupons.createCampaign(intent.body);
          return { action: 'campaign.create', target: after.id, before: null, after };
        });
      }
      // A campaign's coupon given by hand, by its own limits: to every phone, or to none.
      case 'coupon_give': {
        const { campaignId, phones, note } = intent.body;
        return decide('coupon.give', campaignId, () => {
          const given = hub.coupons.issueByHand(campaignId, phones, owner);
          const after = { given: given.length, couponIds: given.map((c) => c.id), note };
          return { action: 'coupon.give', target: campaignId, before: null, after };
        });
      }
      // A deal made by the store's own checks (a platform's deal mapped once); sold from then on.
      case 'deal_create': {
        return decide('deal.create', intent.body.title, () => {
          const after = hub.deals.create(intent.body);
          return { action: 'deal.create', target: after.id, before: null, after };
        });
      }
      // A deal's terms by its own rules (a platform's deal stays mapped once); vouchers sold keep
      // what they bought, and the published deal follows.
      case 'deal_patch': {
        const { dealId, patch } = intent.body;
        return decide('deal.patch', dealId, () => {
          const before = hub.deals.get(dealId);
          const after = hub.deals.patch(dealId, patch);
          return { action: 'deal.patch', target: dealId, before, after };
        });
      }
      // A deal's own rules (a platform's deal is the platform's); vouchers sold keep what they bought.
      case 'deal_status': {
        const { dealId, status } = intent.body;
        return decide('deal.status', dealId, () => {
          const before = hub.deals.get(dealId);
          const after = hub.deals.patch(dealId, { status });
          return { action: 'deal.status', target: dealId, before, after };
        });
      }
      // Audited by the invoices as their own decision; the customer is told through the
      // published request, as when staff turn it down at the store.
      case 'invoice_reject': {
        const { requestId, reason } = intent.body;
        return decide('invoice.reject', requestId, () => {
          hub.invoices.reject(requestId, reason, owner);
          return 'audited';
        });
      }
      // The PDF the owner sent, checked and kept as an upload at the store would be; audited by
      // the invoices, and the customer's order shows it once the request is published again.
      case 'invoice_issue': {
        const { requestId, number, issuedOn, pdf } = intent.body;
        return decide('invoice.issue', requestId, () => {
          hub.invoices.issue(requestId, { number, issuedOn }, Buffer.from(pdf, 'base64'), owner);
          return 'audited';
        });
      }
      case 'device_schedule_remove': {
        const { scheduleId } = intent.body;
        return decide('device.schedule.remove', scheduleId, () => {
          const before = hub.devices.schedules.remove(scheduleId);
          afterCommit(() => hub.devices.schedulesChanged());
          return { action: 'device.schedule.remove', target: scheduleId, before, after: null };
        });
      }
    }
  });
}
