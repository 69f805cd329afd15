// The owner's device schedules as the store's hub publishes them, one document for the store, so
// the owner's remote view lists them as the hub's devices page does. The hub is the only writer
// and writes the whole list again on every change; a change from the remote view is an owner
// intent (intent-documents.ts) the hub makes and answers. No I/O.
import { z } from 'zod';
import { StoreIdSchema } from './databases';
import { IdPartSchema } from './id-part';
import { IsoInstantSchema } from '../time/instant';
import { DeviceScheduleInputSchema } from '../devices/device-schedules';

export const DEVICE_SCHEDULES_ID = 'devices:schedules';

export const DeviceSchedulesDocSchema = z.object({
  _id: z.literal(DEVICE_SCHEDULES_ID),
  type: z.literal('device_schedules'),
  storeId: StoreIdSchema,
  /** As the hub lists them: those for every room first, then by room and start time. */
  schedules: z
    .array(DeviceScheduleInputSchema.safeExtend({ id: IdPartSchema, updatedAt: IsoInstantSchema }))
    .max(500),
  updatedAt: IsoInstantSchema,
});
export type DeviceSchedulesDoc = z.infer<typeof DeviceSchedulesDocSchema>;
