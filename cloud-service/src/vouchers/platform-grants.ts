// Each store's link to its shop on Meituan and on Douyin: the owner asks for the platform's
// authorise page (with a sealed state naming them and the store), grants our app there, and the
// platform sends the browser back to the cloud with a code traded here for the shop's token. The
// grant is a cloud fact in CLOUD_DBS.vouchers (`grant:<storeId>:<platform>`), written only here;
// its token is refreshed before it runs out (when used, and by the sweep). Never shown to anyone:
// owners see the shop and the dates, hubs never see a token.
import {
  CLOUD_DBS,
  DomainError,
  type Clock,
  type PlatformAuthorisation,
  type PlatformAuthoriseStart,
  type VoucherPlatform,
} from '@roomhub/shared-types';
import type { OwnerIdentity } from '../auth/tokens';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';
import type { SealedTokens } from './sealed-tokens';
import {
  platformError,
  type PlatformGrant,
  type PlatformShop,
  type VoucherPlatformAdapter,
} from './voucher-platform';

export interface GrantDoc extends CouchDoc, PlatformGrant {
  type: 'platform_grant';
  storeId: string;
  platform: VoucherPlatform;
  authorisedAt: number;
  authorisedBy: string;
  refreshedAt: number | null;
}

export const grantDocId = (storeId: string, platform: VoucherPlatform) =>
  `grant:${storeId}:${platform}`;

interface OAuthState {
  storeId: string;
  platform: VoucherPlatform;
  by: string;
  callbackUrl: string;
}

export interface PlatformGrantsDeps {
  couch: CouchClient;
  clock: Clock;
  sealed: SealedTokens;
  adapters: Partial<Record<VoucherPlatform, VoucherPlatformAdapter>>;
  /** A token is refreshed once it has less than this left. */
  refreshAheadMs?: number;
  /** How long an authorise link works. */
  stateTtlMs?: number;
}

export class PlatformGrants {
  private readonly refreshAheadMs: number;
  private readonly refreshing = new Map<string, Promise<GrantDoc>>();

  constructor(private readonly d: PlatformGrantsDeps) {
    this.refreshAheadMs = d.refreshAheadMs ?? 2 * 86_400_000;
  }

  adapter(platform: VoucherPlatform): VoucherPlatformAdapter {
    const adapter = this.d.adapters[platform];
    // No credentials for the platform on this cloud: nothing a hub can do but wait for them.
    if (!adapter) throw platformError(platform, 'platform_unavailable');
    return adapter;
  }

  /** The platform's page for the owner to grant our app the store's shop. */
  start(
    owner: OwnerIdentity,
    storeId: string,
    platform: VoucherPlatform,
    callbackUrl: string,
  ): PlatformAuthoriseStart {
    assertRuns(owner, storeId);
    const ttl = this.d.stateTtlMs ?? 15 * 60_000;
    const state = this.d.sealed.seal(
      'platform-oauth-state',
      { storeId, platform, by: owner.username, callbackUrl } satisfies OAuthState,
      ttl,
    );
    return {
      platform,
      authoriseUrl: this.adapter(platform).authoriseUrl(state, callbackUrl),
      expiresAt: new Date(this.d.clock.now() + ttl).toISOString(),
    };
  }

  /** Where the platform sent the owner back: trades the code for the shop's token and keeps it. */
  async complete(
    platform: VoucherPlatform,
    code: string,
    state: string,
  ): Promise<PlatformAuthorisation> {
    const asked = this.d.sealed.open<OAuthState>('platform-oauth-state', state);
    if (!asked || asked.platform !== platform) {
      throw new DomainError(
        'invalid',
        'authorisation_link_expired',
        'this authorisation link is not ours or has run out: start again from the owner dashboard',
      );
    }
    const grant = await this.adapter(platform).grant(code, asked.callbackUrl);
    const now = this.d.clock.now();
    const id = grantDocId(asked.storeId, platform);
    const existing = await this.d.couch.get<GrantDoc>(CLOUD_DBS.vouchers, id);
    const doc: GrantDoc = {
      _id: id,
      ...(existing?._rev ? { _rev: existing._rev } : {}),
      type: 'platform_grant',
      storeId: asked.storeId,
      platform,
      ...grant,
      authorisedAt: now,
      authorisedBy: asked.by,
      refreshedAt: null,
    };
    await this.d.couch.put(CLOUD_DBS.vouchers, doc);
    return view(doc);
  }

  /** The store's shop with a token good to use now; `platform_not_authorised` without one. */
  async shopFor(storeId: string, platform: VoucherPlatform): Promise<PlatformShop> {
    let doc = await this.d.couch.get<GrantDoc>(CLOUD_DBS.vouchers, grantDocId(storeId, platform));
    if (!doc) throw platformError(platform, 'platform_not_authorised');
    const now = this.d.clock.now();
    if (doc.expiresAt !== null && doc.expiresAt - now < this.refreshAheadMs) {
      try {
        doc = await this.refreshed(doc);
      } catch (e) {
        // Refreshed early and the platform did not answer: the token still works for now.
        if (doc.expiresAt! <= now) throw e;
      }
    }
    return {
      shopId: doc.shopId,
      ...(doc.accountId ? { accountId: doc.accountId } : {}),
      accessToken: doc.accessToken,
    };
  }

  /** Refreshes every token that runs out soon; the sweep calls it. Returns how many. */
  async refreshDue(): Promise<number> {
    const now = this.d.clock.now();
    const due = (await this.d.couch.byPrefix<GrantDoc>(CLOUD_DBS.vouchers, 'grant:')).filter(
      (g) =>
        g.expiresAt !== null &&
        g.expiresAt - now < this.refreshAheadMs &&
        this.d.adapters[g.platform],
    );
    let refreshed = 0;
    for (const grant of due) {
      try {
        await this.refreshed(grant);
        refreshed += 1;
      } catch {
        // Tried again at the next sweep, or at the next use; a grant past its refresh token's
        // life needs the owner to authorise again, which the store's answers then say.
      }
    }
    return refreshed;
  }

  async list(owner: OwnerIdentity, storeId: string): Promise<PlatformAuthorisation[]> {
    assertRuns(owner, storeId);
    const docs = await this.d.couch.byPrefix<GrantDoc>(CLOUD_DBS.vouchers, `grant:${storeId}:`);
    return docs.map(view);
  }

  /** Forgets the store's token: the platform is asked nothing until the owner authorises again. */
  async withdraw(owner: OwnerIdentity, storeId: string, platform: VoucherPlatform): Promise<void> {
    assertRuns(owner, storeId);
    const doc = await this.d.couch.get<GrantDoc>(CLOUD_DBS.vouchers, grantDocId(storeId, platform));
    if (doc)
      await this.d.couch.put(CLOUD_DBS.vouchers, { _id: doc._id, _rev: doc._rev, _deleted: true });
  }

  /** One refresh per grant at a time in this process; another instance's is seen as a conflict. */
  private refreshed(doc: GrantDoc): Promise<GrantDoc> {
    let running = this.refreshing.get(doc._id);
    if (!running) {
      running = (async () => {
        const grant = await this.adapter(doc.platform).refresh(doc);
        const next: GrantDoc = { ...doc, ...grant, refreshedAt: this.d.clock.now() };
        try {
          next._rev = await this.d.couch.put(CLOUD_DBS.vouchers, next);
          return next;
        } catch (e) {
          if (!isConflict(e)) throw e;
          const theirs = await this.d.couch.get<GrantDoc>(CLOUD_DBS.vouchers, doc._id);
          if (!theirs) throw platformError(doc.platform, 'platform_not_authorised');
          return theirs;
        }
      })().finally(() => this.refreshing.delete(doc._id));
      this.refreshing.set(doc._id, running);
    }
    return running;
  }
}

function assertRuns(owner: OwnerIdentity, storeId: string): void {
  if (!owner.storeIds.includes(storeId)) {
    throw new DomainError('forbidden', 'not_your_store', 'this account does not run that store');
  }
}

function view(doc: GrantDoc): PlatformAuthorisation {
  return {
    storeId: doc.storeId,
    platform: doc.platform,
    shopId: doc.shopId,
    shopName: doc.shopName,
    authorisedAt: new Date(doc.authorisedAt).toISOString(),
    expiresAt: iso(doc.expiresAt),
    endsAt: iso(doc.refreshToken === null ? doc.expiresAt : doc.refreshExpiresAt),
  };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
