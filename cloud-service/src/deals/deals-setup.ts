// Builds the parts of our own deals online for the composition root (cloud.ts): the index of the
// deals on sale the follower keeps, and the sales service with its records, groups, claims,
// voucher issuer and due work, all in the cloud's `deals` database.
import type { KeyObject } from 'node:crypto';
import { CLOUD_DBS, type Clock } from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import { IntentSigner } from '../intents/intent-signer';
import type { IntentService } from '../intents/intents';
import type { CloudPaymentChannel } from '../payments/payment-channel';
import type { StoreZones } from '../stores/store-zones';
import { DealClaims } from './deal-claims';
import { DealGroups } from './deal-groups';
import { DealIndex } from './deal-index';
import { DealSales } from './deal-sales';
import { DueWork } from './due-work';
import { PurchaseRecords } from './purchase-records';
import { VoucherIssuer } from './voucher-issuer';

export interface DealParts {
  /** The deals on sale, kept by the change follower. */
  index: DealIndex;
  sales: DealSales;
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
  intentWaitMs: number;
  log: (error: unknown) => void;
}): DealParts {
  const { couch, clock } = o;
  const index = new DealIndex({ couch, clock, log: o.log });
  const sales = new DealSales({
    couch,
    clock,
    newId: o.newId,
    index,
    records: new PurchaseRecords(couch, clock),
    groups: new DealGroups(couch),
    claims: new DealClaims(couch),
    issuer: new VoucherIssuer(couch, new IntentSigner(o.signingKey)),
    due: new DueWork(couch, clock),
    intents: o.intents,
    payments: o.payments,
    zones: o.zones,
    intentWaitMs: o.intentWaitMs,
    log: o.log,
  });
  return { index, sales, init: () => couch.requireDb(CLOUD_DBS.deals) };
}
