// Builds the parts of our own deals online for the composition root (cloud.ts): the index of the
// deals on sale the follower keeps, the sales service with its records, groups, claims, voucher
// issuer and due work, all in the cloud's `deals` database, customers' shares of deals, and the
// moves of vouchers between the owner's stores.
import type { KeyObject } from 'node:crypto';
import { CLOUD_DBS, type Clock, type OnlineDealView } from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import { IntentSigner } from '../intents/intent-signer';
import type { IntentService } from '../intents/intents';
import type { CloudPaymentChannel } from '../payments/payment-channel';
import type { StoreZones } from '../stores/store-zones';
import { DealClaims } from './deal-claims';
import { DealGroups } from './deal-groups';
import { DealIndex } from './deal-index';
import { DealSales } from './deal-sales';
import { DealShares } from './deal-shares';
import { DueWork } from './due-work';
import { PurchaseRecords } from './purchase-records';
import { VoucherIssuer } from './voucher-issuer';
import { StoreDealSales } from './store-deal-sales';
import { VoucherMoves } from './voucher-moves';
import type { RegistryReads } from '../platform/review-gate';

export interface DealParts {
  /** The deals on sale, kept by the change follower. */
  index: DealIndex;
  sales: DealSales;
  /** A voucher asked for by another store of its owner, moved there. */
  moves: VoucherMoves;
  /** Sales made in the store, taking their place in the same stock as the sales online. */
  storeSales: StoreDealSales;
  /** Customers' shares of deals, and the referrals of friends who came through them. */
  shares: DealShares;
  /** Checks the `deals` database was provisioned. */
  init(): Promise<void>;
}

export function createDeals(o: {
  couch: CouchClient;
  clock: Clock;
  newId: () => string;
  /** The key intents are signed with: the cloud's vouchers are signed with it too. */
  signingKey: KeyObject | string;
  intents: IntentService;
  payments: CloudPaymentChannel;
  zones: StoreZones;
  /** What the platform approved of each store's deals, as customers' reads see it. */
  registry: RegistryReads;
  intentWaitMs: number;
  /** How long a voucher move waits for the home store's answer. */
  moveWaitMs: number;
  log: (error: unknown) => void;
}): DealParts {
  const { couch, clock } = o;
  const index = new DealIndex({ couch, clock, log: o.log });
  const records = new PurchaseRecords(couch, clock);
  const issuer = new VoucherIssuer(couch, new IntentSigner(o.signingKey));
  const claims = new DealClaims(couch);
  // A deal is shared while it is on sale (read through the sales, made just below).
  const shares: DealShares = new DealShares({
    couch,
    clock,
    intents: o.intents,
    sales: { deal: (dealId: string): Promise<OnlineDealView> => sales.deal(dealId) },
  });
  const sales = new DealSales({
    couch,
    clock,
    newId: o.newId,
    index,
    registry: o.registry,
    records,
    groups: new DealGroups(couch),
    claims,
    issuer,
    due: new DueWork(couch, clock),
    intents: o.intents,
    payments: o.payments,
    zones: o.zones,
    intentWaitMs: o.intentWaitMs,
    log: o.log,
    shares,
  });
  const moves = new VoucherMoves({
    couch,
    clock,
    newId: o.newId,
    intents: o.intents,
    issuer,
    records,
    waitMs: o.moveWaitMs,
  });
  return {
    index,
    sales,
    moves,
    storeSales: new StoreDealSales(claims),
    shares,
    init: () => couch.requireDb(CLOUD_DBS.deals),
  };
}
