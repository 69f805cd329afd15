// Who a store's hub is, proved by the CouchDB credentials it already has (HTTP Basic, its user
// `hub-<storeId>`): the cloud asks CouchDB's `_session` with them and takes the store from the
// user's name, never from anything else the request says. An answer is kept a short while by a
// hash of the credentials, so a burst of scans costs CouchDB one look; the credentials themselves
// are never kept, logged or compared here.
import { createHash } from 'node:crypto';
import { DomainError, StoreIdSchema, type Clock } from '@roomhub/shared-types';

export interface HubIdentity {
  storeId: string;
  /** The CouchDB user, `hub-<storeId>`. */
  user: string;
}

export interface HubCallersDeps {
  /** The CouchDB the hubs replicate to; any credentials in it are dropped. */
  couchUrl: string;
  clock: Clock;
  /** How long a proved hub is believed without asking CouchDB again. */
  ttlMs?: number;
  timeoutMs?: number;
}

const HUB_USER = /^hub-(.+)$/;

export class HubCallers {
  private readonly base: string;
  private readonly known = new Map<string, { hub: HubIdentity; until: number }>();
  private readonly ttlMs: number;

  constructor(private readonly d: HubCallersDeps) {
    const url = new URL(d.couchUrl);
    url.username = '';
    url.password = '';
    this.base = url.toString().replace(/\/+$/, '');
    this.ttlMs = d.ttlMs ?? 60_000;
  }

  /** The hub an `Authorization: Basic` header proves, or a 401 (403 for a user that is no hub). */
  async hubOf(authorization: string | undefined): Promise<HubIdentity> {
    if (!authorization || !/^Basic\s+\S+$/i.test(authorization)) {
      throw new DomainError(
        'unauthenticated',
        'sign_in_required',
        "a store's hub signs in with its CouchDB user (HTTP Basic)",
      );
    }
    const key = createHash('sha256').update(authorization).digest('base64url');
    const now = this.d.clock.now();
    const cached = this.known.get(key);
    if (cached && cached.until > now) return cached.hub;
    if (this.known.size > 10_000) this.known.clear();

    const res = await fetch(`${this.base}/_session`, {
      headers: { authorization, accept: 'application/json' },
      signal: AbortSignal.timeout(this.d.timeoutMs ?? 5_000),
    });
    const session = (await res.json().catch(() => undefined)) as
      { userCtx?: { name?: unknown } } | undefined;
    const name = res.ok ? session?.userCtx?.name : undefined;
    if (typeof name !== 'string') {
      throw new DomainError(
        'unauthenticated',
        'invalid_login',
        'the hub user or password is wrong',
      );
    }
    const storeId = HUB_USER.exec(name)?.[1];
    if (!storeId || !StoreIdSchema.safeParse(storeId).success) {
      throw new DomainError('forbidden', 'not_allowed', "only a store's hub may ask this");
    }
    const hub = { storeId, user: name };
    this.known.set(key, { hub, until: now + this.ttlMs });
    return hub;
  }
}
