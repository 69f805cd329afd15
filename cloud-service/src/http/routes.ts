// Every route of the cloud's API in one table, made of each domain's own list. The express routes
// and the OpenAPI document are both generated from it, so the documentation cannot drift from what
// the cloud accepts.
import { accountRoutes } from '../account/account.routes';
import { authRoutes } from '../auth/auth.routes';
import type { Cloud } from '../cloud';
import { dealRoutes } from '../deals/deals.routes';
import { sharePreviewsOf } from '../deals/share-preview';
import { storeDealSaleRoutes } from '../deals/store-deal-sales.routes';
import { voucherMoveRoutes } from '../deals/voucher-moves.routes';
import { orderRoutes } from '../orders/orders.routes';
import { ownerBusinessRoutes } from '../owner/owner-business.routes';
import { ownerRoutes } from '../owner/owner.routes';
import { paymentRoutes } from '../payments/payments.routes';
import { storeRoutes } from '../stores/stores.routes';
import { platformVoucherRoutes } from '../vouchers/platform-vouchers.routes';
import { walletRoutes } from '../wallet/wallet.routes';
import { teaOrderRoutes } from '../menu/tea-orders.routes';
import { tableRoutes } from '../tables/tables.routes';
import { couponRoutes } from '../coupons/coupons.routes';
import { walletMoveRoutes } from '../wallet/wallet-moves.routes';
import { memberCodeRoutes } from '../member-codes/member-codes.routes';
import { messageRoutes } from '../messages/messages.routes';
import { chatRoutes } from '../chat/chats.routes';
import { complaintRoutes } from '../chat/complaints.routes';
import { invoiceRoutes } from '../invoices/invoices.routes';
import type { RouteDef } from './route';

export type RouteServices = Pick<
  Cloud,
  | 'signIn'
  | 'stores'
  | 'orders'
  | 'ownerView'
  | 'ownerIntents'
  | 'platformVouchers'
  | 'onlinePayments'
  | 'deals'
  | 'wallet'
  | 'tea'
  | 'tables'
  | 'coupons'
  | 'walletMoves'
  | 'memberCodes'
  | 'messages'
  | 'chats'
  | 'complaints'
  | 'smsPushToken'
  | 'account'
  | 'invoices'
  | 'platform'
  | 'platformWatch'
> & { publicUrl?: string };

export function routes(cloud: RouteServices): RouteDef[] {
  return [
    ...authRoutes(cloud.signIn),
    ...accountRoutes(cloud.account),
    ...storeRoutes(cloud.stores),
    ...orderRoutes(cloud.orders),
    ...walletRoutes(cloud.wallet),
    ...teaOrderRoutes(cloud.tea),
    ...tableRoutes(cloud.tables),
    ...couponRoutes(cloud.coupons),
    ...walletMoveRoutes(cloud.walletMoves),
    ...memberCodeRoutes(cloud.memberCodes),
    ...dealRoutes(cloud.deals.sales, cloud.deals.shares, sharePreviewsOf(cloud)),
    ...voucherMoveRoutes(cloud.deals.moves),
    ...storeDealSaleRoutes(cloud.deals.storeSales),
    ...ownerRoutes(cloud.ownerView, cloud.ownerIntents),
    ...ownerBusinessRoutes(cloud.ownerView, cloud.ownerIntents),
    ...paymentRoutes(cloud.onlinePayments),
    ...messageRoutes(cloud.messages, cloud.smsPushToken),
    ...chatRoutes(cloud.chats),
    ...complaintRoutes(cloud.complaints),
    ...invoiceRoutes(cloud.invoices),
    ...cloud.platform.routes(),
    ...cloud.platformWatch.routes(),
    ...platformVoucherRoutes(cloud.platformVouchers.service, cloud.platformVouchers.grants, {
      ...(cloud.publicUrl ? { publicUrl: cloud.publicUrl } : {}),
    }),
  ];
}
