// The table pages' words say everything in both languages, with the same fill-ins.
import { describe, expect, it } from 'vitest';
import zh from '../locales/zh-CN/tables.json';
import en from '../locales/en-US/tables.json';

const keysOf = (o: unknown, prefix = ''): string[] =>
  typeof o === 'object' && o !== null && !Array.isArray(o)
    ? Object.entries(o).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k))
    : [prefix];

const valueAt = (o: unknown, key: string): unknown =>
  key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

const fillIns = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('the table words', () => {
  it('has every key in zh-CN and English, none empty, the same fill-ins', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(zh).sort());
    for (const key of keysOf(zh)) {
      expect(String(valueAt(zh, key)).trim()).not.toBe('');
      expect(String(valueAt(en, key)).trim()).not.toBe('');
      expect(fillIns(valueAt(en, key)), key).toEqual(fillIns(valueAt(zh, key)));
    }
    expect(en.form.games).toHaveLength(zh.form.games.length);
  });
});
