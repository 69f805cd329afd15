// Every action the hub writes to its audit log has words on the owner's screens: each route a
// staff member may change something through (audited by the route itself), and each action a
// service records by its own name. A new route or action without words fails here, not on the
// owner's page as a bare `POST /api/...`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const HUB_SRC = join(ROOT, 'hub-app/src');
const wordsIn = (language: string): Record<string, string> =>
  JSON.parse(readFileSync(join(ROOT, `ui/src/locales/${language}/audit-actions.json`), 'utf8'));
const zhWords = wordsIn('zh-CN');
const enWords = wordsIn('en-US');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [readFileSync(join(dir, e.name), 'utf8')]
        : [],
  );

const matches = (text: string, pattern: RegExp): string[] =>
  [...text.matchAll(pattern)].map((m) => m[1]!);

describe('the audit log’s actions in words', () => {
  const changingRoutes = matches(
    readFileSync(join(HUB_SRC, 'http/permissions.ts'), 'utf8'),
    /'((?:POST|PUT|PATCH|DELETE) \/api[^']*)'/g,
  );
  const named = sources(HUB_SRC).flatMap((text) =>
    matches(
      text,
      /(?:action: |action = |ACTION = |decided?\()'([a-z_]+(?:\.[a-z_]+)+|(?:POST|PUT|PATCH|DELETE) \/api[^']*)'/g,
    ),
  );

  it('finds the hub’s routes and named actions to check', () => {
    expect(changingRoutes.length).toBeGreaterThan(90);
    expect(named).toEqual(
      expect.arrayContaining(['staff.create', 'device.override', 'invoice.issue', 'room.patch']),
    );
  });

  it('has zh-CN and English words for each of them', () => {
    const missing = [...new Set([...changingRoutes, ...named])].filter(
      (action) => !(action in zhWords) || !(action in enWords),
    );
    expect(missing).toEqual([]);
  });

  it('words no action the hub no longer records', () => {
    const recorded = new Set([...changingRoutes, ...named]);
    expect(Object.keys(zhWords).filter((action) => !recorded.has(action))).toEqual([]);
  });
});
