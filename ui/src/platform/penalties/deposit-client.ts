// The console's calls for a merchant's deposit (保证金). Each write carries its submission's
// Idempotency-Key, so the same submission sent again is the one entry; each answers the ledger.
import type {
  DepositFineBody,
  DepositPayInBody,
  DepositReturnBody,
  DepositView,
} from '@roomhub/shared-types';
import { platformCall } from '../platform-client';

const deposit = (phone: string) => `/api/platform/merchants/${phone}/deposit`;
const keyed = (key: string) => ({ 'Idempotency-Key': key });

export const depositApi = {
  read: (phone: string) => platformCall<DepositView>('GET', deposit(phone)),
  payIn: (phone: string, body: DepositPayInBody, key: string) =>
    platformCall<DepositView>('POST', `${deposit(phone)}/pay-ins`, body, keyed(key)),
  fine: (phone: string, body: DepositFineBody, key: string) =>
    platformCall<DepositView>('POST', `${deposit(phone)}/fines`, body, keyed(key)),
  refundFine: (phone: string, entryId: string, reason: string, key: string) =>
    platformCall<DepositView>(
      'POST',
      `${deposit(phone)}/fines/${entryId}/refund`,
      { reason },
      keyed(key),
    ),
  returnToMerchant: (phone: string, body: DepositReturnBody, key: string) =>
    platformCall<DepositView>('POST', `${deposit(phone)}/returns`, body, keyed(key)),
};
