// The platform part of the cloud, built in one place: its store (and the credential only it
// holds), its audit trail, its sign-in and guard, and its routes. `cloud.ts` builds it beside the
// customer and owner parts; the routes table mounts `routes()`.
import type { DesignDocs } from '../design-docs';
import type { Clock } from '@roomhub/shared-types';
import type { SmsCodes } from '../auth/sms';
import type { CouchClient } from '../couch';
import type { Catalogue } from '../stores/catalogue';
import type { RouteDef } from '../http/route';
import { PlatformAudit } from './platform-audit';
import { PlatformAuth, platformAuthRoutes } from './platform-auth';
import { PlatformCampaigns } from './platform-campaigns';
import { platformCampaignRoutes } from './platform-campaigns.routes';
import { PlatformMerchants } from './platform-merchants';
import { PlatformDeposits } from './platform-deposits';
import { platformDepositRoutes } from './platform-deposits.routes';
import { PlatformPenalties } from './platform-penalties';
import { platformPenaltyRoutes } from './platform-penalties.routes';
import { platformMerchantRoutes } from './platform-merchants.routes';
import { PlatformReviews } from './platform-reviews';
import { platformReviewRoutes } from './platform-reviews.routes';
import { reviewStateRoutes } from './review-states.routes';
import { platformStaffRoutes } from './platform-staff.routes';
import { PlatformUsers } from './platform-users';
import { platformUserRoutes } from './platform-users.routes';
import { initPlatformStore, platformStore, type PlatformStore } from './platform-store';

export interface PlatformParts {
  store: PlatformStore;
  audit: PlatformAudit;
  auth: PlatformAuth;
  reviews: PlatformReviews;
  users: PlatformUsers;
  merchants: PlatformMerchants;
  penalties: PlatformPenalties;
  deposits: PlatformDeposits;
  campaigns: PlatformCampaigns;
  init(): Promise<void>;
  routes(): RouteDef[];
}

export function createPlatform(d: {
  couch: CouchClient;
  views: DesignDocs;
  /** `CLOUD_PLATFORM_COUCHDB_URL`: the platform's own credential; unset, the console only reads. */
  platformCouchUrl: string | undefined;
  smsCodes: SmsCodes;
  catalogue: Catalogue;
  customerIdKey: string;
  secret: string;
  clock: Clock;
  newId: () => string;
}): PlatformParts {
  const store = platformStore(d.couch, d.platformCouchUrl);
  const audit = new PlatformAudit({ clock: d.clock, newId: d.newId });
  const auth = new PlatformAuth({
    store,
    smsCodes: d.smsCodes,
    audit,
    secret: d.secret,
    clock: d.clock,
  });
  const reviews = new PlatformReviews({ store, audit, catalogue: d.catalogue, clock: d.clock });
  const users = new PlatformUsers({
    store,
    audit,
    smsCodes: d.smsCodes,
    customerIdKey: d.customerIdKey,
    clock: d.clock,
  });
  const merchants = new PlatformMerchants({
    store,
    audit,
    views: d.views,
    clock: d.clock,
    newId: d.newId,
  });
  const campaigns = new PlatformCampaigns({ store, audit, clock: d.clock });
  const penalties = new PlatformPenalties({
    store,
    audit,
    gate: d.catalogue.penalties,
    clock: d.clock,
    newId: d.newId,
  });
  const deposits = new PlatformDeposits({ store, audit, clock: d.clock });
  return {
    store,
    audit,
    auth,
    reviews,
    users,
    merchants,
    penalties,
    deposits,
    campaigns,
    init: () => initPlatformStore(store),
    routes: () => [
      ...platformAuthRoutes(auth),
      ...platformStaffRoutes({ store, audit, clock: d.clock }),
      ...platformReviewRoutes(reviews, store),
      ...reviewStateRoutes(reviews),
      ...platformUserRoutes(users),
      ...platformMerchantRoutes(merchants),
      ...platformPenaltyRoutes(penalties),
      ...platformDepositRoutes(deposits),
      ...platformCampaignRoutes(campaigns),
    ],
  };
}
