// A wallet shared across an owner's stores (shared-types' shared-wallet.ts): each fen is kept at one
// store, and a store that must spend more than it holds asks here for the rest. The cloud asks the
// owner's other stores in turn (the one its member document says holds the most first) with a
// `wallet_move` intent; each holding store writes the money out of its own ledger and answers with
// the lots it gave up, which the asking store writes in. The cloud decides nothing about money:
// what a holding store gave is read from that store's own answer document, never from the cloud's
// bookkeeping, and a part stays `waiting` until that answer exists (a store that answered just
// before its link went down is waited for, or its money would be lost between the two). Asking
// again with the same move id is the same move: the same intents, never a second one to a store.
import { createHash } from 'node:crypto';
import {
  answerDocId,
  AnswerDocSchema,
  askingOrder,
  customerIdForPhone,
  MemberDocSchema,
  movedTotal,
  storeDbName,
  type WalletMoveAnswer,
  type WalletMovePart,
  type WalletMoveRequest,
} from '@roomhub/shared-types';
import { storesSharingOwner } from '../auth/store-owners';
import type { CouchClient } from '../couch';
import type { DesignDocs } from '../design-docs';
import type { IntentRecord, IntentService } from '../intents/intents';
import type { HubIdentity } from '../vouchers/hub-callers';

/**
 * The most stores one move asks (those known to hold the most first): a chain's every store is
 * never asked for one payment; what it lacks after them is refused at the counter as short.
 */
const MAX_ASKED = 20;

export interface WalletMovesDeps {
  couch: CouchClient;
  views: DesignDocs;
  intents: IntentService;
  customerIdKey: string;
  /** How long the asking hub's call waits for each holding store's answer. */
  waitMs: number;
  /** How long a holding store may act on a move (it refuses one it receives later). */
  expiresInMs: number;
}

export class CloudWalletMoves {
  constructor(private readonly d: WalletMovesDeps) {}

  async move(hub: HubIdentity, req: WalletMoveRequest): Promise<WalletMoveAnswer> {
    const asking = hub.storeId;
    const stores = await storesSharingOwner(this.d.couch, asking);
    const holdings = await this.holdings(stores, asking, req.phone);
    const by = { fromStoreId: asking };
    const parts: WalletMovePart[] = [];
    let got = 0;
    for (const from of askingOrder(holdings, stores, asking).slice(0, MAX_ASKED)) {
      const intentId = moveIntentId(asking, req.moveId, from);
      let record = await this.d.intents.get(by, intentId);
      if (!record) {
        // Enough asked for already, or a store known to hold none of it: not asked.
        if (got >= req.amount || holdings.get(from) === 0) continue;
        record = await this.d.intents.submit({
          storeId: from,
          by,
          kind: 'wallet_move',
          body: { phone: req.phone, amount: req.amount - got },
          expiresInMs: this.d.expiresInMs,
          intentId,
        });
      }
      if (record.state === 'waiting')
        record = await this.d.intents.waitForAnswer(record, this.d.waitMs);
      const part = await this.partOf(from, record);
      parts.push(part);
      if (part.state === 'done') got += movedTotal(part.lots);
    }
    return { moveId: req.moveId, settled: parts.every((p) => p.state !== 'waiting'), parts };
  }

  /** A holding store's part, from its own answer document: none yet is still waiting. */
  private async partOf(from: string, record: IntentRecord): Promise<WalletMovePart> {
    const raw = await this.d.couch.get(storeDbName(from), answerDocId(record.intentId));
    const answer = AnswerDocSchema.safeParse(raw);
    const part = { fromStoreId: from, intentId: record.intentId };
    if (!answer.success) return { ...part, state: 'waiting', lots: [] };
    if (answer.data.outcome !== 'done') return { ...part, state: 'refused', lots: [] };
    return { ...part, state: 'done', lots: answer.data.lots ?? [] };
  }

  /** What each of the owner's other stores last published of this wallet (absent: not known). */
  private async holdings(
    stores: readonly string[],
    asking: string,
    phone: string,
  ): Promise<Map<string, number>> {
    const customerId = customerIdForPhone(phone, this.d.customerIdKey);
    const out = new Map<string, number>();
    await Promise.all(
      stores
        .filter((s) => s !== asking)
        .map(async (storeId) => {
          const rows = await this.d.views
            .store(storeId, 'lookup', {
              keys: [['member-customer', customerId]],
              includeDocs: true,
            })
            .catch(() => []);
          for (const r of rows) {
            const m = MemberDocSchema.safeParse(r.doc);
            if (m.success && m.data.storeId === storeId && m.data.wallet) {
              out.set(storeId, m.data.wallet.principal + m.data.wallet.bonus);
            }
          }
        }),
    );
    return out;
  }
}

/** One intent per asking store, move and holding store: asking again never asks twice. */
function moveIntentId(asking: string, moveId: string, from: string): string {
  const hash = createHash('sha256').update(`${asking}\n${moveId}\n${from}`).digest('hex');
  return `wm-${hash.slice(0, 40)}`;
}
