// How the bridge reports devices it could not drive: one error naming every device that failed
// and why, so the hub can tell the owner which door or light, not just that a write failed.
import { ModbusRequestError } from './bus';

/** Some devices could not be driven; their desired state is kept and retried on every poll. */
export class DeviceWriteError extends Error {
  constructor(readonly failures: { deviceId: string; message: string }[]) {
    super(failures.map((f) => `device "${f.deviceId}": ${f.message}`).join('\n'));
    this.name = 'DeviceWriteError';
  }
}

export function errorText(e: unknown): string {
  if (e instanceof ModbusRequestError || e instanceof Error) return e.message;
  return String(e);
}
