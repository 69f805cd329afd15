// The store's screens, served by the hub itself from the ui package's build (ui/dist), so the
// store needs no other server: each screen's page at /<screen>/ (any path under it is the same
// page, its router takes over), their scripts and styles under /assets/. Without a build it
// answers a plain page naming the command that makes one. Serves files only: the API under /api
// is untouched, and a page shows nothing until the screen proves itself to the API.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Express, type Response } from 'express';
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
