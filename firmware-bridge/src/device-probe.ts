// The installer's check of a device file: every point of each device read once, nothing written,
// so a wrong slave id or address shows as a silence or an odd value before a room relies on it.
import { planReads, readRun, type Polled } from './read-plan';
import { errorText } from './device-errors';

/** What one device answered when probed. */
export interface DeviceProbe {
  deviceId: string;
  /** Every point read, in address order: a relay, a door contact, an AC register. */
  values: {
    table: 'coil' | 'discrete' | 'holding' | 'input';
    address: number;
    value: boolean | number;
  }[];
  /** Why it did not answer (the first read that failed); absent when every read did. */
  error?: string;
}

/** Reads each device's points, all devices at once, each device's reads one after another. */
export function probeDevices(devices: Polled[]): Promise<DeviceProbe[]> {
  return Promise.all(
    devices.map(async (rt) => {
      const probe: DeviceProbe = { deviceId: rt.cfg.id, values: [] };
      // A device's own reads only, one after another: its first silence is its answer.
      for (const run of planReads([rt])) {
        try {
          const values = await readRun(run, { devices: [rt.cfg.id] });
          values.forEach((value, i) =>
            probe.values.push({ table: run.table, address: run.start + i, value }),
          );
        } catch (e) {
          probe.error = errorText(e);
          break;
        }
      }
      return probe;
    }),
  );
}
