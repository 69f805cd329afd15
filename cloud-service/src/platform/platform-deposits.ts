// A merchant's deposit (保证金) with the platform: an append-only ledger of what was paid in (with
// its reference), fines (罚款) taken from it, refunds of fines lifted on appeal and what was
// returned to the merchant, each `deposit:<phone>:<entry>` in `registry`, written through the
// platform's credential as its other decisions are (any cloud instance reads them, so a store's
// owner reads their deposit anywhere). Entries are numbered 1, 2, 3...: the next entry takes the
// next number, so two writers at once cannot both take it (CouchDB refuses the second), and the
// one refused reads the ledger again and checks again. That keeps the balance, the sum of the
// entries, from ever going below zero: a fine or a return larger than the balance is refused and
// writes nothing. Every entry is audited, once, under the entry's own id and time, so a write sent
// again whose first audit failed after its entry was written is audited then. A write sent again
// with its Idempotency-Key is the first one's (its entry carries the key), and a payment's
// reference is taken once, so a double click or a retry after a timeout never pays in, fines or
// returns twice. A store's owner reads the ledger
// without who at the platform wrote each entry, and without the reasons of other stores' fines.
// Owns these writes; never edits or removes an entry.
import {
  DomainError,
  REGISTRY_DB,
  depositBalances,
  type Clock,
  type DepositEntryView,
  type DepositFineBody,
  type DepositPayInBody,
  type DepositReturnBody,
  type DepositView,
} from '@roomhub/shared-types';
import { z } from 'zod';
import { isConflict, type CouchClient } from '../couch';
import type { PlatformAudit } from './platform-audit';
import type { PlatformCaller } from './platform-auth';
import { platformWriter, type PlatformStore } from './platform-store';

const entryNumber = (n: number) => String(n).padStart(8, '0');
const depositPrefix = (phone: string) => `deposit:${phone}:`;

const DepositEntryDocSchema = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('platform_deposit_entry'),
  merchantPhone: z.string(),
  entryId: z.string(),
  kind: z.enum(['paid_in', 'fine', 'fine_refund', 'returned']),
  /** Fen, above zero; the kind says which way it goes. */
  amount: z.number().int().positive(),
  reference: z.string().nullable(),
  reason: z.string().nullable(),
  storeId: z.string().nullable(),
  fineEntryId: z.string().nullable(),
  by: z.string(),
  at: z.string(),
  /** The Idempotency-Key of the request that wrote it, under its writer's phone; null without. */
  key: z.string().nullable().default(null),
});
type DepositEntryDoc = z.infer<typeof DepositEntryDocSchema>;

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/** The ledger's entries in order, as written. */
async function readEntries(couch: CouchClient, phone: string): Promise<DepositEntryDoc[]> {
  const docs = await couch.byPrefix(REGISTRY_DB, depositPrefix(phone));
  return docs
    .flatMap((raw) => {
      const d = DepositEntryDocSchema.safeParse(raw);
      return d.success && d.data.merchantPhone === phone ? [d.data] : [];
    })
    .sort((a, b) => a.entryId.localeCompare(b.entryId));
}

function viewOf(phone: string, entries: DepositEntryDoc[]): DepositView {
  const { balances, balance } = depositBalances(entries);
  const refundOf = new Map(
    entries.flatMap((e) =>
      e.kind === 'fine_refund' && e.fineEntryId ? [[e.fineEntryId, e.entryId]] : [],
    ),
  );
  const views: DepositEntryView[] = entries.map((e, i) => ({
    entryId: e.entryId,
    kind: e.kind,
    amount: e.kind === 'paid_in' || e.kind === 'fine_refund' ? e.amount : -e.amount,
    balance: balances[i]!,
    reference: e.reference,
    reason: e.reason,
    storeId: e.storeId,
    fineEntryId: e.fineEntryId,
    refundedBy: e.kind === 'fine' ? (refundOf.get(e.entryId) ?? null) : null,
    by: e.by,
    at: e.at,
  }));
  return { merchantPhone: phone, balance, entries: views.reverse() };
}

type NewEntry = Pick<DepositEntryDoc, 'kind' | 'amount'> &
  Partial<Pick<DepositEntryDoc, 'reference' | 'reason' | 'storeId' | 'fineEntryId'>>;

export class PlatformDeposits {
  constructor(
    private readonly d: {
      store: PlatformStore;
      audit: PlatformAudit;
      clock: Clock;
    },
  ) {}

  private async merchant(phone: string): Promise<{ storeIds: string[] }> {
    const m = await this.d.store.read.get(REGISTRY_DB, `merchant:${phone}`);
    if (!m) {
      throw new DomainError(
        'not_found',
        'merchant_not_found',
        `phone: no approved merchant ${phone}`,
        'phone',
      );
    }
    return { storeIds: Array.isArray(m.storeIds) ? (m.storeIds as string[]) : [] };
  }

  /** The merchant's deposit: its balance and entries, newest first. */
  async read(phone: string): Promise<DepositView> {
    await this.merchant(phone);
    return viewOf(phone, await readEntries(this.d.store.read, phone));
  }

  /**
   * The deposit of the merchant running this store, for an owner of `ownStores`; none yet reads
   * as empty. Who at the platform wrote an entry is not theirs to know, nor why another store of
   * the merchant was fined (its amount stays: the balance is the merchant's).
   */
  async ofStore(storeId: string, ownStores: readonly string[]): Promise<DepositView | null> {
    const merchants = await this.d.store.read.byPrefix(REGISTRY_DB, 'merchant:');
    const m = merchants.find(
      (doc) => Array.isArray(doc.storeIds) && (doc.storeIds as string[]).includes(storeId),
    );
    if (!m || typeof m.phone !== 'string') return null;
    const view = viewOf(m.phone, await readEntries(this.d.store.read, m.phone));
    return {
      ...view,
      entries: view.entries.map((e) => ({
        ...e,
        by: 'platform',
        ...(e.storeId !== null && !ownStores.includes(e.storeId)
          ? { storeId: null, reason: null }
          : {}),
      })),
    };
  }

  async payIn(
    caller: PlatformCaller,
    phone: string,
    body: DepositPayInBody,
    key?: string,
  ): Promise<DepositView> {
    await this.merchant(phone);
    return this.append(caller, phone, key, (entries) => {
      referenceOnce(entries, 'paid_in', body.reference);
      return {
        kind: 'paid_in',
        amount: body.amount,
        reference: body.reference,
        reason: body.note ?? null,
      };
    });
  }

  async fine(
    caller: PlatformCaller,
    phone: string,
    body: DepositFineBody,
    key?: string,
  ): Promise<DepositView> {
    const { storeIds } = await this.merchant(phone);
    if (body.storeId !== undefined && !storeIds.includes(body.storeId)) {
      throw new DomainError(
        'invalid',
        'store_not_merchants',
        `storeId: ${body.storeId} is not one of this merchant's stores (${storeIds.join(', ')})`,
        'storeId',
      );
    }
    return this.append(caller, phone, key, (_entries, balance) => {
      mustCover(body.amount, balance, 'fine');
      return { kind: 'fine', amount: body.amount, reason: body.reason, storeId: body.storeId };
    });
  }

  /** A fine lifted on appeal: an entry giving its amount back; a fine is refunded once. */
  async refundFine(
    caller: PlatformCaller,
    phone: string,
    fineEntryId: string,
    reason: string,
    key?: string,
  ): Promise<DepositView> {
    await this.merchant(phone);
    return this.append(caller, phone, key, (entries) => {
      const fine = entries.find((e) => e.entryId === fineEntryId && e.kind === 'fine');
      if (!fine) {
        throw new DomainError(
          'not_found',
          'fine_not_found',
          `entryId: no fine ${fineEntryId} in this merchant's deposit`,
          'entryId',
        );
      }
      const refund = entries.find((e) => e.kind === 'fine_refund' && e.fineEntryId === fineEntryId);
      if (refund) {
        throw new DomainError(
          'conflict',
          'fine_refunded',
          `entryId: fine ${fineEntryId} was refunded already (entry ${refund.entryId})`,
          'entryId',
        ).with({ entryId: refund.entryId });
      }
      return {
        kind: 'fine_refund',
        amount: fine.amount,
        reason,
        storeId: fine.storeId,
        fineEntryId,
      };
    });
  }

  async returnToMerchant(
    caller: PlatformCaller,
    phone: string,
    body: DepositReturnBody,
    key?: string,
  ): Promise<DepositView> {
    await this.merchant(phone);
    return this.append(caller, phone, key, (entries, balance) => {
      referenceOnce(entries, 'returned', body.reference);
      mustCover(body.amount, balance, 'return');
      return {
        kind: 'returned',
        amount: body.amount,
        reference: body.reference,
        reason: body.reason,
      };
    });
  }

  /**
   * Writes the entry `make` decides on, at the next number, against the ledger as read; when
   * another writer took that number first, reads again and asks `make` again. A request whose
   * key wrote an entry already is answered with the ledger as it stands, writing nothing.
   */
  private async append(
    caller: PlatformCaller,
    phone: string,
    idempotencyKey: string | undefined,
    make: (entries: DepositEntryDoc[], balance: number) => NewEntry,
  ): Promise<DepositView> {
    const writer = platformWriter(this.d.store);
    const key = idempotencyKey !== undefined ? `${caller.phone}:${idempotencyKey}` : null;
    for (let attempt = 0; ; attempt++) {
      const entries = await readEntries(writer, phone);
      const sent = key !== null ? entries.find((e) => e.key === key) : undefined;
      if (sent) {
        // The same request again: its entry stands; its audit is written if it was not.
        await this.audit(writer, sent);
        return viewOf(phone, entries);
      }
      const made = make(entries, depositBalances(entries).balance);
      const entryId = entryNumber(entries.length + 1);
      const doc: DepositEntryDoc = {
        _id: `${depositPrefix(phone)}${entryId}`,
        type: 'platform_deposit_entry',
        merchantPhone: phone,
        entryId,
        kind: made.kind,
        amount: made.amount,
        reference: made.reference ?? null,
        reason: made.reason ?? null,
        storeId: made.storeId ?? null,
        fineEntryId: made.fineEntryId ?? null,
        by: caller.phone,
        at: new Date(this.d.clock.now()).toISOString(),
        key,
      };
      try {
        await writer.put(REGISTRY_DB, doc);
      } catch (error) {
        // Another writer took this number: read the ledger again and check again.
        if (!isConflict(error) || attempt >= 20) throw error;
        continue;
      }
      await this.audit(writer, doc);
      return viewOf(phone, [...entries, doc]);
    }
  }

  /** The entry's audit record, once: at the entry's time, under the entry's id. */
  private async audit(writer: CouchClient, doc: DepositEntryDoc): Promise<void> {
    await this.d.audit.record(
      writer,
      {
        actor: doc.by,
        action: `deposit.${doc.kind}`,
        target: doc.storeId !== null ? `store:${doc.storeId}` : `merchant:${doc.merchantPhone}`,
        reason: doc.reason ?? doc.reference ?? doc.kind,
        detail: {
          entryId: doc.entryId,
          amount: doc.amount,
          ...(doc.reference !== null ? { reference: doc.reference } : {}),
          ...(doc.fineEntryId !== null ? { fineEntryId: doc.fineEntryId } : {}),
        },
      },
      { at: doc.at, id: doc._id },
    );
  }
}

/** A payment's reference names one payment: a second entry of the same kind with it is refused. */
function referenceOnce(
  entries: DepositEntryDoc[],
  kind: 'paid_in' | 'returned',
  reference: string,
): void {
  const taken = entries.find((e) => e.kind === kind && e.reference === reference);
  if (!taken) return;
  throw new DomainError(
    'conflict',
    'reference_used',
    `reference: ${reference} is already recorded (entry ${taken.entryId}); a payment is recorded once`,
    'reference',
  ).with({ entryId: taken.entryId });
}

/** A fine or a return may not take the balance below zero. */
function mustCover(amount: number, balance: number, what: 'fine' | 'return'): void {
  if (amount <= balance) return;
  throw new DomainError(
    'conflict',
    'deposit_short',
    `amount: the ${what} of ${yuan(amount)} is more than the deposit's balance of ${yuan(balance)}`,
    'amount',
  ).with({ amount: yuan(amount), balance: yuan(balance) });
}
