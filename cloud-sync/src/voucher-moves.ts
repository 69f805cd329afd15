// The hub's client of the cloud's voucher move: a voucher of another store of the owner, asked
// for so it can be used here (`POST /api/hub/vouchers/move`), signed in as the store's hub with
// the CouchDB user it already has (HTTP Basic), as the platform voucher calls are. It owns only
// the wire: the cloud's JSON errors come back as the product's DomainError (its code and the kind
// its status says); a cloud that cannot be reached or does not answer in time is
// `voucher_other_store`, as a home store that does not answer is: the voucher waits for both.
import {
  DomainError,
  ERROR_KINDS,
  VoucherMovedSchema,
  type ErrorKind,
  type VoucherMoved,
  type VoucherMoveRequest,
} from '@roomhub/shared-types';

export interface CloudVoucherMovesOptions {
  /** The cloud service, e.g. http://127.0.0.1:8081. */
  cloudUrl: string;
  /** The hub's CouchDB user (`hubUserName(storeId)`) and its password. */
  username: string;
  password: string;
  /** A move without an answer by then is given up; 15 s unless said (the cloud waits 5 s). */
  timeoutMs?: number;
}

/** What the cloud's refusals may be told as; anything else (sign-in, a fault) is "not now". */
const TOLD = new Set<ErrorKind>(['conflict', 'gone', 'invalid', 'not_found']);

const KIND_OF_STATUS = new Map<number, ErrorKind>(
  (Object.entries(ERROR_KINDS) as [ErrorKind, number][]).map(([kind, status]) => [status, kind]),
);

export class CloudVoucherMoves {
  private readonly base: string;
  private readonly authorization: string;
  private readonly timeoutMs: number;

  constructor(o: CloudVoucherMovesOptions) {
    this.base = o.cloudUrl.replace(/\/+$/, '');
    this.authorization = `Basic ${Buffer.from(`${o.username}:${o.password}`).toString('base64')}`;
    this.timeoutMs = o.timeoutMs ?? 15_000;
  }

  async move(req: VoucherMoveRequest): Promise<VoucherMoved> {
    let status: number;
    let json: unknown;
    try {
      const res = await fetch(`${this.base}/api/hub/vouchers/move`, {
        method: 'POST',
        headers: {
          authorization: this.authorization,
          accept: 'application/json',
          'content-type': 'application/json',
        },
        body: JSON.stringify(req),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      json = JSON.parse(await res.text());
    } catch {
      throw unreachable();
    }
    if (status >= 200 && status < 300) {
      // Its shape here; its signature by the hub, against the cloud's keys.
      const moved = VoucherMovedSchema.safeParse(json);
      if (!moved.success) throw unreachable();
      return moved.data;
    }
    const error = (json as { error?: { code?: unknown; message?: unknown; field?: unknown } })
      ?.error;
    const kind = KIND_OF_STATUS.get(status);
    if (!kind || !TOLD.has(kind) || typeof error?.code !== 'string') throw unreachable();
    return Promise.reject(
      new DomainError(
        kind,
        error.code,
        typeof error.message === 'string' ? error.message : error.code,
        typeof error.field === 'string' ? error.field : 'text',
      ),
    );
  }
}

function unreachable(): DomainError {
  return new DomainError(
    'conflict',
    'voucher_other_store',
    'this voucher belongs to another store: it can be used here only while the cloud and that store are online',
    'text',
  );
}
