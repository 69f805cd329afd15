// The ways a customer can pay the cloud, where they are: the shared rule of what is offered on
// each surface (shared-types' channel-offer), narrowed to what the cloud's channel takes. The
// cloud serves the mini-program and the customer's H5 page; the kiosk and the counter are the
// hub's. Pure: no I/O.
import {
  assertOffered,
  DomainError,
  offeredChoices,
  PaySurfaceSchema,
  type OnlinePaymentMethod,
  type PayChoice,
} from '@roomhub/shared-types';

/** Where a customer pays the cloud from. */
export const CloudPaySurfaceSchema = PaySurfaceSchema.extract([
  'mini_program',
  'h5_in_wechat',
  'h5',
]);
export type CloudPaySurface = (typeof CloudPaySurfaceSchema.options)[number];

/** What is offered on `surface` and taken by the cloud's channels, in the order a page lists it. */
export function cloudPaymentMethods(
  surface: CloudPaySurface,
  takes: readonly OnlinePaymentMethod[],
): PayChoice[] {
  return offeredChoices(surface).filter((c) => (takes as readonly string[]).includes(c));
}

/**
 * Refuses a method not offered where the customer is (`method_not_offered`), or offered there but
 * not taken by this cloud (`channel_unavailable`); both name `method`.
 */
export function assertCloudTakes(
  surface: CloudPaySurface,
  method: string,
  takes: readonly OnlinePaymentMethod[],
): void {
  assertOffered(surface, method);
  if (!(takes as readonly string[]).includes(method)) {
    throw new DomainError(
      'unavailable',
      'channel_unavailable',
      `payment channel ${method} is not set up on this service`,
      'method',
    );
  }
}
