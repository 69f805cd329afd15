// The payment-channel seam. The booking and payment services speak only this interface; a
// channel turns it into a gateway's protocol. A channel never touches the database. The shapes a
// channel sends and gets back are the gateway clients' own (`@roomhub/payment-gateways`).

import type {
  ChargeNotification,
  ChargeRequest,
  ChargeStatus,
  ChargeTicket,
  CodeChargeRequest,
  CodeChargeResult,
  RefundRequest,
  RefundResult,
  ReverseResult,
} from '@roomhub/payment-gateways';
import {
  DomainError,
  OnlinePaymentMethodSchema,
  type OnlinePaymentMethod,
  type PaymentMethod,
} from '@roomhub/shared-types';

export type { OnlinePaymentMethod, PaymentMethod };
export {
  ChannelError,
  type ChargeNotification,
  type ChargeRequest,
  type ChargeTicket,
  type RefundRequest,
  type RefundResult,
} from '@roomhub/payment-gateways';

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

/**
 * A channel that also takes payment codes (付款码) scanned at the counter: a charge answered at
 * once, a query, and the reverse (撤销) of a charge not known to be paid in time.
 */
export interface CodeChannel {
  chargeCode(req: CodeChargeRequest, notifyUrl?: string): Promise<CodeChargeResult>;
  queryCharge(paymentId: string): Promise<ChargeStatus>;
  reverseCharge(paymentId: string): Promise<ReverseResult>;
}

/** The channel payment codes of `method` are charged through, or undefined when it takes none. */
export function codeChannelOf(
  channels: Channels,
  method: 'wechat' | 'alipay',
): CodeChannel | undefined {
  const c = channels[method] as Partial<CodeChannel> | undefined;
  return c?.chargeCode && c.queryCharge && c.reverseCharge ? (c as CodeChannel) : undefined;
}

/**
 * Asks the gateway for the ticket (the QR) of a charge already recorded. A gateway that does not
 * answer leaves nothing open: `close` closes the record in a write of its own, and the caller gets
 * a 503 naming `method`. Every QR the hub shows (a booking, a kiosk voucher, a top-up, an order)
 * is opened here.
 */
export async function openCharge(
  channel: OnlineChannel,
  req: ChargeRequest,
  close: () => Promise<unknown>,
): Promise<ChargeTicket> {
  try {
    return await channel.createCharge(req);
  } catch (e) {
    await close();
    throw new DomainError(
      'unavailable',
      'gateway_unavailable',
      `the payment gateway did not answer: ${e instanceof Error ? e.message : String(e)}`,
      'method',
    );
  }
}
