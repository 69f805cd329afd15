// The hub's client of the cloud's voucher move: a voucher of another store of the owner, asked
// for so it can be used here (`POST /api/hub/vouchers/move`), signed in as the store's hub with
// the CouchDB user it already has (HTTP Basic), as the platform voucher calls are. It owns only
// the wire: the cloud's JSON errors come back as the product's DomainError (its code and the kind
// its status says); a cloud that cannot be reached or does not answer in time is
// `voucher_other_store`, as a home store that does not answer is: the voucher waits for both.
import {
  DomainError,
  VoucherMovedSchema,
  type ErrorKind,
  type VoucherMoved,
  type VoucherMoveRequest,
} from '@roomhub/shared-types';
import { CloudCalls, type CloudCallOptions } from './cloud-calls';

export type CloudVoucherMovesOptions = CloudCallOptions;

/** What the cloud's refusals may be told as; anything else (sign-in, a fault) is "not now". */
const TOLD = new Set<ErrorKind>(['conflict', 'gone', 'invalid', 'not_found']);

export class CloudVoucherMoves {
  private readonly wire: CloudCalls;

  constructor(o: CloudVoucherMovesOptions) {
    // The cloud waits 5 s for the home store; a move without an answer in 15 s is given up.
    this.wire = new CloudCalls({ timeoutMs: 15_000, ...o });
  }

  async move(req: VoucherMoveRequest): Promise<VoucherMoved> {
    const answer = await this.wire.call('POST', '/api/hub/vouchers/move', req, 'text');
    if (answer?.ok) {
      // Its shape here; its signature by the hub, against the cloud's keys.
      const moved = VoucherMovedSchema.safeParse(answer.json);
      if (!moved.success) throw unreachable();
      return moved.data;
    }
    if (!answer || !TOLD.has(answer.refusal.kind)) throw unreachable();
    return Promise.reject(answer.refusal);
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
