// The owner's dashboard calls for the member wallet (储值) to the hub: what the store owes its
// customers, one member's wallet, a top-up in cash, the unused principal given back, the top-up
// packages and the wallet's mode, with the same sign-in and refusals as the other pages.
import type {
  WalletOwedView,
  WalletPackageInput,
  WalletPackageView,
  WalletSettingsView,
  WalletView,
  WalletMode,
} from '@roomhub/shared-types';
import { call } from '../../api/counter-client';

const enc = encodeURIComponent;

export interface WalletRefundInput {
  amount?: number;
  reason: string;
  method: 'cash' | 'original';
}

export const walletClient = {
  owed: () => call<WalletOwedView>('GET', '/api/wallet/owed'),
  wallet: (phone: string) => call<WalletView>('GET', `/api/wallets/${enc(phone)}`),
  topUp: (phone: string, by: { packageId: string } | { amount: number }) =>
    call<WalletView>('POST', '/api/wallet/top-ups', { phone, ...by, method: 'cash' }),
  refund: (phone: string, body: WalletRefundInput) =>
    call<WalletView>('POST', `/api/wallets/${enc(phone)}/refund`, body),
  packages: () => call<WalletPackageView[]>('GET', '/api/wallet/packages'),
  addPackage: (body: WalletPackageInput) =>
    call<WalletPackageView>('POST', '/api/wallet/packages', body),
  switchPackage: (id: string, active: boolean) =>
    call<WalletPackageView>('PATCH', `/api/wallet/packages/${enc(id)}`, { active }),
  settings: () => call<WalletSettingsView>('GET', '/api/wallet/settings'),
  setSettings: (body: { mode?: WalletMode; offlineAllowance?: number }) =>
    call<WalletSettingsView>('PUT', '/api/wallet/settings', body),
};
