// The platform's review states over HTTP (P2): each of the store's rooms, deals and products
// waiting, approved or sent back with the reviewer's notes, for the owner and the manager.
import type { Hub } from '../hub';
import { route, type RouteEntry } from '../http/route';
import { ReviewStates } from './review-states';

export function reviewRoutes(hub: Hub): RouteEntry[] {
  const states = new ReviewStates(hub.clock, () => hub.reviews());
  return [
    route({
      method: 'get',
      path: '/api/reviews',
      tag: 'store',
      summary:
        "Where the store's rooms, deals and products stand with the platform's reviewers (waiting, approved, sent back with notes), read from the cloud",
      handle: () => states.read(),
    }),
  ];
}
