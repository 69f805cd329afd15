// A server that answers its headers and the start of a body, then freezes: a link that stopped
// mid-answer. With the garbage collector run on demand, a test can check that a call still gives
// up at its deadline once fetch has collected the request it made.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface FrozenAnswer {
  url: string;
  /** The connections it still holds open. */
  open(): number;
  close(): Promise<void>;
}

/** JSON answers start `{"results":[`; a path with `/file/` in it answers bytes. */
export async function startFrozenAnswer(): Promise<FrozenAnswer> {
  const held = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    held.add(res);
    res.on('close', () => held.delete(res));
    const json = !(req.url ?? '').includes('/file/');
    res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/octet-stream' });
    res.write(json ? '{"results":[\n' : 'PK');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    open: () => held.size,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The engine's garbage collector, to run while a call waits. */
export function garbageCollector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
