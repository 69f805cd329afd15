// What every kiosk screen shares: the store (its zone, rules, rooms), the hub's clock, the live
// stream's state, the passes of the bookings made or shown here, the last thing its scanner read
// and the reminders the hub sent. A pass lets the kiosk act on one booking for a few minutes; it
// lives only in this page's memory and is dropped at the idle reset.
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
import type { HubEvent, Room, StoreView, SyncStatus } from '@roomhub/shared-types';
import { hub } from '../api/hub-client';
import { followHub, type StreamState } from '../api/live-events';
import { useScanner, type Scan } from './scan/use-scanner';

/** The last end-of-session reminder the hub sent for a booking. */
export interface Reminder {
  minutesLeft: number;
  message: string;
  at: number;
}

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
  /** The last reading of this kiosk's scanner (typed into the page, or wired to the hub). */
  scan: Scan | null;
  /** Marks a reading dealt with, so a screen opened later does not act on it again. */
  takeScan: () => void;
  reminderOf: (bookingId: string) => Reminder | null;
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
  const { scan, heard, takeScan } = useScanner();
  const [reminders, setReminders] = useState<Record<string, Reminder>>({});
  // The hub's clock against the screen's: read from the hub at start, after each reconnect and at
  // each return to the board, and moved by the events in between.
  const [heardSkew, setHeardSkew] = useState<number | null>(null);
  const skewRef = useRef(0);
  useEffect(() => {
    const onEvent = (e: HubEvent) => {
      // Each event carries the hub's time: a clock the hub set right (or a screen that drifted)
      // moves the countdowns on this screen with it, not only at the next reconnect.
      const seen = e.at - Date.now();
      if (Math.abs(seen - skewRef.current) > 2_000) setHeardSkew(seen);
      // The hub sends this kiosk only its own scanner's readings (and the counter's to no kiosk).
      if (e.type === 'scan') heard(e.scan.text);
      if (e.type === 'session.reminder') {
        const r = { minutesLeft: e.minutesLeft, message: e.message, at: e.at };
        setReminders((all) => ({ ...all, [e.bookingId]: r }));
      }
    };
    return followHub(client, setStream, onEvent);
  }, [client, heard]);
  const reminderOf = useCallback((id: string) => reminders[id] ?? null, [reminders]);

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
  useEffect(() => {
    setHeardSkew(null);
  }, [health.data]);
  const skew = heardSkew ?? health.data ?? 0;
  skewRef.current = skew;
  const now = useCallback(() => Date.now() + skew, [skew]);

  const passes = useRef(new Map<string, string>());
  const passOf = useCallback((id: string) => passes.current.get(id) ?? null, []);
  const keepPass = useCallback((id: string, pass: string) => passes.current.set(id, pass), []);
  const forgetPasses = useCallback(() => passes.current.clear(), []);

  const value = useMemo<Kiosk | null>(
    () =>
      // The hub's clock first: the board asks for the hub's today, not the screen's.
      store.data && rooms.data && health.isFetched
        ? {
            store: store.data,
            rooms: rooms.data.filter((r) => r.status === 'active'),
            now,
            stream,
            cloudOffline: ['offline', 'stalled', 'refused'].includes(sync.data?.state ?? 'off'),
            passOf,
            keepPass,
            forgetPasses,
            scan,
            takeScan,
            reminderOf,
          }
        : null,
    [
      store.data,
      rooms.data,
      health.isFetched,
      now,
      stream,
      sync.data,
      passOf,
      keepPass,
      forgetPasses,
      scan,
      takeScan,
      reminderOf,
    ],
  );
  const refusal = store.error ?? rooms.error;
  if (!value) return <>{fallback(refusal)}</>;
  return <KioskContext.Provider value={value}>{children}</KioskContext.Provider>;
}
