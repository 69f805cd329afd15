// The scanners' public face. keyboard-wedge.ts is also safe in a browser bundle; the rest is Node.
export { WedgeDetector, type WedgeDetectorOptions } from './keyboard-wedge';
export { decodeHidReports, HidReportDecoder, type HidReportOptions } from './hid-reports';
export {
  loadHid,
  openHidScanner,
  type HidBackend,
  type HidDeviceHandle,
  type HidDeviceInfo,
  type HidLoad,
  type HidScanner,
  type HidScannerOptions,
} from './hid-scanner';
export { LineFramer, type LineFramerOptions, type LineTerminator } from './line-framer';
export type { RetryOptions } from './retry-delay';
export type { ScannerStatus } from './scanner-status';
export {
  listSerialPorts,
  openSerialScanner,
  type SerialBinding,
  type SerialPortInfo,
  type SerialPortListing,
  type SerialScanner,
  type SerialScannerOptions,
} from './serial-scanner';
export {
  scannersConfigSchema,
  startScanners,
  type Scanners,
  type ScannersConfig,
  type StartScannersOptions,
} from './start-scanners';
