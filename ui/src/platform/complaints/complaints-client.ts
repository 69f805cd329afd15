// The complaints page's calls to the cloud, with the staff member's token, typed with the cloud's
// shapes: the list by status, one complaint in full, a line as 平台客服, closing with an outcome.
import type {
  ComplaintOutcome,
  PlatformComplaintDetail,
  PlatformComplaintView,
} from '@roomhub/shared-types';
import { platformCall } from '../platform-client';

export type ComplaintFilter = 'open' | 'closed' | 'all';

const at = (storeId: string, chatId: string) =>
  `/api/platform/complaints/${encodeURIComponent(storeId)}/${encodeURIComponent(chatId)}`;

export const complaintsApi = {
  list: (status: ComplaintFilter) =>
    platformCall<{ complaints: PlatformComplaintView[] }>(
      'GET',
      `/api/platform/complaints?status=${status}`,
    ),
  detail: (storeId: string, chatId: string) =>
    platformCall<PlatformComplaintDetail>('GET', at(storeId, chatId)),
  say: (storeId: string, chatId: string, text: string) =>
    platformCall<PlatformComplaintDetail>('POST', `${at(storeId, chatId)}/lines`, { text }),
  close: (storeId: string, chatId: string, outcome: ComplaintOutcome, words: string) =>
    platformCall<PlatformComplaintDetail>('POST', `${at(storeId, chatId)}/close`, {
      outcome,
      words,
    }),
};
