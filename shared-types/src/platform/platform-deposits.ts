// A merchant's deposit (保证金) with the platform, an append-only ledger: money paid in (with its
// reference), a fine (罚款) taken from it with its reason, the refund of a fine lifted on appeal
// (an entry of its own reversing the fine, never an edit of it), and money returned to the
// merchant. The balance is the sum of the entries and is never below zero. The console, the
// cloud and the owner's view agree on them here. Amounts are in fen. Pure.
import { z } from 'zod';
import { StoreIdSchema } from '../sync/databases';
import { PlatformPhoneSchema, PlatformReasonSchema } from './platform-staff';

export const DEPOSIT_ENTRY_KINDS = ['paid_in', 'fine', 'fine_refund', 'returned'] as const;
export type DepositEntryKind = (typeof DEPOSIT_ENTRY_KINDS)[number];

/** Fen, whole and above zero; at most ¥10,000,000 in one entry. */
export const DepositAmountSchema = z.number().int().positive().max(1_000_000_000);

/** Money the merchant paid in, with the bank or payment reference it came with. */
export const DepositPayInBodySchema = z.object({
  amount: DepositAmountSchema,
  reference: z.string().trim().min(2).max(100),
  note: z.string().trim().max(500).optional(),
});
export type DepositPayInBody = z.infer<typeof DepositPayInBodySchema>;

/** A fine (罚款) taken from the deposit, on the merchant or one of its stores. */
export const DepositFineBodySchema = z.object({
  amount: DepositAmountSchema,
  reason: PlatformReasonSchema,
  storeId: StoreIdSchema.optional(),
});
export type DepositFineBody = z.infer<typeof DepositFineBodySchema>;

/** A fine lifted on appeal: its amount goes back into the deposit. */
export const DepositFineRefundBodySchema = z.object({ reason: PlatformReasonSchema });

/** Money given back to the merchant (leaving the platform, closing the account). */
export const DepositReturnBodySchema = z.object({
  amount: DepositAmountSchema,
  reference: z.string().trim().min(2).max(100),
  reason: PlatformReasonSchema,
});
export type DepositReturnBody = z.infer<typeof DepositReturnBodySchema>;

export const DepositFineParamsSchema = z.object({
  phone: PlatformPhoneSchema,
  entryId: z.string().regex(/^[0-9]{8}$/, 'must be a deposit entry number'),
});

export interface DepositEntryView {
  /** Its place in the ledger: 00000001, 00000002... */
  entryId: string;
  kind: DepositEntryKind;
  /** Signed, in fen: what it adds to the balance (a fine and a return are below zero). */
  amount: number;
  /** The balance after this entry. */
  balance: number;
  reference: string | null;
  reason: string | null;
  /** The store a fine was for; null when on the whole merchant. */
  storeId: string | null;
  /** For a refund, the fine it reverses. */
  fineEntryId: string | null;
  /** For a fine, the refund that reversed it, if it was lifted on appeal. */
  refundedBy: string | null;
  by: string;
  at: string;
}

export interface DepositView {
  merchantPhone: string;
  balance: number;
  /** Newest first. */
  entries: DepositEntryView[];
}

/** What an entry adds to the balance. */
export function depositSign(kind: DepositEntryKind): 1 | -1 {
  return kind === 'paid_in' || kind === 'fine_refund' ? 1 : -1;
}

/**
 * The balance after each entry, in ledger order, and whether it ever went below zero (a ledger
 * the cloud wrote never does).
 */
export function depositBalances(entries: readonly { kind: DepositEntryKind; amount: number }[]): {
  balances: number[];
  balance: number;
  neverNegative: boolean;
} {
  let balance = 0;
  let neverNegative = true;
  const balances = entries.map((e) => {
    balance += depositSign(e.kind) * e.amount;
    if (balance < 0) neverNegative = false;
    return balance;
  });
  return { balances, balance, neverNegative };
}
