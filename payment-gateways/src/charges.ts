// What a payment gateway's client sends and gets back, whatever the gateway: a charge and the
// ticket the payer pays it with, the verified notification, what a query says of a charge,
// refunds, and the one error a client throws. Plain shapes only: no database, no HTTP.

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
  /** The gateway's id of the paid charge, for gateways that refund by it (UnionPay's queryId). */
  channelTxnId?: string | null;
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

/**
 * A charge as the gateway has it now (WeChat Pay's trade_state): `NOTPAY` waits for the payer,
 * `SUCCESS` is paid, `REFUND` was paid and has refunds, `CLOSED` can no longer be paid.
 */
export interface ChargeStatus {
  paymentId: string;
  state: 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'REFUND' | 'CLOSED' | 'REVOKED' | 'PAYERROR';
  /** Set once paid. */
  channelTxnId: string | null;
  amount: number; // fen, the order total
  paidAt: number | null; // epoch ms
}

/** A payment code (付款码) the cashier scanned off the payer's phone, charged at once. */
export interface CodeChargeRequest {
  /** Our payment id; the gateway's out_trade_no. The same id again is the same charge. */
  paymentId: string;
  amount: number; // fen
  description: string;
  /** The digits the scanner read off the payer's phone. */
  authCode: string;
}

/**
 * What charging a payment code came to at once: paid, or the payer has still to confirm on their
 * phone (`USERPAYING`: query until it is settled, then reverse). A decline is a `gateway_rejected`.
 */
export interface CodeChargeResult {
  state: 'SUCCESS' | 'USERPAYING';
  channelTxnId: string | null;
  amount: number; // fen
  paidAt: number | null;
}

/** What reversing (撤销) a code charge came to: closed unpaid, or paid and given back whole. */
export type ReverseResult = 'closed' | 'refunded';

/** What closing a charge came to: closed unpaid, or found paid (it cannot be closed then). */
export type CloseResult = 'closed' | 'paid';

export class ChannelError extends Error {
  constructor(
    readonly code:
      'bad_signature' | 'bad_notification' | 'gateway_unavailable' | 'gateway_rejected',
    message: string,
    /** The gateway's own code for a refusal (`ORDER_NOT_EXIST`, `ORDERPAID`...), when it said one. */
    readonly gatewayCode?: string,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}
