// The store's devices over HTTP (O8, S4): their state and health, a staff override, and what the
// rooms' speakers announce, and the owner's schedules (the devices follow a change at once).
import {
  DeviceOverrideSchema,
  DeviceScheduleInputSchema,
  SpeakerSettingsSchema,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { IdParams, route, type RouteEntry } from '../http/route';

export function deviceRoutes({ devices }: Hub): RouteEntry[] {
  return [
    route({
      method: 'get',
      path: '/api/devices',
      tag: 'devices',
      summary: 'Every device: what it should do, what it confirmed, and bus health (O8)',
      handle: () => devices.states(),
    }),
    route({
      method: 'post',
      path: '/api/devices/:id/override',
      tag: 'devices',
      summary: 'Staff switch a device by hand, or give it back to the sessions, with a reason (S4)',
      params: IdParams,
      body: DeviceOverrideSchema,
      handle: ({ params, body, actor }) => devices.override(params.id, body.on, body.reason, actor),
    }),
    route({
      method: 'get',
      path: '/api/devices/speaker-settings',
      tag: 'devices',
      summary:
        "The rooms' speakers: the stored clip each announcement plays, the volume by day and at night",
      handle: () => devices.announcements.settings(),
    }),
    route({
      method: 'put',
      path: '/api/devices/speaker-settings',
      tag: 'devices',
      summary: 'The owner sets which stored clip each announcement plays, and how loud',
      body: SpeakerSettingsSchema,
      handle: ({ body, write }) => write(() => devices.announcements.setSettings(body)),
    }),
    route({
      method: 'get',
      path: '/api/devices/schedules',
      tag: 'devices',
      summary: "The owner's device schedules: which devices, on or off, which weekdays and times",
      handle: () => devices.schedules.list(),
    }),
    route({
      method: 'post',
      path: '/api/devices/schedules',
      tag: 'devices',
      summary: 'Add a schedule for one room or every room; an "off" never cuts a session in use',
      body: DeviceScheduleInputSchema,
      status: 201,
      errors: { 409: ['too_many_schedules'] },
      handle: async ({ body, write }) => {
        const s = await write(() => devices.schedules.create(body));
        devices.schedulesChanged();
        return s;
      },
    }),
    route({
      method: 'put',
      path: '/api/devices/schedules/:id',
      tag: 'devices',
      summary: 'Change a device schedule whole',
      params: IdParams,
      body: DeviceScheduleInputSchema,
      handle: async ({ params, body, write }) => {
        const s = await write(() => devices.schedules.update(params.id, body));
        devices.schedulesChanged();
        return s;
      },
    }),
    route({
      method: 'delete',
      path: '/api/devices/schedules/:id',
      tag: 'devices',
      summary: 'Remove a device schedule; the devices go back to following the sessions',
      params: IdParams,
      handle: async ({ params, write }) => {
        const s = await write(() => devices.schedules.remove(params.id));
        devices.schedulesChanged();
        return s;
      },
    }),
  ];
}
