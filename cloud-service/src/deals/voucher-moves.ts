// Our own vouchers used at the owner's other stores (issue 12): online only, never twice. A store's
// hub asks for a voucher whose pass names another store of the same owner; the voucher's home
// store alone knows whether it was used, so the cloud sends it a signed `voucher_move` intent and
// waits a few seconds for its answer. On `done` the home store has marked it moved (never
// redeemable there again) and the cloud signs the pass anew for the asking store, which keeps it
// and decides it from then on (offline too); a refusal comes back with the home store's code, and
// a home store that does not answer in time leaves the voucher where it is. A voucher the cloud
// sold remembers where it moved, so its use and refund are the new store's to tell. Never writes
// a store's database; decides nothing the home store decides.
import {
  dealDocId,
  DealDocSchema,
  DomainError,
  entitlementRev,
  storeDbName,
  type Clock,
  type Entitlement,
  type ErrorKind,
  type VoucherMoved,
  type VoucherPass,
} from '@roomhub/shared-types';
import { sameOwner } from '../auth/store-owners';
import type { CouchClient } from '../couch';
import type { IntentService } from '../intents/intents';
import type { HubIdentity } from '../vouchers/hub-callers';
import { type PurchaseRecords } from './purchase-records';
import type { VoucherIssuer } from './voucher-issuer';

/** The home store acts on a move only this long after the asking store stopped waiting. */
const GRACE_MS = 2_000;

/** What the home store's refusal is told as: the kind of each code it may answer with. */
const REFUSALS: Record<string, { kind: ErrorKind; message: string }> = {
  voucher_used: { kind: 'conflict', message: 'this voucher was used at its home store' },
  voucher_refunded: { kind: 'conflict', message: 'this voucher was refunded' },
  voucher_moved: {
    kind: 'conflict',
    message: "this voucher was moved to another of the owner's stores: it can be used there only",
  },
  voucher_expired: { kind: 'gone', message: 'this voucher has expired' },
  voucher_forged: { kind: 'invalid', message: 'this voucher QR is not genuine' },
};

export interface VoucherMoveDeps {
  couch: CouchClient;
  clock: Clock;
  newId: () => string;
  intents: IntentService;
  issuer: VoucherIssuer;
  records: PurchaseRecords;
  /** How long the asking hub's call waits for the home store's answer. */
  waitMs: number;
}

export class VoucherMoves {
  constructor(private readonly d: VoucherMoveDeps) {}

  /** Moves the voucher of `pass` to the asking hub's store, or says why not. */
  async move(hub: HubIdentity, pass: VoucherPass): Promise<VoucherMoved> {
    const to = hub.storeId;
    const from = pass.store;
    if (from === to) {
      throw new DomainError('bad_input', 'invalid_input', "pass: is already this store's", 'pass');
    }
    // A pass the cloud signed is checked here; a store's own sale only its store can check.
    if (pass.issuer === 'cloud' && !this.d.issuer.signed(pass)) throw refusal('voucher_forged');
    if (this.d.clock.now() >= pass.validUntil * 1000) throw refusal('voucher_expired');
    if (!(await sameOwner(this.d.couch, from, to))) {
      throw new DomainError(
        'conflict',
        'voucher_other_owner',
        "this voucher is another business's: it can be used at its own stores only",
        'text',
      );
    }
    // What it bought is known before the home store gives it up: the asking store needs it.
    const bought = await this.bought(pass);
    const record = await this.d.intents.submit({
      storeId: from,
      by: { fromStoreId: to },
      kind: 'voucher_move',
      body: { pass },
      expiresInMs: this.d.waitMs + GRACE_MS,
      intentId: `vm-${this.d.newId()}`.slice(0, 100),
    });
    const settled = await this.d.intents.waitForAnswer(record, this.d.waitMs);
    const answer = settled.state === 'answered' ? settled.answer : undefined;
    if (!answer) throw homeOffline();
    if (answer.outcome !== 'done') {
      // Asked too late, or refused for a reason of its own: the voucher stays where it is.
      if (!answer.code || !(answer.code in REFUSALS)) throw homeOffline();
      throw refusal(answer.code, answer);
    }
    const moved = await this.d.issuer.moved(pass, to);
    const sold = await this.d.records.get(pass.id);
    if (sold?.voucher?.pass.id === pass.id) {
      const at = new Date(this.d.clock.now()).toISOString();
      await this.d.records.update(pass.id, (cur) =>
        cur.moved?.storeId === to ? undefined : { ...cur, moved: { storeId: to, pass: moved, at } },
      );
    }
    return { pass: moved, ...bought, phone: sold?.phone ?? null };
  }

  /**
   * What the voucher bought: the purchase's copy of its deal if the cloud sold it, else its home
   * store's deal as published, when that is still the version it bought.
   */
  private async bought(pass: VoucherPass): Promise<{ title: string; entitlement: Entitlement }> {
    const sold = await this.d.records.get(pass.id);
    if (sold?.voucher?.pass.id === pass.id && sold.rev === pass.rev) {
      return { title: sold.title, entitlement: sold.entitlement };
    }
    const deal = DealDocSchema.safeParse(
      await this.d.couch.get(storeDbName(pass.store), dealDocId(pass.dealId)),
    );
    if (
      deal.success &&
      deal.data.source === 'own' &&
      deal.data.dealId === pass.dealId &&
      entitlementRev(deal.data.entitlement) === pass.rev
    ) {
      return { title: deal.data.title, entitlement: deal.data.entitlement };
    }
    throw new DomainError(
      'conflict',
      'voucher_deal_unknown',
      'the rules this voucher was sold with are not known to the cloud: use it at its home store',
      'text',
    );
  }
}

function homeOffline(): DomainError {
  return new DomainError(
    'conflict',
    'voucher_other_store',
    'this voucher belongs to another store: it can be used here only while that store is online',
    'text',
  );
}

function refusal(code: string, answer?: { reason?: string | undefined }): DomainError {
  const r = REFUSALS[code]!;
  const because = answer?.reason ? ` (${answer.reason})` : '';
  return new DomainError(r.kind, code, `${r.message}${because}`, 'text');
}
