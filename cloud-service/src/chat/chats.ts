// Customer-service chat (C13), a cloud fact in the cloud-private `chats` database:
//   chat:<storeId>:<chatId>             the conversation: whose, about which order, unread counts
//   line:<storeId>:<chatId>:<ms>:<id>   each line, in time order by its id
//   mine:<customerId>:<storeId>:<chatId> the customer's index of their conversations
// A customer opens and writes; the store's side writes through its hub (which proved the staff
// member) or as its owner; the platform writes into a complaint (complaints.ts). A conversation
// is never another customer's or another store's: a chat id that is not the caller's is answered
// as not found, and one is opened about an order only if it is the customer's at that store.
// Counts change through revisions. A conversation turned into a complaint is shown with it
// (complaint-records.ts keeps those).
import {
  BookingDocSchema,
  CLOUD_DBS,
  DomainError,
  bookingDocId,
  storeDbName,
  type ChatDetail,
  type ChatLineView,
  type ChatList,
  type ChatSide,
  type ChatView,
  complaintView,
} from '@roomhub/shared-types';
import { maskPhone } from '../account/mask-phone';
import { customerIds, type CustomerIdentity, type OwnerIdentity } from '../auth/tokens';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';
import { loadStoreProfiles } from '../stores/store-profiles';
import {
  complaintsByChat,
  complaintsOf,
  getComplaint,
  type ComplaintDoc,
} from './complaint-records';

export const CHATS_DB = CLOUD_DBS.chats;

export interface ChatDoc extends CouchDoc {
  type: 'chat';
  storeId: string;
  chatId: string;
  customerId: string;
  customerLabel: string;
  bookingId?: string;
  /** Set on conversations opened as complaints before complaints had their own documents. */
  complaint?: boolean;
  lastText: string;
  lastAt: string;
  unreadByCustomer: number;
  unreadByStore: number;
  /** How many lines it has had: the next line's number. */
  lines?: number;
}

interface LineDoc extends CouchDoc {
  type: 'chat_line';
  from: ChatSide;
  name?: string;
  staffId?: string;
  text: string;
  at: string;
  note?: ChatLineView['note'];
}

/** A line to add: who writes it (a staff member's id and name on the store's or platform's side). */
export interface NewLine {
  from: ChatSide;
  name?: string;
  staffId?: string;
  text: string;
  note?: ChatLineView['note'];
}

export interface ChatsDeps {
  couch: CouchClient;
  clock: { now(): number };
  newId: () => string;
}

const chatDocId = (storeId: string, chatId: string) => `chat:${storeId}:${chatId}`;
const linePrefix = (storeId: string, chatId: string) => `line:${storeId}:${chatId}:`;
const notFound = () =>
  new DomainError('not_found', 'chat_not_found', 'no such conversation', 'chatId');

/**
 * Whether the booking is the customer's at the store, as the store's hub published it: under
 * their id, or the one they had before customer ids were keyed.
 */
export async function isCustomersBooking(
  couch: CouchClient,
  who: CustomerIdentity,
  storeId: string,
  bookingId: string,
): Promise<boolean> {
  const booking = BookingDocSchema.safeParse(
    await couch.get(storeDbName(storeId), bookingDocId(bookingId)),
  );
  const ids = customerIds(who);
  return (
    booking.success &&
    booking.data.customerId !== undefined &&
    ids.includes(booking.data.customerId)
  );
}

export class Chats {
  constructor(private readonly d: ChatsDeps) {}

  async init(): Promise<void> {
    await this.d.couch.requireDb(CHATS_DB);
  }

  // ---- the customer's side -------------------------------------------------------------------

  async open(
    who: CustomerIdentity,
    body: { storeId: string; bookingId?: string | undefined; text: string },
  ): Promise<ChatDetail> {
    const profiles = await loadStoreProfiles(this.d.couch, body.storeId);
    if (!profiles) {
      throw new DomainError('not_found', 'store_not_found', 'no such store', 'storeId');
    }
    // Another's order, or one the store has not recorded, is refused alike: whether it exists is
    // not the caller's to learn.
    if (
      body.bookingId &&
      !(await isCustomersBooking(this.d.couch, who, body.storeId, body.bookingId))
    ) {
      throw new DomainError(
        'invalid',
        'chat_order_unknown',
        'this order is not one of yours at this store: contact the store from one of your own orders',
        'bookingId',
      );
    }
    const chatId = this.d.newId();
    const at = this.now();
    const doc: ChatDoc = {
      _id: chatDocId(body.storeId, chatId),
      type: 'chat',
      storeId: body.storeId,
      chatId,
      customerId: who.customerId,
      customerLabel: who.phone ? maskPhone(who.phone) : '顾客',
      ...(body.bookingId ? { bookingId: body.bookingId } : {}),
      lastText: body.text,
      lastAt: at,
      unreadByCustomer: 0,
      unreadByStore: 0,
    };
    await this.d.couch.put(CHATS_DB, doc);
    await this.d.couch.put(CHATS_DB, {
      _id: `mine:${who.customerId}:${body.storeId}:${chatId}`,
      type: 'chat_mine',
    });
    await this.addLine(doc, { from: 'customer', text: body.text });
    return this.customerRead(who, body.storeId, chatId);
  }

  async customerList(who: CustomerIdentity): Promise<ChatList> {
    const ids: string[] = [];
    for (const id of customerIds(who)) {
      const mine = await this.d.couch.byPrefix(CHATS_DB, `mine:${id}:`);
      ids.push(...mine.map((m) => m._id.replace(/^mine:[^:]+:/, 'chat:')));
    }
    const chats = await this.d.couch.byIds<ChatDoc>(CHATS_DB, ids);
    const complaints = await complaintsByChat(this.d.couch, chats);
    const names = new Map<string, string>();
    for (const storeId of new Set(chats.map((c) => c.storeId))) {
      const p = await loadStoreProfiles(this.d.couch, storeId);
      if (p) names.set(storeId, p.store.name);
    }
    const views = chats
      .map((c) => ({
        ...view(c, 'customer', complaints.get(`${c.storeId}:${c.chatId}`)),
        ...(names.has(c.storeId) ? { storeName: names.get(c.storeId)! } : {}),
      }))
      .sort((a, b) => (a.lastAt < b.lastAt ? 1 : -1));
    return { chats: views, unread: views.reduce((n, c) => n + c.unread, 0) };
  }

  /** A conversation with its lines; what the store wrote is read now. */
  async customerRead(who: CustomerIdentity, storeId: string, chatId: string): Promise<ChatDetail> {
    const chat = await this.mine(who, storeId, chatId);
    const read = await this.markRead(chat, 'customer');
    const p = await loadStoreProfiles(this.d.couch, storeId);
    const complaint = await getComplaint(this.d.couch, storeId, chatId);
    return {
      chat: {
        ...view(read, 'customer', complaint),
        ...(p ? { storeName: p.store.name } : {}),
      },
      lines: await this.lines(storeId, chatId),
    };
  }

  async customerSay(
    who: CustomerIdentity,
    storeId: string,
    chatId: string,
    text: string,
  ): Promise<ChatDetail> {
    const chat = await this.mine(who, storeId, chatId);
    await this.addLine(chat, { from: 'customer', text });
    return this.customerRead(who, storeId, chatId);
  }

  /** The customer's own conversation, or not found (another's is never said to exist). */
  async mine(who: CustomerIdentity, storeId: string, chatId: string): Promise<ChatDoc> {
    const chat = await this.d.couch.get<ChatDoc>(CHATS_DB, chatDocId(storeId, chatId));
    if (!chat || !customerIds(who).includes(chat.customerId)) {
      throw notFound();
    }
    return chat;
  }

  // ---- the store's side (its hub's staff, or its owner) ---------------------------------------

  async storeList(storeId: string): Promise<ChatList> {
    const complaints = new Map(
      (await complaintsOf(this.d.couch, storeId)).map((c) => [c.chatId, c]),
    );
    const chats = (await this.d.couch.byPrefix<ChatDoc>(CHATS_DB, `chat:${storeId}:`))
      .map((c) => view(c, 'store', complaints.get(c.chatId)))
      .sort((a, b) => (a.lastAt < b.lastAt ? 1 : -1));
    return { chats, unread: chats.reduce((n, c) => n + c.unread, 0) };
  }

  async storeRead(storeId: string, chatId: string): Promise<ChatDetail> {
    const read = await this.markRead(await this.find(storeId, chatId), 'store');
    const complaint = await getComplaint(this.d.couch, storeId, chatId);
    return { chat: view(read, 'store', complaint), lines: await this.lines(storeId, chatId) };
  }

  /** A conversation as it is, read by nobody (the platform's view), or not found. */
  async find(storeId: string, chatId: string): Promise<ChatDoc> {
    const chat = await this.d.couch.get<ChatDoc>(CHATS_DB, chatDocId(storeId, chatId));
    if (!chat) throw notFound();
    return chat;
  }

  async storeSay(
    storeId: string,
    chatId: string,
    by: { id: string; name: string },
    text: string,
  ): Promise<ChatDetail> {
    const chat = await this.d.couch.get<ChatDoc>(CHATS_DB, chatDocId(storeId, chatId));
    if (!chat) throw notFound();
    await this.addLine(chat, { from: 'store', name: by.name, staffId: by.id, text });
    return this.storeRead(storeId, chatId);
  }

  /** The owner's view of a store's conversations: only a store the owner runs. */
  ownerStore(owner: OwnerIdentity, storeId: string): string {
    if (!owner.storeIds.includes(storeId)) {
      throw new DomainError('forbidden', 'not_your_store', 'this account does not run that store');
    }
    return storeId;
  }

  // ---- lines and counts ----------------------------------------------------------------------

  /**
   * Adds a line: what the customer writes is unread for the store, what the store writes for the
   * customer, and what the platform writes for both.
   */
  async addLine(chat: ChatDoc, line: NewLine): Promise<void> {
    const at = this.now();
    // The conversation's count of lines numbers the new one, so lines keep their order even when
    // two come within the same millisecond, or from two instances at once.
    const after = await this.change(chat, (c) => ({
      ...c,
      lines: (c.lines ?? 0) + 1,
      lastText: line.text,
      lastAt: at,
      ...(line.from !== 'store' ? { unreadByStore: c.unreadByStore + 1 } : {}),
      ...(line.from !== 'customer' ? { unreadByCustomer: c.unreadByCustomer + 1 } : {}),
    }));
    const id = `${linePrefix(chat.storeId, chat.chatId)}${String(after.lines).padStart(6, '0')}`;
    const doc: LineDoc = { _id: id, type: 'chat_line', ...line, at };
    await this.d.couch.put(CHATS_DB, doc);
  }

  private markRead(chat: ChatDoc, side: 'customer' | 'store'): Promise<ChatDoc> {
    const field = side === 'customer' ? 'unreadByCustomer' : 'unreadByStore';
    return this.change(chat, (c) => (c[field] === 0 ? null : { ...c, [field]: 0 }));
  }

  /** Changes a conversation through its revision; `fn` null leaves it as it is. */
  private async change(chat: ChatDoc, fn: (c: ChatDoc) => ChatDoc | null): Promise<ChatDoc> {
    let current = chat;
    for (;;) {
      const next = fn(current);
      if (!next) return current;
      try {
        return { ...next, _rev: await this.d.couch.put(CHATS_DB, next) };
      } catch (error) {
        if (!isConflict(error)) throw error;
        current = (await this.d.couch.get<ChatDoc>(CHATS_DB, chat._id))!;
      }
    }
  }

  /** A conversation's lines in order. */
  async lines(storeId: string, chatId: string): Promise<ChatLineView[]> {
    const docs = await this.d.couch.byPrefix<LineDoc>(CHATS_DB, linePrefix(storeId, chatId));
    return docs.map((l) => ({
      id: l._id.slice(linePrefix(storeId, chatId).length),
      from: l.from,
      // Both sides see the store's staff member by name: it is whom the customer is talking to.
      ...(l.name ? { name: l.name } : {}),
      text: l.text,
      at: l.at,
      ...(l.note ? { note: l.note } : {}),
    }));
  }

  private now(): string {
    return new Date(this.d.clock.now()).toISOString();
  }
}

function view(c: ChatDoc, side: 'customer' | 'store', complaint?: ComplaintDoc): ChatView {
  return {
    chatId: c.chatId,
    storeId: c.storeId,
    ...(c.bookingId ? { bookingId: c.bookingId } : {}),
    complaint: complaint !== undefined || c.complaint === true,
    ...(complaint ? { complaintCase: complaintView(complaint) } : {}),
    ...(side === 'store' ? { customer: c.customerLabel } : {}),
    lastText: c.lastText,
    lastAt: c.lastAt,
    unread: side === 'customer' ? c.unreadByCustomer : c.unreadByStore,
  };
}
