// First start: a hub with no store gets the demo store, so a fresh clone shows a real board.
import { RoomInputSchema } from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { DEMO_ROOMS, DEMO_STORE } from './demo-store';

export async function seedDemoStore(hub: Hub): Promise<boolean> {
  if (hub.store.hasStore()) return false;
  await hub.writes.run(() => {
    hub.store.createStore(DEMO_STORE);
    for (const room of DEMO_ROOMS) hub.store.createRoom(RoomInputSchema.parse(room));
  });
  return true;
}
