// A TCP proxy on 127.0.0.1 that tests control, to stand between the hub and the cloud.
// `cut()` is a clean outage (open connections reset, new ones refused); `blackhole()` is the
// nasty one (connections stay open and bytes silently go nowhere); `freeze()` silently kills
// only the open connections, like a dropped NAT entry; `heal()` lets new connections through.
// Connections that went silent stay dead, as they would on a real network.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  url: string;
  cut(): void;
  blackhole(): void;
  /** Open connections silently stop carrying bytes; new ones work (a NAT entry dropped). */
  freeze(): void;
  heal(): void;
  close(): Promise<void>;
  /** Connections accepted so far. */
  connections(): number;
}

type Mode = 'open' | 'cut' | 'blackhole';

export async function startTcpProxy(
  targetPort: number,
  targetHost = '127.0.0.1',
): Promise<TcpProxy> {
  let mode: Mode = 'open';
  let accepted = 0;
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket | undefined; dead: boolean }>();

  const server = net.createServer((client) => {
    accepted += 1;
    const pair: { client: net.Socket; upstream: net.Socket | undefined; dead: boolean } = {
      client,
      upstream: undefined,
      dead: false,
    };
    pairs.add(pair);
    client.on('error', () => undefined);
    client.on('close', () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    if (mode === 'blackhole') {
      // Accept and never answer: the client sees a connection that just hangs.
      pair.dead = true;
      client.on('data', () => undefined);
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    pair.upstream = upstream;
    // A silent connection hides the server's close too: the client keeps waiting.
    upstream.on('error', () => {
      if (!pair.dead) client.destroy();
    });
    upstream.on('close', () => {
      if (!pair.dead) client.destroy();
    });
    // Typed as Uint8Array: this @types/node's Buffer does not match TS 5.9's Uint8Array.
    client.on('data', (chunk: Uint8Array) => {
      if (!pair.dead) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Uint8Array) => {
      if (!pair.dead) client.write(chunk);
    });
    client.on('end', () => {
      if (!pair.dead) upstream.end();
    });
    upstream.on('end', () => {
      if (!pair.dead) client.end();
    });
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    cut() {
      mode = 'cut';
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream?.destroy();
      }
    },
    blackhole() {
      mode = 'blackhole';
      // Existing connections stop carrying bytes but are not closed on either side.
      for (const pair of pairs) pair.dead = true;
    },
    freeze() {
      for (const pair of pairs) pair.dead = true;
    },
    heal() {
      mode = 'open';
    },
    connections: () => accepted,
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
