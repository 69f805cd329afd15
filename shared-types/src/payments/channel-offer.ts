// Which ways to pay a customer is offered where they are (C5), one rule the hub and the cloud both
// run to list the choices and to refuse a method not offered there. Inside WeChat (the
// mini-program, or a page opened in WeChat) only WeChat Pay can be called; a page in any other
// browser also offers Alipay and UnionPay; the kiosk shows a QR to scan or scans the payer's
// payment code; the counter takes cash and scans payment codes. A member's wallet is offered
// everywhere. A top-up of the wallet has its own list: never the wallet itself, and at the counter
// cash or a QR of the store's channel the customer scans. Pure: no I/O.
import { z } from 'zod';
import { DomainError } from '../errors';
import type { PaymentMethod } from './payment-method';

export const PaySurfaceSchema = z.enum([
  /** The WeChat mini-program. */
  'mini_program',
  /** The customer's H5 page opened inside WeChat's browser. */
  'h5_in_wechat',
  /** The customer's H5 page in any other browser. */
  'h5',
  /** The store's kiosk. */
  'kiosk',
  /** The counter: staff, on the cashier screen or their own. */
  'counter',
]);
export type PaySurface = z.infer<typeof PaySurfaceSchema>;

/** A way to pay as the customer chooses it: a method, or a payment code (付款码) scanned. */
export type PayChoice = PaymentMethod | 'payment_code';

const OFFERED: Record<PaySurface, readonly PayChoice[]> = {
  mini_program: ['wechat', 'wallet'],
  h5_in_wechat: ['wechat', 'wallet'],
  h5: ['wechat', 'alipay', 'unionpay', 'wallet'],
  kiosk: ['wechat', 'alipay', 'unionpay', 'payment_code', 'wallet'],
  counter: ['cash', 'payment_code', 'wallet'],
};

/** What fills a member's wallet; the kiosk sells no top-ups (the counter and the phone do). */
const TOP_UP_OFFERED: Record<PaySurface, readonly PayChoice[]> = {
  mini_program: ['wechat'],
  h5_in_wechat: ['wechat'],
  h5: ['wechat', 'alipay', 'unionpay'],
  kiosk: [],
  counter: ['cash', 'wechat', 'alipay', 'unionpay'],
};

/** The ways to pay offered on `surface`, in the order a screen lists them. */
export function offeredChoices(surface: PaySurface): readonly PayChoice[] {
  return OFFERED[surface];
}

/** Refuses a way to pay not offered where the customer is, naming `method`. */
export function assertOffered(surface: PaySurface, choice: string): void {
  if ((OFFERED[surface] as readonly string[]).includes(choice)) return;
  throw new DomainError(
    'invalid',
    'method_not_offered',
    `${choice} is not offered ${WHERE[surface]}: choose one of ${OFFERED[surface].join(', ')}`,
    'method',
  ).with({ method: choice, offered: OFFERED[surface].join('、') });
}

/** The ways a wallet top-up is paid on `surface`, in the order a screen lists them. */
export function topUpChoices(surface: PaySurface): readonly PayChoice[] {
  return TOP_UP_OFFERED[surface];
}

/** Refuses a way to pay a top-up not offered where the customer is, naming `method`. */
export function assertTopUpOffered(surface: PaySurface, choice: string): void {
  if ((TOP_UP_OFFERED[surface] as readonly string[]).includes(choice)) return;
  const offered = TOP_UP_OFFERED[surface];
  throw new DomainError(
    'invalid',
    'method_not_offered',
    offered.length === 0
      ? `no top-up is sold ${WHERE[surface]}`
      : `${choice} does not pay a top-up ${WHERE[surface]}: choose one of ${offered.join(', ')}`,
    'method',
  ).with({ method: choice, offered: offered.join('、') });
}

const WHERE: Record<PaySurface, string> = {
  mini_program: 'in the mini-program',
  h5_in_wechat: 'inside WeChat',
  h5: 'on this page',
  kiosk: 'at the kiosk',
  counter: 'at the counter',
};
