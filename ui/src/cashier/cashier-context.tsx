// What every cashier screen shares: who is signed in, the store (its zone, rooms), the hub's
// clock, the live stream's state, the last scan of the counter's scanner, the low-stock alerts and
// the ways to pay the counter takes now (the owner may switch cash or payment codes off).
// The hub's events refresh the screens' queries; nothing polls where an event exists.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { HubEvent, PayChoice, Room, SignedIn, StoreView } from '@roomhub/shared-types';
import { counter, type DevicesView } from '../api/counter-client';
import { followHub, type StreamState } from '../api/live-events';
import { counterScreenHeaders } from '../api/counter-screen';
import { signedIn } from '../api/staff-session';
import { localDate } from '../components/store-time';
import { may, type Control } from './role-access';

export interface Scan {
  text: string;
  /** Where it came from: the hub's scanner (serial / HID) or keys typed into this page. */
  source: 'serial' | 'hid' | 'keyboard';
  /** Tells two scans of the same code apart. */
  seq: number;
}

export interface StockAlert {
  itemId: string;
  name: string;
  balance: number;
  lowStockAt: number;
}

interface Cashier {
  staff: SignedIn['staff'];
  may: (control: Control) => boolean;
  store: StoreView;
  rooms: Room[];
  roomName: (id: string | null) => string;
  now: () => number;
  today: () => string;
  stream: StreamState;
  cloudOffline: boolean;
  scan: Scan | null;
  takeScan: (text: string, source: Scan['source']) => void;
  /** The scan was looked up: it is not looked up again when the voucher screen opens anew. */
  clearScan: () => void;
  /**
   * A screen that takes some scans itself (an open booking takes a payer's payment code) while it
   * is shown: `take` answers whether it took the text; what it leaves goes to the vouchers.
   */
  claimScans: (take: (text: string) => boolean) => () => void;
  stockAlerts: StockAlert[];
  /**
   * Whether the counter takes this way to pay now: set up on the hub and not switched off by the
   * owner. Nothing is taken until the hub has said.
   */
  takes: (choice: PayChoice) => boolean;
}

const CashierContext = createContext<Cashier | null>(null);

export function useCashier(): Cashier {
  const c = useContext(CashierContext);
  if (!c) throw new Error('useCashier outside CashierProvider');
  return c;
}

/** The queries each event makes stale; devices are written straight into their cache. */
function follow(client: QueryClient, e: HubEvent): void {
  const stale = (key: unknown[]) => void client.invalidateQueries({ queryKey: key });
  switch (e.type) {
    case 'booking.status':
      stale(['bookings']);
      stale(['booking', e.bookingId]);
      stale(['sessions']);
      stale(['owed']);
      break;
    case 'door.opened':
      stale(['sessions']);
      if (e.bookingId) stale(['booking', e.bookingId]);
      break;
    case 'voucher.redeemed':
    case 'voucher.failed':
      stale(['redemptions']);
      stale(['bookings']);
      stale(['booking', e.bookingId]);
      break;
    case 'order.status':
      stale(['orders']);
      break;
    case 'stock.low':
    case 'menu.changed':
      stale(['menu']);
      break;
    case 'device.state':
      client.setQueryData<DevicesView>(['devices'], (d) =>
        d
          ? {
              ...d,
              devices: d.devices.map((s) => (s.deviceId === e.state.deviceId ? e.state : s)),
            }
          : d,
      );
      break;
    case 'device.health':
      stale(['devices']);
      break;
    case 'sync.status':
      stale(['sync']);
      break;
    default:
      break;
  }
}

export function CashierProvider({
  children,
  fallback,
}: {
  children: ReactNode;
  fallback: ReactNode;
}) {
  const client = useQueryClient();
  const [stream, setStream] = useState<StreamState>('connecting');
  const [scan, setScan] = useState<Scan | null>(null);
  const seq = useRef(0);
  const [alerts, setAlerts] = useState<StockAlert[]>([]);

  const claims = useRef<((text: string) => boolean)[]>([]);
  const claimScans = useCallback((take: (text: string) => boolean) => {
    claims.current.push(take);
    return () => {
      claims.current = claims.current.filter((c) => c !== take);
    };
  }, []);
  const takeScan = useCallback((text: string, source: Scan['source']) => {
    // The screen that claimed last (the one on top) is asked first.
    if ([...claims.current].reverse().some((take) => take(text))) return;
    setScan({ text, source, seq: (seq.current += 1) });
  }, []);

  const clearScan = useCallback(() => setScan(null), []);

  useEffect(
    () =>
      followHub(
        client,
        setStream,
        (e) => {
          follow(client, e);
          if (e.type === 'scan') takeScan(e.scan.text, e.scan.source);
          if (e.type === 'stock.low') {
            setAlerts((a) => [
              { itemId: e.itemId, name: e.name, balance: e.balance, lowStockAt: e.lowStockAt },
              ...a.filter((x) => x.itemId !== e.itemId),
            ]);
          }
        },
        (): Record<string, string> => {
          const token = signedIn()?.token;
          return {
            ...counterScreenHeaders(),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          };
        },
      ),
    [client, takeScan],
  );

  const store = useQuery({ queryKey: ['store'], queryFn: counter.store });
  const rooms = useQuery({ queryKey: ['rooms'], queryFn: counter.rooms });
  const sync = useQuery({ queryKey: ['sync'], queryFn: counter.sync });
  // Items already at or below their threshold when the page opens, beside the ones the hub tells.
  const menu = useQuery({ queryKey: ['menu'], queryFn: counter.menu });
  // Read again when the owner switches one (the hub's `payment.channels` event).
  const methods = useQuery({ queryKey: ['payment-methods'], queryFn: counter.paymentMethods });
  // The hub's clock against the screen's: "today" is the store's, not this machine's.
  const health = useQuery({
    queryKey: ['health'],
    queryFn: async () => {
      const asked = Date.now();
      const h = await counter.health();
      return Date.parse(h.time) - (asked + Date.now()) / 2;
    },
  });
  const skew = health.data ?? 0;
  const now = useCallback(() => Date.now() + skew, [skew]);
  // Read once: a new sign-in mounts this provider anew.
  const [me] = useState(signedIn);

  const value = useMemo<Cashier | null>(() => {
    if (!store.data || !rooms.data || !me || health.data === undefined) return null;
    const tz = store.data.timeZone;
    const names = new Map(rooms.data.map((r) => [r.id, r.name]));
    const low: StockAlert[] = [];
    for (const c of menu.data?.categories ?? []) {
      for (const i of c.items) {
        if (i.stockTracked && i.lowStockAt !== null && i.stock !== null && i.stock <= i.lowStockAt)
          low.push({ itemId: i.id, name: i.name, balance: i.stock, lowStockAt: i.lowStockAt });
      }
    }
    const stockAlerts = [
      ...alerts,
      ...low.filter((l) => !alerts.some((a) => a.itemId === l.itemId)),
    ];
    return {
      staff: me.staff,
      may: (c) => may(me.staff.role, c),
      store: store.data,
      rooms: rooms.data.filter((r) => r.status === 'active'),
      roomName: (id) => (id ? (names.get(id) ?? id) : ''),
      now,
      today: () => localDate(now(), tz),
      stream,
      cloudOffline: ['offline', 'stalled', 'refused'].includes(sync.data?.state ?? 'off'),
      scan,
      takeScan,
      clearScan,
      claimScans,
      stockAlerts,
      takes: (choice) => methods.data?.methods.includes(choice) ?? false,
    };
  }, [
    me,
    store.data,
    rooms.data,
    menu.data,
    methods.data,
    health.data,
    now,
    stream,
    sync.data,
    scan,
    takeScan,
    clearScan,
    claimScans,
    alerts,
  ]);
  if (!value) return <>{fallback}</>;
  return <CashierContext.Provider value={value}>{children}</CashierContext.Provider>;
}
