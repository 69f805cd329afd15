// A barcode/QR scanner on a serial port (RS-232, or USB in CDC/virtual-COM mode): opens the port,
// frames codes, and keeps reopening it with back-off while it is gone (cable pulled, USB
// re-enumerating). It never lists ports on its own: listing needs udev, which a hub may lack.
import type { Clock } from '@roomhub/shared-types';
import { SerialPort } from 'serialport';
import { SerialPortStream } from '@serialport/stream';
import type { ScanEvent } from '../devices';
import { LineFramer, type LineTerminator } from './line-framer';
import { describeDelay, retryDelay, type RetryOptions } from './retry-delay';
import type { ScannerStatus } from './scanner-status';

export interface SerialPortInfo {
  path: string;
  manufacturer?: string;
  vendorId?: string;
  productId?: string;
}

/**
 * The part of a serialport hardware binding this module relies on. Omitted, the platform's own;
 * tests pass SerialPortMock.binding (the MockBinding of @serialport/binding-mock).
 */
export interface SerialBinding {
  list(): Promise<SerialPortInfo[]>;
  open(options: never): Promise<unknown>;
}

export interface SerialScannerOptions {
  /** e.g. /dev/ttyACM0, or a stable /dev/serial/by-id/… link. */
  path: string;
  baudRate?: number;
  /** Omitted: CR, LF and CRLF all end a code. */
  terminator?: LineTerminator;
  /** Longer lines are dropped as garbage. */
  maxLength?: number;
  clock: Clock;
  binding?: SerialBinding;
  retry?: RetryOptions;
  onStatus?: (status: ScannerStatus) => void;
}

export interface SerialScanner {
  status(): ScannerStatus;
  /** Stops reopening and closes the port. */
  close(): Promise<void>;
}

export function openSerialScanner(
  options: SerialScannerOptions,
  onScan: (scan: ScanEvent) => void,
): SerialScanner {
  const { path, baudRate = 9600, clock, retry, onStatus } = options;
  const binding: SerialBinding = options.binding ?? SerialPort.binding;
  const framer = new LineFramer({ terminator: options.terminator, maxLength: options.maxLength });

  let status: ScannerStatus = {
    device: path,
    source: 'serial',
    ok: false,
    message: 'opening',
    since: clock.now(),
  };
  let port: SerialPortStream | null = null;
  let timer: NodeJS.Timeout | null = null;
  let failures = 0;
  let closed = false;

  const report = (ok: boolean, message: string) => {
    status = { device: path, source: 'serial', ok, message, since: clock.now() };
    onStatus?.(status);
  };

  const retryLater = (reason: string) => {
    failures += 1;
    const delay = retryDelay(failures, retry);
    report(false, `${reason}; retrying in ${describeDelay(delay)}`);
    timer = setTimeout(() => {
      timer = null;
      connect();
    }, delay);
  };

  const connect = () => {
    if (closed) return;
    framer.reset();
    let candidate: SerialPortStream;
    try {
      candidate = new SerialPortStream({ binding, path, baudRate, autoOpen: false });
    } catch (err) {
      // Bad options (an empty path, an unsupported baud rate): reopening will not fix them.
      report(false, errorMessage(err));
      return;
    }
    candidate.on('data', (chunk: Buffer) => {
      for (const text of framer.push(chunk)) {
        onScan({ text, source: 'serial', device: path, at: clock.now() });
      }
    });
    // Errors after the port opened arrive here; a lost device also emits 'close' below.
    candidate.on('error', (err: Error) => {
      if (port === candidate && !closed) report(false, err.message);
    });
    candidate.on('close', (err: Error | null) => {
      if (port !== candidate) return;
      port = null;
      if (closed) return;
      retryLater(err ? `disconnected: ${err.message}` : 'port closed');
    });
    port = candidate;
    candidate.open((err) => {
      if (closed) {
        // close() came while this port was opening.
        if (!err) candidate.close();
        return;
      }
      if (err) {
        port = null;
        candidate.removeAllListeners();
        retryLater(err.message);
        return;
      }
      failures = 0;
      report(true, 'connected');
    });
  };

  connect();

  return {
    status: () => status,
    close: async () => {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const open = port;
      port = null;
      if (open?.isOpen) {
        await new Promise<void>((resolve) => open.close(() => resolve()));
      }
      // A port still opening is closed by its open callback, which sees `closed`.
      report(false, 'closed');
    },
  };
}

export interface SerialPortListing {
  ports: SerialPortInfo[];
  /** Why listing failed (e.g. no udev on this machine); ports is then empty. */
  error: string | null;
}

/** For a setup screen only: listing spawns udevadm on Linux, which may be missing. */
export async function listSerialPorts(
  binding: SerialBinding = SerialPort.binding,
): Promise<SerialPortListing> {
  try {
    const ports = await binding.list();
    return {
      ports: ports.map(({ path, manufacturer, vendorId, productId }) => ({
        path,
        manufacturer,
        vendorId,
        productId,
      })),
      error: null,
    };
  } catch (err) {
    return { ports: [], error: errorMessage(err) };
  }
}

function errorMessage(err: unknown) {
  return err instanceof Error ? err.message : String(err);
}
