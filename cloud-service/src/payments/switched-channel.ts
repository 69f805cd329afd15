// The platform's switch over each way to pay online (its system settings, P5): a channel the
// platform owner switched off takes no new payment, while money it already holds is still
// captured, given back and refunded as its booking or order goes, so nothing is left hanging.
// Wraps the cloud's channel; the settings are read as the platform's settings store caches them.
import {
  DomainError,
  type OnlinePaymentMethod,
  type PlatformSettings,
} from '@roomhub/shared-types';
import type { CloudPaymentChannel, PaymentRecord } from './payment-channel';

export interface SwitchedChannel extends CloudPaymentChannel {
  /** Whether the platform lets customers pay by this channel now. */
  isOn(): Promise<boolean>;
}

export function switchedChannel(
  channel: CloudPaymentChannel,
  switches: () => Promise<Pick<PlatformSettings['payment'], OnlinePaymentMethod>>,
): SwitchedChannel {
  const isOn = async () => (await switches())[channel.method];
  return {
    method: channel.method,
    isOn,
    async authorise(input): Promise<PaymentRecord> {
      if (!(await isOn())) {
        throw new DomainError(
          'unavailable',
          'channel_off',
          `paying by ${channel.method} online is switched off by the platform for now; pay at the store or try again later`,
          'method',
        ).with({ method: channel.method });
      }
      return channel.authorise(input);
    },
    capture: (paymentId) => channel.capture(paymentId),
    release: (paymentId) => channel.release(paymentId),
    refund: (input) => channel.refund(input),
    ...(channel.handleNotification
      ? { handleNotification: channel.handleNotification.bind(channel) }
      : {}),
    ...(channel.sweep ? { sweep: channel.sweep.bind(channel) } : {}),
  };
}
