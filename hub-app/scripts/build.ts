// `npm run build -w @roomhub/hub-app`: the hub as one JavaScript file, `dist/main.mjs`, as a store's
// mini-PC runs it (no TypeScript loader in the process). Our packages are bundled in; npm
// packages stay outside and load from node_modules (several are native: SQLite, serial, HID).
// The same run builds the desktop app's shell beside it (`dist/electron-main.mjs`, which runs the
// hub in an Electron utility process) and the desktop app's own package.json, naming exactly the
// npm packages the two files load, at the versions installed here: electron-builder packs
// `dist/` as the app (electron-builder.yml) and rebuilds the native ones for Electron.
import { build, type Metafile, type Plugin } from 'esbuild';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

const PACKAGE_DIR = resolve(import.meta.dirname, '..');
const ROOT = resolve(PACKAGE_DIR, '..');
export const DIST = resolve(PACKAGE_DIR, 'dist');
export const HUB_BUILT = resolve(DIST, 'main.mjs');
export const SHELL_BUILT = resolve(DIST, 'electron-main.mjs');
export const DESKTOP_MANIFEST = resolve(DIST, 'package.json');
/** The hub's V8 flags, read by the shell when it starts the hub. */
export const NODE_FLAGS_BUILT = resolve(DIST, 'node-flags.json');

/** Loaded only if present: the hub reports "HID scanner unavailable" without it. */
const OPTIONAL_PACKAGES = new Set(['node-hid']);
/** Provided by the Electron runtime itself, never installed into the app. */
const RUNTIME_PACKAGES = new Set(['electron']);

const npmPackagesOutside: Plugin = {
  name: 'npm-packages-outside',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@roomhub/') ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * Writes `path` whole or not at all: a hub started from the build meanwhile (a test, the bench, a
 * restart in the desktop app) reads the old file or the new one, never half of one.
 */
function writeWhole(path: string, contents: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}

async function bundle(entry: string, outfile: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [resolve(PACKAGE_DIR, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    write: false,
    plugins: [npmPackagesOutside],
    logLevel: 'warning',
  });
  for (const f of result.outputFiles) writeWhole(f.path, f.contents);
  return result.metafile;
}

export async function buildHub(): Promise<string> {
  await bundle('src/main.ts', HUB_BUILT);
  return HUB_BUILT;
}

/** `express-pouchdb/lib/x.js` and `@scope/name/sub` to the package they belong to. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)) {
    return null;
  }
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The npm packages the bundles load at run time. */
function externalPackages(metafiles: Metafile[]): string[] {
  const names = new Set<string>();
  for (const m of metafiles) {
    for (const input of Object.values(m.inputs)) {
      for (const imp of input.imports) {
        if (!imp.external) continue;
        const name = packageOf(imp.path);
        if (name && !RUNTIME_PACKAGES.has(name)) names.add(name);
      }
    }
  }
  return [...names].sort();
}

/** The installed version of `name`, as this package resolves it. */
function installedVersion(name: string): string {
  const require = createRequire(resolve(PACKAGE_DIR, 'package.json'));
  let dir: string;
  try {
    dir = resolve(require.resolve(`${name}/package.json`), '..');
  } catch {
    // A package whose exports hide package.json: find its folder from its entry point.
    const entry = require.resolve(name);
    dir = entry.slice(
      0,
      entry.lastIndexOf(`/node_modules/${name}/`) + `/node_modules/${name}`.length,
    );
  }
  return (JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8')) as { version: string })
    .version;
}

export interface DesktopManifest {
  name: string;
  productName: string;
  version: string;
  description: string;
  author: { name: string; email: string };
  type: 'module';
  main: string;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
}

/** The hub, the desktop shell and the desktop app's package.json, all in `dist/`. */
export async function buildDesktop(): Promise<{ hub: string; shell: string; manifest: string }> {
  const hubMeta = await bundle('src/main.ts', HUB_BUILT);
  const shellMeta = await bundle('src/electron/main.ts', SHELL_BUILT);
  writeWhole(NODE_FLAGS_BUILT, readFileSync(resolve(PACKAGE_DIR, 'node-flags.json')));
  const root = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const dependencies: Record<string, string> = {};
  const optionalDependencies: Record<string, string> = {};
  for (const name of externalPackages([hubMeta, shellMeta])) {
    (OPTIONAL_PACKAGES.has(name) ? optionalDependencies : dependencies)[name] =
      installedVersion(name);
  }
  const manifest: DesktopManifest = {
    name: 'roomhub',
    productName: 'RoomHub',
    version: root.version,
    description: "The store's hub: rooms, bookings, doors and the kiosk, kept running offline",
    author: { name: 'RoomHub', email: 'support@roomhub.invalid' },
    type: 'module',
    main: 'electron-main.mjs',
    dependencies,
    optionalDependencies,
  };
  writeWhole(DESKTOP_MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  return { hub: HUB_BUILT, shell: SHELL_BUILT, manifest: DESKTOP_MANIFEST };
}

if (process.argv[1] === import.meta.filename) {
  const built = await buildDesktop();
  console.log(`built ${built.hub}\n      ${built.shell}\n      ${built.manifest}`);
}
