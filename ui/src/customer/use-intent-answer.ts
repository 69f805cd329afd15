// A request the store had not answered when the cloud replied (202: offline, or slow to answer):
// asked again every few seconds until the store confirms, refuses or lets it expire, so the page
// says how it ended instead of "waiting" for ever.
import { useQuery } from '@tanstack/react-query';
import type { IntentView } from '@roomhub/shared-types';
import { cloud } from '../api/cloud-client';

/** The latest word on `waiting` (null while nothing waits). */
export function useIntentAnswer(waiting: IntentView | null): IntentView | null {
  const fared = useQuery({
    queryKey: ['intent', waiting?.intentId],
    queryFn: () => cloud.intent(waiting!.intentId),
    enabled: Boolean(waiting),
    refetchInterval: (q) => (q.state.data && q.state.data.state !== 'waiting' ? false : 3000),
  });
  if (!waiting) return null;
  return fared.data ?? waiting;
}
