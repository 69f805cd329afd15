// A customer's wallet top-up paid online (C5, C11): the cloud holds the money through its payment
// channel and writes a signed `wallet_topup` intent to the store's inbox; the store credits it
// once with its own package's bonus (the cloud then takes the money) or refuses (the cloud gives
// it back); a store offline credits it when it is back, or the cloud gives the money back when the
// intent expires. The wallet is the customer's phone, as they signed in with it. Never writes a
// store's database, never decides the bonus: the store does.
import type { z } from 'zod';
import { type IntentView, type WalletOnlineTopUpSchema } from '@roomhub/shared-types';
import { phoneNotLinked } from '../auth/phone-links';
import type { CustomerIdentity } from '../auth/tokens';
import { intentView, type IntentService } from '../intents/intents';
import type { StoreService } from '../stores/store.service';
import type { StoreZones } from '../stores/store-zones';

export interface CloudWalletDeps {
  intents: IntentService;
  stores: StoreService;
  zones: StoreZones;
  /**
   * How long a payment is held for the store's answer before the request expires and the money
   * goes back: the platform's setting unless the deployment fixed it; read at each request.
   */
  confirmTimeoutMs: () => Promise<number>;
  /** How long the customer's call waits for the store's answer before it is told to wait. */
  answerWaitMs: number;
}

export class CloudWallet {
  constructor(private readonly d: CloudWalletDeps) {}

  async topUp(
    who: CustomerIdentity,
    storeId: string,
    body: z.output<typeof WalletOnlineTopUpSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    if (!who.phone) {
      throw phoneNotLinked('top up a wallet');
    }
    const { store } = await this.d.stores.page(storeId);
    const doc = await this.d.intents.submit({
      storeId,
      by: { customerId: who.customerId },
      kind: 'wallet_topup',
      body: { phone: who.phone, ...(body.packageId ? { packageId: body.packageId } : {}) },
      charge: { amount: body.amount, description: `${store.name} · 储值充值` },
      expiresInMs: await this.d.confirmTimeoutMs(),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    const answered = await this.d.intents.waitForAnswer(doc, this.d.answerWaitMs);
    return intentView(answered, await this.d.zones.formatFor(storeId));
  }
}
