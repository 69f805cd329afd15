// How money moved, one word per way, from the payments column to the ledger document to the API.
import { z } from 'zod';

export const PaymentMethodSchema = z.enum([
  /** Over the counter, taken by staff. */
  'cash',
  /** WeChat Pay (API v3), through the hub's channel; the simulator speaks the same protocol. */
  'wechat',
  /** Alipay, through the Alipay SDK against its gateway (or the local simulator). */
  'alipay',
  /** UnionPay online payment (银联在线), signed RSA-SHA256 under the merchant's certificate. */
  'unionpay',
  /** A member's stored value. */
  'wallet',
  /** A group-buy voucher redeemed for it. */
  'voucher',
  /** Taken by the cloud service for an online request; the cloud pays it back. */
  'cloud',
]);
export type PaymentMethod = z.infer<typeof PaymentMethodSchema>;

/** The methods a customer pays by online, through a gateway that notifies and refunds. */
export const OnlinePaymentMethodSchema = PaymentMethodSchema.extract([
  'wechat',
  'alipay',
  'unionpay',
]);
export type OnlinePaymentMethod = z.infer<typeof OnlinePaymentMethodSchema>;
