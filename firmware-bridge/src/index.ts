// The firmware-bridge package: what the hub may use of the store's devices. It must never export
// the simulator from here (that is `@roomhub/firmware-bridge/simulator`), so production code that
// imports this entry point cannot reach it by accident.
export * from './devices';
export {
  createDevices,
  DeviceWriteError,
  DEFAULT_AC_SETTING,
  type BridgeDevices,
  type DeviceProbe,
  type CreateDevicesOptions,
  type DevicesLog,
} from './bridge';
export {
  bindRooms,
  parseDevicesConfig,
  loadDevicesConfig,
  DevicesConfigError,
  DevicesConfigSchema,
  type AcModel,
  type BusConfig,
  type ConfigIssue,
  type DeviceConfig,
  type DevicesConfig,
  type DevicesConfigInput,
} from './config';
export { ModbusRequestError, type ModbusFailure } from './bus';
export { decodeMeter } from './meter-registers';
export { rtuFrameGapMs, rtuExchangeFloorMs, wireTimeMs, type SerialFraming } from './rtu-timing';
// Scanners live in their own folder with their own entry point; re-exported for the hub.
export * from './scanners';
