import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SerialPortMock } from 'serialport';
import type { ScanEvent } from '../devices';
import type { SerialBinding } from './serial-scanner';
import { scannersConfigSchema, startScanners } from './start-scanners';

const MockBinding = SerialPortMock.binding;
const clock = { now: () => 1_700_000_000_000 };

describe('startScanners', () => {
  beforeEach(() => MockBinding.reset());

  it('starts what it can and reports the rest in status', async () => {
    MockBinding.createPort('/dev/ttyCOUNTER');
    const opened: Array<{ emitData(data: string): void }> = [];
    const binding: SerialBinding = {
      list: () => MockBinding.list(),
      open: async (options: never) => {
        const port = await MockBinding.open(options);
        opened.push(port);
        return port;
      },
    };
    const scans: ScanEvent[] = [];
    const loadHid = vi.fn(async () => ({ hid: null, reason: 'node-hid is not installed' }));
    const scanners = await startScanners(
      {
        // The blank path would not pass the schema; it stands for any option the port rejects.
        serial: [{ path: '/dev/ttyCOUNTER' }, { path: '/dev/ttyGONE' }, { path: '' }],
        hid: [
          { vendorId: 0x0c2e, productId: 0x0b61 },
          { vendorId: 0x05e0, productId: 0x1200, name: 'kiosk scanner' },
        ],
      },
      (scan) => scans.push(scan),
      { clock, binding, loadHid, retry: { initialMs: 10, maxMs: 40 } },
    );

    await vi.waitFor(() =>
      expect(scanners.status().map(({ device, source, ok }) => ({ device, source, ok }))).toEqual([
        { device: '/dev/ttyCOUNTER', source: 'serial', ok: true },
        { device: '/dev/ttyGONE', source: 'serial', ok: false },
        { device: '', source: 'serial', ok: false },
        { device: 'hid:0c2e:0b61', source: 'hid', ok: false },
        { device: 'kiosk scanner', source: 'hid', ok: false },
      ]),
    );
    const [, gone, blank, hid] = scanners.status();
    expect(gone?.message).toMatch(/Port does not exist/);
    expect(blank?.message).toMatch(/path/);
    expect(hid?.message).toBe('HID scanner unavailable: node-hid is not installed');
    expect(loadHid).toHaveBeenCalledTimes(1);

    opened[0]?.emitData('ROOM-3\r\n');
    await vi.waitFor(() =>
      expect(scans).toEqual([
        { text: 'ROOM-3', source: 'serial', device: '/dev/ttyCOUNTER', at: clock.now() },
      ]),
    );

    await scanners.close();
    expect(scanners.status().every((s) => !s.ok)).toBe(true);
  });

  it('starts nothing, and loads no node-hid, for an empty config', async () => {
    const loadHid = vi.fn(async () => ({ hid: null, reason: 'unused' }));
    const scanners = await startScanners({}, () => {}, { clock, loadHid });
    expect(scanners.status()).toEqual([]);
    expect(loadHid).not.toHaveBeenCalled();
    await scanners.close();
  });
});

describe('scannersConfigSchema', () => {
  it('reads USB ids in hex as on the label', () => {
    const config = scannersConfigSchema.parse({
      serial: [{ path: '/dev/ttyACM0', terminator: '\r\n' }],
      hid: [{ vendorId: '0x0c2e', productId: '0B61' }],
    });
    expect(config.hid).toEqual([{ vendorId: 0x0c2e, productId: 0x0b61 }]);
  });

  it('rejects what no scanner could use', () => {
    expect(
      scannersConfigSchema.safeParse({ serial: [{ path: '/dev/ttyS0', terminator: ';' }] }).success,
    ).toBe(false);
    expect(
      scannersConfigSchema.safeParse({ hid: [{ vendorId: 'zz', productId: 1 }] }).success,
    ).toBe(false);
    expect(
      scannersConfigSchema.safeParse({ hid: [{ vendorId: 0x10000, productId: 1 }] }).success,
    ).toBe(false);
  });
});
