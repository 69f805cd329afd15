// Loaded into the cloud service's process by the chain bench (`--import`, with `--expose-gc`):
// on SIGUSR2 it collects the garbage and prints what the process still holds, so the bench tells
// memory that is kept from memory the heap merely has not given back yet. With
// HEAP_PROBE_SNAPSHOTS naming a folder, it also writes a heap snapshot there each time, to find
// what is kept (open two in Chromium's DevTools, Memory, Comparison). Not part of the service.
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

const collect = (globalThis as { gc?: () => void }).gc;

process.on('SIGUSR2', () => {
  collect?.();
  // Again once the finalisers the first collection queued have run (fetch lets go of a request's
  // signal in one): what they held is not kept.
  setTimeout(() => {
    collect?.();
    report();
  }, 200);
});

function report() {
  const m = process.memoryUsage();
  const folder = process.env.HEAP_PROBE_SNAPSHOTS;
  if (folder) writeHeapSnapshot(join(folder, `cloud-${Date.now()}.heapsnapshot`));
  process.stderr.write(
    `heap-probe ${JSON.stringify({ collected: collect !== undefined, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss })}\n`,
  );
}
