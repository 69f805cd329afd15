// The life of a gateway simulator: where its HTTP server listens, the notifications it is still
// delivering and the timers it set (a payer paying by themselves later), all stopped once by
// `close()`: deliveries aborted, timers cleared, the server shut with its connections. Shared by
// the simulators only; it knows nothing of any gateway's protocol, and no client imports it.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class SimulatorLife {
  private readonly lifetime = new AbortController();
  private readonly pending = new Set<Promise<void>>();
  readonly timers = new Set<NodeJS.Timeout>();
  private server: Server | null = null;
  private closing: Promise<void> | null = null;

  /** Aborted when the simulator closes: a delivery or a wait under way stops. */
  get signal(): AbortSignal {
    return this.lifetime.signal;
  }

  /** Keeps a delivery under way, so `close()` waits for it. */
  track(run: Promise<void>): Promise<void> {
    this.pending.add(run);
    return run.finally(() => this.pending.delete(run));
  }

  /** Listens on `host:port` (port 0: a free one); the simulator's base URL. */
  async listen(app: RequestListener, port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const { port: bound } = server.address() as AddressInfo;
    return `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.lifetime.abort();
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      await Promise.allSettled([...this.pending]);
      const server = this.server;
      if (!server) return;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    })();
    return this.closing;
  }
}
