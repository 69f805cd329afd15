// The console's calls for a merchant's penalties.
import type { PenaltyBody, PenaltyView } from '@roomhub/shared-types';
import { platformCall } from '../platform-client';

export const penaltiesApi = {
  list: (phone: string) =>
    platformCall<PenaltyView[]>('GET', `/api/platform/merchants/${phone}/penalties`),
  add: (phone: string, body: PenaltyBody) =>
    platformCall<PenaltyView>('POST', `/api/platform/merchants/${phone}/penalties`, body),
  lift: (phone: string, penaltyId: string, reason: string) =>
    platformCall<PenaltyView>(
      'POST',
      `/api/platform/merchants/${phone}/penalties/${penaltyId}/lift`,
      { reason },
    ),
};
