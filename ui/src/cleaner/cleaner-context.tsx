// What every part of the cleaner's page shares: who is signed in, the store (its time zone), the
// hub's clock, and whether the live stream from the hub is up. The hub's cleaning events refresh
// the task queries; nothing polls where an event exists.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { SignedIn, StoreView } from '@roomhub/shared-types';
import { cleaning } from '../api/cleaning-client';
import { followHub, type StreamState } from '../api/live-events';
import { localDate } from '../components/store-time';
import { staleOnCleanerPage } from './live';

interface Cleaner {
  staff: SignedIn['staff'];
  store: StoreView;
  now: () => number;
  today: () => string;
  /** The hub's stream dropped and has not come back yet (retries in between do not count). */
  hubDown: boolean;
}

const CleanerContext = createContext<Cleaner | null>(null);

export function useCleaner(): Cleaner {
  const c = useContext(CleanerContext);
  if (!c) throw new Error('useCleaner outside CleanerProvider');
  return c;
}

export function CleanerProvider({
  me,
  children,
  fallback,
}: {
  me: SignedIn;
  children: ReactNode;
  /** Shown until the store and the hub's clock are read; `hubDown` when they cannot be. */
  fallback: (hubDown: boolean) => ReactNode;
}) {
  const client = useQueryClient();
  const [stream, setStream] = useState<StreamState>('connecting');
  const [hubDown, setHubDown] = useState(false);
  useEffect(() => {
    if (stream !== 'connecting') setHubDown(stream === 'down');
  }, [stream]);
  // The stream is also refused when the sign-in has ended (12 hours, a new PIN): asking who is
  // signed in sends the page back to the PIN then, instead of saying the hub is out of reach.
  useEffect(() => {
    if (hubDown) void cleaning.me().catch(() => undefined);
  }, [hubDown]);
  const token = me.token;
  useEffect(
    () =>
      followHub(
        client,
        setStream,
        (e) => {
          for (const key of staleOnCleanerPage(e)) void client.invalidateQueries({ queryKey: key });
        },
        () => ({ authorization: `Bearer ${token}` }),
      ),
    [client, token],
  );
  const store = useQuery({ queryKey: ['store'], queryFn: cleaning.store });
  // The hub's clock against the phone's: a phone's own clock may be minutes off.
  const skew = useQuery({
    queryKey: ['health'],
    queryFn: async () => {
      const asked = Date.now();
      const h = await cleaning.health();
      return Date.parse(h.time) - (asked + Date.now()) / 2;
    },
  });
  const offset = skew.data ?? 0;
  const now = useCallback(() => Date.now() + offset, [offset]);
  const value = useMemo<Cleaner | null>(() => {
    if (!store.data || skew.data === undefined) return null;
    const tz = store.data.timeZone;
    return { staff: me.staff, store: store.data, now, today: () => localDate(now(), tz), hubDown };
  }, [me.staff, store.data, skew.data, now, hubDown]);
  if (!value) return <>{fallback(hubDown || store.isError || skew.isError)}</>;
  return <CleanerContext.Provider value={value}>{children}</CleanerContext.Provider>;
}
