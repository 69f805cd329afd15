// Complaints between a customer and a store (P1, C13): a customer turns a conversation about one
// of their orders into a complaint (投诉) with a reason; the platform's order staff read it, step in
// (their lines go into the conversation as 平台客服) and close it with an outcome in words. The
// complaint's life is one small state machine, the only way its status changes, pure so that the
// cloud applies it inside each compare-and-set and tests can walk it at random. No I/O.
import { z } from 'zod';
import { DomainError } from '../errors';
import { StoreIdSchema } from '../sync/databases';
import { IdPartSchema } from '../sync/id-part';

export const COMPLAINT_STATUSES = ['open', 'joined', 'closed'] as const;
/** open: filed, the platform not yet in; joined: the platform has stepped in; closed: decided. */
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const COMPLAINT_OUTCOMES = ['upheld', 'not_upheld', 'settled'] as const;
/** upheld: the store was at fault; not_upheld: it was not; settled: the two sides agreed. */
export type ComplaintOutcome = (typeof COMPLAINT_OUTCOMES)[number];

/** Each outcome in the words of the messages to the customer and the store. */
export const COMPLAINT_OUTCOME_WORDS: Record<ComplaintOutcome, string> = {
  upheld: '投诉属实',
  not_upheld: '投诉不属实',
  settled: '双方已协商解决',
};

/** What the platform's staff member is called in the conversation, whoever they are. */
export const PLATFORM_CHAT_NAME = '平台客服';

export const ComplaintBodySchema = z.object({
  /** What went wrong, in the customer's words. */
  reason: z.string().trim().min(4).max(300),
});

export const PlatformComplaintQuerySchema = z.object({
  /** `open` (default): filed or stepped into, not yet closed; `closed`; `all`. */
  status: z.enum(['open', 'closed', 'all']).default('open'),
});

export const PlatformComplaintParamsSchema = z.object({
  storeId: StoreIdSchema,
  chatId: IdPartSchema,
});

export const PlatformComplaintSayBodySchema = z.object({
  text: z.string().trim().min(1).max(500),
});

export const PlatformComplaintCloseBodySchema = z.object({
  outcome: z.enum(COMPLAINT_OUTCOMES),
  /** What was decided and why, told to both sides and kept in the audit trail. */
  words: z.string().trim().min(4).max(500),
});

/** A platform staff member as a complaint remembers them. */
export interface ComplaintStaff {
  phone: string;
  name: string;
}

/** A complaint's state: what the state machine reads and writes. */
export interface ComplaintState {
  status: ComplaintStatus;
  reason: string;
  filedAt: string;
  /** When the platform first stepped in, and who. */
  joinedAt?: string;
  joinedBy?: ComplaintStaff;
  /** Every line the platform has written into the conversation. */
  platformLines: number;
  closed?: { outcome: ComplaintOutcome; words: string; at: string; by: ComplaintStaff };
}

export type ComplaintAction =
  | { kind: 'say'; at: string; by: ComplaintStaff }
  | { kind: 'close'; at: string; by: ComplaintStaff; outcome: ComplaintOutcome; words: string };

/** A new complaint, filed by the customer. */
export function fileComplaint(reason: string, at: string): ComplaintState {
  return { status: 'open', reason, filedAt: at, platformLines: 0 };
}

const closedAlready = (c: ComplaintState) =>
  new DomainError(
    'conflict',
    'complaint_closed',
    `this complaint was closed (${c.closed?.outcome ?? 'closed'}) at ${c.closed?.at ?? ''}: nothing more can be said or decided in it`,
  );

/**
 * The next state after `action`, or a refusal: a closed complaint takes nothing more. The first
 * platform line steps in (open -> joined); a complaint closes from open or joined, once.
 */
export function complaintNext(c: ComplaintState, action: ComplaintAction): ComplaintState {
  if (c.status === 'closed') throw closedAlready(c);
  if (action.kind === 'say') {
    return {
      ...c,
      status: 'joined',
      platformLines: c.platformLines + 1,
      ...(c.joinedAt ? {} : { joinedAt: action.at, joinedBy: action.by }),
    };
  }
  return {
    ...c,
    status: 'closed',
    closed: { outcome: action.outcome, words: action.words, at: action.at, by: action.by },
  };
}

/** A complaint as the customer and the store see it (not which staff member decided). */
export interface ComplaintView {
  status: ComplaintStatus;
  reason: string;
  filedAt: string;
  joinedAt?: string;
  closed?: { outcome: ComplaintOutcome; words: string; at: string };
}

export function complaintView(c: ComplaintState): ComplaintView {
  return {
    status: c.status,
    reason: c.reason,
    filedAt: c.filedAt,
    ...(c.joinedAt ? { joinedAt: c.joinedAt } : {}),
    ...(c.closed
      ? { closed: { outcome: c.closed.outcome, words: c.closed.words, at: c.closed.at } }
      : {}),
  };
}

/** A complaint in the platform's list. */
export interface PlatformComplaintView extends ComplaintState {
  storeId: string;
  storeName?: string;
  chatId: string;
  bookingId: string;
  /** The customer as the store sees them (masked phone). */
  customer: string;
  lastText: string;
  lastAt: string;
}

/** The order a complaint is about, as the store's hub published it. */
export interface ComplaintOrderFacts {
  bookingId: string;
  storeName?: string;
  roomName?: string;
  timeZone: string;
  status: string;
  start: string;
  end: string;
  partySize: number;
  totals: { amount: number; paid: number; refunded: number };
  lines: { kind: string; label: string; quantity: number; amount: number }[];
  history: { at: string; action: string; from: string | null; to: string; reason?: string }[];
}
