// The simulator's public face (`@roomhub/firmware-bridge/simulator`): a Modbus slave for tests,
// benches and `npm start`, socat helpers for serial lines, and the demo device layout. Production
// code must never need anything from here.
export {
  startSimulator,
  type FaultKind,
  type SimulatedWrite,
  type Simulator,
  type SimulatorOptions,
} from './simulator';
export { SIMULATED_AC_MODEL, FLASH_ON_BASE, FLASH_OFF_BASE } from './slaves';
export { SIMULATED_LOADS } from './simulator';
export {
  startPtyPair,
  startRtuTcpGateway,
  socatAvailable,
  type PtyPair,
  type RtuTcpGateway,
} from './pty';
export {
  demoDevicesConfig,
  DEMO_BUS_ID,
  DEMO_MAX_ROOMS,
  DEMO_METER_BASE,
  DEMO_SPEAKER_BASE,
  DEMO_SPEAKER_SLOTS,
  demoMeterWiring,
  type MeterWiring,
  type DemoOptions,
  type SimulatorEndpoint,
} from './demo-config';
export { freePort } from './free-port';
export { SIMULATED_CLIPS, type PlayedClip } from './voice-module';
