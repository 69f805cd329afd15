import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SerialPortMock } from 'serialport';
import type { ScanEvent } from '../devices';
import {
  listSerialPorts,
  openSerialScanner,
  type SerialBinding,
  type SerialScanner,
} from './serial-scanner';

const MockBinding = SerialPortMock.binding;
const clock = { now: () => 1_700_000_000_000 };
const retry = { initialMs: 10, maxMs: 40 };

/**
 * MockBinding, plus a handle on each port it opened and a way to pull the cable: the pending read
 * fails the way the real binding's does (EIO), and opening fails until plugged back in.
 */
function unpluggableMock() {
  const opened: Array<{ emitData(data: string | Buffer): void }> = [];
  let unplugged = false;
  let pullCable = (_err: Error) => {};
  const binding: SerialBinding = {
    list: () => MockBinding.list(),
    open: async (options: never) => {
      if (unplugged) throw new Error('Error: No such file or directory, cannot open');
      const port = await MockBinding.open(options);
      const lost = new Promise<never>((_resolve, reject) => {
        pullCable = reject;
      });
      lost.catch(() => {});
      const read = port.read.bind(port);
      port.read = (...args: unknown[]) => Promise.race([read(...args), lost]);
      opened.push(port);
      return port;
    },
  };
  return {
    binding,
    opened,
    last: () => {
      const port = opened.at(-1);
      if (!port) throw new Error('no port opened yet');
      return port;
    },
    unplug: () => {
      unplugged = true;
      pullCable(new Error('EIO: i/o error, read'));
    },
    plugIn: () => {
      unplugged = false;
    },
  };
}

describe('openSerialScanner over the mock binding', () => {
  let scanner: SerialScanner | null = null;
  beforeEach(() => MockBinding.reset());
  afterEach(async () => {
    await scanner?.close();
    scanner = null;
  });

  it('frames codes arriving in odd chunks', async () => {
    MockBinding.createPort('/dev/ttyMOCK0');
    const mock = unpluggableMock();
    const scans: ScanEvent[] = [];
    scanner = openSerialScanner({ path: '/dev/ttyMOCK0', clock, binding: mock.binding }, (scan) =>
      scans.push(scan),
    );
    await vi.waitFor(() =>
      expect(scanner?.status()).toMatchObject({ ok: true, message: 'connected' }),
    );

    mock.last().emitData('ABC');
    mock.last().emitData('123\r\n4');
    mock.last().emitData('56\n');

    await vi.waitFor(() => expect(scans).toHaveLength(2));
    expect(scans).toEqual([
      { text: 'ABC123', source: 'serial', device: '/dev/ttyMOCK0', at: clock.now() },
      { text: '456', source: 'serial', device: '/dev/ttyMOCK0', at: clock.now() },
    ]);
  });

  it('drops over-long garbage and keeps the next good code', async () => {
    MockBinding.createPort('/dev/ttyMOCK1');
    const mock = unpluggableMock();
    const scans: string[] = [];
    scanner = openSerialScanner(
      { path: '/dev/ttyMOCK1', clock, binding: mock.binding, maxLength: 512 },
      (scan) => scans.push(scan.text),
    );
    await vi.waitFor(() => expect(scanner?.status().ok).toBe(true));

    // A scanner at the wrong baud rate: a long run of noise, no terminator until late.
    for (let i = 0; i < 10; i += 1) mock.last().emitData(Buffer.alloc(100, 0xf3));
    mock.last().emitData('STILL-NOISE\r\nVCH-2024-0001\r\n');
    mock.last().emitData(`${'Z'.repeat(600)}\r\nM-88\r\n`);

    await vi.waitFor(() => expect(scans).toEqual(['VCH-2024-0001', 'M-88']));
  });

  it('reconnects with back-off after the port disappears', async () => {
    MockBinding.createPort('/dev/ttyMOCK2');
    const mock = unpluggableMock();
    const statuses: string[] = [];
    const scans: string[] = [];
    scanner = openSerialScanner(
      {
        path: '/dev/ttyMOCK2',
        clock,
        binding: mock.binding,
        retry,
        onStatus: (s) => statuses.push(s.message),
      },
      (scan) => scans.push(scan.text),
    );
    await vi.waitFor(() => expect(scanner?.status().ok).toBe(true));
    mock.last().emitData('BEFORE\r\nHALF-A-CO');
    await vi.waitFor(() => expect(scans).toEqual(['BEFORE']));

    mock.unplug();
    await vi.waitFor(() =>
      expect(scanner?.status()).toMatchObject({
        ok: false,
        message: expect.stringMatching(/cannot open; retrying in \d+ ms/),
      }),
    );
    expect(statuses).toContainEqual(expect.stringMatching(/^disconnected: EIO/));

    mock.plugIn();
    await vi.waitFor(() => expect(scanner?.status()).toMatchObject({ ok: true }));
    expect(mock.opened).toHaveLength(2);
    mock.last().emitData('DE\r\nAFTER\r\n');

    // The half code from before the unplug is not glued onto the first code after it.
    await vi.waitFor(() => expect(scans).toEqual(['BEFORE', 'DE', 'AFTER']));
  });

  it('keeps trying a port that is missing at start, and stops when closed', async () => {
    const mock = unpluggableMock();
    scanner = openSerialScanner(
      { path: '/dev/ttyMOCK3', clock, binding: mock.binding, retry },
      () => {},
    );
    await vi.waitFor(() =>
      expect(scanner?.status()).toMatchObject({
        ok: false,
        source: 'serial',
        device: '/dev/ttyMOCK3',
        message: expect.stringContaining('Port does not exist'),
      }),
    );
    MockBinding.createPort('/dev/ttyMOCK3');
    await vi.waitFor(() => expect(scanner?.status().ok).toBe(true));

    await scanner.close();
    expect(scanner.status()).toMatchObject({ ok: false, message: 'closed' });
    const opens = mock.opened.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(mock.opened).toHaveLength(opens);
  });

  it('lists ports, and reports rather than throws when listing fails', async () => {
    MockBinding.createPort('/dev/ttyMOCK4');
    expect((await listSerialPorts(MockBinding)).ports.map((p) => p.path)).toEqual([
      '/dev/ttyMOCK4',
    ]);

    const noUdev: SerialBinding = {
      list: () => Promise.reject(new Error('spawn udevadm ENOENT')),
      open: () => Promise.reject(new Error('unused')),
    };
    expect(await listSerialPorts(noUdev)).toEqual({ ports: [], error: 'spawn udevadm ENOENT' });
  });
});

const socatMissing = spawnSync('socat', ['-V']).error !== undefined;

describe('openSerialScanner over a real pty pair', () => {
  it('reads a code written into the other end of a socat pty pair', async (ctx) => {
    if (socatMissing) ctx.skip('socat is not installed; this test needs it to make a pty pair');

    const socat = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    ctx.onTestFinished(() => {
      socat.kill();
    });
    const [scannerEnd, deviceEnd] = await ptyPaths(socat.stderr);

    const scans: ScanEvent[] = [];
    const scanner = openSerialScanner({ path: scannerEnd, clock }, (scan) => scans.push(scan));
    ctx.onTestFinished(() => scanner.close());
    await vi.waitFor(() => expect(scanner.status()).toMatchObject({ ok: true }), { timeout: 5000 });

    const device = createWriteStream(deviceEnd);
    ctx.onTestFinished(() => {
      device.destroy();
    });
    device.write('\x02ROOM-7-DOOR');
    device.write('\r\n6901234567892\r\n');

    await vi.waitFor(
      () => expect(scans.map((s) => s.text)).toEqual(['ROOM-7-DOOR', '6901234567892']),
      {
        timeout: 5000,
      },
    );
    expect(scans[0]).toMatchObject({ source: 'serial', device: scannerEnd });
  });
});

/** socat -d -d announces each pty ("N PTY is /dev/pts/3"), then starts relaying. */
function ptyPaths(stderr: NodeJS.ReadableStream): Promise<[string, string]> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`socat did not start: ${text}`)), 5000);
    stderr.setEncoding('utf8');
    stderr.on('data', (chunk: string) => {
      text += chunk;
      const paths = [...text.matchAll(/PTY is (\S+)/g)].map((m) => m[1] ?? '');
      const [first, second] = paths;
      if (first && second && text.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve([first, second]);
      }
    });
  });
}
