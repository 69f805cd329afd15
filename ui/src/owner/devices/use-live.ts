// A page of the owner's dashboard that follows the hub's live events while it is open: the
// events it names make its queries stale, so devices and the cloud line change on the page as
// they change in the store, with no polling. The stream is read with the staff sign-in.
import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { HubEvent } from '@roomhub/shared-types';
import { followHub } from '../../api/live-events';
import { signedIn } from '../../api/staff-session';

export function useLive(staleKeys: (e: HubEvent) => unknown[][]): void {
  const client = useQueryClient();
  useEffect(
    () =>
      followHub(
        client,
        () => {},
        (e) => {
          for (const key of staleKeys(e)) void client.invalidateQueries({ queryKey: key });
        },
        (): Record<string, string> => {
          const token = signedIn()?.token;
          return token ? { authorization: `Bearer ${token}` } : {};
        },
      ),
    // The page's keys are fixed for its life: the stream is opened once per visit.
    [client],
  );
}
