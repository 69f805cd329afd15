// Who may call each route of the hub (O9): one table, read top to bottom by an owner or an
// auditor. A row names the staff roles and the paired screens a route serves (a staff member
// signed in on a paired screen counts as both); `anyone` is for what the store shows everyone.
// A route without a row does not start. Finer rules stay with the services: whose booking it is
// (a kiosk needs the booking's pass), which staff a manager may manage.
import { StaffRoleSchema, type RouteAccess, type StaffRole } from '@roomhub/shared-types';

const ALL_STAFF = StaffRoleSchema.options;
const staff = (...roles: StaffRole[]) => ({ staff: roles });
const OWNER = staff('owner');
const MANAGERS = staff('owner', 'manager');
/** Who serves customers at the counter and on the phone. */
const COUNTER: StaffRole[] = ['owner', 'manager', 'cashier', 'customer_service'];
/** The counter, or a kiosk acting for the booking in front of it (its pass). */
const COUNTER_OR_KIOSK = { staff: COUNTER, screens: ['kiosk'] } as const;

export const PERMISSIONS: Readonly<Record<string, RouteAccess>> = {
  // the hub
  'GET /api/health': 'anyone',
  'GET /api/sync': 'anyone',
  'POST /api/backups': MANAGERS,
  'GET /api/backups': MANAGERS,
  // a restore takes the store's records back to the backup's: the owner's decision alone
  'POST /api/backups/restore': OWNER,
  'DELETE /api/backups/restore': OWNER,
  // the hub's diagnostics: phones masked and secrets redacted, still the owner's alone
  'GET /api/logs': OWNER,
  'GET /api/events': { staff: ALL_STAFF, screens: ['kiosk', 'cashier', 'door'] },
  // staff, sign-in, screens, audit
  'POST /api/auth/sign-in': 'anyone',
  'POST /api/auth/sign-out': { staff: ALL_STAFF },
  'GET /api/auth/me': { staff: ALL_STAFF },
  'POST /api/auth/waits/clear': OWNER,
  'GET /api/staff': MANAGERS,
  'POST /api/staff': MANAGERS,
  'PATCH /api/staff/:id': MANAGERS,
  // anyone signed in may change their own PIN; the service checks who manages whom otherwise
  'POST /api/staff/:id/pin': { staff: ALL_STAFF },
  'POST /api/screens/pairing-codes': MANAGERS,
  'POST /api/screens/pair': 'anyone',
  'GET /api/screens': MANAGERS,
  'DELETE /api/screens/:id': MANAGERS,
  'GET /api/audit': OWNER,
  // electronic invoices customers ask for: the owner or a manager issues them from the tax system
  'GET /api/invoices': MANAGERS,
  'GET /api/invoices/:id': MANAGERS,
  'POST /api/invoices/:id/issue': MANAGERS,
  'POST /api/invoices/:id/reject': MANAGERS,
  'GET /api/invoices/:id/pdf': MANAGERS,
  // customer-service chat, kept by the cloud: those who answer customers
  'GET /api/chats': staff('owner', 'manager', 'customer_service'),
  'GET /api/chats/:chatId': staff('owner', 'manager', 'customer_service'),
  'POST /api/chats/:chatId/lines': staff('owner', 'manager', 'customer_service'),
  // the store's notices, kept by the cloud: one inbox for those who run the store
  'GET /api/messages': MANAGERS,
  'POST /api/messages/:id/read': MANAGERS,
  'POST /api/messages/read': MANAGERS,
  // the store and its rooms
  'GET /api/store': 'anyone',
  'PATCH /api/store': MANAGERS,
  'GET /api/rooms': 'anyone',
  'POST /api/rooms': MANAGERS,
  'GET /api/rooms/:id': 'anyone',
  'PATCH /api/rooms/:id': MANAGERS,
  'GET /api/calendar': 'anyone',
  'PUT /api/calendar/:date': MANAGERS,
  'DELETE /api/calendar/:date': MANAGERS,
  // availability: anyone sees free and taken time, never whose
  'GET /api/rooms/:id/availability': 'anyone',
  'GET /api/board': 'anyone',
  'POST /api/quotes': 'anyone',
  // bookings
  'POST /api/bookings': COUNTER_OR_KIOSK,
  'GET /api/bookings': staff(...COUNTER),
  'GET /api/bookings/:id': COUNTER_OR_KIOSK,
  'POST /api/bookings/:id/cancel': COUNTER_OR_KIOSK,
  'POST /api/bookings/:id/change': staff(...COUNTER),
  // a customer asks (at the kiosk, with the booking's pass); staff decide
  'POST /api/bookings/:id/refund': COUNTER_OR_KIOSK,
  'POST /api/bookings/:id/refund/approve': staff('owner', 'manager', 'customer_service'),
  'POST /api/bookings/:id/refund/reject': staff('owner', 'manager', 'customer_service'),
  // payments: cash is taken by staff (the service says so); a kiosk shows the QR of its booking
  'POST /api/bookings/:id/payments': COUNTER_OR_KIOSK,
  // the ways to pay offered where the caller is: the counter to staff, the kiosk to a kiosk
  'GET /api/payment-methods': COUNTER_OR_KIOSK,
  // the owner's switches for the ways to pay at the kiosk and the counter (O11)
  'GET /api/payment-channels': MANAGERS,
  'PUT /api/payment-channels/:surface/:choice': OWNER,
  'POST /api/payments/notify/:method': 'anyone',
  // cash refunds a kiosk or a customer's cancellation left owed, handed over at the counter
  'GET /api/refunds/owed': staff(...COUNTER),
  'POST /api/refunds/:id/pay-out': staff('owner', 'manager', 'cashier'),
  // money given back by hand, in full or in part
  'POST /api/bookings/:id/refunds': staff('owner', 'manager', 'cashier'),
  // the session in the room
  'POST /api/kiosk/prove': { staff: [], screens: ['kiosk'] },
  'POST /api/bookings/:id/door': COUNTER_OR_KIOSK,
  'GET /api/bookings/:id/door-code': COUNTER_OR_KIOSK,
  'POST /api/bookings/:id/extend': COUNTER_OR_KIOSK,
  'POST /api/bookings/:id/finish': COUNTER_OR_KIOSK,
  'GET /api/bookings/:id/notifications': COUNTER_OR_KIOSK,
  'GET /api/sessions': { staff: ALL_STAFF },
  'POST /api/rooms/:id/door/code': { staff: ALL_STAFF, screens: ['door', 'kiosk'] },
  // a cleaner opens a room to clean it, with a reason that is logged
  'POST /api/rooms/:id/door/open': staff('owner', 'manager', 'cashier', 'cleaner'),
  'GET /api/rooms/:id/door/log': MANAGERS,
  // devices
  'GET /api/devices': { staff: ALL_STAFF },
  'POST /api/devices/:id/override': MANAGERS,
  'GET /api/devices/speaker-settings': MANAGERS,
  'PUT /api/devices/speaker-settings': MANAGERS,
  'GET /api/devices/schedules': MANAGERS,
  'POST /api/devices/schedules': MANAGERS,
  'PUT /api/devices/schedules/:id': MANAGERS,
  'DELETE /api/devices/schedules/:id': MANAGERS,
  // rooms taken out for maintenance: the owner or a manager
  'GET /api/maintenance': MANAGERS,
  'POST /api/rooms/:id/maintenance': MANAGERS,
  'POST /api/maintenance/:id/lift': MANAGERS,
  // deals and vouchers: the kiosk shows the deals it sells; a kiosk redeems a customer's voucher
  // for the booking in front of it (its pass) or a walk-in it makes; the counter any voucher
  'GET /api/deals': { staff: ALL_STAFF, screens: ['kiosk', 'cashier'] },
  'POST /api/deals': MANAGERS,
  'GET /api/deals/:id': { staff: ALL_STAFF, screens: ['kiosk', 'cashier'] },
  'PATCH /api/deals/:id': MANAGERS,
  'POST /api/vouchers': staff(...COUNTER),
  'GET /api/vouchers': staff(...COUNTER),
  'POST /api/vouchers/:id/refund': staff('owner', 'manager', 'cashier'),
  // a customer buys a voucher at the kiosk and pays by the QR on its screen
  'POST /api/vouchers/orders': COUNTER_OR_KIOSK,
  'GET /api/vouchers/orders/:id': COUNTER_OR_KIOSK,
  'POST /api/vouchers/prepare': COUNTER_OR_KIOSK,
  'POST /api/vouchers/redeem': COUNTER_OR_KIOSK,
  'GET /api/vouchers/redemptions': staff(...COUNTER),
  'GET /api/vouchers/redemptions/:id': staff(...COUNTER),
  // giving a voucher back is staff's, never the kiosk's
  'POST /api/vouchers/redemptions/:id/undo': staff('owner', 'manager', 'cashier'),
  'GET /api/vouchers/stats': MANAGERS,
  'GET /api/vouchers/reconciliation': MANAGERS,
  'GET /api/vouchers/settings': MANAGERS,
  'PUT /api/vouchers/settings': OWNER,
  // tea and snacks: everyone sees the menu; the owner and managers change it and keep the stock;
  // the counter takes orders and cash; a kiosk orders for the booking in front of it (its pass)
  'GET /api/menu': 'anyone',
  'POST /api/menu/categories': MANAGERS,
  'PATCH /api/menu/categories/:id': MANAGERS,
  'POST /api/menu/items': MANAGERS,
  'PATCH /api/menu/items/:id': MANAGERS,
  'GET /api/menu/sales': MANAGERS,
  'POST /api/orders': COUNTER_OR_KIOSK,
  'POST /api/orders/quote': COUNTER_OR_KIOSK,
  'GET /api/orders': staff(...COUNTER),
  'GET /api/orders/:id': COUNTER_OR_KIOSK,
  'POST /api/orders/:id/payments': staff('owner', 'manager', 'cashier'),
  // a QR to pay online: at the counter, or the kiosk for the booking in front of it
  'POST /api/orders/:id/charges': COUNTER_OR_KIOSK,
  'GET /api/orders/charges/:id': COUNTER_OR_KIOSK,
  'POST /api/orders/:id/prepare': staff(...COUNTER),
  'POST /api/orders/:id/deliver': staff(...COUNTER),
  'POST /api/orders/:id/cancel': staff(...COUNTER),
  // cash back is handed over by those who keep the till
  'POST /api/orders/:id/refund': staff('owner', 'manager', 'cashier'),
  'GET /api/stock': MANAGERS,
  'GET /api/stock/:id': MANAGERS,
  'POST /api/stock/:id': MANAGERS,
  // members: the owner and managers set levels and rules, change members and adjust points;
  // the counter looks a member up; the export (every phone and birthday) is the owner's alone
  'GET /api/member-levels': MANAGERS,
  'PUT /api/member-levels': MANAGERS,
  'GET /api/member-rules': MANAGERS,
  'PUT /api/member-rules': MANAGERS,
  'PUT /api/member-settings': MANAGERS,
  'GET /api/members': MANAGERS,
  'GET /api/members/export.csv': OWNER,
  'GET /api/members/:id': staff(...COUNTER),
  'PATCH /api/members/:id': MANAGERS,
  'POST /api/members/:id/points': MANAGERS,
  // the member wallet: the counter sells top-ups and sees a member's wallet; the principal goes
  // back and the total owed is read by a manager or the owner; the mode is the owner's
  'GET /api/wallet/packages': staff(...COUNTER),
  'POST /api/wallet/packages': MANAGERS,
  'PATCH /api/wallet/packages/:id': MANAGERS,
  'POST /api/wallet/top-ups': staff('owner', 'manager', 'cashier'),
  'GET /api/wallet/top-ups/:id': staff('owner', 'manager', 'cashier'),
  'GET /api/wallets/:id': staff(...COUNTER),
  'POST /api/wallets/:id/refund': MANAGERS,
  // the counter names a wallet; a kiosk pays only by the member code its customer shows
  'POST /api/bookings/:id/wallet-payments': {
    staff: ['owner', 'manager', 'cashier'],
    screens: ['kiosk'],
  },
  'GET /api/wallet/owed': MANAGERS,
  'GET /api/wallet/settings': MANAGERS,
  'PUT /api/wallet/settings': OWNER,
  // promotions and campaigns are the owner's and managers'; a manager gives coupons by hand; a
  // customer claims one at the kiosk or the counter; the counter sees a customer's coupons
  'GET /api/promotions': MANAGERS,
  'POST /api/promotions': MANAGERS,
  'GET /api/promotions/:id': MANAGERS,
  'PUT /api/promotions/:id': MANAGERS,
  'POST /api/promotions/:id/switch': MANAGERS,
  'GET /api/campaigns': MANAGERS,
  'POST /api/campaigns': MANAGERS,
  'GET /api/campaigns/:id': MANAGERS,
  'PATCH /api/campaigns/:id': MANAGERS,
  'GET /api/campaigns/:id/results': MANAGERS,
  'POST /api/campaigns/:id/coupons': MANAGERS,
  'POST /api/coupons/claim': COUNTER_OR_KIOSK,
  // points are spent only by staff: a kiosk cannot tell whose phone number was typed in
  'POST /api/coupons/exchange': staff(...COUNTER),
  'POST /api/coupons/referrals': COUNTER_OR_KIOSK,
  'GET /api/coupons': staff(...COUNTER),
  // cleaning: cleaners (and a manager or the owner who cleans) take and finish tasks; the cashier
  // sees what is still to clean; a manager or the owner hands tasks over, calls them off, marks
  // rooms to skip cleaning and reads what each cleaner did
  'GET /api/cleaning/tasks': staff('owner', 'manager', 'cashier', 'cleaner'),
  'GET /api/cleaning/tasks/:id': staff('owner', 'manager', 'cashier', 'cleaner'),
  'POST /api/cleaning/tasks/:id/take': staff('owner', 'manager', 'cleaner'),
  'POST /api/cleaning/tasks/:id/release': staff('owner', 'manager', 'cleaner'),
  'POST /api/cleaning/tasks/:id/done': staff('owner', 'manager', 'cleaner'),
  'POST /api/cleaning/tasks/:id/photo': staff('owner', 'manager', 'cleaner'),
  'GET /api/cleaning/tasks/:id/photo': staff('owner', 'manager', 'cashier', 'cleaner'),
  'POST /api/cleaning/tasks/:id/reassign': MANAGERS,
  'POST /api/cleaning/tasks/:id/cancel': MANAGERS,
  'GET /api/cleaning/rooms': MANAGERS,
  'PUT /api/cleaning/rooms/:id': MANAGERS,
  'GET /api/cleaning/report': MANAGERS,
  // the owner's statistics: the figures for the owner and the manager, the files the owner's
  'GET /api/stats': MANAGERS,
  'GET /api/stats/export.csv': OWNER,
  // energy per room: the figures for the owner and the manager; the price per kWh is the owner's
  'GET /api/energy/days': MANAGERS,
  // what the store flagged by itself: the owner's and the manager's to look into
  'GET /api/anomalies': MANAGERS,
  // where the platform's reviewers stand on the store's rooms, deals and products
  'GET /api/reviews': MANAGERS,
  'GET /api/energy/sessions': MANAGERS,
  'GET /api/energy/price': MANAGERS,
  'PUT /api/energy/price': OWNER,
  // tables of players (C14): the counter sees who sits where; the rules for them are the owner's
  'GET /api/tables': staff(...COUNTER),
  'GET /api/tables/settings': MANAGERS,
  'PUT /api/tables/settings': OWNER,
};

/**
 * Rows for routes the next domains bring, decided now so they land with the rules already set.
 * The owner's changes from the remote view are not routes here: they arrive as owner intents
 * through the cloud (sync/intents.ts) and are answered as the owner.
 */
export const PLANNED: Readonly<Record<string, RouteAccess>> = {};

export const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
