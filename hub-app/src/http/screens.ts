// The store's screens, served by the hub itself from the ui package's build (ui/dist), so the
// store needs no other server: each screen's page at /<screen>/ (any path under it is the same
// page, its router takes over), their scripts and styles under /assets/. Without a build it
// answers a plain page naming the command that makes one. Serves files only: the API under /api
// is untouched, and a page shows nothing until the screen proves itself to the API.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import express, { type Express, type RequestHandler, type Response } from 'express';
import { fromTypedIn } from '../paths';

/** The screens the ui package builds, each a page of its own. */
export const SCREENS = ['kiosk', 'cashier', 'cleaner', 'owner'] as const;

export const BUILD_COMMAND = 'npm run build -w @roomhub/ui';

/**
 * Where the built screens are: HUB_SCREENS_DIR, or ui/dist beside the hub's package, found from
 * the source (src/http) and from the one-file build (dist/) alike.
 */
export function defaultScreensDir(env = process.env.HUB_SCREENS_DIR): string {
  if (env) return fromTypedIn(env);
  const candidates = [
    resolve(import.meta.dirname, '../../../ui/dist'),
    resolve(import.meta.dirname, '../../ui/dist'),
  ];
  return candidates.find((c) => existsSync(resolve(c, '..', 'package.json'))) ?? candidates[0]!;
}

export function mountScreens(app: Express, dir: string): void {
  app.get('/', (_req, res) => res.redirect(302, '/kiosk/'));
  // Hashed file names: a new build has new names, so a browser may keep these for good.
  app.use('/assets', compressedAssets(join(dir, 'assets')));
  app.use(
    '/assets',
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }),
  );
  for (const screen of SCREENS) {
    app.get([`/${screen}`, `/${screen}/{*path}`], (req, res) => {
      // The page's relative links need the trailing slash (routing here ignores it).
      if (req.path === `/${screen}`) return res.redirect(301, `/${screen}/`);
      const page = join(dir, screen, 'index.html');
      if (!existsSync(page)) return notBuilt(res, screen, dir);
      // The page itself is always asked again, so a new build shows at the next load.
      res.set('cache-control', 'no-cache').sendFile(page);
    });
  }
}

/** Text files worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.map', '.txt']);
const IMMUTABLE = 'public, max-age=31536000, immutable';

type Encoding = 'br' | 'gzip';

interface Compressed {
  mtimeMs: number;
  size: number;
  bodies: Partial<Record<Encoding, Promise<Buffer>>>;
}

const compress: Record<Encoding, (b: Buffer) => Promise<Buffer>> = {
  // Quality 5: nearly the size of the slowest setting, made in a few milliseconds per file.
  br: (b) =>
    promisify(brotliCompress)(b, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_SIZE_HINT]: b.length,
      },
    }),
  gzip: (b) => promisify(gzip)(b),
};

/**
 * The screens' scripts and styles compressed (Brotli, or gzip for a browser without it), each
 * made at its first request and kept in memory until its file changes: a screen on the store's
 * Wi-Fi loads a fraction of the bytes, and the hub compresses nothing twice. Anything else (a
 * browser asking for neither, a file that is not text, one not there) falls through to the plain
 * files.
 */
function compressedAssets(dir: string): RequestHandler {
  const made = new Map<string, Compressed>();
  const root = resolve(dir) + sep;
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const type = extname(req.path);
    if (!COMPRESSIBLE.has(type)) return next();
    const encoding = req.acceptsEncodings('br', 'gzip');
    if (encoding !== 'br' && encoding !== 'gzip') return next();
    let file: string;
    try {
      file = resolve(root, `.${decodeURIComponent(req.path)}`);
    } catch {
      return next();
    }
    if (!file.startsWith(root)) return next();
    void (async () => {
      const st = await stat(file).catch(() => null);
      if (!st?.isFile()) return next();
      let entry = made.get(file);
      if (!entry || entry.mtimeMs !== st.mtimeMs || entry.size !== st.size) {
        entry = { mtimeMs: st.mtimeMs, size: st.size, bodies: {} };
        made.set(file, entry);
      }
      const making = (entry.bodies[encoding] ??= readFile(file).then(compress[encoding]));
      const body = await making.catch((e: unknown) => {
        // Asked again, it tries again.
        if (entry.bodies[encoding] === making) delete entry.bodies[encoding];
        throw e;
      });
      res
        .status(200)
        .type(type)
        .set({
          'cache-control': IMMUTABLE,
          'content-encoding': encoding,
          'content-length': String(body.length),
          vary: 'Accept-Encoding',
        });
      if (req.method === 'HEAD') res.end();
      else res.end(body);
    })().catch(() => {
      // The file went away meanwhile: the plain files answer (a 404).
      if (res.headersSent) res.destroy();
      else next();
    });
  };
}

function notBuilt(res: Response, screen: string, dir: string): void {
  res
    .status(503)
    .type('html')
    .set('cache-control', 'no-store')
    .send(
      `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>${screen}: not built</title>` +
        `<body style="font:20px sans-serif;margin:48px;max-width:720px">` +
        `<h1>屏幕尚未构建 · The ${screen} screen is not built</h1>` +
        `<p>The hub serves the screens from <code>${escapeHtml(dir)}</code>, which has no build yet. ` +
        `Run this at the repository's root, then reload:</p><pre>${BUILD_COMMAND}</pre></body></html>`,
    );
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
