// Prints what each screen's browser downloads, gzipped, after `vite build`: the scripts and styles
// its page links (the kiosk must stay under 400 KB of JavaScript). Exits non-zero above the limit.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = resolve(import.meta.dirname, '..', 'dist');
const LIMIT_KB = { kiosk: 400 };

let over = false;
for (const screen of readdirSync(dist)) {
  const page = join(dist, screen, 'index.html');
  if (!existsSync(page)) continue;
  const html = readFileSync(page, 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map(
    (m) => m[1],
  );
  let js = 0;
  let css = 0;
  for (const file of new Set(files)) {
    const size = gzipSync(readFileSync(join(dist, file))).length;
    if (file.endsWith('.js')) js += size;
    else css += size;
  }
  const kb = (n) => (n / 1024).toFixed(1);
  const limit = LIMIT_KB[screen];
  console.log(
    `${screen}: JavaScript ${kb(js)} KB gzipped${limit ? ` (limit ${limit} KB)` : ''}, CSS ${kb(css)} KB gzipped`,
  );
  if (limit && js / 1024 > limit) over = true;
}
if (over) {
  console.error('a screen is over its JavaScript budget');
  process.exit(1);
}
