// First start: a hub with no store gets the demo store, so a fresh clone shows a real board.
import { RoomInputSchema } from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { DEMO_ROOMS, DEMO_STORE } from './demo-store';

export async function seedDemoStore(hub: Hub): Promise<boolean> {
  if (hub.store.hasStore()) return false;
  await hub.writes.run((afterCommit) => {
    hub.store.createStore(DEMO_STORE);
    for (const room of DEMO_ROOMS) hub.store.createRoom(RoomInputSchema.parse(room), afterCommit);
    // A city-centre address needs its place on the map for "stores near me".
    hub.store.setLocation({ lat: 31.2293, lng: 121.4547 });
  });
  return true;
}
