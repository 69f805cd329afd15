// Starts every configured scanner and answers for them together. A scanner that cannot open is a
// line in status(), never a failed start: the hub must run with a scanner missing or unplugged.
import type { Clock } from '@roomhub/shared-types';
import { z } from 'zod';
import type { ScanEvent } from '../devices';
import { hidDeviceName, loadHid as loadNodeHid, openHidScanner, type HidLoad } from './hid-scanner';
import type { RetryOptions } from './retry-delay';
import type { ScannerStatus } from './scanner-status';
import { openSerialScanner, type SerialBinding } from './serial-scanner';

/** A USB vendor or product id: a number, or hex as written on the label ("0x0c2e", "0C2E"). */
const usbId = z.union([
  z.number().int().min(0).max(0xffff),
  z
    .string()
    .regex(/^(0x)?[0-9a-f]{1,4}$/i, 'a 16-bit hex id like 0x0c2e')
    .transform((hex) => Number.parseInt(hex.replace(/^0x/i, ''), 16)),
]);

export const scannersConfigSchema = z.object({
  serial: z
    .array(
      z.object({
        path: z.string().min(1),
        baudRate: z.number().int().positive().optional(),
        terminator: z.enum(['\r', '\n', '\r\n']).optional(),
        maxLength: z.number().int().positive().optional(),
      }),
    )
    .optional(),
  hid: z
    .array(
      z.object({
        vendorId: usbId,
        productId: usbId,
        name: z.string().min(1).optional(),
        reportId: z.boolean().optional(),
      }),
    )
    .optional(),
});

export type ScannersConfig = z.output<typeof scannersConfigSchema>;

export interface StartScannersOptions {
  clock: Clock;
  /** Every status change of every scanner, e.g. for the log or the staff screen. */
  onStatus?: (status: ScannerStatus) => void;
  retry?: RetryOptions;
  /** For tests: the serial binding and the node-hid loader. */
  binding?: SerialBinding;
  loadHid?: () => Promise<HidLoad>;
}

export interface Scanners {
  status(): ScannerStatus[];
  close(): Promise<void>;
}

interface Running {
  status(): ScannerStatus;
  close(): Promise<void>;
}

export async function startScanners(
  config: ScannersConfig,
  onScan: (scan: ScanEvent) => void,
  { clock, onStatus, retry, binding, loadHid = loadNodeHid }: StartScannersOptions,
): Promise<Scanners> {
  const failed = (device: string, source: ScanEvent['source'], err: unknown): Running => {
    const status: ScannerStatus = {
      device,
      source,
      ok: false,
      message: err instanceof Error ? err.message : String(err),
      since: clock.now(),
    };
    onStatus?.(status);
    return { status: () => status, close: async () => {} };
  };

  const serial = (config.serial ?? []).map((entry): Running => {
    try {
      return openSerialScanner({ ...entry, clock, retry, binding, onStatus }, onScan);
    } catch (err) {
      return failed(entry.path, 'serial', err);
    }
  });

  // node-hid is loaded once for all HID scanners, and only if there are any.
  let hidLoad: Promise<HidLoad> | null = null;
  const sharedLoad = () => (hidLoad ??= loadHid());
  const hid = await Promise.all(
    (config.hid ?? []).map((entry) =>
      openHidScanner({ ...entry, clock, retry, onStatus, loadHid: sharedLoad }, onScan).catch(
        (err: unknown): Running =>
          failed(entry.name ?? hidDeviceName(entry.vendorId, entry.productId), 'hid', err),
      ),
    ),
  );

  const all = [...serial, ...hid];
  return {
    status: () => all.map((scanner) => scanner.status()),
    close: async () => {
      await Promise.all(all.map((scanner) => scanner.close()));
    },
  };
}
