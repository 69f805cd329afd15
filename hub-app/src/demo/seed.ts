// First start: a hub with no store gets the demo store, so a fresh clone shows a real board, and
// its demo staff, one per role, with the PINs the README lists. A real store's staff are made by
// its owner; the owner of any store is made at first start (server.ts), never here.
import { RoomInputSchema, type StaffRole } from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { DEMO_ROOMS, DEMO_STORE } from './demo-store';

/** The demo store's staff: for trying the product only. */
export const DEMO_STAFF: readonly { name: string; role: StaffRole; pin: string }[] = [
  { name: '王店长', role: 'manager', pin: '222222' },
  { name: '李收银', role: 'cashier', pin: '333333' },
  { name: '赵客服', role: 'customer_service', pin: '444444' },
  { name: '陈保洁', role: 'cleaner', pin: '555555' },
];

export async function seedDemoStore(hub: Hub): Promise<boolean> {
  if (hub.store.hasStore()) return false;
  const staff = await Promise.all(
    DEMO_STAFF.map(async (s) => ({ ...s, pinHash: await hub.staff.hashPin(s.pin) })),
  );
  await hub.writes.run((afterCommit) => {
    hub.store.createStore(DEMO_STORE);
    for (const room of DEMO_ROOMS) hub.store.createRoom(RoomInputSchema.parse(room), afterCommit);
    // A city-centre address needs its place on the map for "stores near me".
    hub.store.setLocation({ lat: 31.2293, lng: 121.4547 });
    const demo = { kind: 'system', id: 'demo-store', role: 'owner' } as const;
    for (const s of staff) hub.staff.create(s, demo);
  });
  return true;
}
