// Whose payment code (付款码) the scanner read: WeChat's are 18 digits starting 10-15, Alipay's 16
// to 24 digits starting 25-30. Anything else is neither, and the cashier is told so. Pure.
import { DomainError } from '../errors';

export type PaymentCodeChannel = 'wechat' | 'alipay';

/** The channel a payment code belongs to, or null when it is neither WeChat's nor Alipay's. */
export function paymentCodeChannel(code: string): PaymentCodeChannel | null {
  if (/^1[0-5]\d{16}$/.test(code)) return 'wechat';
  if (/^(2[5-9]|30)\d{14,22}$/.test(code)) return 'alipay';
  return null;
}

/** The channel of a payment code; a refusal naming `code` in words a cashier understands. */
export function channelOfPaymentCode(code: string): PaymentCodeChannel {
  const channel = paymentCodeChannel(code);
  if (channel) return channel;
  throw new DomainError(
    'invalid',
    'payment_code_unknown',
    'this is neither a WeChat nor an Alipay payment code: ask the customer to open the payment code in WeChat or Alipay and scan it again',
    'code',
  );
}

/** A payment code as it may be logged or shown: its last four digits only. */
export function maskPaymentCode(code: string): string {
  return `****${code.slice(-4)}`;
}
