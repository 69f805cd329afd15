// `npm run build -w @roomhub/hub-app`: the hub as one JavaScript file, `dist/main.mjs`, as a store's
// mini-PC runs it (no TypeScript loader in the process). Our packages are bundled in; npm
// packages stay outside and load from node_modules (several are native: SQLite, serial, HID).
import { build, type Plugin } from 'esbuild';
import { resolve } from 'node:path';

const PACKAGE_DIR = resolve(import.meta.dirname, '..');
export const HUB_BUILT = resolve(PACKAGE_DIR, 'dist/main.mjs');

const npmPackagesOutside: Plugin = {
  name: 'npm-packages-outside',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@roomhub/') ? undefined : { path: args.path, external: true },
    );
  },
};

export async function buildHub(): Promise<string> {
  await build({
    entryPoints: [resolve(PACKAGE_DIR, 'src/main.ts')],
    outfile: HUB_BUILT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    plugins: [npmPackagesOutside],
    logLevel: 'warning',
  });
  return HUB_BUILT;
}

if (process.argv[1] === import.meta.filename) {
  console.log(`built ${await buildHub()}`);
}
