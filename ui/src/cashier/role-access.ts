// What each control of the cashier's page calls on the hub, and which signed-in roles the hub's
// permission table lets call it: the page shows a control only to those roles, so a cashier never
// sees a button the hub would refuse them. The hub still decides; this table only mirrors its rows
// for the routes the page uses (e2e/cashier-browser.test.ts holds the two side by side).
import type { StaffRole } from '@roomhub/shared-types';

const COUNTER: readonly StaffRole[] = ['owner', 'manager', 'cashier', 'customer_service'];
const TILL: readonly StaffRole[] = ['owner', 'manager', 'cashier'];
const MANAGERS: readonly StaffRole[] = ['owner', 'manager'];
const ALL_STAFF: readonly StaffRole[] = [
  'owner',
  'manager',
  'cashier',
  'customer_service',
  'cleaner',
];

export const CONTROLS = {
  redeem: { route: 'POST /api/vouchers/redeem', roles: COUNTER },
  redemptions: { route: 'GET /api/vouchers/redemptions', roles: COUNTER },
  undoRedemption: { route: 'POST /api/vouchers/redemptions/:id/undo', roles: TILL },
  bookings: { route: 'GET /api/bookings', roles: COUNTER },
  takeCash: { route: 'POST /api/bookings/:id/payments', roles: COUNTER },
  refundByHand: { route: 'POST /api/bookings/:id/refunds', roles: TILL },
  refundApprove: {
    route: 'POST /api/bookings/:id/refund/approve',
    roles: ['owner', 'manager', 'customer_service'],
  },
  refundReject: {
    route: 'POST /api/bookings/:id/refund/reject',
    roles: ['owner', 'manager', 'customer_service'],
  },
  change: { route: 'POST /api/bookings/:id/change', roles: COUNTER },
  extend: { route: 'POST /api/bookings/:id/extend', roles: COUNTER },
  finish: { route: 'POST /api/bookings/:id/finish', roles: COUNTER },
  owedRefunds: { route: 'GET /api/refunds/owed', roles: COUNTER },
  payOut: { route: 'POST /api/refunds/:id/pay-out', roles: TILL },
  orders: { route: 'GET /api/orders', roles: COUNTER },
  orderPlace: { route: 'POST /api/orders', roles: COUNTER },
  orderProgress: { route: 'POST /api/orders/:id/deliver', roles: COUNTER },
  orderCash: { route: 'POST /api/orders/:id/payments', roles: TILL },
  orderRefund: { route: 'POST /api/orders/:id/refund', roles: TILL },
  walletTopUp: { route: 'POST /api/wallet/top-ups', roles: TILL },
  devices: { route: 'GET /api/devices', roles: ALL_STAFF },
  chats: { route: 'GET /api/chats', roles: ['owner', 'manager', 'customer_service'] },
  deviceOverride: { route: 'POST /api/devices/:id/override', roles: MANAGERS },
  openDoor: {
    route: 'POST /api/rooms/:id/door/open',
    roles: ['owner', 'manager', 'cashier', 'cleaner'],
  },
} as const satisfies Record<string, { route: string; roles: readonly StaffRole[] }>;

export type Control = keyof typeof CONTROLS;

export function may(role: StaffRole, control: Control): boolean {
  return (CONTROLS[control].roles as readonly StaffRole[]).includes(role);
}
