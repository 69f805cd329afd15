// `npm run bench` (second part): how long a door takes to open, from the API call to the board
// confirming the relay, over Modbus TCP and over RTU at 9600 baud on a pseudo-terminal pair whose
// simulator holds each answer back by the frame's real time on the wire. Printed beside the RTU
// wire floor for a coil write and its echo, with the ratio and the targets. Never throws on a miss.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rtuExchangeFloorMs, type DevicesConfig } from '@roomhub/firmware-bridge';
import {
  demoDevicesConfig,
  socatAvailable,
  startPtyPair,
} from '@roomhub/firmware-bridge/simulator';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startHub } from '../test/hub-process';
import { staffHeaders } from './staff';

const OPENS = Number(process.env.BENCH_DOOR_OPENS ?? 200);
const FRAMING = {
  baudRate: 9600,
  parity: 'even' as const,
  dataBits: 8 as const,
  stopBits: 1 as const,
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

type Rig = { config: DevicesConfig; close(): Promise<void> };

/**
 * Three processes, as in a store: the hub (started as `npm start` would, with a devices file),
 * the simulator standing in for the boards, and this one as the client. Seeds a demo store, wires
 * its rooms to the simulator made by `rig`, and times staff door opens over HTTP.
 */
async function measure(
  label: string,
  pollMs: number,
  rig: (roomIds: string[]) => Promise<Rig>,
): Promise<{ p50: number; p99: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'door-bench-'));
  const first = await startHub(dataDir);
  const rooms = (await (await fetch(`${first.url}/api/rooms`)).json()) as { id: string }[];
  await first.stop();
  const roomIds = rooms.map((r) => r.id);
  const r = await rig(roomIds);
  const devicesFile = join(dataDir, 'devices.json');
  writeFileSync(devicesFile, JSON.stringify(r.config));
  const hub = await startHub(dataDir, 20_000, {
    HUB_DEVICES: devicesFile,
    HUB_DEVICE_POLL_MS: String(pollMs),
  });
  try {
    const room = roomIds[0]!;
    const times: number[] = [];
    for (let i = 0; i < OPENS + 10; i++) {
      const t0 = performance.now();
      const res = await fetch(`${hub.url}/api/rooms/${room}/door/open`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await staffHeaders(hub.url)) },
        body: JSON.stringify({ reason: 'latency bench' }),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${label}: door open answered ${res.status}`);
      if (i >= 10) times.push(performance.now() - t0); // the first ten warm the path up
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p99: percentile(times, 99) };
  } finally {
    await hub.stop();
    await r.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Starts the simulator as its own process and waits for the line saying where it listens. */
async function simulatorProcess(
  args: string[],
): Promise<{ tcp: { host: string; port: number } | null; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'simulator-process.ts'), ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
  });
  const info = JSON.parse(line) as { tcp: { host: string; port: number } | null };
  return {
    tcp: info.tcp,
    stop: () =>
      new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

async function main(): Promise<void> {
  const floor = rtuExchangeFloorMs(8, 8, FRAMING);
  const tcpRig = async (roomIds: string[]): Promise<Rig> => {
    const sim = await simulatorProcess(['tcp']);
    const config = demoDevicesConfig(roomIds, {
      kind: 'tcp',
      host: sim.tcp!.host,
      port: sim.tcp!.port,
    });
    return { config, close: () => sim.stop() };
  };
  const rtuRig = async (roomIds: string[]): Promise<Rig> => {
    const pty = await startPtyPair();
    const sim = await simulatorProcess(['rtu', pty.a]);
    const config = demoDevicesConfig(roomIds, { kind: 'rtu', path: pty.b, baudRate: 9600 });
    for (const bus of config.buses)
      if (bus.kind === 'rtu') Object.assign(bus, { parity: 'even', stopBits: 1 });
    return { config, close: async () => (await sim.stop(), await pty.close()) };
  };
  // Idle bus: the door's own frames only. Polling: the hub also reads relays, contacts and ACs
  // every 2 s, as in a store, and a door open may wait for a frame already on the wire.
  const rows: [string, { p50: number; p99: number }, number, boolean][] = [];
  rows.push(['Modbus TCP, idle bus', await measure('tcp', 0, tcpRig), 10, false]);
  rows.push(['Modbus TCP, polling', await measure('tcp', 2000, tcpRig), 10, false]);
  if (socatAvailable()) {
    rows.push(['RTU 9600 8E1, idle bus', await measure('rtu', 0, rtuRig), floor + 15, true]);
    rows.push(['RTU 9600 8E1, polling', await measure('rtu', 2000, rtuRig), floor + 15, true]);
  }

  const f = (n: number) => n.toFixed(1).padStart(7);
  console.log(
    `\ndoor open latency: API call -> relay confirmed, ${OPENS} opens each, one at a time`,
  );
  console.log(
    'hub, simulator and client in three processes; the simulator holds RTU answers for their wire time\n',
  );
  console.log('                              p50 (ms)  p99 (ms)  target (p99)');
  for (const [label, r, target, rtu] of rows) {
    const goal = rtu ? `≤ floor + 15 = ${target.toFixed(1)}` : `≤ ${target}`;
    console.log(
      `  ${label.padEnd(26)} ${f(r.p50)}   ${f(r.p99)}   ${goal.padEnd(22)} ${r.p99 <= target ? 'PASS' : 'MISS'}`,
    );
  }
  if (socatAvailable()) {
    const idle = rows[2]![1];
    console.log(
      `  RTU wire floor             ${f(floor)}             coil write + echo: 16 bytes of 11 bits and two 3.5-character gaps`,
    );
    console.log(`  RTU idle p50 / floor       ${f(idle.p50 / floor)}×`);
  } else {
    console.log('  RTU: socat is not installed; skipped');
  }
}

const watchdog = setTimeout(() => {
  console.error('door bench: gave up after 5 minutes');
  process.exit(1);
}, 300_000);
watchdog.unref();

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
