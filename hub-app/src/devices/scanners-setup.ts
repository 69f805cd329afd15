// The store's barcode/QR scanners (the cashier's USB scanner, a door's QR reader, a kiosk's):
// every scan, whatever its source, becomes one `scan` event, marked with its kiosk when it is one's; a scanner mounted at a door also opens it when
// the scan is that room's door-code QR. A scanner that cannot start is reported, never fatal.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import {
  scannersConfigSchema,
  startScanners,
  type ScanEvent,
  type Scanners,
  type ScannerStatus,
} from '@roomhub/firmware-bridge';
import type { Hub } from '../hub';

export const HubScannersConfigSchema = scannersConfigSchema.extend({
  /** Scanner device (serial path or HID name) -> the room whose door it reads codes for. */
  doors: z.record(z.string().min(1), z.string().min(1)).default({}),
  /**
   * Scanner device -> the kiosk screen it is wired to (the name or id the owner sees in the list
   * of screens): its readings go to that kiosk alone.
   */
  kiosks: z.record(z.string().min(1), z.string().min(1)).default({}),
});
export type HubScannersConfig = z.output<typeof HubScannersConfigSchema>;

export async function loadScannersConfig(file: string): Promise<HubScannersConfig> {
  const text = await readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`scanners file ${file} is not JSON: ${(e as Error).message}`);
  }
  const r = HubScannersConfigSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(`scanners file ${file}: ${i.path.join('.') || '(top)'}: ${i.message}`);
  }
  return r.data;
}

export async function startHubScanners(hub: Hub, config: HubScannersConfig): Promise<Scanners> {
  const onScan = (scan: ScanEvent) => {
    const kiosk = config.kiosks[scan.device];
    hub.events.emit({ type: 'scan', scan, ...(kiosk ? { kiosk } : {}), at: scan.at });
    const roomId = config.doors[scan.device];
    if (roomId) {
      const actor = { kind: 'customer' as const, id: `door-scanner:${scan.device}` };
      hub.doors.openWithCode(roomId, { qr: scan.text }, actor).catch(() => {
        // Refusals are logged on the door's log; a scanner has no one to answer.
      });
    }
  };
  return startScanners(config, onScan, {
    clock: hub.clock,
    onStatus: (status: ScannerStatus) =>
      hub.events.emit({ type: 'scanner.status', status, at: hub.clock.now() }),
  });
}
