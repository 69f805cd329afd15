// A barcode/QR scanner in USB HID keyboard mode, read directly from the device so codes reach the
// hub without a focused window. node-hid is optional: when it cannot load (no prebuilt, no
// libusb), nothing here throws; the scanner reports "HID scanner unavailable: <reason>".
// The kernel still gets the same reports as keystrokes; the UI side filters those with
// WedgeDetector, or the scanner is switched to HID-POS mode.
import type { Clock } from '@roomhub/shared-types';
import type { ScanEvent } from '../devices';
import { HidReportDecoder } from './hid-reports';
import { describeDelay, retryDelay, type RetryOptions } from './retry-delay';
import type { ScannerStatus } from './scanner-status';

export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string;
  product?: string;
  usagePage?: number;
  usage?: number;
}

export interface HidDeviceHandle {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  close(): Promise<void>;
}

/** The part of node-hid this module uses; tests pass a fake. */
export interface HidBackend {
  devicesAsync(vendorId: number, productId: number): Promise<HidDeviceInfo[]>;
  HIDAsync: { open(path: string): Promise<HidDeviceHandle> };
}

export type HidLoad = { hid: HidBackend; reason: null } | { hid: null; reason: string };

/** Loads node-hid if this machine can; never throws. */
export async function loadHid(): Promise<HidLoad> {
  try {
    const hid: HidBackend = await import('node-hid');
    return { hid, reason: null };
  } catch (err) {
    // Native load errors run to several lines (the dlopen path, a stack); the first says it.
    return { hid: null, reason: errorMessage(err).split('\n')[0] ?? 'unknown error' };
  }
}

export interface HidScannerOptions {
  vendorId: number;
  productId: number;
  /** The device name in ScanEvents and status; defaults to "hid:vvvv:pppp" in hex. */
  name?: string;
  /** The scanner numbers its reports (a report id byte comes first). */
  reportId?: boolean;
  clock: Clock;
  /** Defaults to loading node-hid. */
  loadHid?: () => Promise<HidLoad>;
  retry?: RetryOptions;
  onStatus?: (status: ScannerStatus) => void;
}

export interface HidScanner {
  status(): ScannerStatus;
  close(): Promise<void>;
}

const KEYBOARD_USAGE_PAGE = 0x01;
const KEYBOARD_USAGE = 0x06;

export async function openHidScanner(
  options: HidScannerOptions,
  onScan: (scan: ScanEvent) => void,
): Promise<HidScanner> {
  const { vendorId, productId, clock, retry, onStatus } = options;
  const device = options.name ?? hidDeviceName(vendorId, productId);
  const decoder = new HidReportDecoder({ reportId: options.reportId });

  let status: ScannerStatus = {
    device,
    source: 'hid',
    ok: false,
    message: 'opening',
    since: clock.now(),
  };
  const report = (ok: boolean, message: string) => {
    status = { device, source: 'hid', ok, message, since: clock.now() };
    onStatus?.(status);
  };

  const { hid, reason } = await (options.loadHid ?? loadHid)();
  if (!hid) {
    report(false, `HID scanner unavailable: ${reason}`);
    return { status: () => status, close: async () => {} };
  }

  let handle: HidDeviceHandle | null = null;
  let timer: NodeJS.Timeout | null = null;
  let failures = 0;
  let closed = false;

  const retryLater = (why: string) => {
    if (closed) return;
    failures += 1;
    const delay = retryDelay(failures, retry);
    report(false, `${why}; retrying in ${describeDelay(delay)}`);
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, delay);
  };

  const connect = async () => {
    if (closed) return;
    decoder.reset();
    let opened: HidDeviceHandle;
    let product: string | undefined;
    try {
      const found = await hid.devicesAsync(vendorId, productId);
      // A scanner may expose several interfaces; the keyboard one carries the codes.
      const info =
        found.find((d) => d.usagePage === KEYBOARD_USAGE_PAGE && d.usage === KEYBOARD_USAGE) ??
        found[0];
      if (!info?.path) {
        retryLater('not connected');
        return;
      }
      product = info.product;
      opened = await hid.HIDAsync.open(info.path);
    } catch (err) {
      retryLater(errorMessage(err));
      return;
    }
    if (closed) {
      await opened.close().catch(() => {});
      return;
    }
    handle = opened;
    opened.on('data', (data: Buffer) => {
      if (handle !== opened) return;
      for (const text of decoder.push(data))
        onScan({ text, source: 'hid', device, at: clock.now() });
    });
    // node-hid reports a pulled device as a read error and stops reading.
    opened.on('error', (err: Error) => {
      if (handle !== opened) return;
      handle = null;
      opened.close().catch(() => {});
      retryLater(`disconnected: ${err.message}`);
    });
    failures = 0;
    report(true, product ? `connected: ${product}` : 'connected');
  };

  await connect();

  return {
    status: () => status,
    close: async () => {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const open = handle;
      handle = null;
      await open?.close().catch(() => {});
      report(false, 'closed');
    },
  };
}

/** The default name of a HID scanner: "hid:vvvv:pppp" in hex, as lsusb shows it. */
export function hidDeviceName(vendorId: number, productId: number) {
  const hex4 = (id: number) => id.toString(16).padStart(4, '0');
  return `hid:${hex4(vendorId)}:${hex4(productId)}`;
}

function errorMessage(err: unknown) {
  return err instanceof Error ? err.message : String(err);
}
