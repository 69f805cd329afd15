// Which pages of the owner's dashboard each signed-in role sees, mirroring the hub's permission
// table for the routes each page calls (hub-app/src/http/permissions.ts): a manager sees the
// statistics, staff, screens and the store's pages, but the CSV exports (statistics, members) and
// the audit log are the owner's alone.
// The hub refuses the rest anyway; this only keeps buttons away that would be refused.
import type { StaffRole } from '@roomhub/shared-types';

const MANAGERS: readonly StaffRole[] = ['owner', 'manager'];
const OWNER: readonly StaffRole[] = ['owner'];

export const OWNER_CONTROLS = {
  /** GET /api/stats */
  stats: MANAGERS,
  /** GET /api/stats/export.csv */
  exportCsv: OWNER,
  /** GET/POST/PATCH /api/staff, POST /api/staff/:id/pin */
  staff: MANAGERS,
  /** POST /api/screens/pairing-codes, GET /api/screens, DELETE /api/screens/:id */
  screens: MANAGERS,
  /** GET /api/audit */
  audit: OWNER,
  /** GET/PATCH /api/store (with its booking rules) */
  store: MANAGERS,
  /** GET/POST/PATCH /api/rooms */
  rooms: MANAGERS,
  /** PATCH /api/rooms/:id (its price plan), POST /api/quotes, GET /api/promotions */
  prices: MANAGERS,
  /** GET/PUT/DELETE /api/calendar */
  calendar: MANAGERS,
  /** GET /api/menu, POST/PATCH /api/menu/items, GET/POST /api/stock */
  products: MANAGERS,
  /** GET /api/members */
  members: MANAGERS,
  /** GET /api/members/export.csv: every phone and birthday */
  exportMembers: OWNER,
  /** GET /api/campaigns, GET /api/campaigns/:id/results */
  coupons: MANAGERS,
  /** GET /api/devices, POST /api/devices/:id/override */
  devices: MANAGERS,
  /** POST /api/backups, GET /api/backups */
  backup: MANAGERS,
  /** POST/DELETE /api/backups/restore: the store's records go back to a backup's */
  restore: OWNER,
  /** GET /api/sync */
  sync: MANAGERS,
  /** GET/POST/PATCH /api/deals, GET /api/vouchers/redemptions, stats, reconciliation */
  deals: MANAGERS,
  /** PUT /api/vouchers/settings: platform vouchers taken while offline */
  voucherSettings: OWNER,
  /** GET /api/payment-channels */
  payments: MANAGERS,
  /** PUT /api/payment-channels/:surface/:choice */
  switchPayments: OWNER,
  /** GET /api/invoices, POST /api/invoices/:id/issue and /reject */
  invoices: MANAGERS,
  /** GET /api/cleaning/report: what each cleaner did */
  cleaning: MANAGERS,
  /** GET /api/reviews: the platform's review states of the rooms, deals and products */
  reviews: MANAGERS,
  /** GET /api/anomalies: what the store flagged by itself */
  anomalies: MANAGERS,
  /**
   * GET /api/wallet/owed and /api/wallets/:id, POST /api/wallet/top-ups and /api/wallets/:id/refund,
   * GET/POST/PATCH /api/wallet/packages
   */
  wallet: MANAGERS,
  /** PUT /api/wallet/settings: a wallet per store or shared across the owner's stores */
  walletSettings: OWNER,
  /** GET /api/messages, POST /api/messages/:id/read and /api/messages/read: the store's notices */
  messages: MANAGERS,
} as const satisfies Record<string, readonly StaffRole[]>;

export type OwnerControl = keyof typeof OWNER_CONTROLS;

export function ownerMay(role: StaffRole, control: OwnerControl): boolean {
  return (OWNER_CONTROLS[control] as readonly StaffRole[]).includes(role);
}

/** Whether the role may use the dashboard at all: the owner and managers run the store. */
export const mayOpenDashboard = (role: StaffRole) => ownerMay(role, 'stats');
