// Prints what each screen's browser downloads, gzipped, after `vite build`: the scripts and styles
// its page loads at first, and the scripts of everything it may open later (screens loaded on
// demand), from the build's manifest. The kiosk must stay under 400 KB of JavaScript in all, the
// screens it opens later included. Exits non-zero above the limit.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = resolve(import.meta.dirname, '..', 'dist');
const LIMIT_KB = { kiosk: 400 };
/** Vite's manifest: each chunk by its source, with what it imports at once and on demand. */
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));

/** The chunks `key` needs: what it imports at once, and with `later` what it loads on demand. */
function chunks(key, later, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  const chunk = manifest[key];
  for (const next of [...(chunk.imports ?? []), ...(later ? (chunk.dynamicImports ?? []) : [])]) {
    chunks(next, later, seen);
  }
  return seen;
}

const gzipped = (file) => gzipSync(readFileSync(join(dist, file))).length;
const kb = (n) => (n / 1024).toFixed(1);
const sizes = (keys) => {
  let js = 0;
  let css = 0;
  const cssFiles = new Set();
  for (const key of keys) {
    js += gzipped(manifest[key].file);
    for (const file of manifest[key].css ?? []) cssFiles.add(file);
  }
  for (const file of cssFiles) css += gzipped(file);
  return { js, css };
};

let over = false;
for (const [key, chunk] of Object.entries(manifest)) {
  if (!chunk.isEntry || !key.endsWith('/index.html')) continue;
  const screen = key.split('/')[0];
  const first = sizes(chunks(key, false));
  const all = sizes(chunks(key, true));
  const limit = LIMIT_KB[screen];
  console.log(
    `${screen}: JavaScript ${kb(first.js)} KB gzipped at first, ${kb(all.js)} KB with what it opens later${limit ? ` (limit ${limit} KB)` : ''}; CSS ${kb(first.css)} KB gzipped`,
  );
  if (limit && all.js / 1024 > limit) over = true;
}
if (over) {
  console.error('a screen is over its JavaScript budget');
  process.exit(1);
}
