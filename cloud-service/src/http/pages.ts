// The customer's pages (the mini-program's web-view) and the owner's remote dashboard, served by
// the cloud itself from the ui package's build (ui/dist): each page at /<page>/ (any path under it is the same page, its router
// takes over), their scripts and styles under /assets/. Without a build it answers a plain 503
// naming the command that makes one; a deal's page carries its link preview's tags in its head.
// Serves files only: the API under /api is untouched.
//
// The hub serves its store screens the same way (hub-app/src/http/screens.ts). This is the cloud's
// own small copy on purpose: the hub and the cloud never import each other, and the one package
// both import (shared-types) holds no I/O, so there is no place for an express piece both may use.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Express, type Request, type Response } from 'express';

/** The pages the cloud serves from the ui build. */
export const CLOUD_PAGES = ['h5', 'owner', 'platform'] as const;

/**
 * The mark a page reads to know the cloud served it: the owner's dashboard, which the hub serves
 * too, then talks to the cloud's owner API and signs the owner in by phone.
 */
export const SERVED_BY_CLOUD = '<meta name="served-by" content="cloud" />';

export const PAGES_BUILD_COMMAND = 'npm run build -w @roomhub/ui';

/** Where the built pages are: CLOUD_PAGES_DIR, or ui/dist beside the cloud's package. */
export function defaultPagesDir(env = process.env.CLOUD_PAGES_DIR): string {
  if (env) return resolve(env);
  const candidates = [
    resolve(import.meta.dirname, '../../../ui/dist'),
    resolve(import.meta.dirname, '../../ui/dist'),
  ];
  return candidates.find((c) => existsSync(resolve(c, '..', 'package.json'))) ?? candidates[0]!;
}

export interface PageOptions {
  /** Tags for the head of a customer's page (a deal's link preview); undefined: none. */
  headFor?: (req: Request) => Promise<string | undefined>;
}

export function mountPages(
  app: Express,
  dir: string = defaultPagesDir(),
  options: PageOptions = {},
): void {
  // Hashed file names: a new build has new names, so a phone may keep these for good.
  app.use(
    '/assets',
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }),
  );
  for (const page of CLOUD_PAGES) {
    app.get([`/${page}`, `/${page}/{*path}`], async (req, res) => {
      // The page's relative links need the trailing slash (routing here ignores it).
      if (req.path === `/${page}`) return res.redirect(301, `/${page}/`);
      const file = join(dir, page, 'index.html');
      if (!existsSync(file)) return notBuilt(res, page, dir);
      // The page itself is always asked again, so a new build shows at the next load.
      res.set('cache-control', 'no-cache');
      if (page === 'owner') {
        const html = readFileSync(file, 'utf8');
        return res.type('html').send(html.replace(/<head>/i, `<head>${SERVED_BY_CLOUD}`));
      }
      const head = page === 'h5' && options.headFor ? await options.headFor(req) : undefined;
      if (!head) return res.sendFile(file);
      // A link pasted in a chat is read by a robot that runs no script: the tags come with the page.
      res.type('html').send(readFileSync(file, 'utf8').replace(/<head>/i, `<head>${head}`));
    });
  }
}

function notBuilt(res: Response, page: string, dir: string): void {
  res
    .status(503)
    .type('html')
    .set('cache-control', 'no-store')
    .send(
      `<!doctype html><html lang="zh-CN"><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${page}: not built</title>` +
        `<body style="font:18px sans-serif;margin:24px;max-width:720px">` +
        `<h1>页面尚未构建 · The ${page} pages are not built</h1>` +
        `<p>The cloud serves these pages from <code>${escapeHtml(dir)}</code>, which has no build yet. ` +
        `Run this at the repository's root, then reload:</p><pre>${PAGES_BUILD_COMMAND}</pre></body></html>`,
    );
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
