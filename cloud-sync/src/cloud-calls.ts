// The wire of every call a hub makes to the cloud service's hub API (`/api/hub/...`), signed in as
// the store's hub with the CouchDB user it already has (HTTP Basic). It owns only the wire: an
// answer in the one error shape comes back as the product's DomainError (its code, the kind its
// status says, its field); a cloud that cannot be reached, does not answer in time or answers
// something else is `null`, which each caller turns into its own "not now".
import { DomainError, ERROR_KINDS, type ErrorKind } from '@roomhub/shared-types';

export interface CloudCallOptions {
  /** The cloud service, e.g. http://127.0.0.1:8081. */
  cloudUrl: string;
  /** The hub's CouchDB user (`hubUserName(storeId)`) and its password. */
  username: string;
  password: string;
  /** A call without an answer by then is given up; 10 s unless said. */
  timeoutMs?: number;
}

const KIND_OF_STATUS = new Map<number, ErrorKind>(
  (Object.entries(ERROR_KINDS) as [ErrorKind, number][]).map(([kind, status]) => [status, kind]),
);

/** What the cloud answered: its JSON, or its refusal; null when it gave no answer to trust. */
export type CloudAnswer = { ok: true; json: unknown } | { ok: false; refusal: DomainError } | null;

export class CloudCalls {
  private readonly base: string;
  private readonly authorization: string;
  readonly timeoutMs: number;

  constructor(o: CloudCallOptions) {
    this.base = o.cloudUrl.replace(/\/+$/, '');
    this.authorization = `Basic ${Buffer.from(`${o.username}:${o.password}`).toString('base64')}`;
    this.timeoutMs = o.timeoutMs ?? 10_000;
  }

  /** `field` names the input a refusal is about when the cloud named none. */
  async call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    field?: string,
  ): Promise<CloudAnswer> {
    let status: number;
    let json: unknown;
    try {
      const res = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          authorization: this.authorization,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      json = JSON.parse(await res.text());
    } catch {
      return null;
    }
    if (status >= 200 && status < 300) return { ok: true, json };
    const error = (json as { error?: { code?: unknown; message?: unknown; field?: unknown } })
      ?.error;
    const kind = KIND_OF_STATUS.get(status);
    if (!kind || typeof error?.code !== 'string') return null;
    return {
      ok: false,
      refusal: new DomainError(
        kind,
        error.code,
        typeof error.message === 'string' ? error.message : error.code,
        typeof error.field === 'string' ? error.field : field,
      ),
    };
  }
}
