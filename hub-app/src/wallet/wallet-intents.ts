// A top-up the cloud took online (`wallet_topup`), answered by the store: credited once, with the
// bonus of the store's own package, or refused in words (and the cloud gives the money back).
// Runs inside the write that stores the answer (sync/intents.ts), so the credit and the answer
// land together; the cloud's payment id makes a second credit of the same money impossible too.
import { DomainError, type Actor, type AnswerBody, type IntentDoc } from '@roomhub/shared-types';
import type { WalletService } from './wallet.service';

type WalletTopUpIntent = Extract<IntentDoc, { kind: 'wallet_topup' }>;

/**
 * A top-up is credited only this long before the cloud stops waiting: the cloud gives the money
 * back at its expiry by its own clock, and a credit after that would be money nobody paid.
 */
export const TOPUP_MARGIN_MS = 60_000;

export function answerWalletTopUp(
  wallet: WalletService,
  intent: WalletTopUpIntent,
  customer: Actor,
  now: number,
): AnswerBody {
  const { phone, packageId, payment } = intent.body;
  if (intent.expiresAt && Date.parse(intent.expiresAt) - TOPUP_MARGIN_MS <= now) {
    throw new DomainError(
      'conflict',
      'wallet_topup_late',
      'the top-up reached the store too late: the money goes back to the customer',
    );
  }
  let bonus = 0;
  let bonusValidDays: number | null = null;
  if (packageId !== undefined) {
    const p = wallet.packages().find((x) => x.id === packageId);
    if (!p || !p.active) {
      throw new DomainError(
        'conflict',
        'wallet_package_inactive',
        'this top-up package is no longer sold',
        'packageId',
      );
    }
    if (p.pay !== payment.amount) {
      throw new DomainError(
        'conflict',
        'price_changed',
        `the price is now ${p.pay} fen, not ${payment.amount}`,
      ).with({ price: p.pay });
    }
    bonus = p.bonus;
    bonusValidDays = p.bonusValidDays;
  } else if (payment.amount <= 0) {
    throw new DomainError('invalid', 'wallet_topup_empty', 'a top-up must be above zero');
  }
  wallet.creditFromCloud({
    phone,
    cloudPaymentId: payment.paymentId,
    principal: payment.amount,
    bonus,
    bonusValidDays,
    packageId: packageId ?? null,
    actor: customer,
  });
  return { outcome: 'confirmed' };
}
