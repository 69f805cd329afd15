import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { ScanEvent } from '../devices';
import {
  loadHid,
  openHidScanner,
  type HidBackend,
  type HidDeviceHandle,
  type HidDeviceInfo,
} from './hid-scanner';

const clock = { now: () => 1_700_000_000_000 };
const retry = { initialMs: 10, maxMs: 40 };
const VENDOR = 0x0c2e;
const PRODUCT = 0x0b61;

class FakeDevice extends EventEmitter implements HidDeviceHandle {
  closed = false;
  async close() {
    this.closed = true;
  }
}

/** A node-hid stand-in with one scanner that can be plugged in and pulled out. */
function fakeHid() {
  const opened: FakeDevice[] = [];
  let present = true;
  const interfaces: HidDeviceInfo[] = [
    { vendorId: VENDOR, productId: PRODUCT, path: '/dev/hidraw1', usagePage: 0x8c, usage: 2 },
    {
      vendorId: VENDOR,
      productId: PRODUCT,
      path: '/dev/hidraw0',
      usagePage: 1,
      usage: 6,
      product: 'Scanner 1900',
    },
  ];
  const hid: HidBackend = {
    devicesAsync: async (vendorId, productId) =>
      present ? interfaces.filter((d) => d.vendorId === vendorId && d.productId === productId) : [],
    HIDAsync: {
      open: async (path) => {
        if (path !== '/dev/hidraw0') throw new Error(`opened the wrong interface ${path}`);
        const device = new FakeDevice();
        opened.push(device);
        return device;
      },
    },
  };
  return {
    loadHid: async () => ({ hid, reason: null }),
    opened,
    type(text: string) {
      const device = opened.at(-1);
      if (!device) throw new Error('not open');
      for (const ch of text) {
        const usage = ch === '\n' ? 0x28 : ch === '0' ? 0x27 : 0x1e + Number(ch) - 1;
        device.emit('data', Buffer.from([0, 0, usage, 0, 0, 0, 0, 0]));
        device.emit('data', Buffer.alloc(8));
      }
    },
    unplug() {
      present = false;
      opened.at(-1)?.emit('error', new Error('could not read from HID device'));
    },
    plugIn() {
      present = true;
    },
  };
}

describe('openHidScanner', () => {
  it('reads codes from the keyboard interface and names the device', async () => {
    const fake = fakeHid();
    const scans: ScanEvent[] = [];
    const scanner = await openHidScanner(
      { vendorId: VENDOR, productId: PRODUCT, clock, loadHid: fake.loadHid },
      (scan) => scans.push(scan),
    );
    expect(scanner.status()).toMatchObject({
      device: 'hid:0c2e:0b61',
      source: 'hid',
      ok: true,
      message: 'connected: Scanner 1900',
    });
    fake.type('4711\n');
    expect(scans).toEqual([
      { text: '4711', source: 'hid', device: 'hid:0c2e:0b61', at: clock.now() },
    ]);
    await scanner.close();
    expect(fake.opened[0]?.closed).toBe(true);
  });

  it('reopens the device after it is pulled out and plugged back in', async () => {
    const fake = fakeHid();
    const scans: string[] = [];
    const scanner = await openHidScanner(
      {
        vendorId: VENDOR,
        productId: PRODUCT,
        name: 'counter scanner',
        clock,
        loadHid: fake.loadHid,
        retry,
      },
      (scan) => scans.push(scan.text),
    );
    fake.type('12');
    fake.unplug();
    expect(scanner.status()).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^disconnected: could not read from HID device; retrying/),
    });
    await vi.waitFor(() => expect(scanner.status().message).toMatch(/^not connected; retrying/));

    fake.plugIn();
    await vi.waitFor(() => expect(scanner.status().ok).toBe(true));
    fake.type('34\n');
    // "12" was half a code when the device went away; it is not glued onto the next one.
    expect(scans).toEqual(['34']);
    await scanner.close();
  });

  it('reports the scanner unavailable when node-hid cannot load', async () => {
    const scanner = await openHidScanner(
      {
        vendorId: VENDOR,
        productId: PRODUCT,
        clock,
        loadHid: async () => ({
          hid: null,
          reason: 'libusb-1.0.so.0: cannot open shared object file',
        }),
      },
      () => {},
    );
    expect(scanner.status()).toMatchObject({
      ok: false,
      message: 'HID scanner unavailable: libusb-1.0.so.0: cannot open shared object file',
    });
    await scanner.close();
  });
});

describe('loadHid', () => {
  it('either loads node-hid or says why not, without throwing', async () => {
    const load = await loadHid();
    if (load.hid) {
      expect(typeof load.hid.devicesAsync).toBe('function');
      expect(load.reason).toBeNull();
    } else {
      expect(load.reason).toMatch(/\S/);
    }
  });
});
