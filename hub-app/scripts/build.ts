// `npm run build -w @roomhub/hub-app`: the hub as a store's mini-PC runs it (no TypeScript loader
// in the process), `dist/main.mjs` and the parts it loads as it starts or only when needed (cloud
// sync, for one) beside it. Our packages and the plain JavaScript npm packages are bundled in: one file reads
// and compiles faster at start than hundreds resolved in node_modules. Native packages (SQLite,
// serial, HID, PIN hashing, LevelDB) and the cloud's CouchDB pieces stay outside and load from
// node_modules.
// The same run builds the desktop app's shell beside it (`dist/electron-main.mjs`, which runs the
// hub in an Electron utility process), the kiosk window's preload (`dist/electron-preload.cjs`,
// CommonJS as a sandboxed preload must be) and the desktop app's own package.json, naming exactly the
// npm packages the two files load, at the versions installed here: electron-builder packs
// `dist/` as the app (electron-builder.yml) and rebuilds the native ones for Electron.
import { build, type Metafile, type Plugin } from 'esbuild';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { basename, dirname, resolve } from 'node:path';

const PACKAGE_DIR = resolve(import.meta.dirname, '..');
const ROOT = resolve(PACKAGE_DIR, '..');
export const DIST = resolve(PACKAGE_DIR, 'dist');
export const HUB_BUILT = resolve(DIST, 'main.mjs');
export const SHELL_BUILT = resolve(DIST, 'electron-main.mjs');
/** The kiosk window's preload (src/electron/preload.ts), loaded by the shell from beside itself. */
export const PRELOAD_BUILT = resolve(DIST, 'electron-preload.cjs');
export const DESKTOP_MANIFEST = resolve(DIST, 'package.json');
/** The hub's V8 flags, read by the shell when it starts the hub. */
export const NODE_FLAGS_BUILT = resolve(DIST, 'node-flags.json');

/** Loaded only if present: the hub reports "HID scanner unavailable" without it. */
const OPTIONAL_PACKAGES = new Set(['node-hid']);
/** Provided by the Electron runtime itself, never installed into the app. */
const RUNTIME_PACKAGES = new Set(['electron']);

/**
 * The parts of the hub loaded on demand, beside main.mjs (so paths taken from a module's own
 * folder, such as the default data folder, are the same in every part): `<name>-<HASH>.mjs`.
 */
const CHUNK = /^[\w.]+-[A-Z0-9]{8}\.mjs(\.map)?$/;

/**
 * npm packages loaded from node_modules rather than bundled: native ones (and those that load a
 * native one by a path of their own), and the embedded CouchDB server's, which the hub loads only
 * when it syncs and which resolve files of their own at run time.
 */
const LOADED_AT_RUN_TIME = new Set([
  'better-sqlite3',
  '@node-rs/argon2',
  'serialport',
  'node-hid',
  'leveldown',
  'pouchdb-node',
  'express-pouchdb',
  'electron',
]);

const npmPackagesOutside: Plugin = {
  name: 'npm-packages-outside',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = packageOf(args.path);
      return name && (LOADED_AT_RUN_TIME.has(name) || name.startsWith('@serialport/'))
        ? { path: args.path, external: true }
        : undefined;
    });
  },
};

/** Bundled CommonJS packages call `require` for Node's modules: an ES module has none of its own. */
const REQUIRE_BANNER =
  "import { createRequire as __hubCreateRequire } from 'node:module';" +
  ' const require = __hubCreateRequire(import.meta.url);';

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

async function bundle(entry: string, outfile: string, split = false): Promise<Metafile> {
  const result = await build({
    entryPoints: [resolve(PACKAGE_DIR, entry)],
    ...(split
      ? {
          outdir: dirname(outfile),
          entryNames: basename(outfile, '.mjs'),
          chunkNames: '[name]-[hash]',
          outExtension: { '.js': '.mjs' },
          splitting: true,
        }
      : { outfile }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    // Maps name the files and lines a stack trace is read against, without carrying every
    // bundled package's source again: a start with --enable-source-maps reads them all.
    sourcesContent: false,
    metafile: true,
    write: false,
    banner: { js: REQUIRE_BANNER },
    plugins: [npmPackagesOutside],
    logLevel: 'warning',
  });
  // The parts first, the entry last: a hub started meanwhile finds every part its entry names.
  const entryLast = [...result.outputFiles].sort(
    (a, b) => Number(a.path.startsWith(outfile)) - Number(b.path.startsWith(outfile)),
  );
  for (const f of entryLast) writeWhole(f.path, f.contents);
  if (split) pruneChunks(new Set(result.outputFiles.map((f) => f.path)));
  return result.metafile;
}

/**
 * Removes chunks earlier builds left that this one did not make, once they are an hour old: a hub
 * started from an earlier build may still load its own a moment later.
 */
function pruneChunks(made: Set<string>): void {
  for (const name of readdirSync(DIST)) {
    const file = resolve(DIST, name);
    if (!CHUNK.test(name) || made.has(file) || made.has(file.replace(/\.map$/, ''))) continue;
    try {
      if (Date.now() - statSync(file).mtimeMs > 3_600_000) rmSync(file, { force: true });
    } catch {
      // Removed by another build meanwhile.
    }
  }
}

/**
 * The kiosk window's preload: one CommonJS file needing only `electron` (a sandboxed preload can
 * require nothing else), with no banner (it has no `import.meta`).
 */
async function bundlePreload(): Promise<void> {
  const result = await build({
    entryPoints: [resolve(PACKAGE_DIR, 'src/electron/preload.ts')],
    outfile: PRELOAD_BUILT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    write: false,
    logLevel: 'warning',
  });
  for (const f of result.outputFiles) writeWhole(f.path, f.contents);
}

export async function buildHub(): Promise<string> {
  await bundle('src/main.ts', HUB_BUILT, true);
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
        // `<runtime>`: esbuild's own helpers, in the bundle.
        if (!imp.external || imp.path.startsWith('<')) continue;
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
  const hubMeta = await bundle('src/main.ts', HUB_BUILT, true);
  const shellMeta = await bundle('src/electron/main.ts', SHELL_BUILT);
  await bundlePreload();
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
