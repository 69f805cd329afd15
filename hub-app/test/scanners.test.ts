// A QR reader at a room's door, on a real serial line (a pseudo-terminal pair): the scan reaches
// the live event stream as one `scan` event and opens the door when it is that room's code.
import { openSync, writeSync, closeSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { socatAvailable, startPtyPair, type PtyPair } from '@roomhub/firmware-bridge/simulator';
import { at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub | null = null;
let pty: PtyPair | null = null;
afterEach(async () => {
  await h?.close();
  await pty?.close();
});

const waitFor = async (check: () => boolean, ms = 3000) => {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return check();
};

describe.runIf(socatAvailable())('scanners', () => {
  it('turns a door scanner’s read into a scan event and an open door', async () => {
    pty = await startPtyPair();
    const dir = mkdtempSync(join(tmpdir(), 'scanners-'));
    const file = join(dir, 'scanners.json');
    // The room ids are only known once the hub has seeded its store: start once, then again.
    h = await startTestHub();
    const room = (await h.roomIds())[0]!;
    writeFileSync(
      file,
      JSON.stringify({ serial: [{ path: pty.b, baudRate: 9600 }], doors: { [pty.b]: room } }),
    );
    await h.close();
    h = await startTestHub({ dataDir: h.dataDir, clock: h.clock, scannersFile: file });
    const hub = h;

    const scans: string[] = [];
    hub.hub.events.subscribe((e) => {
      if (e.type === 'scan') scans.push(`${e.scan.source}:${e.scan.text}`);
    });
    const b = await hub.api('POST', '/api/bookings', {
      roomId: room,
      start: at('10:00'),
      end: at('11:00'),
      partySize: 2,
      customer: { phone: '13800138000' },
    });
    await hub.api('POST', `/api/bookings/${b.body.id}/payments`, { method: 'cash' }, STAFF);
    const qr = (await hub.api('GET', `/api/bookings/${b.body.id}/door-code`)).body
      .qrPayload as string;

    const fd = openSync(pty.a, 'w');
    writeSync(fd, `${qr}\r\n`);
    closeSync(fd);
    expect(await waitFor(() => scans.length > 0)).toBe(true);
    expect(scans[0]).toBe(`serial:${qr}`);
    expect(
      await waitFor(() =>
        hub.devices.simulator!.writes().some((w) => w.slaveId === 1 && w.address === 0x0200),
      ),
    ).toBe(true);
    expect(await waitFor(() => hub.hub.records.get(b.body.id).status === 'in_use')).toBe(true);
    const health = (await hub.api('GET', '/api/health')).body;
    expect(health.scanners).toMatchObject([{ device: pty.b, source: 'serial', ok: true }]);
  });
});
