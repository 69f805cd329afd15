// The store's devices over HTTP (O8, S4): their state and health, and a staff override.
import { DeviceOverrideSchema } from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { ANY_STAFF, IdParams, route, type RouteDef } from '../http/route';

export function deviceRoutes({ devices }: Hub): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/devices',
      tag: 'devices',
      access: 'anyone',
      summary: 'Every device: what it should do, what it confirmed, and bus health (O8)',
      handle: () => devices.states(),
    }),
    route({
      method: 'post',
      path: '/api/devices/:id/override',
      tag: 'devices',
      access: ANY_STAFF,
      summary: 'Staff switch a device by hand, or give it back to the sessions, with a reason (S4)',
      params: IdParams,
      body: DeviceOverrideSchema,
      handle: ({ params, body, actor }) => devices.override(params.id, body.on, body.reason, actor),
    }),
  ];
}
