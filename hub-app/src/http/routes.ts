// Every route of the hub's API, one table per domain, combined here, each with its row of the
// permission table. Express routes and the OpenAPI document are both made from this list, so the
// documentation cannot drift from what the hub accepts. A new domain adds its `<domain>.routes.ts`
// here and its rows to permissions.ts; a route without a row stops the hub at start.
import type { ScannerStatus } from '@roomhub/firmware-bridge';
import type { Hub } from '../hub';
import { bookingRoutes } from '../booking/booking.routes';
import { calendarRoutes } from '../calendar/calendar.routes';
import { chatRoutes } from '../chat/chat.routes';
import { cleaningRoutes } from '../cleaning/cleaning.routes';
import { couponRoutes } from '../coupons/coupon.routes';
import { deviceRoutes } from '../devices/device.routes';
import { maintenanceRoutes } from '../booking/room-maintenance.routes';
import { messageRoutes } from '../messages/messages.routes';
import { menuRoutes } from '../menu/menu.routes';
import { memberRoutes } from '../members/member.routes';
import { paymentRoutes } from '../payments/payment.routes';
import { promotionRoutes } from '../promotions/promotion.routes';
import { sessionRoutes } from '../sessions/session.routes';
import { staffRoutes } from '../staff/staff.routes';
import { statsRoutes } from '../stats/stats.routes';
import { energyRoutes } from '../energy/energy.routes';
import { invoiceRoutes } from '../invoices/invoice.routes';
import { anomalyRoutes } from '../anomalies/anomalies.routes';
import { reviewRoutes } from '../reviews/reviews.routes';
import { tableRoutes } from '../tables/table.routes';
import { storeRoutes } from '../store/store.routes';
import { voucherRoutes } from '../vouchers/voucher.routes';
import { walletRoutes } from '../wallet/wallet.routes';
import { hubRoutes } from './hub.routes';
import { PERMISSIONS, routeKey } from './permissions';
import type { RouteDef, RouteEntry } from './route';

export function routes(
  hub: Hub,
  scanners: () => ScannerStatus[] = () => [],
  sync: () => unknown = () => null,
): RouteDef[] {
  return withPermissions([
    ...hubRoutes(hub, scanners, sync),
    ...staffRoutes(hub),
    ...chatRoutes(hub, () => hub.chats()),
    ...messageRoutes(hub, () => hub.inbox()),
    ...storeRoutes(hub),
    ...calendarRoutes(hub),
    ...bookingRoutes(hub),
    ...paymentRoutes(hub),
    ...sessionRoutes(hub),
    ...deviceRoutes(hub),
    ...maintenanceRoutes(hub),
    ...voucherRoutes(hub),
    ...menuRoutes(hub),
    ...memberRoutes(hub),
    ...walletRoutes(hub),
    ...promotionRoutes(hub),
    ...couponRoutes(hub),
    ...cleaningRoutes(hub),
    ...statsRoutes(hub),
    ...energyRoutes(hub),
    ...invoiceRoutes(hub),
    ...anomalyRoutes(hub),
    ...reviewRoutes(hub),
    ...tableRoutes(hub),
  ]);
}

export function withPermissions(entries: RouteEntry[]): RouteDef[] {
  return entries.map((e) => {
    const access = PERMISSIONS[routeKey(e.method, e.path)];
    if (!access) {
      throw new Error(
        `${routeKey(e.method, e.path)} has no row in the permission table (http/permissions.ts)`,
      );
    }
    return { ...e, access };
  });
}
