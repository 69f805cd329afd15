// The hub's client of the cloud's shared-wallet moves: money of a wallet shared across the owner's
// stores, asked for from the stores holding it (`POST /api/hub/wallet/moves`), signed in as the
// store's hub with the CouchDB user it already has. Asking again with the same move id is the same
// move: the cloud answers what each holding store has given up so far. A cloud that cannot be
// reached, or refuses, is thrown: the hub asks again later, and spends only what it holds.
import {
  DomainError,
  WalletMoveAnswerSchema,
  type WalletMoveAnswer,
  type WalletMoveRequest,
} from '@roomhub/shared-types';
import { CloudCalls, type CloudCallOptions } from './cloud-calls';

export class CloudWalletMoves {
  private readonly wire: CloudCalls;

  constructor(o: CloudCallOptions) {
    // The cloud waits a few seconds for each holding store; a move unanswered in 15 s is asked
    // again later by the hub's job.
    this.wire = new CloudCalls({ timeoutMs: 15_000, ...o });
  }

  async move(req: WalletMoveRequest): Promise<WalletMoveAnswer> {
    const answer = await this.wire.call('POST', '/api/hub/wallet/moves', req, 'amount');
    if (answer?.ok) {
      const parsed = WalletMoveAnswerSchema.safeParse(answer.json);
      if (parsed.success) return parsed.data;
    }
    if (answer && !answer.ok) throw answer.refusal;
    throw new DomainError(
      'unavailable',
      'wallet_elsewhere_offline',
      'the cloud could not be reached: this wallet is spent here only with what it holds here',
      'phone',
    );
  }
}
