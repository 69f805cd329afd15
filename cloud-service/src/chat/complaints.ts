// Complaints between a customer and a store (P1, C13). A customer turns their conversation about
// one of their own orders into a complaint with a reason (the reason goes into the conversation,
// so the store sees it at once, marked). The platform's order staff list the complaints, read one
// with the whole conversation and the order's facts as the store's hub published them, step in
// (their lines go into the conversation as 平台客服, unread for both sides) and close it with an
// outcome in words. Every platform action is in the platform's audit trail; the customer and the
// store's owners get a message when the platform steps in and when it closes the complaint (once
// each, however often it is replayed). Owns these decisions; the conversation's lines are chats.ts's,
// the complaint documents complaint-records.ts's.
import {
  BookingDocSchema,
  COMPLAINT_OUTCOME_WORDS,
  DomainError,
  PLATFORM_CHAT_NAME,
  bookingDocId,
  fileComplaint,
  storeDbName,
  type ChatDetail,
  type Clock,
  type ComplaintOrderFacts,
  type ComplaintOutcome,
  type MessageKind,
  type PlatformComplaintDetail,
  type PlatformComplaintView,
} from '@roomhub/shared-types';
import type { CustomerIdentity } from '../auth/tokens';
import type { CouchClient } from '../couch';
import { spanWords } from '../messages/message-events';
import type { Messages } from '../messages/messages';
import type { PlatformAudit } from '../platform/platform-audit';
import type { PlatformCaller } from '../platform/platform-auth';
import { platformWriter, type PlatformStore } from '../platform/platform-store';
import { loadStoreProfiles } from '../stores/store-profiles';
import { CHATS_DB, isCustomersBooking, type ChatDoc, type Chats } from './chats';
import {
  changeComplaint,
  complaintDocId,
  complaintsOf,
  mustGetComplaint,
  putNewComplaint,
  type ComplaintDoc,
} from './complaint-records';

export interface ComplaintsDeps {
  couch: CouchClient;
  clock: Clock;
  chats: Chats;
  messages: Messages;
  platform: { store: PlatformStore; audit: PlatformAudit };
}

export class Complaints {
  constructor(private readonly d: ComplaintsDeps) {}

  private now = () => new Date(this.d.clock.now()).toISOString();

  // ---- the customer's side -------------------------------------------------------------------

  /** Turns the customer's conversation about one of their orders into a complaint. */
  async file(
    who: CustomerIdentity,
    storeId: string,
    chatId: string,
    reason: string,
  ): Promise<ChatDetail> {
    const chat = await this.d.chats.mine(who, storeId, chatId);
    if (!chat.bookingId) {
      throw new DomainError(
        'invalid',
        'complaint_needs_order',
        'a complaint is about an order: open the conversation from the order’s page, then complain',
        'chatId',
      );
    }
    // Checked again: a conversation opened before orders were checked at opening may name any.
    if (!(await isCustomersBooking(this.d.couch, who, storeId, chat.bookingId))) {
      throw new DomainError(
        'invalid',
        'complaint_order_unknown',
        'the order of this conversation is not one of yours that the store has recorded',
        'chatId',
      );
    }
    const at = this.now();
    await putNewComplaint(this.d.couch, {
      _id: complaintDocId(storeId, chatId),
      type: 'complaint',
      storeId,
      chatId,
      bookingId: chat.bookingId,
      customerId: chat.customerId,
      ...fileComplaint(reason, at),
    });
    await this.d.chats.addLine(chat, { from: 'customer', text: reason, note: 'complaint' });
    return this.d.chats.customerRead(who, storeId, chatId);
  }

  // ---- the platform's side -------------------------------------------------------------------

  /** Complaints, newest filed first: open ones (not yet closed), closed ones, or all. */
  async list(status: 'open' | 'closed' | 'all'): Promise<PlatformComplaintView[]> {
    const docs = (await complaintsOf(this.d.couch)).filter(
      (c) => status === 'all' || (status === 'closed') === (c.status === 'closed'),
    );
    const chats = await this.d.couch.byIds<ChatDoc>(
      CHATS_DB,
      docs.map((c) => `chat:${c.storeId}:${c.chatId}`),
    );
    const byKey = new Map(chats.map((c) => [`${c.storeId}:${c.chatId}`, c]));
    const names = new Map<string, string>();
    for (const storeId of new Set(docs.map((c) => c.storeId))) {
      const p = await loadStoreProfiles(this.d.couch, storeId);
      if (p) names.set(storeId, p.store.name);
    }
    return docs
      .map((c) => platformView(c, byKey.get(`${c.storeId}:${c.chatId}`), names.get(c.storeId)))
      .sort((a, b) => (a.filedAt < b.filedAt ? 1 : -1));
  }

  /** One complaint with the whole conversation and the order's facts; nothing is marked read. */
  async detail(storeId: string, chatId: string): Promise<PlatformComplaintDetail> {
    const complaint = await mustGetComplaint(this.d.couch, storeId, chatId);
    const chat = await this.d.chats.find(storeId, chatId);
    const order = await this.orderFacts(complaint);
    const storeName = order
      ? order.storeName
      : (await loadStoreProfiles(this.d.couch, storeId))?.store.name;
    return {
      complaint: platformView(complaint, chat, storeName),
      lines: await this.d.chats.lines(storeId, chatId),
      order,
    };
  }

  /**
   * A platform staff member writes into the complaint's conversation as 平台客服; the first line
   * steps in, and both sides are told.
   */
  async say(
    caller: PlatformCaller,
    storeId: string,
    chatId: string,
    text: string,
  ): Promise<PlatformComplaintDetail> {
    // Refused before anything changes when this instance cannot keep the audit trail.
    const writer = platformWriter(this.d.platform.store);
    const doc = await mustGetComplaint(this.d.couch, storeId, chatId);
    const chat = await this.d.chats.find(storeId, chatId);
    const by = { phone: caller.phone, name: caller.name };
    const { before, after } = await changeComplaint(this.d.couch, doc, {
      kind: 'say',
      at: this.now(),
      by,
    });
    await this.d.chats.addLine(chat, {
      from: 'platform',
      name: PLATFORM_CHAT_NAME,
      staffId: caller.phone,
      text,
    });
    const joined = before.status === 'open';
    await this.d.platform.audit.record(writer, {
      actor: caller.phone,
      action: joined ? 'complaint.join' : 'complaint.say',
      target: complaintDocId(storeId, chatId),
      reason: text,
      detail: { storeId, bookingId: doc.bookingId },
    });
    if (joined) await this.tell(after, 'joined');
    return this.detail(storeId, chatId);
  }

  /** Closes the complaint with its outcome and words, said in the conversation; both told. */
  async close(
    caller: PlatformCaller,
    storeId: string,
    chatId: string,
    outcome: ComplaintOutcome,
    words: string,
  ): Promise<PlatformComplaintDetail> {
    const writer = platformWriter(this.d.platform.store);
    const doc = await mustGetComplaint(this.d.couch, storeId, chatId);
    const chat = await this.d.chats.find(storeId, chatId);
    const { after } = await changeComplaint(this.d.couch, doc, {
      kind: 'close',
      at: this.now(),
      by: { phone: caller.phone, name: caller.name },
      outcome,
      words,
    });
    await this.d.chats.addLine(chat, {
      from: 'platform',
      name: PLATFORM_CHAT_NAME,
      staffId: caller.phone,
      text: words,
      note: 'complaint_closed',
    });
    await this.d.platform.audit.record(writer, {
      actor: caller.phone,
      action: 'complaint.close',
      target: complaintDocId(storeId, chatId),
      reason: words,
      detail: { storeId, bookingId: doc.bookingId, outcome },
    });
    await this.tell(after, 'closed');
    return this.detail(storeId, chatId);
  }

  /** The customer's message and the store owners', once per complaint and step. */
  private async tell(c: ComplaintDoc, step: 'joined' | 'closed'): Promise<void> {
    const order = await this.orderFacts(c);
    const params: Record<string, string> = {
      store: order?.storeName ?? c.storeId,
      order: order
        ? `${order.roomName ?? ''} ${spanWords(order.start, order.end, order.timeZone)}`.trim()
        : `订单 ${c.bookingId.slice(0, 8)}`,
      ...(c.closed
        ? { outcome: COMPLAINT_OUTCOME_WORDS[c.closed.outcome], words: c.closed.words }
        : {}),
    };
    const at = step === 'joined' ? c.joinedAt! : c.closed!.at;
    const key = `complaint:${c.storeId}:${c.chatId}:${step}`;
    const kinds: [MessageKind, MessageKind] =
      step === 'joined'
        ? ['complaint_joined', 'store_complaint_joined']
        : ['complaint_closed', 'store_complaint_closed'];
    await this.d.messages.record([
      {
        key,
        kind: kinds[0],
        storeId: c.storeId,
        customerId: c.customerId,
        bookingId: c.bookingId,
        at,
        params,
      },
      { key, kind: kinds[1], storeId: c.storeId, bookingId: c.bookingId, at, params },
    ]);
  }

  /** The order as the store's hub published it, with its store's and room's names. */
  private async orderFacts(c: ComplaintDoc): Promise<ComplaintOrderFacts | null> {
    const parsed = BookingDocSchema.safeParse(
      await this.d.couch.get(storeDbName(c.storeId), bookingDocId(c.bookingId)),
    );
    if (!parsed.success) return null;
    const b = parsed.data;
    const p = await loadStoreProfiles(this.d.couch, c.storeId);
    const room = p?.rooms.find((r) => r.roomId === b.roomId);
    return {
      bookingId: b.bookingId,
      ...(p ? { storeName: p.store.name } : {}),
      ...(room ? { roomName: room.name } : {}),
      timeZone: p?.store.timeZone ?? 'Asia/Shanghai',
      status: b.status,
      start: b.start,
      end: b.end,
      partySize: b.partySize,
      totals: b.totals,
      lines: b.lines.map((l) => ({
        kind: l.kind,
        label: l.label,
        quantity: l.quantity,
        amount: l.amount,
      })),
      history: b.history.map((h) => ({
        at: h.at,
        action: h.action,
        from: h.from,
        to: h.to,
        ...(h.reason ? { reason: h.reason } : {}),
      })),
    };
  }
}

function platformView(
  c: ComplaintDoc,
  chat: ChatDoc | undefined,
  storeName: string | undefined,
): PlatformComplaintView {
  const { _id: _i, _rev: _r, type: _t, customerId: _c, ...state } = c;
  return {
    ...state,
    ...(storeName ? { storeName } : {}),
    customer: chat?.customerLabel ?? '顾客',
    lastText: chat?.lastText ?? c.reason,
    lastAt: chat?.lastAt ?? c.filedAt,
  };
}
