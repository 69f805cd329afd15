// The store's device words, shared by the bridge that drives them, the hub that reports them and
// the owner's remote view that shows them.
import { z } from 'zod';

/**
 * `energy_meter`: a room's electricity meter on the bus, only ever read (kWh per room).
 * `speaker`: a room's RS485 voice-broadcast module, which plays clips stored on it by number.
 */
export const DeviceKindSchema = z.enum([
  'lock',
  'light',
  'socket',
  'fresh_air',
  'ac',
  'energy_meter',
  'speaker',
]);
export type DeviceKind = z.infer<typeof DeviceKindSchema>;

/** How a bus reaches its boards: RS485 directly, Modbus TCP, or RTU frames over TCP. */
export const BusKindSchema = z.enum(['rtu', 'tcp', 'rtu-over-tcp']);
export type BusKind = z.infer<typeof BusKindSchema>;
