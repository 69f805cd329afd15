// What every kiosk screen shares: the store (its zone, rules, rooms), the hub's clock, the live
// stream's state and the passes of the bookings made here. A pass lets the kiosk act on one
// booking for a few minutes; it lives only in this page's memory and is dropped at the idle reset.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Room, StoreView, SyncStatus } from '@roomhub/shared-types';
import { hub } from '../api/hub-client';
import { followHub, type StreamState } from '../api/live-events';

interface Kiosk {
  store: StoreView;
  rooms: Room[];
  /** The hub's time now, in epoch ms. */
  now: () => number;
  stream: StreamState;
  cloudOffline: boolean;
  passOf: (bookingId: string) => string | null;
  keepPass: (bookingId: string, pass: string) => void;
  forgetPasses: () => void;
}

const KioskContext = createContext<Kiosk | null>(null);

export function useKiosk(): Kiosk {
  const k = useContext(KioskContext);
  if (!k) throw new Error('useKiosk outside KioskProvider');
  return k;
}

export function KioskProvider(props: {
  children: ReactNode;
  /** Shown until the store is read; with the refusal when it cannot be. */
  fallback: (refusal: unknown) => ReactNode;
}) {
  const { children, fallback } = props;
  const client = useQueryClient();
  const [stream, setStream] = useState<StreamState>('connecting');
  useEffect(() => followHub(client, setStream), [client]);

  const store = useQuery({ queryKey: ['store'], queryFn: hub.store });
  const rooms = useQuery({ queryKey: ['rooms'], queryFn: hub.rooms });
  const sync = useQuery({
    queryKey: ['sync'],
    queryFn: () => hub.sync() as Promise<SyncStatus | { state: 'off' }>,
  });
  // The hub's clock against the screen's, read at start and after each reconnect.
  const health = useQuery({
    queryKey: ['health'],
    queryFn: async () => {
      const asked = Date.now();
      const h = await hub.health();
      return Date.parse(h.time) - (asked + Date.now()) / 2;
    },
  });
  const skew = health.data ?? 0;
  const now = useCallback(() => Date.now() + skew, [skew]);

  const passes = useRef(new Map<string, string>());
  const passOf = useCallback((id: string) => passes.current.get(id) ?? null, []);
  const keepPass = useCallback((id: string, pass: string) => passes.current.set(id, pass), []);
  const forgetPasses = useCallback(() => passes.current.clear(), []);

  const value = useMemo<Kiosk | null>(
    () =>
      store.data && rooms.data
        ? {
            store: store.data,
            rooms: rooms.data.filter((r) => r.status === 'active'),
            now,
            stream,
            cloudOffline: ['offline', 'stalled', 'refused'].includes(sync.data?.state ?? 'off'),
            passOf,
            keepPass,
            forgetPasses,
          }
        : null,
    [store.data, rooms.data, now, stream, sync.data, passOf, keepPass, forgetPasses],
  );
  const refusal = store.error ?? rooms.error;
  if (!value) return <>{fallback(refusal)}</>;
  return <KioskContext.Provider value={value}>{children}</KioskContext.Provider>;
}
