// The payment-channel seam. The booking and payment services speak only this interface; a
// channel turns it into a gateway's protocol. A channel never touches the database.

import {
  DomainError,
  OnlinePaymentMethodSchema,
  type OnlinePaymentMethod,
  type PaymentMethod,
} from '@roomhub/shared-types';

export type { OnlinePaymentMethod, PaymentMethod };

export interface ChargeRequest {
  /** Our payment id; the gateway's out_trade_no. Idempotent: the same id twice is one charge. */
  paymentId: string;
  amount: number; // fen
  description: string;
  /** Where the gateway posts its signed notification. */
  notifyUrl: string;
  /** Instant (epoch ms) after which the gateway must refuse to take the money. */
  expiresAt: number;
}

export interface ChargeTicket {
  /** A page the payer opens to pay (the simulator's cashier page). */
  payUrl: string;
  /** What the store's screen renders as a QR code (WeChat Pay's code_url). */
  qrPayload: string;
}

export interface RefundRequest {
  paymentId: string;
  /** Our refund id; the gateway's out_refund_no. Idempotent. */
  refundId: string;
  amount: number; // fen
  paymentTotal: number; // fen, the original charge
  reason: string;
}

export interface RefundResult {
  status: 'succeeded' | 'pending' | 'failed';
  channelRefundId: string | null;
}

/** A verified, decrypted payment notification. */
export interface ChargeNotification {
  paymentId: string;
  channelTxnId: string;
  amount: number; // fen credited to the merchant: the order total
  paidAt: number; // epoch ms
  state: 'SUCCESS' | 'CLOSED' | 'PAYERROR';
}

export class ChannelError extends Error {
  constructor(
    readonly code:
      'bad_signature' | 'bad_notification' | 'gateway_unavailable' | 'gateway_rejected',
    message: string,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

/** An online channel: the gateway is reached over the network and answers by notification. */
export interface OnlineChannel {
  readonly method: OnlinePaymentMethod;
  createCharge(req: ChargeRequest): Promise<ChargeTicket>;
  refund(req: RefundRequest): Promise<RefundResult>;
  /** Verifies the signature and decrypts the body; throws ChannelError on anything wrong. */
  verifyNotification(
    headers: Record<string, string | undefined>,
    rawBody: string,
  ): ChargeNotification;
}

/** The online channels a hub has set up, by method. */
export type Channels = Partial<Record<OnlinePaymentMethod, OnlineChannel>>;

/** The channel money of `method` moves through; a 503 naming the method when none is set up. */
export function channelFor(channels: Channels, method: PaymentMethod): OnlineChannel {
  const online = OnlinePaymentMethodSchema.safeParse(method);
  const c = online.success ? channels[online.data] : undefined;
  if (!c) {
    throw new DomainError(
      'unavailable',
      'channel_unavailable',
      `payment channel ${method} is not set up on this hub`,
      'method',
    );
  }
  return c;
}
