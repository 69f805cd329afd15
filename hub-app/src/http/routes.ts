// Every route of the hub's API, one table per domain, combined here. Express routes and the
// OpenAPI document are both made from this table, so the documentation cannot drift from what
// the hub accepts. A new domain adds its `<domain>.routes.ts` to this list.
import type { ScannerStatus } from '@roomhub/firmware-bridge';
import type { Hub } from '../hub';
import { bookingRoutes } from '../booking/booking.routes';
import { calendarRoutes } from '../calendar/calendar.routes';
import { deviceRoutes } from '../devices/device.routes';
import { paymentRoutes } from '../payments/payment.routes';
import { sessionRoutes } from '../sessions/session.routes';
import { storeRoutes } from '../store/store.routes';
import { hubRoutes } from './hub.routes';
import type { RouteDef } from './route';

export function routes(
  hub: Hub,
  scanners: () => ScannerStatus[] = () => [],
  sync: () => unknown = () => null,
): RouteDef[] {
  return [
    ...hubRoutes(hub, scanners, sync),
    ...storeRoutes(hub),
    ...calendarRoutes(hub),
    ...bookingRoutes(hub),
    ...paymentRoutes(hub),
    ...sessionRoutes(hub),
    ...deviceRoutes(hub),
  ];
}
